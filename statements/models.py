import re
from functools import lru_cache

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models
from django.db.models import Case, Exists, F, Func, OuterRef, Q, Value, When
from django.db.models.functions import Cast, Mod, Now
from django.db.models.lookups import Exact
from django.urls import get_script_prefix, reverse

from statements import parsing, validators
from statements.folding import fold_sql
from statements.languages import FALLBACK_CONFIG, LANGUAGES, SEARCH_CONFIGS
from statements.parsing.names import normalize
from statements.slugs import ascii_slug, unique_slug

# Addresses of an id or an ASCII slug, made without resolving the URL pattern each time.
PLAIN_ARGUMENT = re.compile(r"[A-Za-z0-9_-]+")


@lru_cache(maxsize=64)
def _url_pattern(name: str, prefix: str) -> str:
    return reverse(name, args=["0"]).replace("/0/", "/\0/")


def quick_reverse(name: str, argument) -> str:
    """reverse(name, args=[argument]) for an id or an ASCII slug, the pattern resolved once
    per script prefix (a 10,000-row CSV names four addresses a row: reverse() was a fifth
    of its time). Anything else goes through reverse() itself."""
    text = str(argument)
    if not PLAIN_ARGUMENT.fullmatch(text):
        return reverse(name, args=[argument])
    return _url_pattern(name, get_script_prefix()).replace("\0", text)


class RegConfigField(models.Field):
    """PostgreSQL's regconfig: the name of a text-search configuration."""

    def db_type(self, connection):
        return "regconfig"


@RegConfigField.register_lookup
class RegConfigExact(Exact):
    """config = 'english'::regconfig: regconfig has no = of its own, and PostgreSQL would
    read a bare 'english' as an oid."""

    def process_rhs(self, compiler, connection):
        sql, params = super().process_rhs(compiler, connection)
        return f"({sql})::regconfig", params


class TsQueryField(models.Field):
    """PostgreSQL's tsquery: a parsed text-search query ('secur' & 'cooper')."""

    def db_type(self, connection):
        return "tsquery"


# One statement in SAMPLE_EVERY — those whose id is a multiple of it — forms the sample from
# which broad searches estimate their counts and facets; small partial indexes cover it.
SAMPLE_EVERY = 100
IN_SAMPLE = Q(Exact(Mod("id", SAMPLE_EVERY), 0))
# The topic tags of the sample's statements.
TAG_IN_SAMPLE = Q(Exact(Mod("statement_id", SAMPLE_EVERY), 0))


def search_config_expression(language_field: str = "language") -> Case:
    """CASE language WHEN 'en' THEN 'english'::regconfig … ELSE 'simple'::regconfig END.

    Each branch is a constant regconfig, so the expression is immutable and may feed a
    stored generated column (a text→regconfig cast of a column would not be).
    """

    def config(name: str) -> Cast:
        return Cast(Value(name), RegConfigField())

    return Case(
        *[
            When(**{language_field: code}, then=config(name))
            for code, name in SEARCH_CONFIGS.items()
        ],
        default=config(FALLBACK_CONFIG),
        output_field=RegConfigField(),
    )


class Folded(Func):
    """A text column with its accents folded, as search reads it (statements.folding)."""

    output_field = models.TextField()

    def as_sql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        if params:
            raise ValueError("Folded takes a column, not a value")
        return fold_sql(sql), params


class TranscriptKind(models.TextChoices):
    PRESS_CONFERENCE = "press_conference", "Press conference"
    INTERVIEW = "interview", "Interview"
    BRIEFING = "briefing", "Briefing"
    SPEECH = "speech", "Speech"
    STATEMENT = "statement", "Statement"
    ARTICLE = "article", "Article"
    OTHER = "other", "Other"


class StatementKind(models.TextChoices):
    OPENING = parsing.OPENING, "Opening remarks"
    QUESTION = parsing.QUESTION, "Question"
    ANSWER = parsing.ANSWER, "Answer"
    REMARKS = parsing.REMARKS, "Remarks"
    NARRATIVE = parsing.NARRATIVE, "Narrative"


class SpeakerKind(models.TextChoices):
    """Who a speaker is in the archive: officials' words are what it keeps; the press and
    moderators ask and introduce."""

    OFFICIAL = "official", "Official"
    QUESTIONER = "questioner", "Journalist or questioner"
    MODERATOR = "moderator", "Moderator"
    OTHER = "other", "Other"


class SpeakerQuerySet(models.QuerySet):
    def by_alias(self, name: str) -> "Speaker | None":
        """The speaker known by `name` (any spelling met before), or None."""
        alias = SpeakerAlias.objects.filter(key=normalize(name)).select_related("speaker").first()
        return alias.speaker if alias else None


class Speaker(models.Model):
    name = models.CharField(max_length=200, help_text="Canonical name, e.g. “Sergey Lavrov”.")
    slug = models.SlugField(max_length=200, unique=True)
    role = models.CharField(max_length=300, blank=True, help_text="Latest known role.")
    country = models.CharField(max_length=100, blank=True, help_text="Country or organisation.")
    kind = models.CharField(
        max_length=20,
        choices=SpeakerKind.choices,
        default=SpeakerKind.OFFICIAL,
        db_default=SpeakerKind.OFFICIAL,  # rows COPYed in (bench/make_corpus.py) too
        help_text="Inferred on import (a journalist's turns are questions); editable.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SpeakerQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Speaker, ascii_slug(self.name))
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return quick_reverse("speaker_detail", self.slug)

    def add_alias(self, name: str) -> None:
        """Record another spelling of this speaker's name (a no-op if already known)."""
        if name.strip():
            SpeakerAlias.objects.get_or_create(
                key=normalize(name), defaults={"speaker": self, "name": name.strip()}
            )


class SpeakerStats(models.Model):
    """Each speaker's statements counted, for lists ordered by them: a materialized view
    (migration 0006), refreshed by `speakers.refresh_stats` after imports and merges —
    counting a million statements by speaker on every page view would take a second."""

    speaker = models.OneToOneField(
        Speaker, primary_key=True, on_delete=models.DO_NOTHING, related_name="stats"
    )
    statement_count = models.PositiveIntegerField()
    transcript_count = models.PositiveIntegerField()
    first = models.DateField(null=True)
    last = models.DateField(null=True)

    class Meta:
        managed = False
        db_table = "statements_speakerstats"

    def __str__(self):
        return f"{self.speaker_id}: {self.statement_count} statements"


class SpeakerAlias(models.Model):
    """A spelling of a speaker's name met in a transcript: "Lavrov", "С.В.Лавров", …"""

    speaker = models.ForeignKey(Speaker, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=300, help_text="As printed.")
    key = models.CharField(max_length=300, unique=True, help_text="Normalised for lookups.")

    class Meta:
        verbose_name_plural = "speaker aliases"

    def __str__(self):
        return self.name


class SpeakerReview(models.Model):
    """A speaker an import created, for an editor to look at: a possible duplicate of a
    known speaker (`candidate`, alike by `score`), or a label that matched nobody (with the
    nearest known speaker, if any). The decision is remembered: a pair found "different
    people" is never queued again."""

    class Reason(models.TextChoices):
        DUPLICATE = "duplicate", "Possible duplicate"
        UNMATCHED = "unmatched", "Matched nobody"

    class Decision(models.TextChoices):
        PENDING = "", "Pending"
        DIFFERENT = "different", "Different people"

    speaker = models.ForeignKey(Speaker, on_delete=models.CASCADE, related_name="reviews")
    candidate = models.ForeignKey(
        Speaker, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(max_length=20, choices=Reason.choices)
    score = models.FloatField(default=0, help_text="How alike the names are, 0 to 1.")
    decision = models.CharField(max_length=20, choices=Decision.choices, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["speaker", "candidate"], name="speakerreview_pair_unique"
            ),
        ]

    def __str__(self):
        return f"{self.speaker} ~ {self.candidate or 'nobody'}"


class Topic(models.Model):
    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)
    description = models.TextField(blank=True)
    query = models.CharField(
        max_length=500,
        blank=True,
        help_text='Web-search syntax, e.g. Syria OR Idlib OR "Astana format".',
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Topic, ascii_slug(self.name))
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return quick_reverse("topic_detail", self.slug)


class HttpURLField(models.URLField):
    """A URL column that holds only absolute http(s) addresses (`validators.validate_http_url`),
    with the form field that says so; the table's CHECK constraint backs it in the database."""

    default_validators = [validators.validate_http_url]

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": validators.HttpURLField, **kwargs})


SHORT_TITLE = 140
EXCERPT_WORDS = 60


class Transcript(models.Model):
    title = models.TextField()
    slug = models.SlugField(max_length=120, unique=True)
    date = models.DateField(null=True, blank=True)
    time = models.TimeField(null=True, blank=True)
    place = models.CharField(max_length=200, blank=True)
    kind = models.CharField(
        max_length=20, choices=TranscriptKind.choices, default=TranscriptKind.OTHER
    )
    language = models.CharField(max_length=8, choices=LANGUAGES, default="en")
    source_url = HttpURLField(max_length=500, blank=True)
    # Who published it and their country (publishers.publisher of the source's address).
    publisher = models.CharField(
        max_length=200, blank=True, db_default="", help_text="The publishing office."
    )
    country = models.CharField(
        max_length=100, blank=True, db_default="", help_text="The publisher's country."
    )
    source_format = models.CharField(max_length=10, default="text")
    source_text = models.TextField(help_text="The input exactly as imported, for re-parsing.")
    content_hash = models.CharField(max_length=64, unique=True)
    other_languages = models.CharField(
        max_length=50, blank=True, help_text="Languages the source says it also exists in."
    )
    tags = ArrayField(
        models.CharField(max_length=100),
        default=list,
        blank=True,
        help_text="The source's own subject tags (kremlin.ru's Topics and Geography).",
    )
    parse_warnings = ArrayField(
        models.TextField(),
        default=list,
        blank=True,
        help_text="What the parser could not settle (unresolved labels, missing date), for editors.",
    )
    translations = models.ManyToManyField("self", blank=True)
    topics = models.ManyToManyField(Topic, blank=True, related_name="transcripts")
    imported_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-date", "-id"]
        constraints = [
            # Whatever path a row takes (bulk inserts, updates), no other scheme is stored.
            models.CheckConstraint(
                condition=Q(source_url="") | Q(source_url__iregex=validators.HTTP_URL_PATTERN),
                name="transcript_source_url_http",
                violation_error_message="Enter an absolute http:// or https:// address.",
            ),
        ]
        indexes = [
            models.Index(fields=["-date", "-id"], name="transcript_latest"),
            models.Index(fields=["kind"], name="transcript_kind"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return quick_reverse("transcript_detail", self.slug)

    @property
    def short_title(self) -> str:
        """The title cut at a word to at most SHORT_TITLE characters, for lists."""
        if len(self.title) <= SHORT_TITLE:
            return self.title
        return self.title[: SHORT_TITLE - 1].rsplit(" ", 1)[0] + "…"


class Statement(models.Model):
    # No index of their own: the (transcript, position) constraint and the speaker's
    # newest-first index both start with these columns.
    transcript = models.ForeignKey(
        Transcript, on_delete=models.CASCADE, related_name="statements", db_index=False
    )
    position = models.PositiveIntegerField(help_text="1-based order within the transcript.")
    speaker = models.ForeignKey(
        Speaker,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="statements",
        db_index=False,
    )
    speaker_label = models.CharField(max_length=200, blank=True, help_text="As printed.")
    speaker_role = models.CharField(max_length=300, blank=True, help_text="Role at the time.")
    note = models.CharField(max_length=300, blank=True)
    kind = models.CharField(max_length=20, choices=StatementKind.choices)
    questioner = models.CharField(max_length=200, blank=True, help_text="Who asks, if known.")
    outlet = models.CharField(max_length=200, blank=True, help_text="The questioner's outlet.")
    reply_to = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="answers",
        help_text="For an answer: the question it answers.",
    )
    date = models.DateField(null=True, blank=True, help_text="The transcript's date.")
    language = models.CharField(max_length=8, choices=LANGUAGES, default="en")
    text = models.TextField(help_text="Paragraphs separated by blank lines.")
    search_vector = models.GeneratedField(
        expression=SearchVector(Folded("text"), config=search_config_expression()),
        output_field=SearchVectorField(),
        db_persist=True,
    )
    topics = models.ManyToManyField(
        Topic, blank=True, through="StatementTopic", related_name="statements"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["transcript", "position"], name="statement_position_unique"
            ),
        ]
        indexes = [
            GinIndex(fields=["search_vector"], name="statement_search_gin"),
            # Each in the exact order a listing sorts by (search.ordered), so that "newest
            # first" reads an index from its start and stops after a page.
            models.Index(
                F("date").desc(nulls_last=True),
                F("transcript").desc(),
                F("position"),
                name="statement_newest",
            ),
            models.Index(fields=["date", "transcript", "position"], name="statement_oldest"),
            models.Index(
                F("speaker"),
                F("date").desc(nulls_last=True),
                F("transcript").desc(),
                F("position"),
                name="statement_speaker_newest",
            ),
            # The estimation sample (IN_SAMPLE): its words, its speakers, its dates.
            GinIndex(fields=["search_vector"], condition=IN_SAMPLE, name="statement_sample_gin"),
            models.Index(
                fields=["speaker", "date"], condition=IN_SAMPLE, name="statement_sample_speaker"
            ),
            models.Index(fields=["date"], condition=IN_SAMPLE, name="statement_sample_date"),
            # For the filters' rare values (a language or kind with few statements), which a
            # walk of the newest-first index would look for through the whole table.
            models.Index(fields=["language"], name="statement_language"),
            models.Index(fields=["kind"], name="statement_kind"),
            # Near duplicates are found by the digest of a statement's words
            # (statements/duplicates.py; the function is made by migration 0016).
            models.Index(
                Func("text", function="statements_words_digest", output_field=models.TextField()),
                name="statement_words_digest",
            ),
        ]

    def __str__(self):
        return f"{self.speaker_label or self.get_kind_display()} ({self.position})"

    def get_absolute_url(self):
        """The statement's permanent address, the one to cite."""
        return quick_reverse("statement_detail", self.pk)

    @property
    def in_transcript_url(self) -> str:
        """The statement in its place in the whole transcript."""
        return f"{self.transcript.get_absolute_url()}#s{self.position}"

    @property
    def display_speaker(self) -> str:
        if self.speaker_id:
            return self.speaker.name
        return self.speaker_label or ""

    @property
    def excerpt(self) -> str:
        """The first EXCERPT_WORDS words, for lists without a query to highlight."""
        words = self.text.split(maxsplit=EXCERPT_WORDS)
        return " ".join(words[:EXCERPT_WORDS]) + (" …" if len(words) > EXCERPT_WORDS else "")

    @property
    def paragraphs(self) -> list[str]:
        return self.text.split("\n\n")


class ChampionTerm(models.Model):
    """A frequent word — a lexeme of one text-search configuration — whose best statements
    are kept in a list (`Champion`), so that a search for it finds its most relevant
    statements without ranking the hundreds of thousands that contain it.

    The list answers for every statement ranking above `cutoff_rank` (and at it, for a tier:
    `cutoff_statement` 0). A database trigger adds new and edited statements; see
    statements/champions.py for the rest.
    """

    config = RegConfigField()
    lexeme = models.TextField()
    query = TsQueryField(help_text="The lexeme as a tsquery, as ts_rank takes it.")
    statement_count = models.PositiveIntegerField(help_text="Statements with it, when built.")
    cutoff_rank = models.FloatField()
    cutoff_date = models.DateField(null=True)
    cutoff_statement = models.BigIntegerField()
    min_occurrences = models.PositiveSmallIntegerField(
        default=1,
        help_text="Times the cutoff statement has the lexeme: fewer ranks lower (the trigger's "
        "quick test).",
    )
    outside_rank = models.FloatField(
        default=0,
        help_text="The highest rank for the lexeme a statement outside the list can have.",
    )
    built_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["config", "lexeme"], name="champion_term_unique")
        ]

    def __str__(self):
        return f"{self.lexeme} ({self.config})"


class Champion(models.Model):
    """One of the best statements for a `ChampionTerm`, with its ranking key."""

    pk = models.CompositePrimaryKey("term_id", "statement_id")
    # Looked up by term through the primary key, which starts with it. No constraint in
    # the database: an import's new lists insert ~100,000 rows, each one checked (migration
    # 0021); entries are written only for terms that exist (champions.py, the insert trigger).
    term = models.ForeignKey(
        ChampionTerm,
        on_delete=models.CASCADE,
        related_name="champions",
        db_index=False,
        db_constraint=False,
    )
    # The database deletes these rows with their statement (a trigger over the deleted
    # rows, migration 0021), so that no deletion path in Python has to remember them.
    statement = models.ForeignKey(
        Statement, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    rank = models.FloatField()
    date = models.DateField(null=True)
    occurrences = models.PositiveSmallIntegerField(help_text="Times the statement has the lexeme.")

    class Meta:
        indexes = [
            # A list in relevance order (champions.RANKING_ORDER): a search reads its start.
            models.Index(
                F("term"),
                F("rank").desc(),
                F("date").desc(nulls_last=True),
                F("statement").desc(),
                name="champion_ranking",
            )
        ]

    def __str__(self):
        return f"{self.term}: statement {self.statement_id}"


class StatementTopic(models.Model):
    """A statement tagged with a topic, by the topic's query or by an editor."""

    class Source(models.TextChoices):
        QUERY = "query", "Topic query"
        EDITOR = "editor", "Editor"

    # Looked up by statement through the (statement, topic) constraint's index.
    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, db_index=False)
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.QUERY)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["statement", "topic"], name="statement_topic_unique"),
        ]
        indexes = [
            # The topics of the estimation sample's statements (models.IN_SAMPLE).
            models.Index(
                fields=["statement", "topic"],
                condition=TAG_IN_SAMPLE,
                name="statement_topic_sample",
            )
        ]

    def __str__(self):
        return f"{self.topic} ← statement {self.statement_id} ({self.source})"


class TopicRemoval(models.Model):
    """An editor took `topic` off `statement` by hand: the topic's query never tags it again.

    A row of its own rather than a flag on StatementTopic, so that `Statement.topics` keeps
    meaning exactly the topics a statement is published under.
    """

    statement = models.ForeignKey(
        Statement, on_delete=models.CASCADE, related_name="topic_removals"
    )
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="removals")
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    removed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["statement", "topic"], name="topic_removal_unique"),
        ]

    def __str__(self):
        return f"{self.topic} removed from statement {self.statement_id}"


class ImportRun(models.Model):
    """One import: an editor's upload in the admin, a run of the import_transcripts command
    or a re-parse — who, when, and what came of each file (`ImportRunFile`).

    A file saved is recorded in the transaction that saves it (`record_saved`, called by
    `importing.import_batch`), so that the record lists every saved file even when the
    import is killed or the database stops midway; a file that failed saved nothing and is
    recorded on its own (`record`)."""

    class Via(models.TextChoices):
        ADMIN = "admin", "Admin upload"
        COMMAND = "command", "import_transcripts command"
        REPARSE = "reparse", "Re-parse from source"

    class Outcome(models.TextChoices):
        IMPORTED = "imported", "Imported"
        DUPLICATE = "duplicate", "Duplicate, skipped"
        NEAR_DUPLICATE = "near_duplicate", "Near duplicate, skipped"
        FAILED = "failed", "Failed"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="import_runs",
        help_text="Empty for the command.",
    )
    via = models.CharField(max_length=10, choices=Via.choices)
    started_at = models.DateTimeField(auto_now_add=True)
    transcripts = models.ManyToManyField(Transcript, blank=True, related_name="import_runs")
    transcript_count = models.PositiveIntegerField(default=0)
    statement_count = models.PositiveIntegerField(default=0)
    new_speaker_count = models.PositiveIntegerField(default=0)
    duplicate_count = models.PositiveIntegerField(default=0)
    failure_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-started_at", "-id"]
        permissions = [("import_transcripts", "Can import and re-parse transcripts")]

    def __str__(self):
        return f"Import #{self.pk} ({self.get_via_display()}, {self.started_at:%Y-%m-%d %H:%M})"

    @property
    def files(self) -> list[dict]:
        """One {"name", "outcome", "transcript", "error"} per file in the order imported,
        with "statements" and "new_speakers" for those imported."""
        return [entry.as_dict() for entry in self.file_entries.order_by("position", "id")]

    def record(self, name: str, result=None, *, error: str = "", position: int = 0) -> None:
        """Add one file's outcome: an ImportResult, or the error that stopped it (`result`
        None)."""
        if result is None:
            entry = ImportRunFile(run=self, position=position, name=name, error=error)
            self._add([entry], failures=1)
        else:
            self.record_saved([(name, position, result)])

    def record_saved(self, outcomes) -> None:
        """Record (name, position, ImportResult) for files a batch saved or skipped, in the
        batch's transaction: a fixed number of queries. The counts are added in the
        database, as workers record into the same run at once."""
        entries, counts, linked = [], dict.fromkeys(COUNTS, 0), []
        for name, position, result in outcomes:
            entries.append(ImportRunFile.of(self, name, position, result))
            if result.created:
                counts["transcript_count"] += 1
                counts["statement_count"] += result.statement_count
                counts["new_speaker_count"] += len(result.new_speakers)
                linked.append(result.transcript.pk)
            elif result.duplicate or getattr(result, "near_duplicate", False):
                counts["duplicate_count"] += 1
        self._add(entries, linked=linked, **counts)

    def _add(self, entries, *, linked=(), failures=0, **counts) -> None:
        counts["failure_count"] = failures
        ImportRunFile.objects.bulk_create(entries)
        changed = {name: F(name) + count for name, count in counts.items() if count}
        if changed:
            ImportRun.objects.filter(pk=self.pk).update(**changed)
            for name, count in counts.items():
                setattr(self, name, getattr(self, name) + count)
        Through = ImportRun.transcripts.through
        Through.objects.bulk_create(
            [Through(importrun_id=self.pk, transcript_id=pk) for pk in linked]
        )


COUNTS = ["transcript_count", "statement_count", "new_speaker_count", "duplicate_count"]


class ImportRunFile(models.Model):
    """What became of one file of an import."""

    run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="file_entries")
    position = models.PositiveIntegerField(help_text="The file's place in the import.")
    name = models.TextField()
    outcome = models.CharField(
        max_length=20, choices=ImportRun.Outcome.choices, default=ImportRun.Outcome.FAILED
    )
    transcript = models.ForeignKey(
        Transcript,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The transcript saved, or the one it duplicates.",
    )
    statements = models.PositiveIntegerField(default=0)
    new_speakers = ArrayField(models.TextField(), default=list, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["run", "position"], name="import_run_file_order")]

    def __str__(self):
        return f"{self.name}: {self.outcome}"

    @classmethod
    def of(cls, run: ImportRun, name: str, position: int, result) -> "ImportRunFile":
        """The entry of a file saved, or skipped as a (near) duplicate, by `result`."""
        entry = cls(run=run, position=position, name=name, transcript=result.transcript)
        if result.created:
            entry.outcome = ImportRun.Outcome.IMPORTED
            entry.statements = result.statement_count
            entry.new_speakers = result.new_speakers
        elif getattr(result, "near_duplicate", False):
            entry.outcome = ImportRun.Outcome.NEAR_DUPLICATE
        else:
            entry.outcome = ImportRun.Outcome.DUPLICATE
        return entry

    def as_dict(self) -> dict:
        entry = {
            "name": self.name,
            "outcome": self.outcome,
            "transcript": self.transcript_id,
            "error": self.error,
        }
        if self.outcome == ImportRun.Outcome.IMPORTED:
            entry |= {"statements": self.statements, "new_speakers": self.new_speakers}
        return entry


class HeldUpload(models.Model):
    """An editor's upload between its preview and their Import or Cancel: the files' text and
    the form's overrides, kept in a row of its own — not in the session, which every admin
    page reads and writes whole — and bound to the editor (see `uploads.hold`)."""

    token = models.CharField(max_length=32, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    uploads = models.JSONField(help_text='One {"name", "text", "error"} per file.')
    overrides = models.JSONField()

    class Meta:
        indexes = [models.Index(fields=["user", "created_at"], name="held_upload_user")]

    def __str__(self):
        return f"Upload {self.token} of {self.user_id} ({self.created_at:%Y-%m-%d %H:%M})"


class Float4Field(models.FloatField):
    """PostgreSQL's real (float4): half the room of a float8, all a vector needs."""

    def db_type(self, connection):
        return "real"


class StatementEmbedding(models.Model):
    """A statement's multilingual sentence vector (statements/embeddings.py), made after
    the import by `embed_statements`, with the model that made it.

    Stored as real[] so that any PostgreSQL holds it; where the `vector` extension exists,
    an HNSW index over `vector::vector(512)` (migration 0019, `vectors.install`)
    finds the nearest ones (statements/search/hybrid.py)."""

    statement = models.OneToOneField(
        Statement, primary_key=True, on_delete=models.CASCADE, related_name="embedding"
    )
    model = models.CharField(max_length=100, help_text="Encoder and version.")
    vector = ArrayField(Float4Field())
    embedded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"statement {self.statement_id} ({self.model})"


class VersionLink(models.Model):
    """Two language versions of one transcript — `original` (the words as spoken) and
    `translation` — how they were linked, and their statements and paragraphs aligned
    (statements/versions.py). `Transcript.translations` holds the same pair, both ways."""

    class LinkedBy(models.TextChoices):
        SOURCE_URLS = "source_urls", "Source addresses of one document"
        SHAPE = "shape", "Declared languages, date, speakers and turns"
        EDITOR = "editor", "Editor"

    original = models.ForeignKey(
        Transcript, on_delete=models.CASCADE, related_name="links_as_original"
    )
    translation = models.ForeignKey(
        Transcript, on_delete=models.CASCADE, related_name="links_as_translation"
    )
    linked_by = models.CharField(max_length=20, choices=LinkedBy.choices)
    evidence = models.CharField(max_length=300, blank=True)
    model = models.CharField(max_length=100, blank=True, help_text="Encoder of the alignment.")
    alignment = models.JSONField(
        default=list,
        blank=True,
        help_text='Statement beads in order: {"original": [positions], "translation": '
        '[positions], "similarity", "confident", "paragraphs": [{"original": [[position, '
        'index]…], "translation": […], "similarity", "confident"}…]}.',
    )
    low_confidence = models.PositiveIntegerField(
        default=0, help_text="Beads (statements or paragraphs) an editor should check."
    )
    aligned_at = models.DateTimeField(null=True, blank=True)
    linked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["original", "translation"], name="version_link_unique"),
            models.CheckConstraint(
                condition=~Q(original=F("translation")), name="version_link_two_transcripts"
            ),
        ]

    def __str__(self):
        return f"{self.original} ↔ {self.translation}"


# --- the permanent record -----------------------------------------------------------------
# A citation link must keep answering. The rows below are written by database triggers
# (migration 0011) whenever a statement is deleted or a transcript loses a slug, so that no
# deletion path — the admin, a re-parse, a merge, a cascade from its transcript, the shell —
# has to remember them. Their links to the living rows are plain columns (no constraint):
# they outlive what they point to.


class RetiredStatement(models.Model):
    """A statement id once published that is no statement any more: its words went into
    `successor` (a merge, a re-parse that joined two turns), or were removed (no
    successor). The statement's page answers with a permanent redirect or 410 Gone."""

    id = models.BigIntegerField(primary_key=True, help_text="The statement's id.")
    transcript = models.ForeignKey(
        Transcript, null=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    successor = models.ForeignKey(
        Statement,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        help_text="The statement that now holds its words; itself perhaps retired since.",
    )
    retired_at = models.DateTimeField(db_default=Now())

    def __str__(self):
        return f"statement {self.id} (retired)"


class OldSlugQuerySet(models.QuerySet):
    def of_live_transcripts(self) -> "OldSlugQuerySet":
        """Old slugs of transcripts still in the archive: never to be given to another. (A
        deleted transcript's slug may be: it is then most likely the same transcript,
        imported again, and its old links work again.)"""
        return self.filter(Exists(Transcript.objects.filter(pk=OuterRef("transcript_id"))))


class OldSlug(models.Model):
    """A slug a transcript was published under and no longer has (renamed, or deleted):
    the address redirects to the transcript's page, or answers 410 Gone if it was deleted."""

    slug = models.SlugField(max_length=120, unique=True)
    transcript = models.ForeignKey(
        Transcript, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    retired_at = models.DateTimeField(db_default=Now())

    objects = OldSlugQuerySet.as_manager()

    def __str__(self):
        return f"{self.slug} → transcript {self.transcript_id}"


class Revision(models.Model):
    """One change to a transcript's statements after its import — who, when, why, and each
    statement's words before and after — shown on the transcript's public history page."""

    class Kind(models.TextChoices):
        EDIT = "edit", "Edited"
        REPARSE = "reparse", "Re-parsed from the source"
        SPLIT = "split", "Statement split"
        MERGE = "merge", "Statements merged"
        DELETE = "delete", "Statement deleted"

    transcript = models.ForeignKey(Transcript, on_delete=models.CASCADE, related_name="revisions")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(blank=True, help_text="Why, in the editor's words.")
    changes = models.JSONField(
        default=list,
        help_text='One {"statement", "change" (added, changed, removed), "position", "speaker", '
        '"before", "after", "successor"} per statement changed, in the transcript\'s order.',
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["transcript", "-created_at"], name="revision_latest")]

    def __str__(self):
        return f"{self.get_kind_display()}, {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def statement_count(self) -> int:
        return len(self.changes)

    @property
    def editor_name(self) -> str:
        """Who, as the public history names them: a full name if the account has one (a
        login name is never shown)."""
        return (self.user.get_full_name() if self.user else "") or "an editor"


# Alerts keep their model beside their service (statements/alerts/); imported here so that
# Django finds it.
from statements.alerts.models import Alert  # noqa: E402, F401
