"""Editor accounts for the admin tests, made the way a site admin would: staff in the
"Editors" group that the data migration creates."""

from importlib import import_module

from django.apps import apps
from django.contrib.auth.models import Group, User

editors_migration = import_module("statements.migrations.0004_editors_group")
PASSWORD = "a long editor passphrase"


def editors_group() -> Group:
    """The Editors group. Transactional tests flush the migration's rows, so it is made
    again, by the migration's own function, when missing."""
    editors_migration.create_editors_group(apps)
    return Group.objects.get(name=editors_migration.EDITORS)


def make_editor(username: str = "editor") -> User:
    user = User.objects.create_user(username, f"{username}@example.org", PASSWORD, is_staff=True)
    user.groups.add(editors_group())
    return user
