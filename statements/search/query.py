"""The query, as each text-search configuration reads it, and the statements it matches.

Each statement's `search_vector` is built with its own language's configuration
(`languages.SEARCH_CONFIGS`), so a query must be parsed with the same configuration to meet
it: "agreements" becomes 'agreement' for English rows and "договорённости" 'договорен' for
Russian rows. `parse_query` asks PostgreSQL once how each configuration reads the query
(configurations that read it alike share one `Reading`); `matching()` ORs one condition per
reading, restricted to its languages, each a constant tsquery the GIN index answers.
Ranking (`ts_rank`) and headlines use the same readings, chosen row by row.
"""

import functools
from dataclasses import dataclass
from functools import cached_property, reduce
from operator import or_

from django.db.models import BooleanField, Case, F, FloatField, Func, Q, QuerySet, Value, When
from django.db.models.functions import Cast

# The routed database's connection: a public search reads from a replica (archive/routers.py).
from archive.routers import read_connection as connection
from statements.languages import CONFIGS, FALLBACK_CONFIG, SEARCH_CONFIGS, languages_of
from statements.models import Statement, TsQueryField
from statements.search import tsquery

STEMMED_LANGUAGES = list(SEARCH_CONFIGS)


@dataclass(frozen=True)
class Reading:
    """The query as one or more text-search configurations parse it ("President" is
    'presid' in English, 'president' in the others), for the languages they index."""

    tsquery: str  # as PostgreSQL prints it: 'secur' | 'cooper'
    configs: tuple[str, ...]

    @property
    def everywhere(self) -> bool:
        """Whether every configuration reads the query so ("Idlib", a name, a number)."""
        return len(self.configs) == len(CONFIGS)

    def applies(self, config: str | None = None) -> Q:
        """The statements this reading is for (those of one of its configurations)."""
        if config is None and self.everywhere:
            return Q()  # every language: no condition (and none for PostgreSQL to re-check)
        conditions = []
        for name in (config,) if config else self.configs:
            if name == FALLBACK_CONFIG:
                conditions.append(~Q(language__in=STEMMED_LANGUAGES))
            else:
                conditions.append(Q(language__in=languages_of(name)))
        return reduce(or_, conditions)

    def applies_sql(self) -> tuple[str, list]:
        """applies() in SQL, for a table aliased `statement`."""
        conditions, params = [], []
        for name in self.configs:
            if name == FALLBACK_CONFIG:
                conditions.append("statement.language <> ALL (%s)")
                params.append(STEMMED_LANGUAGES)
            else:
                conditions.append("statement.language = ANY (%s)")
                params.append(languages_of(name))
        return f"({' OR '.join(conditions)})", params

    def condition(self, config: str | None = None) -> Q:
        return self.applies(config) & Q(Matches(self.tsquery))

    @cached_property
    def single_word(self) -> str | None:
        """The lexeme, when the reading is one lexeme and nothing else."""
        tree = tsquery.parse(self.tsquery)
        return tree[1] if tree[0] == "word" and not tree[2] else None

    @cached_property
    def disjunction(self) -> bool:
        """Whether the reading is plain words joined by OR ('secur' | 'cooper')."""
        tree = tsquery.parse(self.tsquery)
        words = tree[1] if tree[0] == "|" else [tree]
        return all(node[0] == "word" and not node[2] for node in words)

    @cached_property
    def words(self) -> frozenset[str] | None:
        """The lexemes a matching statement contains for sure, or None when the query has
        something the champion lists cannot stand for (a prefix or weight)."""
        return tsquery.positive_lexemes(tsquery.parse(self.tsquery))


@dataclass(frozen=True)
class ParsedQuery:
    text: str
    readings: tuple[Reading, ...]  # none when the query has no word that can be searched

    def condition(self) -> Q:
        if not self.readings:
            return Q(pk__in=[])
        return reduce(or_, (reading.condition() for reading in self.readings))

    def row_query(self) -> Case | Cast:
        """Each row's own reading of the query, for ranking and headlines."""
        if len(self.readings) == 1 and self.readings[0].everywhere:
            return as_tsquery(self.readings[0].tsquery)  # read alike in every language
        return Case(
            *[
                When(reading.applies(), then=as_tsquery(reading.tsquery))
                for reading in self.readings
            ],
            default=None,
            output_field=TsQueryField(),
        )

    def row_query_sql(self) -> tuple[str, list]:
        """row_query in SQL, for a table aliased `statement`."""
        if len(self.readings) == 1 and self.readings[0].everywhere:
            return "%s::tsquery", [self.readings[0].tsquery]
        cases, params = [], []
        for reading in self.readings:
            languages, languages_params = reading.applies_sql()
            cases.append(f"WHEN {languages} THEN %s::tsquery")
            params += [*languages_params, reading.tsquery]
        return f"CASE {' '.join(cases)} END", params

    def rank(self) -> Func:
        return Func(
            F("search_vector"), self.row_query(), function="ts_rank", output_field=FloatField()
        )


@functools.lru_cache(maxsize=4096)
def parse_query(text: str) -> ParsedQuery:
    """`text` in web-search syntax (words, "exact phrase", OR, -exclude) as each
    configuration reads it. A pure function of the text (remembered: one query per text)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT config, websearch_to_tsquery(config::regconfig, %s)::text "
            "FROM unnest(%s::text[]) WITH ORDINALITY AS configs (config, place) ORDER BY place",
            [text, CONFIGS],
        )
        readings: dict[str, list[str]] = {}
        for config, found in cursor.fetchall():
            if found:  # empty: only stop words or operators in this configuration
                readings.setdefault(found, []).append(config)
    return ParsedQuery(text, tuple(Reading(q, tuple(names)) for q, names in readings.items()))


class Matches(Func):
    """search_vector @@ a tsquery given in PostgreSQL's own text form."""

    template = "%(expressions)s"
    arg_joiner = " @@ "
    output_field = BooleanField()

    def __init__(self, text: str):
        super().__init__(F("search_vector"), as_tsquery(text))


def as_tsquery(text: str) -> Cast:
    return Cast(Value(text), TsQueryField())


def parsed(text: str | ParsedQuery) -> ParsedQuery:
    return parse_query(text) if isinstance(text, str) else text


def matching(text: str | ParsedQuery, statements: QuerySet | None = None) -> QuerySet:
    """Statements whose text matches the query `text`, each in its language."""
    statements = Statement.objects.all() if statements is None else statements
    return statements.filter(parsed(text).condition())
