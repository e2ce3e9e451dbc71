"""The one place that builds search querysets over statements.

Each statement's `search_vector` is built with its own language's configuration
(`languages.SEARCH_CONFIGS`), so a query must be parsed with the same configuration to
meet it: "agreements" becomes 'agreement' for English rows and "договорённости"
becomes 'договорен' for Russian rows. `matching()` therefore ORs one condition per
configuration, each restricted to that configuration's languages; every branch is a
constant tsquery, so PostgreSQL answers each from the GIN index.
"""

from functools import reduce
from operator import or_

from django.contrib.postgres.search import SearchQuery
from django.db.models import Q, QuerySet

from statements.languages import FALLBACK_CONFIG, SEARCH_CONFIGS
from statements.models import Statement


def web_query(text: str, config: str) -> SearchQuery:
    """`text` in web-search syntax (words, "exact phrase", OR, -exclude) for one config."""
    return SearchQuery(text, search_type="websearch", config=config)


def matching(text: str, statements: QuerySet | None = None) -> QuerySet:
    """Statements whose text matches the web-search query `text`, each in its language."""
    statements = Statement.objects.all() if statements is None else statements
    return statements.filter(_match_condition(text))


def _match_condition(text: str) -> Q:
    stemmed = set(SEARCH_CONFIGS)
    by_config: dict[str, list[str]] = {}
    for code, config in SEARCH_CONFIGS.items():
        by_config.setdefault(config, []).append(code)
    conditions = [
        Q(language__in=codes, search_vector=web_query(text, config))
        for config, codes in by_config.items()
    ]
    # Languages without a stemmer, including any added later, are matched word for word.
    conditions.append(~Q(language__in=stemmed) & Q(search_vector=web_query(text, FALLBACK_CONFIG)))
    return reduce(or_, conditions)
