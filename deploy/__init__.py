"""Deployment helpers: the nginx configuration in front of gunicorn."""
