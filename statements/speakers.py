"""Curating speakers: merging the duplicates imports created; their statement counts; the
directory of every speaker by every name they are known by."""

from dataclasses import dataclass

from django.db import connection, transaction
from rapidfuzz import process
from rapidfuzz.distance import JaroWinkler

from statements import generation
from statements.models import Speaker, SpeakerAlias, SpeakerKind, SpeakerStats
from statements.parsing.names import is_cyrillic, russian_nominative, strip_possessive
from statements.person_match import LIKELY, Name, latin, likely_same, read_name, same_person
from statements.slugs import ascii_slug


def refresh_stats() -> None:
    """Count every speaker's statements again (SpeakerStats). Readers keep the old counts
    until the new ones are in: about a second at a million statements."""
    with connection.cursor() as cursor:
        cursor.execute("REFRESH MATERIALIZED VIEW CONCURRENTLY statements_speakerstats")
    generation.note_change()  # no trigger sees a materialized view refreshed


def merge(keep: Speaker, duplicates: list[Speaker]) -> None:
    """Fold `duplicates` into `keep`: their statements and aliases move to it, their names
    become aliases of it, a role or country `keep` lacks is taken from them, and they are
    deleted. Nothing else is lost: statements keep the role printed with them."""
    with transaction.atomic():
        for duplicate in duplicates:
            if duplicate.pk == keep.pk:
                continue
            duplicate.statements.update(speaker=keep)
            duplicate.aliases.update(speaker=keep)
            keep.add_alias(duplicate.name)
            keep.role = keep.role or duplicate.role
            keep.country = keep.country or duplicate.country
            duplicate.delete()
        keep.save()
    refresh_stats()


# --- the directory: every speaker by every name, for search and imports -------------------


@dataclass(frozen=True)
class Known:
    """A speaker as the directory holds them: every name they are known by, read."""

    pk: int
    slug: str
    name: str
    statements: int
    names: tuple[Name, ...]
    spellings: frozenset[str]  # latin() of each full spelling: "sergey lavrov", "s v lavrov"
    slugs: frozenset[str]  # the slug of each spelling


class Directory:
    """Every speaker, with lookups by surname, by full spelling and by slug of a spelling,
    and fuzzy lookups over surnames (a few thousand: faster in Python than in SQL)."""

    def __init__(self, people: list[Known]):
        self.people = people
        self.by_surname: dict[str, list[Known]] = {}
        self.by_spelling: dict[str, list[Known]] = {}
        self.by_slug: dict[str, list[Known]] = {}
        for person in people:
            for surname in {name.surname for name in person.names}:
                self.by_surname.setdefault(surname, []).append(person)
            for spelling in person.spellings:
                self.by_spelling.setdefault(spelling, []).append(person)
            for slug in person.slugs:
                self.by_slug.setdefault(slug, []).append(person)
        self.surnames = list(self.by_surname)

    def surely(self, name: Name) -> Known | None:
        """The one speaker `name` surely is (`person_match.same_person`), if exactly one."""
        found = {
            person.pk: person
            for person in self.by_surname.get(name.surname, [])
            if any(same_person(name, known) for known in person.names)
        }
        return next(iter(found.values())) if len(found) == 1 else None

    def likely(self, name: Name) -> tuple[Known, float] | None:
        """The speaker `name` most likely is, with how likely (`person_match.likely_same`), if
        any reaches person_match.LIKELY."""
        best = None
        for surname, _, _ in self.similar_surnames(name.surname):
            for person in self.by_surname[surname]:
                score = max(likely_same(name, known) for known in person.names)
                if score >= LIKELY and (best is None or score > best[1]):
                    best = (person, score)
        return best

    def similar_surnames(self, surname: str, limit: int = 10) -> list[tuple[str, float, int]]:
        """Surnames spelt like `surname` (Lavrof ~ lavrov), most alike first."""
        return process.extract(
            surname, self.surnames, scorer=JaroWinkler.similarity, score_cutoff=LIKELY, limit=limit
        )


_directory: tuple[tuple, Directory] | None = None


def directory() -> Directory:
    """The directory of every speaker, read again when speakers or aliases were added or
    removed since (two index-only counts tell; an edited name is a new alias, Speaker.save)."""
    global _directory
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT (count(*), max(id)) FROM statements_speaker)::text,"
            " (SELECT (count(*), max(id)) FROM statements_speakeralias)::text"
        )
        version = cursor.fetchone()
    if _directory is None or _directory[0] != version:
        _directory = (version, Directory(_read_people()))
    return _directory[1]


def _read_people() -> list[Known]:
    spellings: dict[int, set[str]] = {}
    for speaker_id, name in SpeakerAlias.objects.values_list("speaker_id", "name"):
        spellings.setdefault(speaker_id, set()).add(name)
    counts = dict(SpeakerStats.objects.values_list("speaker_id", "statement_count"))
    people = []
    for pk, slug, name in Speaker.objects.values_list("pk", "slug", "name"):
        printed = {name, *spellings.get(pk, ())}
        names = tuple(found for found in map(read_name, printed) if found)
        people.append(
            Known(
                pk=pk,
                slug=slug,
                name=name,
                statements=counts.get(pk, 0),
                names=names,
                spellings=frozenset(latin(spelling) for spelling in printed),
                slugs=frozenset(ascii_slug(spelling) for spelling in printed),
            )
        )
    return people


def known_as(slug: str) -> str | None:
    """The slug of the speaker that `slug` names for sure, if one does: the slug of one of
    their spellings ("sergey-lavrov-s", "s-v-lavrov"), of their name in another script or
    with initials, or of a surname only one speaker has ("lavrov")."""
    people = directory()
    found = {person.slug for person in people.by_slug.get(slug, [])}
    name = read_name(slug.replace("-", " "))
    if not found and name is not None:
        if name.given:
            surely = people.surely(name)
            found = {surely.slug} if surely else set()
        else:
            found = {person.slug for person in people.by_surname.get(name.surname, [])}
    return found.pop() if len(found) == 1 else None


# --- what imports may learn about a speaker -----------------------------------------------

# Words that name what a person is (a role), as opposed to an organisation or a place a
# role belongs to: "District" or "University of Granada" alone is a fragment of a title.
TITLE_WORDS = {
    "acting", "adviser", "advisor", "ambassador", "ambassador-at-large", "anchor",
    "assistant", "chair", "chairman", "chairperson", "chairwoman", "chancellor", "chief",
    "commissioner", "congressman", "congresswoman", "coordinator", "correspondent", "dean",
    "deputy", "director", "editor", "editor-in-chief", "emir", "envoy", "excellency",
    "founder", "governor", "head", "host", "journalist", "king", "leader", "majesty", "mayor",
    "member", "minister", "moderator", "official", "pm", "fm", "dpm", "premier", "president",
    "presenter", "prime", "prince", "professor", "queen", "rector", "reporter",
    "representative", "secretary", "senator", "sheikh", "spokesman", "spokesperson",
    "spokeswoman", "sultan", "vice", "ceo", "admiral", "administrator", "министр",
    "президент", "посол", "председатель", "заместитель", "директор", "представитель",
}  # fmt: skip
# Words that make a label an outlet's name, never a person's ("CNA Digital", "RIA Novosti").
OUTLET_WORDS = {
    "digital", "news", "tv", "television", "radio", "agency", "times", "post", "press",
    "magazine", "channel", "network", "newspaper", "daily", "gazette", "journal", "media",
    "broadcasting", "cnn", "bbc", "cna", "tass", "ria", "reuters", "bloomberg", "afp",
    "novosti", "interfax", "xinhua", "telegraph", "herald", "tribune", "тасс", "риа",
    "новости", "интерфакс",
}  # fmt: skip
MODERATOR_WORDS = {"moderator", "host", "presenter", "ведущий", "модератор"}


def _words(text: str) -> list[str]:
    return [word.strip(".,:;()’'").lower() for word in text.split()]


def plausible_role(role: str) -> str:
    """`role` if it names what a person is ("Foreign Minister of Kazakhstan"), "" if it is
    only an organisation or a place (a fragment of a title: "District")."""
    return role if any(word in TITLE_WORDS for word in _words(role)) else ""


def is_outlet(name: str, outlets: set[str]) -> bool:
    """Whether `name` is a news outlet's (one the transcript names, or by its words)."""
    return name.casefold() in {outlet.casefold() for outlet in outlets} or any(
        word in OUTLET_WORDS for word in _words(name)
    )


def inferred_kind(role: str, outlet: str, turns: list[str]) -> str:
    """A new speaker's kind: a journalist or questioner (an outlet, or mostly questions),
    a moderator (by role), else an official. `turns` are their statements' kinds."""
    questions = sum(kind == "question" for kind in turns)
    if outlet or (turns and questions * 2 > len(turns)):
        return SpeakerKind.QUESTIONER
    if any(word in MODERATOR_WORDS for word in _words(role)):
        return SpeakerKind.MODERATOR
    return SpeakerKind.OFFICIAL


def alias_spellings(spellings: list[str]) -> list[str]:
    """The spellings worth keeping as aliases: without a possessive ("Lavrov’s"), and
    without a Russian case form where its nominative is among them ("С.В.Лаврова" beside
    "С.В.Лавров"; "М.В.Захарова" alone may be nominative, and stays)."""
    cleaned = list(dict.fromkeys(_without_possessive(spelling) for spelling in spellings))
    return [
        spelling
        for spelling in cleaned
        if _nominative(spelling) == spelling or _nominative(spelling) not in cleaned
    ]


def _without_possessive(spelling: str) -> str:
    words = spelling.strip().split()
    return " ".join([*words[:-1], strip_possessive(words[-1])]) if words else ""


def _nominative(spelling: str) -> str:
    if not is_cyrillic(spelling):
        return spelling
    head, _, last = spelling.rpartition(".") if "." in spelling.split()[-1] else ("", "", "")
    if head:
        return f"{head}.{russian_nominative(last)}"
    words = spelling.split()
    return " ".join([*words[:-1], russian_nominative(words[-1])])
