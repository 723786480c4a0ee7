"""Alembic migration scripts of the operational store, shipped inside the package."""
