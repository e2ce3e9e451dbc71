"""The one import service: parsed transcripts become rows, each all or nothing.

The admin's import view calls `import_transcript` (after showing a preview of the parse),
the management command `import_each` on batches of files; the admin's re-parse calls
`reparse`. One file is a batch of one: every path goes through `import_batch`.

A batch is saved in one transaction with a fixed number of queries whatever its size: one
look-up of the content hashes, one of the speakers' spellings, one of the slugs, bulk
inserts of the new speakers and their aliases and of the transcripts, the statements
COPYed in with ids taken from their sequence beforehand (so each answer points to its
question as it is written: an UPDATE would compute its search vector and index it a second
time), one topic-tagging query for the lot (`topics.tag_new_statements`), and last the
spellings and roles learnt about known speakers.
"""

import hashlib
import io
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from functools import reduce
from operator import or_

import psycopg2.errorcodes
from django.db import (
    DatabaseError,
    IntegrityError,
    InterfaceError,
    OperationalError,
    connection,
    transaction,
)
from django.db.models import Q

from statements import duplicates, editing, publishers, topics, versions
from statements.models import (
    ImportRun,
    OldSlug,
    Speaker,
    SpeakerAlias,
    SpeakerReview,
    Statement,
    StatementTopic,
    Transcript,
)
from statements.parsing import ParsedSpeaker, ParsedTranscript, decode, parse_source
from statements.parsing.names import full_name, normalize, split_role
from statements.person_match import Name, read_name, same_person
from statements.slugs import ascii_slug, transcript_slug
from statements.speakers import (
    Directory,
    alias_spellings,
    directory,
    inferred_kind,
    is_outlet,
    plausible_role,
)
from statements.validators import is_http_url


@dataclass
class ImportResult:
    transcript: Transcript | None  # the new transcript; for a (near) duplicate, the existing one
    duplicate: bool = False
    dry_run: bool = False
    statement_count: int = 0
    new_speakers: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # Not saved: `transcript` has nearly the same words (`similarity`, see duplicates.py).
    near_duplicate: bool = False
    similarity: float = 0.0

    @property
    def created(self) -> bool:
        return not self.duplicate and not self.near_duplicate and not self.dry_run


@dataclass
class ImportItem:
    """One transcript to save: its parse and the text it was parsed from."""

    parsed: ParsedTranscript
    source_text: str
    source_url: str = ""  # when empty, the address the parse found
    name: str = ""  # the file's, for the import run's record
    position: int = 0  # the file's place in the import run
    allow_near_duplicate: bool = False  # save it even if the archive has nearly its words


def content_hash(source_text: str) -> str:
    """SHA-256 of the text with line endings, trailing spaces and Unicode forms evened out,
    so the same transcript saved by another editor or OS is still recognised."""
    text = unicodedata.normalize("NFC", source_text.replace("\r\n", "\n").replace("\r", "\n"))
    text = "\n".join(line.rstrip() for line in text.strip().split("\n"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def import_source(
    raw: bytes | str,
    *,
    filename: str = "",
    language: str | None = None,
    source_url: str = "",
    dry_run: bool = False,
    allow_near_duplicate: bool = False,
) -> ImportResult:
    """Parse one file's content and save it. Raises ParseError for unparseable input."""
    text = decode(raw) if isinstance(raw, bytes) else raw
    parsed = parse_source(text, filename=filename, language=language)
    return import_transcript(
        parsed,
        source_text=text,
        source_url=source_url,
        dry_run=dry_run,
        allow_near_duplicate=allow_near_duplicate,
    )


def import_transcript(
    parsed: ParsedTranscript,
    *,
    source_text: str,
    source_url: str = "",
    dry_run: bool = False,
    run: ImportRun | None = None,
    name: str = "",
    position: int = 0,
    allow_near_duplicate: bool = False,
) -> ImportResult:
    """Save `parsed` with its statements and speakers in one transaction (a batch of one:
    see `import_batch`), recorded in `run` as the file `name`."""
    item = ImportItem(
        parsed,
        source_text,
        source_url,
        name=name,
        position=position,
        allow_near_duplicate=allow_near_duplicate,
    )
    return import_batch([item], dry_run=dry_run, run=run)[0]


# How often a batch is read and written again when another session got in its way (see
# `_read_again`) before its error is let through.
ATTEMPTS = 3
RETRYABLE_ERRORS = {
    psycopg2.errorcodes.UNIQUE_VIOLATION,
    psycopg2.errorcodes.DEADLOCK_DETECTED,
    psycopg2.errorcodes.SERIALIZATION_FAILURE,
}


def import_batch(
    items: list[ImportItem], *, dry_run: bool = False, run: ImportRun | None = None
) -> list[ImportResult]:
    """Save `items` in one transaction; their results, in order. Any error undoes them all.

    A transcript whose source text was imported before — or comes earlier in `items` — is
    not saved again: its result says `duplicate` and points to the existing transcript.
    Nor is one whose words nearly all are an archived transcript's (`duplicates`), unless
    its item allows it: its result says `near_duplicate`. With `dry_run` everything is written and then rolled back, so the counts are the real
    ones. The items are recorded in `run` in the same transaction: the run's record lists
    every file saved, whatever stops the import afterwards.
    """
    if not items:
        return []
    attempts_left = ATTEMPTS
    while True:
        try:
            results = _save_atomically(items, dry_run, run)
            break
        except (IntegrityError, OperationalError) as error:
            attempts_left -= 1
            if not attempts_left or not _read_again(error):
                raise
    if not dry_run:  # saved: now link the language versions it completes (statements/versions.py)
        versions.link_imported([result.transcript for result in results])
    return results


def _read_again(error: DatabaseError) -> bool:
    """Whether `error` came from another session, so that reading again gets past it.

    A unique key violated: another session committed, between our reads and our writes, a
    row we were about to write too (the same text, a new speaker, an alias, a slug); it has
    committed by the time we hear of it (PostgreSQL makes us wait), so reading again sees
    it. A deadlock, which PostgreSQL broke by failing us (the batch's writes are in a fixed
    order, which makes one unlikely)."""
    return getattr(error.__cause__, "pgcode", None) in RETRYABLE_ERRORS


def import_each(
    items: list[ImportItem], *, dry_run: bool = False, run: ImportRun | None = None
) -> list[ImportResult | Exception]:
    """Save `items` in as few batches as can be (`import_batch`), and those of a batch that
    fails each alone, so that only the bad ones fail and the others are saved. Per item, in
    order: its result, or the exception that stopped it. Those saved are recorded in `run`.

    Raises DatabaseUnavailable, and saves no more, when the database stops answering or
    runs out of room: every other file would fail the same way.

    Items that bring speakers new to the archive are saved first, a few at a time. Another
    session that meets the same new speaker must wait until the transaction creating it
    ends (see `Cast.save`): a short transaction keeps that wait short. (A dry run writes
    nothing for others to wait for: its items stay together.)
    """
    outcomes: list[ImportResult | Exception | None] = [None] * len(items)
    try:
        for group in [list(range(len(items)))] if dry_run else _by_new_speakers(items):
            saved = _import_or_each_alone([items[index] for index in group], dry_run, run)
            for index, outcome in zip(group, saved, strict=True):
                outcomes[index] = outcome
    except Exception as error:  # from any query: reading the speakers, saving a group
        cause = unavailable(error)
        if not cause:
            raise
        saved = getattr(error, "saved", 0) + _created(outcomes)
        raise DatabaseUnavailable(cause, saved) from error
    return outcomes


def _created(outcomes) -> int:
    return sum(1 for each in outcomes if isinstance(each, ImportResult) and each.created)


# Items with new speakers per transaction (see `import_each`).
NEW_SPEAKERS_BATCH = 4


def _by_new_speakers(items: list[ImportItem]) -> list[list[int]]:
    """Positions in `items`: of those with speakers new to the archive, NEW_SPEAKERS_BATCH
    at a time, then of all the others together."""
    cast = Cast(person for item in items for person in _speaking(item.parsed))
    bringing = [
        index
        for index, item in enumerate(items)
        if any(cast.known(person) is None for person in _speaking(item.parsed))
    ]
    others = sorted(set(range(len(items))) - set(bringing))
    groups = [
        bringing[start : start + NEW_SPEAKERS_BATCH]
        for start in range(0, len(bringing), NEW_SPEAKERS_BATCH)
    ]
    return [*groups, others] if others else groups


def _import_or_each_alone(
    items: list[ImportItem], dry_run: bool, run: ImportRun | None
) -> list[ImportResult | Exception]:
    try:
        return import_batch(items, dry_run=dry_run, run=run)
    except Exception as error:  # whatever it was, trying each item alone says whose it was
        _stop_if_unavailable(error)
        if len(items) == 1:
            return [error]
    outcomes: list[ImportResult | Exception] = []
    for item in items:
        try:
            outcomes += import_batch([item], dry_run=dry_run, run=run)
        except DatabaseUnavailable as stop:
            raise stop.plus(_created(outcomes)) from stop.__cause__
        except Exception as error:  # reported for this item; the others go on
            _stop_if_unavailable(error)
            outcomes.append(error)
    return outcomes


class DatabaseUnavailable(Exception):
    """The database stopped answering, or has no room left: the import cannot go on. Its
    message is one line naming the cause; `saved` counts the files saved by the call that
    raised it before it stopped (their results never reached the caller)."""

    def __init__(self, cause: str, saved: int = 0):
        super().__init__(cause, saved)  # both in args, so that it crosses process pools
        self.cause, self.saved = cause, saved

    def __str__(self) -> str:
        return self.cause

    def plus(self, saved: int) -> "DatabaseUnavailable":
        return DatabaseUnavailable(self.cause, self.saved + saved)


# SQLSTATE classes that are the server's state, not a file's: connection exceptions,
# insufficient resources (disk full, out of memory), operator intervention (shut down),
# system errors (I/O).
UNAVAILABLE_CLASSES = {"08", "53", "57", "58"}


def unavailable(error: BaseException) -> str:
    """Why `error` means the database cannot go on with an import (one line), or ""."""
    if isinstance(error, DatabaseUnavailable):
        return str(error)
    failure = _connection_failure(error)
    if failure is None:
        return ""
    code = getattr(failure, "pgcode", None) or getattr(failure.__cause__, "pgcode", None)
    if code is not None and code[:2] not in UNAVAILABLE_CLASSES:
        return ""  # a query the server refused while it runs: that file's, not the server's
    detail = (str(failure).strip().splitlines() or [type(failure).__name__])[0]
    if code == psycopg2.errorcodes.DISK_FULL:
        return f"the database's disk is full ({detail})"
    if code is None or code[:2] in {"08", "57"}:
        return f"the database is unavailable ({detail})"
    return f"the database cannot go on ({detail})"


CONNECTION_FAILURES = (
    OperationalError,
    InterfaceError,
    psycopg2.OperationalError,
    psycopg2.InterfaceError,
)


def _connection_failure(error: BaseException | None) -> BaseException | None:
    """The operational error in `error` or what caused it: psycopg2 can raise, say, a
    SystemError when the server goes away in the middle of a COPY."""
    for _ in range(3):
        if error is None or isinstance(error, CONNECTION_FAILURES):
            return error
        error = error.__cause__ or error.__context__
    return None


def _stop_if_unavailable(error: Exception) -> None:
    cause = unavailable(error)
    if cause:
        raise DatabaseUnavailable(cause) from error


def reparse(transcript: Transcript, parsed: ParsedTranscript) -> ImportResult:
    """Make `parsed` — `transcript`'s source parsed again after the parser improved — its
    statements. Every stored statement whose words survive keeps its id
    (`editing.replace_statements`), with its topics. The transcript keeps its slug, title,
    kind, language and source; a date or place it lacks is taken from the parse."""
    with transaction.atomic():
        result = ImportResult(transcript, warnings=list(parsed.warnings))
        cast = Cast(_speaking(parsed))
        speakers = cast.attribute(parsed, result)
        cast.save()
        transcript.date = transcript.date or parsed.date
        transcript.place = transcript.place or parsed.place
        transcript.tags = parsed.tags
        transcript.other_languages = ",".join(parsed.other_languages)
        transcript.parse_warnings = parsed.warnings
        transcript.save()
        statements, replies = _statement_objects(transcript, parsed, speakers)
        editing.replace_statements(transcript, statements, replies)
        result.statement_count = len(parsed.statements)
    versions.realign(transcript)
    return result


def _statement_objects(
    transcript: Transcript, parsed: ParsedTranscript, speakers: dict[str, Speaker]
) -> tuple[list[Statement], dict[int, int]]:
    """`parsed`'s statements as unsaved rows, and {answer index: question index}."""
    roles = {}
    for person in parsed.speakers:
        roles.setdefault(person.name, person.role)  # as parsed.speaker_named finds them
    statements = [
        Statement(
            speaker=speakers.get(statement.speaker),
            speaker_label=statement.speaker_label,
            speaker_role=roles.get(statement.speaker, ""),
            note=statement.note,
            kind=statement.kind,
            questioner=statement.questioner,
            outlet=statement.outlet,
            date=transcript.date,
            language=transcript.language,
            text="\n\n".join(statement.paragraphs),
        )
        for statement in parsed.statements
    ]
    replies = {
        index: statement.reply_to
        for index, statement in enumerate(parsed.statements)
        if statement.reply_to is not None
    }
    return statements, replies


def existing_speakers(
    parsed: ParsedTranscript,
) -> list[tuple[ParsedSpeaker, Speaker | None, Speaker | None]]:
    """The people who speak in `parsed`, each with the archive's speaker an import would
    attribute them to (None where it would create a new one) and, for a new one, the known
    speaker they are likely to be (kept apart, and queued for review). Reads only."""
    people = _speaking(parsed)
    cast = Cast(people)
    found = []
    for person in people:
        known = cast.known(person)
        found.append((person, known, None if known else cast.likely_match(person)))
    return found


# --- a long import's database session ---------------------------------------------------

# Entries for the GIN indexes gather in their pending lists until this much, and are then
# merged into the index by whichever insert passes it. The default (4 MB, ~14,000
# statements) would merge many times during a long import, each merge holding up an
# insert; at 64 MB (~230,000 statements) a usual import merges once, at its end
# (`clean_search_index`), and searches meanwhile still read a pending list of bounded size.
BULK_PENDING_LIST_LIMIT = "64MB"


def tune_for_bulk_import() -> None:
    """Settings for this connection's session during a long import: the GIN pending lists
    may grow (see BULK_PENDING_LIST_LIMIT), and source texts are compressed with lz4 where
    the server has it (a transcript's ~25 kB of text costs ~0.7 ms to compress with
    PostgreSQL's default pglz, ~0.1 ms with lz4; reading either back is transparent)."""
    with connection.cursor() as cursor:
        cursor.execute("SET gin_pending_list_limit = %s", [BULK_PENDING_LIST_LIMIT])
        cursor.execute(
            "SELECT 'lz4' = ANY (enumvals) FROM pg_settings WHERE name = 'default_toast_compression'"
        )
        if cursor.fetchone()[0]:
            cursor.execute("SET default_toast_compression = lz4")


def clean_search_index() -> int:
    """Merge the pending entries of the statements' GIN indexes into the indexes, as a long
    import ends (a search reads the whole pending list, one entry at a time); returns how
    many pending-list pages were merged. The indexes are read from the catalog: whatever
    the migrations made."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT coalesce(sum(gin_clean_pending_list(index.indexrelid)), 0) "
            "FROM pg_index AS index JOIN pg_class AS class ON class.oid = index.indexrelid "
            "JOIN pg_am AS method ON method.oid = class.relam "
            "WHERE index.indrelid = %s::regclass AND method.amname = 'gin'",
            [Statement._meta.db_table],
        )
        return cursor.fetchone()[0]


# Statistics are refreshed when the rows grew or shrank by this share since they were last
# gathered (as autovacuum's default rule would, which a server with autovacuum off never runs).
STALE_STATISTICS = 0.1
GROWING_TABLES = tuple(model._meta.db_table for model in (Statement, StatementTopic, Transcript))


def refresh_statistics() -> list[str]:
    """ANALYZE the tables an import grows whose statistics are stale, as an import ends;
    returns those analyzed. Plans read row counts from the statistics: a table never
    analyzed, or analyzed at a tenth of its size, gets plans that scan it whole (the
    near-duplicate probes hashed every statement's digest: 20 s a batch)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT stat.relname FROM pg_stat_user_tables AS stat"
            " JOIN pg_class AS class ON class.oid = stat.relid"
            " WHERE stat.relname = ANY (%s)"
            # the live rows counted since against the rows the statistics saw (a named
            # columns' ANALYZE, as below, leaves n_mod_since_analyze as it was)
            " AND (class.reltuples < 0"
            "      OR abs(stat.n_live_tup - class.reltuples) > 50 + %s * class.reltuples)",
            [list(GROWING_TABLES), STALE_STATISTICS],
        )
        stale = sorted(row[0] for row in cursor.fetchall())
        for table in stale:  # names from our own constant
            cursor.execute(f"ANALYZE {table} {_analyzed_columns(table)}")
    return stale


def _analyzed_columns(table: str) -> str:
    """The statements' own columns, named: a whole-table ANALYZE also samples the
    expression index of their words' digests (statements/duplicates.py), computing it for
    30,000 statements — 3.5 s of the 3.8 s, for statistics no plan needs."""
    if table != Statement._meta.db_table:
        return ""
    columns = [field.column for field in Statement._meta.concrete_fields]
    return "(" + ", ".join(connection.ops.quote_name(column) for column in columns) + ")"


# --- saving a batch ---------------------------------------------------------------------


def _save_atomically(
    items: list[ImportItem], dry_run: bool, run: ImportRun | None
) -> list[ImportResult]:
    with transaction.atomic():
        results = _save_batch(items)
        if dry_run:
            for result in results:
                result.dry_run = not result.duplicate
            transaction.set_rollback(True)
        elif run is not None:
            # The last write, as the run's row is shared by the workers: its lock is held
            # only until the commit that follows.
            run.record_saved(
                [
                    (item.name, item.position, result)
                    for item, result in zip(items, results, strict=True)
                ]
            )
    return results


def _save_batch(items: list[ImportItem]) -> list[ImportResult]:
    results, new = _results(items)
    if not new:
        return results
    cast = Cast(person for _, parsed, _ in new for person in _speaking(parsed))
    attributed = [(t, parsed, cast.attribute(parsed, result)) for t, parsed, result in new]
    cast.save_new()
    transcripts = [transcript for transcript, _, _ in new]
    slugs = _unique_slugs(Transcript, [transcript.slug for transcript in transcripts])
    for transcript, slug in zip(transcripts, slugs, strict=True):
        transcript.slug = slug
    # Sorted, so that two sessions inserting the same texts wait for each other in the same
    # order instead of deadlocking.
    Transcript.objects.bulk_create(sorted(transcripts, key=lambda t: t.content_hash))
    _insert_statements(attributed)
    topics.tag_new_statements(Statement.objects.filter(transcript__in=transcripts))
    cast.save_learnt()
    return results


def _results(items: list[ImportItem]) -> tuple[list[ImportResult], list[tuple]]:
    """Each item's result, duplicates and near duplicates told (two queries, a third when
    there are candidates); and the new ones as (unsaved transcript, parse, result)."""
    digests = [content_hash(item.source_text) for item in items]
    by_digest = _transcripts_with(digests)
    near = _near_duplicates(
        [item for item, d in zip(items, digests, strict=True) if d not in by_digest]
    )
    results, new = [], []
    for item, digest in zip(items, digests, strict=True):
        warnings = list(item.parsed.warnings)
        if digest in by_digest:  # imported before, or earlier in this batch
            results.append(ImportResult(by_digest[digest], duplicate=True, warnings=warnings))
            continue
        if id(item) in near:
            found = near[id(item)]
            results.append(
                ImportResult(
                    found.transcript,
                    near_duplicate=True,
                    similarity=found.similarity,
                    warnings=warnings,
                )
            )
            continue
        transcript = by_digest[digest] = _transcript(item, digest, warnings)
        count = len(item.parsed.statements)
        results.append(ImportResult(transcript, statement_count=count, warnings=warnings))
        new.append((transcript, item.parsed, results[-1]))
    return results, new


def _near_duplicates(items: list[ImportItem]) -> dict[int, duplicates.NearDuplicate]:
    """The near duplicate in the archive of each of `items` that does not allow one, by
    the item's id()."""
    checked = [item for item in items if not item.allow_near_duplicate]
    found = duplicates.near_duplicates([item.parsed for item in checked])
    return {id(item): near for item, near in zip(checked, found, strict=True) if near}


def _transcripts_with(digests: list[str]) -> dict[str, Transcript]:
    """The archive's transcripts with these content hashes, by hash (without their text)."""
    found = Transcript.objects.filter(content_hash__in=set(digests)).defer("source_text")
    return {transcript.content_hash: transcript for transcript in found}


def _transcript(item: ImportItem, digest: str, warnings: list[str]) -> Transcript:
    """The unsaved row for `item`; its slug is the base the batch makes unique. A source
    address that is not http(s) is dropped, with a warning added to `warnings`."""
    parsed = item.parsed
    source_url = item.source_url or parsed.source_url
    if source_url and not is_http_url(source_url):
        warnings.append(f"source URL dropped: not an http(s) address ({source_url[:80]!r})")
        source_url = ""
    organisation, country = publishers.publisher(source_url)
    return Transcript(
        title=parsed.title,
        slug=_transcript_slug(parsed),
        publisher=organisation,
        country=country,
        date=parsed.date,
        time=parsed.time,
        place=parsed.place,
        kind=parsed.kind,
        language=parsed.language,
        source_url=source_url,
        source_format=parsed.source_format,
        source_text=item.source_text,
        content_hash=digest,
        other_languages=",".join(parsed.other_languages),
        tags=parsed.tags,
        parse_warnings=list(warnings),
    )


def _transcript_slug(parsed: ParsedTranscript) -> str:
    return transcript_slug(parsed.title, parsed.date)


def _unique_slugs(model, bases: list[str]) -> list[str]:
    """`slugs.unique_slug` for several new rows at once: for each base, the base or
    base-2, base-3… — the first neither in `model` nor given to an earlier one. One query."""
    if not bases:
        return []
    starting = reduce(or_, (Q(slug__startswith=base) for base in set(bases)))
    taken = set(model.objects.filter(starting).values_list("slug", flat=True))
    if model is Transcript:  # an old address keeps leading to its own transcript
        old = OldSlug.objects.of_live_transcripts().filter(starting)
        taken |= set(old.values_list("slug", flat=True))
    slugs = []
    for base in bases:
        slug, counter = base, 2
        while slug in taken:
            slug, counter = f"{base}-{counter}", counter + 1
        taken.add(slug)
        slugs.append(slug)
    return slugs


# --- speakers ---------------------------------------------------------------------------


class Cast:
    """The archive's speakers as a batch sees them: those known by the spellings of the
    batch's people (one query), and those the batch creates, kept until `save`.

    A person is the speaker known by any full-name spelling met before, or a new speaker;
    either way each of their full-name spellings becomes an alias. Lone surnames
    ("Lavrov") are never used to look a speaker up across transcripts: the parser resolved
    them within their transcript, where they are unambiguous.
    """

    def __init__(self, people):
        keys = {
            normalize(spelling) for person in people for spelling in _full_name_spellings(person)
        }
        self.by_key: dict[str, Speaker] = {}
        same: dict[int, Speaker] = {}  # one object per speaker, however many aliases
        for alias in SpeakerAlias.objects.filter(key__in=keys).select_related("speaker"):
            self.by_key[alias.key] = same.setdefault(alias.speaker_id, alias.speaker)
        self.new_speakers: list[Speaker] = []
        self.new_aliases: list[SpeakerAlias] = []  # of new speakers
        self.learnt_aliases: list[SpeakerAlias] = []  # of known speakers
        self.learnt_roles: dict[int, Speaker] = {}
        self.reviews: list[tuple[Speaker, int | None, str, float]] = []
        self._new_names: list[tuple[Name, Speaker]] = []
        self._directory: Directory | None = None

    def known(self, person: ParsedSpeaker) -> Speaker | None:
        """The speaker `person` is: known by one of their full-name spellings, or surely the
        same person across scripts and initials (С.В.Лавров = Sergey Lavrov)."""
        keys = [normalize(spelling) for spelling in _full_name_spellings(person)]
        found = next((self.by_key[key] for key in keys if key in self.by_key), None)
        return found or self._surely(person)

    def _surely(self, person: ParsedSpeaker) -> Speaker | None:
        names = [name for name in map(read_name, _full_name_spellings(person)) if name]
        for name in names:
            for known_name, speaker in self._new_names:  # created earlier in this batch
                if same_person(name, known_name):
                    return speaker
            found = self.directory.surely(name)
            if found:
                return self._speaker(found.pk)
        return None

    @property
    def directory(self) -> Directory:
        if self._directory is None:
            self._directory = directory()
        return self._directory

    def _speaker(self, pk: int) -> Speaker:
        """The one object for speaker `pk` (read once)."""
        for speaker in self.by_key.values():
            if speaker.pk == pk:
                return speaker
        speaker = Speaker.objects.get(pk=pk)
        self.by_key[f"#{pk}"] = speaker
        return speaker

    def attribute(self, parsed: ParsedTranscript, result: ImportResult) -> dict[str, Speaker]:
        """Name in `parsed` → its speaker; those created are listed in `result`."""
        attributed = {}
        outlets = _outlets(parsed)
        for person in _speaking(parsed):
            speaker = self.known(person)
            if speaker is None and is_outlet(person.name, outlets):
                continue  # "CNA Digital": an outlet's label, nobody's words
            turns = [s.kind for s in parsed.statements if s.speaker == person.name]
            attributed[person.name], created = self._speaker_for(person, speaker, turns)
            if created:
                result.new_speakers.append(person.name)
        return attributed

    def _speaker_for(
        self, person: ParsedSpeaker, speaker: Speaker | None, turns: list[str]
    ) -> tuple[Speaker, bool]:
        role = plausible_role(person.role)
        created = speaker is None
        if created:
            kind = inferred_kind(role, person.outlet, turns)
            speaker = Speaker(name=person.name, role=role, kind=kind)
            self.new_speakers.append(speaker)
            self._queue_review(person, speaker)
        elif role and not speaker.role:
            speaker.role = role
            if speaker.pk:
                self.learnt_roles[speaker.pk] = speaker
        for spelling in alias_spellings(_full_name_spellings(person)):
            key = normalize(spelling)
            if spelling.strip() and key not in self.by_key:
                self.by_key[key] = speaker
                alias = SpeakerAlias(speaker=speaker, name=spelling.strip(), key=key)
                (self.learnt_aliases if speaker.pk else self.new_aliases).append(alias)
        return speaker, created

    def _queue_review(self, person: ParsedSpeaker, speaker: Speaker) -> None:
        """Put a new speaker in the editors' review queue: beside the known speaker they
        are likely to be (Alexandar Vucic ~ Aleksandar Vucic), or as matching nobody."""
        name = read_name(person.name)
        if name is None:
            return
        self._new_names.append((name, speaker))
        likely = self.directory.likely(name)
        if likely:
            self.reviews.append((speaker, likely[0].pk, SpeakerReview.Reason.DUPLICATE, likely[1]))
        else:
            self.reviews.append((speaker, None, SpeakerReview.Reason.UNMATCHED, 0.0))

    def likely_match(self, person: ParsedSpeaker) -> Speaker | None:
        """The known speaker a new `person` likely is (for the import preview)."""
        name = read_name(person.name)
        likely = self.directory.likely(name) if name else None
        return self._speaker(likely[0].pk) if likely else None

    def save(self) -> None:
        self.save_new()
        self.save_learnt()

    def save_new(self) -> None:
        """Write the new speakers and their aliases, before the statements naming them. In a
        fixed order (slug, key), so that two sessions meeting the same new speaker wait for
        each other rather than deadlock; the second then fails on a unique key — the
        speaker's slug, or the alias of the name both looked up and did not find — and its
        batch is read again (`import_batch`): a speaker is never created twice."""
        bases = [ascii_slug(speaker.name) for speaker in self.new_speakers]
        for speaker, slug in zip(self.new_speakers, _unique_slugs(Speaker, bases), strict=True):
            speaker.slug = slug
        Speaker.objects.bulk_create(sorted(self.new_speakers, key=lambda s: s.slug))
        SpeakerAlias.objects.bulk_create(sorted(self.new_aliases, key=lambda a: a.key))
        SpeakerReview.objects.bulk_create(
            [
                SpeakerReview(speaker=speaker, candidate_id=candidate, reason=reason, score=score)
                for speaker, candidate, reason, score in self.reviews
            ],
            ignore_conflicts=True,
        )

    def save_learnt(self) -> None:
        """Write what was learnt about known speakers — new spellings, a role one lacked — as
        a batch's last writes. Another session about to write the same must wait until this
        transaction ends, and the later in it the writes, the shorter the wait (most files
        bring a spelling: "Ambassador of Russia Boris Mikhailov"). What another session
        wrote first is kept, as a one-by-one import would: the spelling's speaker, the
        role."""
        for speaker in sorted(self.learnt_roles.values(), key=lambda s: s.pk):
            Speaker.objects.filter(pk=speaker.pk, role="").update(role=speaker.role)
        learnt = sorted(self.learnt_aliases, key=lambda a: a.key)
        SpeakerAlias.objects.bulk_create(learnt, ignore_conflicts=True)


def _outlets(parsed: ParsedTranscript) -> set[str]:
    """The news outlets `parsed` names (its questioners')."""
    named = {statement.outlet for statement in parsed.statements}
    return {outlet for outlet in named | {person.outlet for person in parsed.speakers} if outlet}


def _speaking(parsed: ParsedTranscript) -> list[ParsedSpeaker]:
    """The people with at least one statement (a participant who never speaks gets no row)."""
    names = {statement.speaker for statement in parsed.statements if statement.speaker}
    people = [person for person in parsed.speakers if person.name in names]
    known = {person.name for person in people}
    people += [ParsedSpeaker(name) for name in sorted(names - known)]
    return people


def _full_name_spellings(person: ParsedSpeaker) -> list[str]:
    spellings = [person.name]
    for form in person.forms:
        _, name_part = split_role(form)
        if full_name(name_part or form):
            spellings += [form, name_part] if name_part and name_part != form else [form]
    return list(dict.fromkeys(spellings))


# --- statements -------------------------------------------------------------------------
# The statements are COPYed in, with ids taken from their sequence first. COPY is the
# cheapest way in for PostgreSQL, whose share of an import is the largest (search vectors,
# indexes), and for Python: against Django's multi-row INSERT (bulk_create), ~30 % less
# for PostgreSQL, 4 to 8 times less for Python. It fires the table's statement-level
# triggers as an INSERT does. (Transcripts, 40 rows a batch, gain nothing measurable by it.)

# Every column of statements_statement but the generated search_vector, in COPY's order.
STATEMENT_COLUMNS = (
    "id",
    "transcript_id",
    "position",
    "speaker_id",
    "speaker_label",
    "speaker_role",
    "note",
    "kind",
    "questioner",
    "outlet",
    "reply_to_id",
    "date",
    "language",
    "text",
)


def _insert_statements(
    transcripts: list[tuple[Transcript, ParsedTranscript, dict[str, Speaker]]],
) -> None:
    """Save the statements of the saved `transcripts`, answers linked to their questions."""
    ids = iter(_new_ids(Statement, sum(len(parsed.statements) for _, parsed, _ in transcripts)))
    rows = []
    for transcript, parsed, speakers in transcripts:
        rows += _statement_rows(
            transcript, parsed, speakers, [next(ids) for _ in parsed.statements]
        )
    _copy(Statement, STATEMENT_COLUMNS, rows)


def _new_ids(model, count: int) -> list[int]:
    """`count` new ids from `model`'s sequence, ascending (as inserts would get them)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [model._meta.db_table, model._meta.pk.column, count],
        )
        return sorted(id for (id,) in cursor.fetchall())


def _copy(model, columns: tuple[str, ...], rows: list[list[str]]) -> None:
    """COPY `rows` (fields in COPY's text format) into `model`'s table."""
    if not rows:
        return
    lines = io.StringIO("".join("\t".join(row) + "\n" for row in rows))
    # COPY bypasses Django's execute(): its errors (DataError, IntegrityError…) are wrapped
    # as execute() would, so that callers see Django's exceptions whichever query failed.
    with connection.cursor() as cursor, connection.wrap_database_errors:
        cursor.copy_expert(f"COPY {model._meta.db_table} ({', '.join(columns)}) FROM STDIN", lines)


def _statement_rows(
    transcript: Transcript, parsed: ParsedTranscript, speakers: dict[str, Speaker], ids: list[int]
) -> list[list[str]]:
    """The fields of `parsed`'s statements, with ids `ids`, in COPY's text format and the
    order of STATEMENT_COLUMNS."""
    roles = {}
    for person in parsed.speakers:
        roles.setdefault(person.name, person.role)  # as parsed.speaker_named finds them
    transcript_id, date = str(transcript.pk), _copy_value(transcript.date)
    language = _copy_text(transcript.language)
    rows = []
    for position, (statement, id) in enumerate(zip(parsed.statements, ids, strict=True), start=1):
        speaker = speakers.get(statement.speaker)
        reply_to = ids[statement.reply_to] if statement.reply_to is not None else None
        texts = (
            statement.speaker_label,
            roles.get(statement.speaker, ""),
            statement.note,
            statement.kind,
            statement.questioner,
            statement.outlet,
        )
        rows.append(
            [
                str(id),
                transcript_id,
                str(position),
                _copy_value(speaker.pk if speaker else None),
                *map(_copy_text, texts),
                _copy_value(reply_to),
                date,
                language,
                # statement.text, escaped paragraph by paragraph: most need no escapes.
                "\\n\\n".join(map(_copy_text, statement.paragraphs)),
            ]
        )
    return rows


def _copy_text(value: str) -> str:
    """`value` in COPY's text format: backslash, tab and line breaks escaped."""
    if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
        return (
            value.replace("\\", "\\\\")
            .replace("\t", "\\t")
            .replace("\n", "\\n")
            .replace("\r", "\\r")
        )
    return value  # the usual case, told by four quick scans


def _copy_value(value: int | date | None) -> str:
    """A number or a date in COPY's text format (ISO 8601); \\N for NULL."""
    return "\\N" if value is None else str(value)
