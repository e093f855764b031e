"""Objectives and their measurable key results, and the solutions expected to move them."""
