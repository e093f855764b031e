"""Huddle: a self-hosted product-management workspace."""

__version__ = "0.1.0"
