"""The API's contract: an OpenAPI 3.1 document of every endpoint for programs, built from
the same choices the filters use, so that it cannot drift from them. Served at
/api/openapi.json; `test_openapi.py` validates it and runs schemathesis against the API."""

from statements import paging
from statements.filters import MAX_QUERY_LENGTH
from statements.languages import LANGUAGES
from statements.models import StatementKind, TranscriptKind
from statements.search import SORTS

NULLABLE_STRING = {"type": ["string", "null"]}
ERRORS = {
    "description": "Bad parameters: one message each, naming the parameter.",
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Errors"}}},
}
TEXT_ERRORS = {
    "description": "Bad parameters: one message a line, as the API's `errors`.",
    "content": {"text/plain": {"schema": {"type": "string"}}},
}
TIMED_OUT = {
    "description": "The search ran out of time (SEARCH_TIMEOUT_MS); narrow it.",
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Errors"}}},
}
TEXT_TIMED_OUT = {
    "description": "The search ran out of time (SEARCH_TIMEOUT_MS); narrow it.",
    "content": {"text/plain": {"schema": {"type": "string"}}},
}
NOT_FOUND = {
    "description": "No such speaker, topic or file.",
    "content": {"text/html": {"schema": {"type": "string"}}},
}
ATOM = {
    "description": "An Atom feed, newest statements first.",
    "content": {"application/atom+xml": {"schema": {"type": "string"}}},
}


def _choices(choices) -> list[str]:
    return [value for value, _label in choices]


# The search form sends every field, the empty ones as "": an empty value is no filter.
EMPTY = {"type": "string", "const": ""}


def _or_empty(schema: dict) -> dict:
    return {"anyOf": [schema, EMPTY]}


def _query(name: str, description: str, schema: dict, **extra) -> dict:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema,
        **extra,
    }


def search_parameters() -> list[dict]:
    """The search page's parameters, which the API, the CSV and the search feed share."""
    slug = {"type": "string", "pattern": r"^[-a-zA-Z0-9_]+$"}
    return [
        _query(
            "q",
            'Words, "an exact phrase", OR between alternatives, -word to exclude.',
            {"type": "string", "maxLength": MAX_QUERY_LENGTH},
        ),
        _query(
            "speaker",
            "A speaker's slug (repeatable: any of them).",
            {"type": "array", "items": slug},
            style="form",
            explode=True,
        ),
        _query(
            "topic",
            "A topic's slug (repeatable: any of them).",
            {"type": "array", "items": slug},
            style="form",
            explode=True,
        ),
        _query(
            "date_from",
            "Statements on or after this day.",
            _or_empty({"type": "string", "format": "date"}),
        ),
        _query(
            "date_to",
            "Statements on or before this day.",
            _or_empty({"type": "string", "format": "date"}),
        ),
        _query(
            "kind",
            "The kind of statement.",
            {"type": "string", "enum": ["", *_choices(StatementKind.choices)]},
        ),
        _query(
            "transcript_kind",
            "The occasion.",
            {"type": "string", "enum": ["", *_choices(TranscriptKind.choices)]},
        ),
        _query(
            "language",
            "The statement's language.",
            {"type": "string", "enum": ["", *_choices(LANGUAGES)]},
        ),
        _query(
            "sort",
            "relevance (the default with words), newest (without) or oldest.",
            {"type": "string", "enum": ["", *SORTS]},
        ),
    ]


def paging_parameters() -> list[dict]:
    return [
        _query(
            "page_size",
            "Statements per page.",
            _or_empty(
                {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": paging.MAX_PAGE_SIZE,
                    "default": paging.DEFAULT_PAGE_SIZE,
                }
            ),
        ),
        _query(
            "cursor",
            "Where the page starts: take it from a `next` or `previous` link.",
            {"type": "string"},
        ),
    ]


def document(server_url: str = "/") -> dict:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Diplomatic Statements Archive API",
            "version": "1.0",
            "description": "Search the archive's statements and take them away: JSON pages "
            "through every match (cursor paging), CSV of every match, Atom feeds, and the "
            "whole archive as one file. Free to use; cite the original source and the "
            "statement's permalink.",
        },
        "servers": [{"url": server_url}],
        "paths": _paths(),
        "components": {"schemas": _schemas()},
    }


def _paths() -> dict:
    slug_path = {
        "name": "slug",
        "in": "path",
        "required": True,
        "schema": {"type": "string", "pattern": r"^[-a-zA-Z0-9_]+$"},
    }
    return {
        "/api/statements/": {
            "get": {
                "operationId": "searchStatements",
                "summary": "Statements matching a search, a page at a time",
                "description": "Follow `next` to the end to get every match exactly once, in "
                "order. Ranked by relevance on a server with search by meaning (`ranking` "
                '"hybrid"), the order is the search page\'s: first the statements the words '
                "and the meaning rank best (fused, at most 200, among them some found by "
                "meaning only, in any language the filters allow), then every other match by "
                "its words. The fused part is fixed while the archive's data is.",
                "parameters": search_parameters() + paging_parameters(),
                "responses": {
                    "200": {
                        "description": "A page of matches.",
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Page"}}
                        },
                    },
                    "400": ERRORS,
                    "503": TIMED_OUT,
                },
            }
        },
        "/search/export.csv": {
            "get": {
                "operationId": "exportStatements",
                "summary": "Every statement matching a search, as CSV",
                "parameters": search_parameters(),
                "responses": {
                    "200": {
                        "description": "UTF-8 CSV with a byte-order mark, every match in the search's order.",
                        "content": {"text/csv": {"schema": {"type": "string"}}},
                    },
                    "400": TEXT_ERRORS,
                    "503": TEXT_TIMED_OUT,
                },
            }
        },
        "/search/feed/": {
            "get": {
                "operationId": "searchFeed",
                "summary": "The newest statements matching a search, as Atom",
                "parameters": search_parameters(),
                "responses": {"200": ATOM, "400": TEXT_ERRORS, "503": TEXT_TIMED_OUT},
            }
        },
        "/feeds/latest/": {
            "get": {
                "operationId": "latestFeed",
                "summary": "The newest statements, as Atom",
                "responses": {"200": ATOM},
            }
        },
        "/speakers/{slug}/feed/": {
            "get": {
                "operationId": "speakerFeed",
                "summary": "A speaker's newest statements, as Atom",
                "parameters": [slug_path],
                "responses": {"200": ATOM, "404": NOT_FOUND},
            }
        },
        "/topics/{slug}/feed/": {
            "get": {
                "operationId": "topicFeed",
                "summary": "A topic's newest statements, as Atom",
                "parameters": [slug_path],
                "responses": {"200": ATOM, "404": NOT_FOUND},
            }
        },
        "/dumps/{name}": {
            "get": {
                "operationId": "downloadDump",
                "summary": "A bulk dump of the whole archive (JSON Lines, gzip); /dumps/ names the newest",
                "parameters": [
                    {
                        "name": "name",
                        "in": "path",
                        "required": True,
                        "schema": {
                            "type": "string",
                            "pattern": r"^archive-\d{8}T\d{6}Z\.jsonl\.gz$",
                        },
                    }
                ],
                "responses": {
                    "200": {
                        "description": "The dump.",
                        "content": {
                            "application/gzip": {
                                "schema": {"type": "string", "contentEncoding": "binary"}
                            }
                        },
                    },
                    "404": NOT_FOUND,
                },
            }
        },
        "/api/openapi.json": {
            "get": {
                "operationId": "openapi",
                "summary": "This document",
                "responses": {
                    "200": {
                        "description": "OpenAPI 3.1",
                        "content": {"application/json": {"schema": {"type": "object"}}},
                    }
                },
            }
        },
    }


def _schemas() -> dict:
    link = {
        "type": "object",
        "required": ["id", "url"],
        "properties": {"id": {"type": "integer"}, "url": {"type": "string", "format": "uri"}},
    }
    speaker = {
        "type": ["object", "null"],
        "required": ["name", "slug", "url"],
        "properties": {
            "name": {"type": "string"},
            "slug": {"type": "string"},
            "url": {"type": "string", "format": "uri"},
        },
    }
    facet = {
        "type": "object",
        "required": ["count"],
        "properties": {
            "slug": {"type": "string"},
            "name": {"type": "string"},
            "year": {"type": "integer"},
            "count": {"type": "integer"},
        },
    }
    return {
        "Errors": {
            "type": "object",
            "required": ["errors"],
            "properties": {"errors": {"type": "array", "items": {"type": "string"}, "minItems": 1}},
        },
        "Statement": {
            "type": "object",
            "required": [
                "id",
                "url",
                "position",
                "date",
                "kind",
                "speaker",
                "speaker_label",
                "speaker_role",
                "cited_as",
                "reply_to",
                "transcript",
                "language",
                "other_version",
                "topics",
                "text",
                "snippet",
            ],
            "properties": {
                "id": {"type": "integer", "description": "Permanent: the permalink's number."},
                "url": {"type": "string", "format": "uri", "description": "The permalink."},
                "position": {"type": "integer", "minimum": 1},
                "date": {"type": ["string", "null"], "format": "date"},
                "kind": {"type": "string", "enum": _choices(StatementKind.choices)},
                "speaker": speaker,
                "speaker_label": {"type": "string", "description": "As printed."},
                "speaker_role": {"type": "string"},
                "cited_as": {
                    **NULLABLE_STRING,
                    "description": "Who said it, as a citation names them (null: narrative).",
                },
                "questioner": {"type": "string"},
                "outlet": {"type": "string"},
                "reply_to": {
                    **link,
                    "type": ["object", "null"],
                    "description": "For an answer: the question it answers.",
                },
                "transcript": {
                    "type": "object",
                    "required": ["title", "url", "occasion", "date", "time", "place", "source_url"],
                    "properties": {
                        "title": {"type": "string"},
                        "url": {"type": "string", "format": "uri"},
                        "occasion": {"type": "string", "enum": _choices(TranscriptKind.choices)},
                        "date": {"type": ["string", "null"], "format": "date"},
                        "time": {"type": ["string", "null"]},
                        "place": {"type": "string"},
                        "source_url": {"type": ["string", "null"], "format": "uri"},
                    },
                },
                "language": {"type": "string", "description": "The statement's language."},
                "other_version": {
                    "type": ["object", "null"],
                    "description": "The same words in the transcript's other language version, "
                    "where the versions are aligned: the statement there, its language and "
                    "whether it is the original (else the translation).",
                    "required": ["id", "url", "language", "original"],
                    "properties": {
                        "id": {"type": "integer"},
                        "url": {"type": "string", "format": "uri"},
                        "language": {"type": "string"},
                        "original": {"type": "boolean"},
                    },
                },
                "topics": {"type": "array", "items": {"type": "string"}},
                "text": {
                    "type": "string",
                    "description": "Plain text, paragraphs separated by blank lines.",
                },
                "snippet": {
                    **NULLABLE_STRING,
                    "description": "HTML: the text escaped, the matches in <mark>; null without words.",
                },
            },
        },
        "Page": {
            "type": "object",
            "required": [
                "count",
                "estimated",
                "page_size",
                "next",
                "previous",
                "sort",
                "ranking",
                "results",
                "facets",
            ],
            "properties": {
                "count": {"type": "integer", "minimum": 0},
                "estimated": {
                    "type": "boolean",
                    "description": "Counted from a 1 % sample (a broad search); the facets too.",
                },
                "page_size": {"type": "integer"},
                "next": {"type": ["string", "null"], "format": "uri"},
                "previous": {"type": ["string", "null"], "format": "uri"},
                "sort": {"type": "string", "enum": list(SORTS)},
                "ranking": {
                    "type": "string",
                    "description": "How the page was ordered: lists, bounded, every match, "
                    "newest or oldest — or hybrid: search by words fused with search by meaning.",
                },
                "results": {"type": "array", "items": {"$ref": "#/components/schemas/Statement"}},
                "facets": {
                    "type": "object",
                    "properties": {
                        "speakers": {"type": "array", "items": facet},
                        "years": {"type": "array", "items": facet},
                        "topics": {"type": "array", "items": facet},
                    },
                },
            },
        },
    }
