"""Delivering and launching solutions: stages and gates, experiments, go/no-go decisions,
go-to-market plans, responsibilities and effort."""
