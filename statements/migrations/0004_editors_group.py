"""The "Editors" group: staff who import transcripts and curate speakers, statements and topics.

`create_editors_group` is also called by tests whose database is flushed between tests
(transactional tests), so it is idempotent and works with the live app registry too.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITORS = "Editors"
ALL = ["add", "change", "delete", "view"]
# Model → the permissions editors get on it. Import runs are history: editors read them and
# create them by importing (the custom permission), but never edit or delete one.
PERMISSIONS = {
    "transcript": ALL,
    "statement": ALL,
    "speaker": ALL,
    "speakeralias": ALL,
    "topic": ALL,
    "statementtopic": ALL,
    "topicremoval": ALL,
    "importrun": ["view"],
    # The speaker review queue (migration 0013 grants it): read, and decide.
    "speakerreview": ["view", "change"],
}
CUSTOM = ["import_transcripts"]


def create_editors_group(apps, schema_editor=None):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    _create_statements_permissions(apps)
    codenames = [f"{action}_{model}" for model, actions in PERMISSIONS.items() for action in actions]
    permissions = Permission.objects.filter(
        content_type__app_label="statements", codename__in=codenames + CUSTOM
    )
    group, _ = Group.objects.get_or_create(name=EDITORS)
    group.permissions.add(*permissions)


def _create_statements_permissions(apps):
    # Permissions are normally created after all migrations ran (post_migrate); a data
    # migration that grants them must create them first. Historical app configs have no
    # models_module, which create_permissions takes as "no models": lend it one.
    config = apps.get_app_config("statements")
    models_module = getattr(config, "models_module", None)
    config.models_module = models_module or True
    try:
        create_permissions(config, apps=apps, verbosity=0)
    finally:
        config.models_module = models_module


def delete_editors_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=EDITORS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("statements", "0003_import_runs_topic_removals"),
    ]

    operations = [migrations.RunPython(create_editors_group, delete_editors_group)]
