"""The search box's syntax, read into a small tree (plain Python: no database).

    Idlib AND (Turkey OR Russia)     brackets; AND, OR, NOT in any case
    Syria -Turkey, Syria NOT Turkey  exclusion
    "strategic partnership"          an exact phrase
    Syr*                             a prefix
    Syria Turkey                     words side by side must all be there (AND)

NOT binds tightest, then AND (also between words side by side), then OR, as in PostgreSQL's
own tsquery: `Syria Turkey OR Russia` is `(Syria AND Turkey) OR Russia`.

A query that cannot be read as typed is mended rather than refused — a lone operator is
left out, a missing closing bracket or quote is added, an unmatched one is left out — and
each mending is noted, so that the page can say how the query was read.
"""

import re
from dataclasses import dataclass

OPERATORS = {"AND", "OR", "NOT"}
_TOKEN = re.compile(r'\s*(?:(\()|(\))|"([^"]*)("?)|(-)(?=[^\s)])|([^\s()"]+))')


@dataclass(frozen=True)
class Term:
    text: str
    kind: str  # "word", "phrase" or "prefix"


@dataclass(frozen=True)
class Not:
    operand: object


@dataclass(frozen=True)
class AllOf:  # AND: every operand
    operands: tuple


@dataclass(frozen=True)
class AnyOf:  # OR: at least one operand
    operands: tuple


@dataclass(frozen=True)
class Reading:
    """The tree of a query (None: nothing to search for) and how it was mended."""

    tree: object
    notes: tuple[str, ...]


def read(text: str) -> Reading:
    """`text` as a tree of Term, Not, AllOf and AnyOf, with notes on what was mended."""
    parser = _Parser(_tokens(text))
    tree = parser.parse()
    return Reading(tree, tuple(dict.fromkeys(parser.notes)))


def terms(tree) -> list[Term]:
    """The tree's terms, in order."""
    if tree is None:
        return []
    if isinstance(tree, Term):
        return [tree]
    if isinstance(tree, Not):
        return terms(tree.operand)
    return [term for operand in tree.operands for term in terms(operand)]


def shown(tree) -> str:
    """The tree written back in the search box's syntax, every operator spelt out."""
    if tree is None:
        return ""
    if isinstance(tree, Term):
        if tree.kind == "phrase":
            return f'"{tree.text}"'
        return tree.text + ("*" if tree.kind == "prefix" else "")
    if isinstance(tree, Not):
        return "NOT " + _shown_operand(tree.operand)
    joiner = " AND " if isinstance(tree, AllOf) else " OR "
    return joiner.join(_shown_operand(operand) for operand in tree.operands)


def _shown_operand(node) -> str:
    return f"({shown(node)})" if isinstance(node, (AllOf, AnyOf)) else shown(node)


def _tokens(text: str) -> list[tuple[str, str]]:
    """(kind, value) pairs: "(", ")", "-", "operator", "phrase", "word", "prefix"; an
    unclosed quote is noted as the kind "phrase?"."""
    found = []
    for match in _TOKEN.finditer(text):
        opening, closing, phrase, quote_closed, minus, word = match.groups()
        if opening or closing:
            found.append((opening or closing, ""))
        elif phrase is not None:
            found.append(("phrase" if quote_closed else "phrase?", phrase.strip()))
        elif minus:
            found.append(("-", ""))
        elif not word.strip("-"):
            found.append(("lone", word))  # a dash standing alone excludes nothing
        elif word.upper() in OPERATORS:
            found.append(("operator", word.upper()))
        elif word.endswith("*"):
            found.append(("prefix", word.rstrip("*")))
        else:
            found.append(("word", word))
    return found


class _Parser:
    """Recursive descent over the tokens: or := and (OR and)*; and := unary (AND? unary)*;
    unary := (NOT | -) unary | ( or ) | term."""

    def __init__(self, tokens):
        self.tokens = tokens
        self.at = 0
        self.notes: list[str] = []

    def parse(self):
        parts = [self._or()]
        while self._peek() == ")":  # closes nothing: leave it out and read on
            self.notes.append("an unmatched closing bracket was left out")
            self.at += 1
            parts.append(self._or())
        return _joined(AllOf, parts)

    def _peek(self, offset: int = 0) -> str | None:
        at = self.at + offset
        if at >= len(self.tokens):
            return None
        kind, value = self.tokens[at]
        return value if kind == "operator" else kind

    def _ends_operand(self, offset: int = 0) -> bool:
        """Whether nothing an operator could apply to comes next."""
        return self._peek(offset) in (None, ")", "OR", "AND")

    def _or(self):
        parts = [self._and()]
        while self._peek() == "OR":
            if not parts[-1] or self._ends_operand(1):
                self.notes.append("OR with nothing on one side was left out")
            self.at += 1
            parts.append(self._and())
        return _joined(AnyOf, parts)

    def _and(self):
        parts = []
        while not self._ends_operand() or self._peek() == "AND":
            if self._peek() == "AND":
                if not parts or self._ends_operand(1):
                    self.notes.append("AND with nothing on one side was left out")
                self.at += 1
                continue
            parts.append(self._unary())
        return _joined(AllOf, parts)

    def _unary(self):
        kind = self._peek()
        if kind in ("NOT", "-"):
            self.at += 1
            if self._ends_operand():
                self.notes.append(
                    f"{'NOT' if kind == 'NOT' else '-'} with nothing after it was left out"
                )
                return None
            operand = self._unary()
            return Not(operand) if operand is not None else None
        if kind == "(":
            self.at += 1
            inside = self._or()
            if self._peek() == ")":
                self.at += 1
            else:
                self.notes.append("a missing closing bracket was added")
            return inside
        return self._term()

    def _term(self):
        kind, value = self.tokens[self.at]
        self.at += 1
        if kind == "lone":
            self.notes.append(f"a lone {value} was left out")
            return None
        if kind == "phrase?":
            self.notes.append("a missing closing quote was added")
            kind = "phrase"
        if not value:
            self.notes.append(f"an empty {'phrase' if kind == 'phrase' else 'prefix'} was left out")
            return None
        if kind == "phrase" and " " not in value:
            kind = "word"  # "Idlib" in quotes is the word Idlib
        return Term(value, kind)


def _joined(kind, parts):
    """AllOf or AnyOf of the parts that are left (one part: itself; none: None)."""
    parts = [part for part in parts if part is not None]
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else kind(tuple(parts))
