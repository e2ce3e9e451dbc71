"""Editors' changes to the shape of a transcript: reorder, split and merge statements, and
a re-parse of its source — each keeping the id of every statement whose words survive
(see `identity`).

Positions are unique per transcript and PostgreSQL checks that constraint row by row, so
moving statements around goes through `reorder`, which parks the rows out of the way first.
"""

import difflib
import re
from collections.abc import Iterable

from django.db import transaction
from django.db.models import F, Max

from statements import identity, topics, versions
from statements.models import Speaker, Statement, StatementKind, StatementTopic, Transcript
from statements.parsing import SUPPORTED_EXTENSIONS, ParsedTranscript, parse_source, read_label

# The file extension that makes the parser read a stored source in its original format.
EXTENSIONS = {source_format: ext for ext, source_format in reversed(SUPPORTED_EXTENSIONS.items())}


def reorder(transcript: Transcript, statements: Iterable[Statement]) -> None:
    """Put `statements` of `transcript` at positions 1, 2, … in the order given; statements
    of the transcript not given follow, in their current order. New (unsaved) statements
    are saved whole; existing ones get only their position, date and language written, so
    other changes must be saved first — and stale copies cannot undo them. The
    transcript's language versions are aligned again (their alignment names positions)."""
    wanted = list(statements)
    given = {statement.pk for statement in wanted if statement.pk}
    rest = transcript.statements.exclude(pk__in=given).order_by("position")
    with transaction.atomic():
        _park(transcript)
        for position, statement in enumerate([*wanted, *rest], start=1):
            statement.position = position
            statement.date, statement.language = transcript.date, transcript.language
            if statement.pk is None:
                statement.transcript = transcript
                statement.save()
            else:
                statement.save(update_fields=["position", "date", "language"])
        versions.realign(transcript)


def _park(transcript: Transcript, only: Iterable[int] | None = None) -> None:
    """Move every position (or those of the statements `only`) above the highest one, so
    new positions 1…n are all free."""
    top = transcript.statements.aggregate(top=Max("position"))["top"] or 0
    statements = (
        transcript.statements.all() if only is None else transcript.statements.filter(pk__in=only)
    )
    statements.update(position=F("position") + top + 1)


def split(statement: Statement, at: int, **second) -> Statement:
    """Split `statement` at character `at` of its text (a paragraph's or a sentence's start,
    see `split_points`): the text from there becomes a new statement right after it, with
    the fields in `second` (speaker, speaker_label, kind, note). A speaker label opening
    the new part ("Mevlut Cavusoglu (retranslated from Turkish): …") gives its speaker and
    note instead of staying in its text. An answer split off a question answers it. The
    first part keeps the statement's id. Returns the new statement."""
    text = statement.text
    if at not in {point for point, _ in split_points(text)}:
        raise ValueError(f"a statement cannot split at character {at}: no sentence starts there")
    transcript = statement.transcript
    with transaction.atomic():
        order = list(transcript.statements.order_by("position"))
        statement.text = text[:at].rstrip()
        statement.save(update_fields=["text"])
        new = Statement(text=text[at:].lstrip(), **second)
        _take_label(new)
        if new.kind == StatementKind.ANSWER:
            question = statement if statement.kind == StatementKind.QUESTION else None
            new.reply_to = question or statement.reply_to
        index = next(i for i, s in enumerate(order) if s.pk == statement.pk)
        order[index] = statement
        order.insert(index + 1, new)
        reorder(transcript, order)
        topics.tag_statements(transcript.statements.filter(pk__in=[statement.pk, new.pk]))
    return new


# Where a sentence may start: after a full stop, question or exclamation mark or ellipsis
# (and a closing quote or bracket), at a capital, a digit or an opening quote.
SENTENCE_START = re.compile(r"(?<=[.!?…])[\"»”’)\]]*[ \t]+(?=[\"«“‘(\[]?[^\W\d_a-zа-яё]|\d)")


def split_points(text: str) -> list[tuple[int, str]]:
    """The places `text` may be split at: each paragraph's start but the first's, and each
    sentence's start within a paragraph — as (character offset, "¶2" or "¶2, sentence 3")."""
    points, offset = [], 0
    for number, paragraph in enumerate(text.split("\n\n"), start=1):
        if number > 1:
            points.append((offset, f"¶{number}"))
        starts = [
            match.end()
            for match in SENTENCE_START.finditer(paragraph)
            if not _after_abbreviation(paragraph, match.start())
        ]
        points += [
            (offset + start, f"¶{number}, sentence {sentence}")
            for sentence, start in enumerate(starts, start=2)
        ]
        offset += len(paragraph) + 2
    return points


# Titles that end in a full stop without ending a sentence ("Mr. Smith").
ABBREVIATIONS = {"mr", "mrs", "ms", "dr", "st", "no", "gen", "col", "prof", "г", "т", "им"}


def _after_abbreviation(paragraph: str, end: int) -> bool:
    words = paragraph[:end].rstrip(".").split()
    return bool(words) and words[-1].casefold() in ABBREVIATIONS


def _take_label(statement: Statement) -> None:
    """If `statement`'s text opens with a speaker label, make it its speaker, label and
    note (the archive's speaker of that name, if known) and drop it from the text."""
    label = read_label(statement.text)
    if label is None:
        return
    statement.text = label.rest if label.rest else statement.text.partition("\n\n")[2]
    statement.speaker_label, statement.note = label.label, label.note
    statement.outlet = label.outlet or statement.outlet
    statement.speaker = None if label.generic else Speaker.objects.by_alias(label.label)
    if label.kind:
        statement.kind = label.kind


def following(statement: Statement) -> Statement | None:
    """The statement right after `statement` in its transcript, if any."""
    return (
        statement.transcript.statements.filter(position__gt=statement.position)
        .order_by("position")
        .first()
    )


def merge_with_next(statement: Statement) -> Statement:
    """Append the next statement's text to `statement` and delete the next one; answers to
    it and its topics move to `statement`. Returns `statement`."""
    nxt = following(statement)
    if nxt is None:
        raise ValueError("the last statement of a transcript has nothing to merge with")
    with transaction.atomic():
        statement.text = f"{statement.text}\n\n{nxt.text}"
        statement.save()
        nxt.answers.update(reply_to=statement)
        identity.retire({nxt.pk: statement.pk}, statement.transcript)
        StatementTopic.objects.bulk_create(
            [
                StatementTopic(statement=statement, topic=t.topic, source=t.source)
                for t in nxt.statementtopic_set.all()
            ],
            ignore_conflicts=True,
        )
        nxt.delete()
        reorder(statement.transcript, statement.transcript.statements.order_by("position"))
        topics.tag_statements(Statement.objects.filter(pk=statement.pk))
    return statement


# What a re-parse compares and writes on a statement it keeps.
STATEMENT_FIELDS = [
    "position",
    "speaker",
    "speaker_label",
    "speaker_role",
    "note",
    "kind",
    "questioner",
    "outlet",
    "date",
    "language",
    "text",
]


def replace_statements(
    transcript: Transcript, new: list[Statement], replies: dict[int, int]
) -> None:
    """Make `new` — unsaved statements in order, `replies` {answer index: question index} —
    `transcript`'s statements. Each stored statement a new one continues
    (`identity.match`) keeps its id and is updated where it differs; the others are
    deleted, their ids leading to the new statement holding their words, if any."""
    old = list(transcript.statements.order_by("position"))
    pairs = identity.match([s.text for s in old], [s.text for s in new])
    for j, statement in enumerate(new, start=1):
        statement.transcript, statement.position = transcript, j
    with transaction.atomic():
        continued = set(pairs.values())
        moved = [old[i].pk for j, i in pairs.items() if old[i].position != j + 1]
        gone = [s for i, s in enumerate(old) if i not in continued]
        _park(transcript, only=[*moved, *(s.pk for s in gone)])
        fresh = [s for j, s in enumerate(new) if j not in pairs]
        Statement.objects.bulk_create(fresh)
        for j, i in pairs.items():
            new[j].pk = old[i].pk
            new[j]._state.adding = False
        identity.retire(_successors(old, new, pairs), transcript)
        Statement.objects.filter(pk__in=[s.pk for s in gone]).delete()
        changed = _update_changed([(old[i], new[j]) for j, i in pairs.items()])
        _link_replies(new, replies)
        edited = [s.pk for s in [*fresh, *changed]]
        topics.tag_statements(transcript.statements.filter(pk__in=edited))


def _successors(old: list[Statement], new: list[Statement], pairs: dict[int, int]) -> dict:
    """{id of each stored statement no new one continues: the new one holding its words}."""
    texts, continued = [s.text for s in new], dict((i, j) for j, i in pairs.items())
    successors, offset = {}, 0
    for i, statement in enumerate(old):
        if i in continued:
            offset = continued[i] - i
            continue
        j = identity.holder(statement.text, texts, near=i + offset)
        successors[statement.pk] = new[j].pk if j is not None else None
    return successors


def _update_changed(pairs: list[tuple[Statement, Statement]]) -> list[Statement]:
    """Write the kept statements that differ from their stored selves; those written."""
    columns = [Statement._meta.get_field(name).attname for name in STATEMENT_FIELDS]
    changed = [
        new
        for old, new in pairs
        if any(getattr(old, column) != getattr(new, column) for column in columns)
    ]
    Statement.objects.bulk_update(changed, STATEMENT_FIELDS)
    return changed


def _link_replies(new: list[Statement], replies: dict[int, int]) -> None:
    """Point each answer to its question, where it does not already."""
    stored = dict(
        Statement.objects.filter(pk__in=[s.pk for s in new]).values_list("pk", "reply_to")
    )
    relinked = []
    for j, statement in enumerate(new):
        question = new[replies[j]].pk if j in replies else None
        if stored[statement.pk] != question:
            statement.reply_to_id = question
            relinked.append(statement)
    Statement.objects.bulk_update(relinked, ["reply_to"])


def parse_again(transcript: Transcript) -> ParsedTranscript:
    """`transcript`'s stored source parsed with today's parser, in its format and language.
    Raises ParseError if the parser now refuses it."""
    extension = EXTENSIONS.get(transcript.source_format, ".txt")
    return parse_source(
        transcript.source_text, filename=f"source{extension}", language=transcript.language
    )


def reparse_diff(transcript: Transcript, parsed: ParsedTranscript) -> list[str]:
    """A unified diff, line by line, from the statements stored now to those `parsed`
    would give: a heading per statement (speaker and kind), then its paragraphs. Positions
    are left out so that one statement more or less does not mark all later ones changed.
    Empty when a re-parse would change nothing."""
    stored = transcript.statements.select_related("speaker").order_by("position")
    before = _render((s.display_speaker, s.kind, s.paragraphs) for s in stored)
    after = _render((s.speaker or s.speaker_label, s.kind, s.paragraphs) for s in parsed.statements)
    return list(difflib.unified_diff(before, after, "stored", "re-parsed", n=1, lineterm=""))


def _render(statements) -> list[str]:
    lines = []
    for speaker, kind, paragraphs in statements:
        lines.append(f"— {speaker or '(no speaker)'} [{kind}]")
        lines += [f"    {paragraph}" for paragraph in paragraphs]
    return lines
