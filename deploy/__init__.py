"""Running the dashboard for many viewers: N app processes behind nginx (deploy/serve.py)."""
