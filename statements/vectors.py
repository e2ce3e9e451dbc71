"""pgvector, where the database has it: the extension, the HNSW index, and whether a
search can use them.

Vectors are stored as real[] (models.StatementEmbedding) in every PostgreSQL; where the
`vector` extension is available (the embedded pgserver ships it; Debian's PostgreSQL 15
has no package for it), an HNSW index over the expression `vector::vector(512)` finds the
nearest ones. Elsewhere hybrid search says vector search is unavailable and full-text
search works as before.
"""

from django.db import connections

from statements.embeddings import DIMENSIONS

INDEX = "statement_embedding_hnsw"
# The expression the index is built on; a query must order by the same expression.
VECTOR_SQL = f"(vector::vector({DIMENSIONS}))"

_available: dict[tuple[str, str], bool] = {}


def install(connection) -> bool:
    """Create the extension and the index where the server offers the extension; whether
    it did. Idempotent (the migration and `embed_statements` call it)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'vector'")
        if cursor.fetchone() is None:
            return False
        cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [INDEX])
        if cursor.fetchone()[0]:
            return True  # already there: a CREATE would fail in a transaction with writes
        cursor.execute("CREATE EXTENSION IF NOT EXISTS vector")
        cursor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON statements_statementembedding "
            f"USING hnsw ({VECTOR_SQL} vector_cosine_ops)"
        )
    _available.pop(_key(connection), None)
    return True


def available(alias: str = "default") -> bool:
    """Whether the database answering `alias` has the extension and the index (asked once
    per process and database)."""
    connection = connections[alias]
    key = _key(connection)
    if key not in _available:
        with connection.cursor() as cursor:
            cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [INDEX])
            _available[key] = cursor.fetchone()[0]
    return _available[key]


def _key(connection) -> tuple[str, str]:
    return connection.alias, connection.settings_dict["NAME"]


def literal(vector) -> str:
    """A vector as pgvector's text input: '[0.1,0.2,…]'."""
    return "[" + ",".join(f"{value:.6g}" for value in vector) + "]"
