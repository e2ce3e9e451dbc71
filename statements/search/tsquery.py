"""PostgreSQL's text form of a tsquery ('secur' & !'cooper'), read back as a small tree so
that the ranking strategies can see which words a match must contain."""

import re

_TOKEN = re.compile(r"\s*(?:'((?:[^']|'')*)'(:[*A-Da-d]+)?|(<\d+>|<->|[!&|()]))")


def lexeme(text: str) -> str:
    """A tsquery of this one lexeme, taken as it is (tsquery's input escapes)."""
    return "'" + text.replace("\\", "\\\\").replace("'", "''") + "'"


def parse(text: str):
    """The tsquery `text` as a tree: ("word", lexeme, flags), ("not", node), or
    (operator, [nodes]) for "|", "&" and phrases ("<->", "<2>", …)."""
    tokens = []
    position = 0
    while position < len(text.rstrip()):
        match = _TOKEN.match(text, position)
        if not match:
            raise ValueError(f"unexpected tsquery text at {position}: {text!r}")
        if match[1] is not None:
            word = re.sub(r"''|\\(.)", lambda m: m[1] or "'", match[1])
            tokens.append(("word", word, match[2] or ""))
        else:
            tokens.append(("operator", match[3], ""))
        position = match.end()
    tree, rest = _parse_or(tokens)
    if rest:
        raise ValueError(f"unexpected tsquery text: {text!r}")
    return tree


def _parse_or(tokens):
    node, tokens = _parse_and(tokens)
    operands = [node]
    while tokens and tokens[0][1] == "|":
        node, tokens = _parse_and(tokens[1:])
        operands.append(node)
    return (operands[0] if len(operands) == 1 else ("|", operands)), tokens


def _parse_and(tokens):
    node, tokens = _parse_not(tokens)
    while tokens and tokens[0][0] == "operator" and tokens[0][1] not in ("|", ")"):
        operator = tokens[0][1]
        right, tokens = _parse_not(tokens[1:])
        node = (operator, [node, right])
    return node, tokens


def _parse_not(tokens):
    kind, value, flags = tokens[0]
    if kind == "word":
        return ("word", value, flags), tokens[1:]
    if value == "!":
        node, rest = _parse_not(tokens[1:])
        return ("not", node), rest
    if value == "(":
        node, rest = _parse_or(tokens[1:])
        return node, rest[1:]  # the closing parenthesis
    raise ValueError(f"unexpected {value!r} in a tsquery")


def positive_lexemes(node) -> frozenset[str] | None:
    """Lexemes not under a negation; None if any of them carries a prefix or weight."""
    if node[0] == "word":
        return None if node[2] else frozenset([node[1]])
    if node[0] == "not":
        return frozenset()
    found = [positive_lexemes(child) for child in node[1]]
    return None if None in found else frozenset().union(*found)
