"""The one place that builds searches over statements: matching, ranking, highlighted
snippets, counts and facets. The search page, the API, the CSV export and the feeds all go
through this package; `Search` is its public face.

- `query`: the query as each text-search configuration reads it, and what it matches
  (`tsquery` reads PostgreSQL's text form of a tsquery back);
- `ranking`: the order of results, and the fastest way to a page of it (champion lists);
- `counting`: counts and facets, exact or estimated from the 1 % sample;
- `headlines`: highlighted snippets;
- `results`: one page, as templates and the API print it;
- `limits`: every public search's queries in one transaction under a statement timeout;
- `public`: `Search`, which puts them together for a form's data.

Staying fast at a million statements: see bench/RESULTS.md for the figures.
"""

from statements.search.counting import (
    EXACT_SAMPLE_LIMIT,
    EXACT_TALLY_MS,
    FACET_SIZE,
    Facets,
    Tally,
    count,
    tally,
)
from statements.search.headlines import highlight, snippets
from statements.search.limits import SearchTimeout, public_query_limits
from statements.search.public import SORTS, Search, result_rows
from statements.search.query import ParsedQuery, Reading, matching, parse_query
from statements.search.ranking import NEWEST, OLDEST, RELEVANCE, Ranked, ordered
from statements.search.results import MAX_RESULTS, PAGE_SIZE, Results, pages_for

__all__ = [
    "EXACT_SAMPLE_LIMIT",
    "EXACT_TALLY_MS",
    "FACET_SIZE",
    "MAX_RESULTS",
    "NEWEST",
    "OLDEST",
    "PAGE_SIZE",
    "RELEVANCE",
    "SORTS",
    "Facets",
    "ParsedQuery",
    "Ranked",
    "Reading",
    "Results",
    "Search",
    "SearchTimeout",
    "Tally",
    "count",
    "highlight",
    "matching",
    "ordered",
    "pages_for",
    "parse_query",
    "public_query_limits",
    "result_rows",
    "snippets",
    "tally",
]
