"""Language versions of one transcript: found, linked and aligned.

Ministries publish one event in several languages (mid.ru and kremlin.ru: the Russian words
as spoken, and the English translation). Two transcripts are linked automatically, as an
import ends, when the evidence is strong:

* their source addresses are the two language sites' addresses of one document
  (kremlin.ru/…/57192 and en.kremlin.ru/…/57192; mid.ru's /ru/… and /en/… of one id), or
* one says the other language exists (mid.ru's language switch `• en-GB1 ru-RU1`, kept as
  `other_languages`), and the other has the same date, the same speakers and the same
  sequence of turns (at least SHAPE_MATCH of them agreeing).

Otherwise editors link them in the admin, where `suggestions` lists the likely versions.
A linked pair is aligned (`align`): statements, then each aligned statement's paragraphs,
matched by the multilingual encoder (statements/embeddings.py, statements/alignment.py).
"""

import difflib
import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import urlsplit

import numpy as np
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from statements import alignment, embeddings
from statements.models import Statement, Transcript, VersionLink

# Share of turns (kind and speaker, in order) that must agree for an automatic link.
SHAPE_MATCH = 0.9
# Shown to editors as a possible version from this share on.
SUGGESTION_MATCH = 0.5
# Sites that publish the Russian words as spoken and translate them: there, a Russian
# version is the original.
RUSSIAN_SITES = ("kremlin.ru", "mid.ru")
# Queries `link_imported` makes for a batch in which some transcript names another
# language (whatever the batch's size), when it links none.
LOOKUPS = 2
# Added to a statement pair's similarity when kind and speaker agree, taken off otherwise.
TURN_AGREEMENT = 0.1

CYRILLIC_TO_LATIN = str.maketrans(
    {
        **dict(zip("абвгдеёзийклмнопрстуфыэ", "abvgdeeziiklmnoprstufie", strict=True)),
        "ж": "zh",
        "х": "h",
        "ц": "ts",
        "ч": "ch",
        "ш": "sh",
        "щ": "shch",
        "ъ": "",
        "ь": "",
        "ю": "iu",
        "я": "ia",
    }
)


def speaker_key(name: str) -> str:
    """A surname key that spellings of one person in either script share: "Sergey
    Lavrov", "С.В.Лавров" and "Lavrov" → "lavrov"; "Maria Zakharova" and "М.В.Захарова"
    → "zaharova". (A stand-in until speakers are one across scripts; swap it then.)"""
    name = re.sub(r"\(.*?\)", " ", name)
    words = [word for word in re.split(r"[\s.]+", name.strip()) if len(word) > 1]
    if not words:
        return ""
    surname = unicodedata.normalize("NFKD", words[-1].casefold()).translate(CYRILLIC_TO_LATIN)
    surname = re.sub(r"[^a-z]", "", surname)
    for spelling, tolerant in (("kh", "h"), ("y", "i"), ("j", "i"), ("ks", "x")):
        surname = surname.replace(spelling, tolerant)
    return re.sub(r"(.)\1+", r"\1", surname)


def document_key(url: str) -> tuple[str, str] | None:
    """(site, number) for an address on one of the sites that publish one document in
    several languages under one number: en.kremlin.ru/events/president/news/57192 and
    kremlin.ru/events/president/news/57192 → ("kremlin.ru", "57192")."""
    if not url:
        return None
    parts = urlsplit(url)
    host = (parts.hostname or "").removeprefix("www.").removeprefix("en.")
    if host not in RUSSIAN_SITES:
        return None
    numbers = re.findall(r"\d{4,}", parts.path)
    return (host, numbers[-1]) if numbers else None


@dataclass
class Candidate:
    """A transcript that may be another language version of the one in question."""

    transcript: Transcript
    linked_by: str  # a VersionLink.LinkedBy value
    evidence: str
    match: float  # the share of turns agreeing
    declared: bool = True  # one source says the other language exists

    @property
    def strong(self) -> bool:
        if self.linked_by == VersionLink.LinkedBy.SOURCE_URLS:
            return True
        # Without the source's word that the other language exists, never automatic.
        return self.declared and self.match >= SHAPE_MATCH


class Turns:
    """The turns (kind, speaker key) of transcripts, read in one query and kept."""

    def __init__(self, transcripts):
        self.by_transcript: dict[int, list[tuple[str, str]]] = {t.pk: [] for t in transcripts}
        rows = (
            Statement.objects.filter(transcript__in=list(self.by_transcript))
            .order_by("transcript", "position")
            .values_list("transcript", "kind", "speaker__name")
        )
        for transcript, kind, name in rows:
            key = speaker_key(name) if name else ""
            self.by_transcript[transcript].append((kind, key))

    def match(self, first: Transcript, second: Transcript) -> float:
        a, b = self.by_transcript[first.pk], self.by_transcript[second.pk]
        return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio() if a and b else 0.0


def candidates(transcript: Transcript, pool: list[Transcript], turns: Turns) -> list[Candidate]:
    """Transcripts of `pool` in another language that may be versions of `transcript`,
    the likeliest first."""
    found = []
    key = document_key(transcript.source_url)
    for other in pool:
        if other.pk == transcript.pk or other.language == transcript.language:
            continue
        if key and document_key(other.source_url) == key:
            evidence = f"{transcript.source_url} and {other.source_url}"
            found.append(Candidate(other, VersionLink.LinkedBy.SOURCE_URLS, evidence, 1.0))
        elif other.date and other.date == transcript.date:
            match = turns.match(transcript, other)
            if match >= SUGGESTION_MATCH:
                found.append(_shape_candidate(transcript, other, match))
    return sorted(found, key=lambda candidate: -candidate.match)


def _shape_candidate(transcript: Transcript, other: Transcript, match: float) -> Candidate:
    declared = other.language in _languages(transcript) or transcript.language in _languages(other)
    evidence = f"same date, {match:.0%} of turns agree"
    if declared:
        evidence = f"the source lists both languages; {evidence}"
    return Candidate(other, VersionLink.LinkedBy.SHAPE, evidence, match, declared)


def _languages(transcript: Transcript) -> set[str]:
    return set(filter(None, transcript.other_languages.split(",")))


def pool_for(transcripts: list[Transcript]) -> list[Transcript]:
    """Every transcript that could be a version of one of `transcripts` (one query): of
    their dates, or of their documents' numbers."""
    dates = {t.date for t in transcripts if t.date}
    numbers = {key[1] for t in transcripts if (key := document_key(t.source_url))}
    condition = Q(date__in=dates)
    if numbers:
        alternatives = "|".join(sorted(numbers))
        condition |= Q(source_url__regex=rf"/({alternatives})(/|$|\D)")
    return list(Transcript.objects.filter(condition).defer("source_text"))


def suggestions(transcript: Transcript) -> list[Candidate]:
    """For an editor: transcripts that may be versions of `transcript`, not linked yet."""
    linked = set(transcript.translations.values_list("pk", flat=True))
    pool = [t for t in pool_for([transcript]) if t.pk not in linked]
    turns = Turns([transcript, *pool])
    return candidates(transcript, pool, turns)


def link_imported(transcripts: list[Transcript]) -> list[VersionLink]:
    """As an import ends: link each of `transcripts` (new, or re-imported) to the other
    language version the evidence points to, and align the new links. No query at all
    when none of them says another language exists or comes from a multilingual site."""
    wanted = [t for t in transcripts if t.other_languages or document_key(t.source_url)]
    if not wanted:
        return []
    pool = [other for other in pool_for(wanted) if _plausible(other, wanted)]
    turns = Turns({t.pk: t for t in [*wanted, *pool]}.values())
    links = []
    for transcript in wanted:
        strong = [c for c in candidates(transcript, pool, turns) if c.strong]
        if strong and not _linked(transcript, strong[0].transcript):
            links.append(
                link(transcript, strong[0].transcript, strong[0].linked_by, strong[0].evidence)
            )
    for new in links:
        align(new)
    return links


def _plausible(other: Transcript, wanted: list[Transcript]) -> bool:
    """Whether `other` could be linked automatically to one of `wanted`: only those have
    their turns read."""
    key = document_key(other.source_url)
    return any(
        (key and key == document_key(t.source_url))
        or (other.date == t.date and other.language in _languages(t) - {t.language})
        for t in wanted
    )


def _linked(first: Transcript, second: Transcript) -> bool:
    return VersionLink.objects.filter(
        Q(original=first, translation=second) | Q(original=second, translation=first)
    ).exists()


def link(first: Transcript, second: Transcript, linked_by: str, evidence: str = "") -> VersionLink:
    """Link two versions (unaligned yet: see `align`); which is the original is decided
    by `original_of`."""
    original, translation = original_of(first, second)
    with transaction.atomic():
        found, _ = VersionLink.objects.get_or_create(
            original=original,
            translation=translation,
            defaults={"linked_by": linked_by, "evidence": evidence[:300]},
        )
        original.translations.add(translation)
    return found


def original_of(first: Transcript, second: Transcript) -> tuple[Transcript, Transcript]:
    """(original, translation). The Russian version, when the pair comes from a Russian
    state site (its address, or mid.ru's language switch): those sites print the words as
    spoken in Russian and translate them. Otherwise the version imported first."""
    pair = sorted([first, second], key=lambda t: t.pk)
    russian = [t for t in pair if t.language == "ru"]
    from_russian_site = any(document_key(t.source_url) or "ru" in _languages(t) for t in pair)
    if len(russian) == 1 and from_russian_site:
        return russian[0], next(t for t in pair if t is not russian[0])
    return pair[0], pair[1]


def unlink(first: Transcript, second: Transcript) -> None:
    """Undo a link (an editor's call): both directions, and its alignment."""
    with transaction.atomic():
        VersionLink.objects.filter(
            Q(original=first, translation=second) | Q(original=second, translation=first)
        ).delete()
        first.translations.remove(second)


# --- alignment --------------------------------------------------------------------------


def align(link: VersionLink) -> VersionLink:
    """Align the two versions' statements, then the paragraphs of each aligned pair, and
    save the result on `link` (`VersionLink.alignment`)."""
    left = list(link.original.statements.select_related("speaker").order_by("position"))
    right = list(link.translation.statements.select_related("speaker").order_by("position"))
    left_vectors, right_vectors = _paragraph_vectors(left), _paragraph_vectors(right)
    beads = alignment.align(
        _statement_vectors(left_vectors),
        _statement_vectors(right_vectors),
        left_lengths=[len(s.text) for s in left],
        right_lengths=[len(s.text) for s in right],
        bonus=_turn_agreement(left, right),
    )
    link.alignment = [
        _statement_bead(bead, left, right, left_vectors, right_vectors) for bead in beads
    ]
    link.low_confidence = sum(
        (not bead["confident"]) + sum(not p["confident"] for p in bead["paragraphs"])
        for bead in link.alignment
    )
    link.model, link.aligned_at = embeddings.MODEL, timezone.now()
    link.save(update_fields=["alignment", "low_confidence", "model", "aligned_at"])
    return link


def realign(transcript: Transcript) -> None:
    """Align again every link of `transcript` (its statements were parsed again)."""
    for found in VersionLink.objects.filter(Q(original=transcript) | Q(translation=transcript)):
        align(found)


def _paragraph_vectors(statements: list[Statement]) -> list[np.ndarray]:
    """Per statement, its paragraphs' vectors (one encoder call for them all)."""
    paragraphs = [s.paragraphs for s in statements]
    vectors = embeddings.encode([p for group in paragraphs for p in group])
    split, start = [], 0
    for group in paragraphs:
        split.append(vectors[start : start + len(group)])
        start += len(group)
    return split


def _statement_vectors(paragraph_vectors: list[np.ndarray]) -> np.ndarray:
    """A statement's vector: the normalised sum of its paragraphs'."""
    if not paragraph_vectors:
        return np.zeros((0, embeddings.DIMENSIONS), dtype=np.float32)
    sums = np.asarray([vectors.sum(axis=0) for vectors in paragraph_vectors])
    return sums / np.maximum(np.linalg.norm(sums, axis=1, keepdims=True), 1e-9)


def _turn_agreement(left: list[Statement], right: list[Statement]) -> np.ndarray:
    def turn(statement):
        return statement.kind, speaker_key(statement.speaker.name) if statement.speaker else ""

    agree = np.asarray([[turn(a) == turn(b) for b in right] for a in left], dtype=float)
    return (agree * 2 - 1) * TURN_AGREEMENT if agree.size else agree


def _statement_bead(bead, left, right, left_vectors, right_vectors) -> dict:
    original = [left[i] for i in bead.left]
    translation = [right[j] for j in bead.right]
    paragraphs = []
    if original and translation:
        paragraphs = _paragraph_beads(
            original,
            translation,
            [left_vectors[i] for i in bead.left],
            [right_vectors[j] for j in bead.right],
        )
    return {
        "original": [s.position for s in original],
        "translation": [s.position for s in translation],
        "similarity": bead.similarity,
        "confident": bead.confident,
        "paragraphs": paragraphs,
    }


def _paragraph_beads(original, translation, left_vectors, right_vectors) -> list[dict]:
    """The paragraphs of aligned statements, aligned; each named [position, index]."""
    left_names = [[s.position, i] for s in original for i in range(len(s.paragraphs))]
    right_names = [[s.position, i] for s in translation for i in range(len(s.paragraphs))]
    left_texts = [p for s in original for p in s.paragraphs]
    right_texts = [p for s in translation for p in s.paragraphs]
    beads = alignment.align(
        np.concatenate(left_vectors),
        np.concatenate(right_vectors),
        left_lengths=[len(t) for t in left_texts],
        right_lengths=[len(t) for t in right_texts],
    )
    return [
        {
            "original": [left_names[i] for i in bead.left],
            "translation": [right_names[j] for j in bead.right],
            "similarity": bead.similarity,
            "confident": bead.confident,
        }
        for bead in beads
    ]


# --- reading an alignment, for the pages ------------------------------------------------


@dataclass
class Row:
    """Paragraphs of this version beside their translation (or original)."""

    this: list[str]
    other: list[str]
    confident: bool


@dataclass
class StatementPair:
    this: list[Statement]
    other: list[Statement]
    rows: list[Row]
    confident: bool


@dataclass
class Beside:
    """A transcript and its other language version, aligned, as a page shows them."""

    link: VersionLink
    this: Transcript
    other: Transcript
    pairs: list[StatementPair]

    @property
    def this_is_original(self) -> bool:
        return self.link.original_id == self.this.pk


def links_of(transcript: Transcript) -> list[VersionLink]:
    return list(
        VersionLink.objects.filter(Q(original=transcript) | Q(translation=transcript))
        .select_related("original", "translation")
        .defer("original__source_text", "translation__source_text")
        .order_by("pk")
    )


def beside(transcript: Transcript, language: str | None = None) -> Beside | None:
    """`transcript` beside its aligned version (in `language`, or the first linked)."""
    for found in links_of(transcript):
        other = found.translation if found.original_id == transcript.pk else found.original
        if found.aligned_at and (language is None or other.language == language):
            return Beside(found, transcript, other, _pairs(found, transcript, other))
    return None


def beside_statement(statement: Statement) -> tuple[Beside, StatementPair] | None:
    """The statement's version beside it: the aligned pair of statements it is part of."""
    found = beside(statement.transcript)
    if found is None:
        return None
    for pair in found.pairs:
        if any(s.pk == statement.pk for s in pair.this) and pair.other:
            return found, pair
    return None


def _pairs(link: VersionLink, this: Transcript, other: Transcript) -> list[StatementPair]:
    mine, theirs = (
        ("original", "translation")
        if link.original_id == this.pk
        else (
            "translation",
            "original",
        )
    )
    here = {s.position: s for s in this.statements.select_related("speaker")}
    there = {s.position: s for s in other.statements.select_related("speaker")}
    pairs = []
    for bead in link.alignment:
        rows = [
            Row(_texts(here, p[mine]), _texts(there, p[theirs]), p["confident"])
            for p in bead["paragraphs"]
        ]
        this_side = [here[pos] for pos in bead[mine] if pos in here]
        other_side = [there[pos] for pos in bead[theirs] if pos in there]
        if not rows:  # a statement the other version lacks: its paragraphs alone
            rows = [Row(s.paragraphs, [], False) for s in this_side] + [
                Row([], s.paragraphs, False) for s in other_side
            ]
        pairs.append(StatementPair(this_side, other_side, rows, bead["confident"]))
    return pairs


def _texts(statements: dict[int, Statement], names: list[list[int]]) -> list[str]:
    texts = []
    for position, index in names:
        paragraphs = statements[position].paragraphs if position in statements else []
        if index < len(paragraphs):
            texts.append(paragraphs[index])
    return texts


@dataclass
class OtherVersion:
    """A statement's counterpart in the other language version, for a list of results."""

    statement: Statement
    original: bool  # whether the counterpart is the original


def mark_other_versions(statements: list[Statement]) -> None:
    """Set `other_version` (an OtherVersion, or None) on each of `statements`: the aligned
    statement of its transcript's other language version. Two queries for a page."""
    for statement in statements:
        statement.other_version = None
    transcripts = {s.transcript_id for s in statements}
    if not transcripts:
        return
    links = VersionLink.objects.filter(
        Q(original__in=transcripts) | Q(translation__in=transcripts), aligned_at__isnull=False
    ).only("original", "translation", "alignment")
    wanted = {}  # statement pk → (other transcript, position, other is original)
    for link in links:
        for statement in statements:
            found = _counterpart_position(link, statement)
            if found:
                wanted[statement.pk] = found
    if not wanted:
        return
    keys = Q()
    for transcript, position, _ in wanted.values():
        keys |= Q(transcript=transcript, position=position)
    others = {
        (s.transcript_id, s.position): s
        for s in Statement.objects.filter(keys).only("pk", "transcript", "position", "language")
    }
    for statement in statements:
        if statement.pk in wanted:
            transcript, position, original = wanted[statement.pk]
            if (transcript, position) in others:
                statement.other_version = OtherVersion(others[transcript, position], original)


def _counterpart_position(link: VersionLink, statement: Statement):
    if statement.transcript_id == link.original_id:
        mine, theirs, other, original = "original", "translation", link.translation_id, False
    elif statement.transcript_id == link.translation_id:
        mine, theirs, other, original = "translation", "original", link.original_id, True
    else:
        return None
    for bead in link.alignment:
        if statement.position in bead[mine] and bead[theirs]:
            return other, bead[theirs][0], original
    return None


# --- editors' links ---------------------------------------------------------------------


def adopt_editor_links() -> int:
    """Make `Transcript.translations` and the links agree after an editor changed the
    former in the transcript's admin form: a pair added there becomes a link (made by an
    editor, aligned by the embedder), a pair removed there loses its link. How many changed."""
    through = Transcript.translations.through
    pairs = {
        (a, b) for a, b in through.objects.values_list("from_transcript", "to_transcript") if a < b
    }
    linked = {
        tuple(sorted(pair)) for pair in VersionLink.objects.values_list("original", "translation")
    }
    for first, second in pairs - linked:
        a, b = Transcript.objects.defer("source_text").in_bulk([first, second]).values()
        link(a, b, VersionLink.LinkedBy.EDITOR, "linked in the transcript's form")
    for first, second in linked - pairs:
        VersionLink.objects.filter(
            Q(original=first, translation=second) | Q(original=second, translation=first)
        ).delete()
    return len(pairs ^ linked)


def unlinked_suggestions(limit: int = 20) -> list[tuple[Transcript, Candidate]]:
    """For the editors' list: the newest transcripts that say another language exists and
    have no link, each with its likeliest version (those without any candidate left out)."""
    waiting = (
        Transcript.objects.exclude(other_languages="")
        .filter(translations=None)
        .defer("source_text")
        .order_by("-imported_at")[: limit * 5]
    )
    found = []
    for transcript in waiting:
        candidates_found = suggestions(transcript)
        if candidates_found:
            found.append((transcript, candidates_found[0]))
        if len(found) == limit:
            break
    return found
