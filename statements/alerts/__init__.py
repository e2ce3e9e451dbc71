"""Email alerts: a reader follows a search by email (models, service, views)."""
