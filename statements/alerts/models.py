"""An email alert: one address following one search."""

from django.db import models


class Alert(models.Model):
    """A reader's subscription to a search: pending until the address confirms it, then
    mailed the statements new since the last mail (statements with an id above
    `last_statement_id`: ids only grow)."""

    email = models.EmailField()
    # The search's parameters as the search page's query string (without page or sort).
    query = models.TextField(blank=True)
    description = models.CharField(max_length=600, help_text="The search, in words.")
    created_at = models.DateTimeField(auto_now_add=True)
    # A keyed hash of the address that asked, for the hourly limit (never the address itself).
    requested_by = models.CharField(max_length=64, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    last_sent_at = models.DateTimeField(null=True, blank=True)
    last_statement_id = models.BigIntegerField(default=0)

    class Meta:
        app_label = "statements"
        constraints = [
            models.UniqueConstraint(fields=["email", "query"], name="alert_email_query_unique"),
        ]
        indexes = [models.Index(fields=["created_at"], name="alert_created")]

    def __str__(self):
        return f"{self.email}: {self.description}"

    @property
    def confirmed(self) -> bool:
        return self.confirmed_at is not None
