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
from statements.folding import fold
from statements.languages import CONFIGS, FALLBACK_CONFIG, SEARCH_CONFIGS, languages_of
from statements.models import Statement, TsQueryField
from statements.parsing.names import is_cyrillic
from statements.search import syntax, tsquery

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
    # How the query was read, when that differs from how it was typed (`syntax`'s
    # mendings and meaningful stop words left out, in `notes`); "" otherwise.
    shown: str = ""
    notes: tuple[str, ...] = ()

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
    """`text` in the search box's syntax (`syntax`: words, "exact phrase", AND, OR, NOT,
    -exclude, brackets, prefix*) as each configuration reads it. Each term's lexemes come
    from PostgreSQL (so stemming and stop words are each configuration's own); the tree's
    operators join them. A pure function of the text (remembered: two queries per text)."""
    read = syntax.read(text)
    leaves = _term_queries(syntax.terms(read.tree))
    built = {config: _built(read.tree, leaves[config]) for config in CONFIGS}
    canonical = _canonical([tsquery for tsquery in built.values() if tsquery])
    readings: dict[str, list[str]] = {}
    for config, tsquery_text in built.items():
        if tsquery_text:  # empty: only stop words or operators in this configuration
            readings.setdefault(canonical[tsquery_text], []).append(config)
    config = "russian" if is_cyrillic(text) else "english"
    kept = _pruned(read.tree, leaves[config])
    notes = read.notes + _dropped_notes(read.tree, leaves[config])
    return ParsedQuery(
        text,
        tuple(Reading(q, tuple(names)) for q, names in readings.items()),
        shown=syntax.shown(kept) if notes else "",
        notes=notes,
    )


def _term_queries(terms: list[syntax.Term]) -> dict[str, dict[syntax.Term, str]]:
    """Each term as each configuration reads it, as tsquery text ("" for stop words): a
    phrase (or word) through phraseto_tsquery, a prefix through to_tsquery's `:*`."""
    terms = list(dict.fromkeys(terms))
    found: dict[str, dict[syntax.Term, str]] = {config: {} for config in CONFIGS}
    if not terms:
        return found
    sources = [_source(term) for term in terms]
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT config, number, CASE WHEN prefix
                THEN to_tsquery(config::regconfig, source)
                ELSE phraseto_tsquery(config::regconfig, source) END::text
            FROM unnest(%s::text[]) AS configs (config)
            CROSS JOIN unnest(%s::text[], %s::bool[]) WITH ORDINALITY AS terms (source, prefix, number)
            """,
            [CONFIGS, sources, [t.kind == "prefix" for t in terms]],
        )
        for config, number, text in cursor.fetchall():
            found[config][terms[number - 1]] = text
    return found


def _source(term: syntax.Term) -> str:
    """What PostgreSQL is given for a term: folded as statements' texts are
    (statements.folding: "Erdoğan" reads as 'erdogan'), a prefix quoted for to_tsquery."""
    folded = fold(term.text)
    return tsquery.lexeme(folded) + ":*" if term.kind == "prefix" else folded


def _built(tree, leaves: dict[syntax.Term, str]) -> str:
    """The tree as tsquery text, each term as `leaves` has it ("" when nothing is left)."""
    if tree is None:
        return ""
    if isinstance(tree, syntax.Term):
        return leaves.get(tree, "")
    if isinstance(tree, syntax.Not):
        inner = _built(tree.operand, leaves)
        return f"!( {inner} )" if inner else ""
    operands = [part for part in (_built(node, leaves) for node in tree.operands) if part]
    joiner = " & " if isinstance(tree, syntax.AllOf) else " | "
    return (
        joiner.join(f"( {part} )" for part in operands) if len(operands) > 1 else "".join(operands)
    )


def _canonical(texts: list[str]) -> dict[str, str]:
    """Each tsquery text as PostgreSQL prints it (so that equal readings compare equal)."""
    if not texts:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT text::tsquery::text FROM unnest(%s::text[]) AS texts (text)", [texts]
        )
        return dict(zip(texts, (row[0] for row in cursor.fetchall()), strict=True))


def _pruned(tree, leaves: dict[syntax.Term, str]):
    """The tree without the terms that read as nothing (stop words)."""
    if tree is None or isinstance(tree, syntax.Term):
        return tree if tree is not None and leaves.get(tree) else None
    if isinstance(tree, syntax.Not):
        operand = _pruned(tree.operand, leaves)
        return syntax.Not(operand) if operand is not None else None
    operands = tuple(part for part in (_pruned(node, leaves) for node in tree.operands) if part)
    if len(operands) <= 1:
        return operands[0] if operands else None
    return type(tree)(operands)


def _dropped_notes(tree, leaves: dict[syntax.Term, str]) -> tuple[str, ...]:
    """Notes on stop words that change what the query means when left out: an
    alternative, an exclusion or a bracket that is nothing but stop words. (A stop word
    among other words — "the president" — is left out silently, as everywhere.)"""
    if _pruned(tree, leaves) is None:
        return ()  # nothing to search for at all: the page says so on its own
    notes = []
    for node in _meaningful_operands(tree):
        if _pruned(node, leaves) is None:
            notes.append(
                f"{syntax.shown(node)} is too common a word to search for and was left out"
            )
    return tuple(notes)


def _meaningful_operands(tree):
    """The nodes whose loss would change the query's sense: an alternative, an exclusion."""
    if isinstance(tree, syntax.Not):
        yield tree.operand
        yield from _meaningful_operands(tree.operand)
    elif isinstance(tree, (syntax.AllOf, syntax.AnyOf)):
        for node in tree.operands:
            if isinstance(tree, syntax.AnyOf):
                yield node
            yield from _meaningful_operands(node)


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
