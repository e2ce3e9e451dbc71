from django.apps import AppConfig
from django.db.models.signals import post_migrate


class StatementsConfig(AppConfig):
    name = "statements"
    verbose_name = "Diplomatic statements"

    def ready(self):
        from statements import generation

        post_migrate.connect(generation.watch_new_tables, sender=self)
