"""Reusable widgets: they mirror state given to them and post messages for what users do."""
