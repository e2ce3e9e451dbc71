"""The models' own helpers (statements/models.py)."""

from django.urls import reverse, set_script_prefix

from statements.models import quick_reverse


def test_quick_reverse_gives_what_reverse_gives_for_ids_and_slugs():
    for name, argument in [
        ("statement_detail", 12345),
        ("speaker_detail", "sergey-lavrov"),
        ("transcript_detail", "2019-01-28-press-conference_2"),
        ("topic_detail", "syria"),
    ]:
        assert quick_reverse(name, argument) == reverse(name, args=[argument])


def test_quick_reverse_follows_the_script_prefix():
    set_script_prefix("/archive/")
    try:
        assert quick_reverse("statement_detail", 7) == "/archive/statements/7/"
    finally:
        set_script_prefix("/")
