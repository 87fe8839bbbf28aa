"""Database-facing operations shared by the CLI and the views."""
