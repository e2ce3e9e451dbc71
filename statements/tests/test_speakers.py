"""Speakers' identity (statements/speakers.py, statements/person_match.py and the import's
speaker resolution): one person across scripts and initials, clean aliases and roles, no
outlet as a speaker, kinds, and the editors' review queue of likely duplicates."""

import json

import pytest
from django.urls import reverse

from statements.importing import import_source
from statements.models import Speaker, SpeakerAlias, SpeakerKind, SpeakerReview
from statements.person_match import likely_same, read_name, same_person
from statements.speakers import alias_spellings, inferred_kind, is_outlet, plausible_role
from statements.tests.conftest import RUSSIAN
from statements.tests.editors import make_editor

QUEUE = reverse("admin:statements_speakerreview_changelist")


def script(title, statements, date="2021-05-05"):
    """A JSON transcript: statements as (speaker, paragraph) or (speaker, paragraph, kind)."""
    return json.dumps(
        {
            "title": title,
            "date": date,
            "statements": [
                {"speaker": who, "paragraphs": [text], **({"kind": rest[0]} if rest else {})}
                for who, text, *rest in statements
            ],
        }
    )


# --- names, without a database -------------------------------------------------------------


@pytest.mark.parametrize(
    "printed, known",
    [
        ("С.В.Лавров", "Sergey Lavrov"),
        ("С.В.Лаврова", "Sergey Lavrov"),  # the genitive of a title
        ("Сергей Лавров", "Sergey Lavrov"),
        ("Foreign Minister Sergey Lavrov’s", "Sergey Lavrov"),
        ("М.В.Захарова", "Maria Zakharova"),
    ],
)
def test_one_person_across_scripts_and_initials(printed, known):
    assert same_person(read_name(printed), read_name(known))


@pytest.mark.parametrize(
    "printed, known",
    [
        ("Nikolai Lavrov", "Sergey Lavrov"),
        ("Lavrov", "Sergey Lavrov"),
        ("Н.Лавров", "Sergey Lavrov"),
    ],
)
def test_other_given_names_or_a_lone_surname_are_not_surely_the_person(printed, known):
    assert not same_person(read_name(printed), read_name(known))


def test_another_spelling_in_the_same_script_is_only_likely_the_person():
    alexandar, aleksandar = read_name("Alexandar Vucic"), read_name("Aleksandar Vucic")
    assert not same_person(alexandar, aleksandar)
    assert likely_same(alexandar, aleksandar) >= 0.9


def test_aliases_keep_no_possessive_and_no_case_form_beside_its_nominative():
    spellings = ["Sergey Lavrov", "Foreign Minister Sergey Lavrov’s", "С.В.Лаврова", "С.В.Лавров"]
    assert alias_spellings(spellings) == [
        "Sergey Lavrov",
        "Foreign Minister Sergey Lavrov",
        "С.В.Лавров",
    ]
    assert alias_spellings(["М.В.Захарова"]) == ["М.В.Захарова"]  # may be a nominative


def test_a_fragment_of_a_title_is_no_role():
    assert plausible_role("District") == ""
    assert plausible_role("University of Granada") == ""
    assert plausible_role("Foreign Minister of Kazakhstan") == "Foreign Minister of Kazakhstan"


def test_outlets_are_told_from_people():
    assert is_outlet("CNA Digital", set())
    assert is_outlet("Snob", {"Snob"})
    assert not is_outlet("Sergey Lavrov", {"Snob"})


def test_kinds_are_inferred_from_outlets_questions_and_roles():
    assert inferred_kind("", "CNA", ["question"]) == SpeakerKind.QUESTIONER
    assert inferred_kind("", "", ["question", "question", "answer"]) == SpeakerKind.QUESTIONER
    assert inferred_kind("Moderator", "", ["remarks"]) == SpeakerKind.MODERATOR
    assert inferred_kind("Foreign Minister", "", ["answer"]) == SpeakerKind.OFFICIAL


# --- on import ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_russian_version_resolves_to_the_english_versions_speaker(seed):
    english = Speaker.objects.get(name="Sergey Lavrov")
    russian = import_source(RUSSIAN, filename="lavrov-ru.txt").transcript
    said = russian.statements.filter(speaker_label__contains="Лавров")
    assert said.exists() and {s.speaker_id for s in said} == {english.pk}
    assert not Speaker.objects.filter(name__contains="Лавров").exists()
    aliases = set(english.aliases.values_list("name", flat=True))
    assert "С.В.Лавров" in aliases and "С.В.Лаврова" not in aliases
    assert not any("’s" in alias or "'s" in alias for alias in aliases)


@pytest.mark.django_db
def test_a_likely_duplicate_is_kept_apart_and_queued_for_review(db):
    import_source(
        script("Talks in Belgrade", [("Aleksandar Vucic", "Welcome.")]), filename="a.json"
    )
    import_source(
        script("More talks", [("Alexandar Vucic", "Welcome again.")], "2021-06-06"),
        filename="b.json",
    )
    first, second = (
        Speaker.objects.get(name="Aleksandar Vucic"),
        Speaker.objects.get(name="Alexandar Vucic"),
    )
    review = SpeakerReview.objects.get(speaker=second)
    assert review.reason == SpeakerReview.Reason.DUPLICATE and review.candidate == first


@pytest.mark.django_db
def test_an_outlet_is_never_a_speaker(db):
    transcript = import_source(
        script(
            "Press conference", [("Sergey Lavrov", "Go ahead."), ("CNA Digital", "A question?")]
        ),
        filename="c.json",
    ).transcript
    assert not Speaker.objects.filter(name="CNA Digital").exists()
    assert transcript.statements.get(position=2).speaker is None


@pytest.mark.django_db
def test_a_journalist_is_imported_as_a_questioner(db):
    import_source(
        script(
            "Interview",
            [
                ("Megyn Kelly", "Why?", "question"),
                ("Vladimir Putin", "Because.", "answer"),
                ("Megyn Kelly", "And then?", "question"),
            ],
        ),
        filename="d.json",
    )
    assert Speaker.objects.get(name="Megyn Kelly").kind == SpeakerKind.QUESTIONER
    assert Speaker.objects.get(name="Vladimir Putin").kind == SpeakerKind.OFFICIAL


# --- the review queue -----------------------------------------------------------------------


@pytest.fixture
def vucic(db):
    import_source(script("Talks", [("Aleksandar Vucic", "Welcome.")]), filename="a.json")
    import_source(script("More", [("Alexandar Vucic", "Again.")], "2021-06-06"), filename="b.json")
    return SpeakerReview.objects.get(speaker__name="Alexandar Vucic")


@pytest.fixture
def editor_client(client, db):
    client.force_login(make_editor())
    return client


def test_the_review_queue_lists_a_likely_duplicate_pair(editor_client, vucic):
    page = editor_client.get(QUEUE).content.decode()
    assert "Possible duplicates (1)" in page
    assert "Alexandar Vucic" in page and "Merge into Aleksandar Vucic" in page
    assert "Labels that matched nobody" in page


def test_one_click_merges_the_pair(editor_client, vucic):
    keep = vucic.candidate
    editor_client.post(reverse("admin:statements_speakerreview_merge", args=[vucic.pk]))
    assert not Speaker.objects.filter(name="Alexandar Vucic").exists()
    assert SpeakerAlias.objects.filter(speaker=keep, name="Alexandar Vucic").exists()
    assert keep.statements.count() == 2


def test_different_people_is_remembered_and_leaves_the_queue(editor_client, vucic):
    editor_client.post(reverse("admin:statements_speakerreview_different", args=[vucic.pk]))
    vucic.refresh_from_db()
    assert vucic.decision == SpeakerReview.Decision.DIFFERENT and vucic.decided_by is not None
    assert "Possible duplicates (0)" in editor_client.get(QUEUE).content.decode()
    assert Speaker.objects.filter(name__endswith="Vucic").count() == 2


def test_the_queue_decides_nothing_on_a_get(editor_client, vucic):
    url = reverse("admin:statements_speakerreview_merge", args=[vucic.pk])
    assert editor_client.get(url).status_code == 403
    assert Speaker.objects.filter(name__endswith="Vucic").count() == 2
