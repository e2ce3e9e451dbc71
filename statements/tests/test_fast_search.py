"""The fast paths of search (champion lists, the estimation sample, bounded pages, the
timeout) against the straightforward exact queries, on the real corpus of fixtures/."""

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from statements import champions, search
from statements.importing import import_source
from statements.languages import CONFIGS
from statements.models import SAMPLE_EVERY, ChampionTerm
from statements.search import Search, counting, ranking
from statements.search import results as search_results
from statements.search import tsquery as tsquery_text
from statements.templatetags.archive import approximately

from .conftest import CORPUS, RUSSIAN, SEED

pytestmark = pytest.mark.django_db
# Small lists on a small corpus: words in at least MIN statements, DEPTH entries each.
MIN, DEPTH = 100, 200


@pytest.fixture(scope="module")
def corpus(django_db_setup, django_db_blocker):
    """Every transcript of fixtures/ imported once for this module, with champion lists;
    emptied again afterwards."""
    with django_db_blocker.unblock():
        # Ids from 1 whatever earlier tests used: which statements fall in the 1 % sample
        # (id divisible by 100) decides what counts as broad here.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('statements_statement', 'id'), 1, false)"
                " WHERE NOT EXISTS (SELECT FROM statements_statement)"
            )
        for path in sorted(CORPUS.rglob("*")):
            if path.suffix in {".html", ".md", ".json"} and path.stem != "README":
                import_source(path.read_bytes(), filename=path.name)
        import_source(SEED.read_bytes(), filename=SEED.name)
        import_source(RUSSIAN, filename="lavrov-ru.txt")
        champions.rebuild(min_statements=MIN, depth=DEPTH)
        # As `import_transcripts` ends (importing.refresh_statistics): plans read row
        # counts from the statistics, which earlier modules' rows left stale.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE statements_statement, statements_statementtopic")
        yield
        with connection.cursor() as cursor:
            cursor.execute(
                "TRUNCATE statements_champion, statements_championterm, statements_statementtopic,"
                " statements_topicremoval, statements_statement, statements_transcript_topics,"
                " statements_transcript_translations, statements_importrun_transcripts,"
                " statements_importrun, statements_transcript, statements_speakeralias,"
                " statements_speaker, statements_topic CASCADE"
            )
            cursor.execute("REFRESH MATERIALIZED VIEW statements_speakerstats")


def exact_ids(params: dict, start: int = 0, stop: int = search.PAGE_SIZE) -> list[int]:
    """The straightforward query: every match ranked (or sorted), then sliced."""
    return list(
        Search(QueryDict(_encode(params))).statements.values_list("id", flat=True)[start:stop]
    )


def fast(params: dict, page: int = 1):
    found = Search(QueryDict(_encode(params)))
    return found, found.results(str(page))


def _encode(params: dict) -> str:
    data = QueryDict(mutable=True)
    for key, value in params.items():
        data.setlist(key, value if isinstance(value, list) else [value])
    return data.urlencode()


def brute_force_best(term: ChampionTerm, depth: int) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT statement.id FROM statements_statement AS statement
            WHERE statement.search_vector @@ %s::tsquery
                AND {champions.STATEMENT_CONFIG} = %s::regconfig
            ORDER BY ts_rank(statement.search_vector, %s::tsquery) DESC,
                     statement.date DESC NULLS LAST, statement.id DESC
            LIMIT %s
            """,
            [term.query, term.config, term.query, depth],
        )
        return [row[0] for row in cursor.fetchall()]


def listed(term: ChampionTerm) -> list[int]:
    return list(
        term.champions.order_by("-rank", "-date", "-statement_id").values_list(
            "statement_id", flat=True
        )
    )


@pytest.fixture
def frequent(corpus) -> list[ChampionTerm]:
    """English words in more statements than a list keeps."""
    terms = ChampionTerm.objects.filter(config="english", statement_count__gt=DEPTH)
    return list(terms.order_by("-statement_count")[:25])


@pytest.fixture
def everything_broad(monkeypatch):
    """On this small corpus, every search counts as
    broad: estimated from the sample (even with none of its matches in the sample: which
    are depends on the ids the corpus got), ranked from the lists."""
    monkeypatch.setattr(counting, "EXACT_SAMPLE_LIMIT", -1)


# --- the lists ------------------------------------------------------------------------------


def assert_exact_list(term: ChampionTerm) -> None:
    """The list has at least DEPTH statements (or all the word's); the entries it answers
    for are the word's best, in order; none outside ranks above outside_rank."""
    term.refresh_from_db()
    entries = listed(term)
    assert len(entries) >= min(DEPTH, term.statement_count), term.lexeme
    ranks = dict(term.champions.values_list("statement_id", "rank"))
    answered = [
        pk
        for pk in entries
        if ranks[pk] > term.cutoff_rank
        or (term.cutoff_statement == 0 and ranks[pk] >= term.cutoff_rank)
    ]
    everything = brute_force_best(term, 1_000_000)
    assert answered == everything[: len(answered)], term.lexeme
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT max(ts_rank(statement.search_vector, %s::tsquery))
            FROM statements_statement AS statement
            WHERE statement.search_vector @@ %s::tsquery
                AND {champions.STATEMENT_CONFIG} = %s::regconfig AND NOT statement.id = ANY (%s)
            """,
            [term.query, term.query, term.config, entries],
        )
        best_outside = cursor.fetchone()[0]
    assert best_outside is None or best_outside <= term.outside_rank + 1e-9, term.lexeme


def test_each_list_holds_its_words_best_statements(frequent):
    assert len(frequent) == 25
    for term in frequent:
        assert_exact_list(term)
    rare = ChampionTerm.objects.filter(config="english", statement_count__lt=DEPTH).first()
    assert len(listed(rare)) == rare.statement_count  # a short list holds every statement


def test_a_frequent_word_has_a_list_in_every_configuration(corpus):
    configs = set(ChampionTerm.objects.filter(lexeme="presid").values_list("config", flat=True))
    assert configs == set(CONFIGS)
    russian = ChampionTerm.objects.get(lexeme="presid", config="russian")
    assert russian.champions.count() == russian.statement_count  # rare there, so complete


def test_new_edited_and_deleted_statements_keep_the_lists_exact(corpus, frequent):
    term = next(t for t in frequent if t.lexeme == "presid")
    text = "Question: " + " ".join(["The President said so."] * 80)
    result = import_source(
        f"1 March 202010:00\n\nRemarks by Foreign Minister Sergey Lavrov, Moscow, March 1, 2020\n\n"
        f"Opening words.\n\n{text}\n",
        filename="new.txt",
    )
    question = result.transcript.statements.get(kind="question")
    assert listed(term)[0] == question.pk == brute_force_best(term, 1)[0]

    question.text = "Nothing about that office now."
    question.save()
    assert question.pk not in listed(term)
    question.text = text
    question.save()
    assert listed(term)[0] == question.pk

    result.transcript.delete()
    assert question.pk not in listed(term)
    # The list lost its best entry and is still exactly the best of what remains.
    assert_exact_list(term)


def test_trim_cuts_lists_back_and_keeps_them_exact(corpus, frequent):
    for number in range(3):
        import_source(
            f"{number + 1} March 202010:00\n\nRemarks by Foreign Minister Sergey Lavrov, "
            f"Moscow, March {number + 1}, 2020\n\n" + "The President spoke. " * (80 + number),
            filename=f"grow-{number}.txt",
        )
    term = ChampionTerm.objects.get(lexeme="presid", config="english")
    before = len(listed(term))
    assert listed(term)[:3] == brute_force_best(term, 3)  # the trigger added them on top
    assert champions.trim(depth=DEPTH, longest=before - 1) >= 1
    assert DEPTH <= len(listed(term)) < before + 3
    assert_exact_list(term)


# --- ranking from the lists ------------------------------------------------------------------


@pytest.mark.parametrize(
    "params",
    [
        {"q": "president"},
        {"q": "Russia"},
        {"q": "security", "speaker": "vladimir-putin"},
        {"q": "president", "date_from": "2016-01-01", "date_to": "2018-12-31"},
        {"q": "cooperation", "kind": "answer"},
        {"q": "people", "language": "en", "transcript_kind": "press_conference"},
    ],
)
def test_a_one_word_search_reads_the_lists_and_gets_the_exact_page(corpus, params):
    _found, results = fast(params)
    assert results.ranking == "lists"
    assert [s.pk for s in results.statements] == exact_ids(params)
    _found, results = fast(params, page=2)
    if results.ranking == "lists":  # enough entries passed the filters for page 2 too
        assert [s.pk for s in results.statements] == exact_ids(params, 20, 40)


def test_pages_beyond_what_the_lists_hold_are_ranked_in_full(corpus):
    held = ChampionTerm.objects.get(lexeme="presid", config="english").champions.count()
    page = held // search.PAGE_SIZE + 2
    assert page * search.PAGE_SIZE <= search.matching("president").count()  # such a page exists
    _found, results = fast({"q": "president"}, page=page)
    assert results.number == page and results.ranking == "every match"
    start = (results.number - 1) * search.PAGE_SIZE
    assert [s.pk for s in results.statements] == exact_ids({"q": "president"}, start, start + 20)


def test_a_rare_word_is_ranked_in_full_and_counted_exactly(corpus):
    _found, results = fast({"q": "Idlib"})
    assert not results.estimated
    assert results.count == search.matching("Idlib").count()
    assert [s.pk for s in results.statements] == exact_ids({"q": "Idlib"})


@pytest.mark.parametrize(
    "params",
    [
        {"q": "security OR cooperation"},
        {"q": "Russia OR cooperation OR economy"},
        {"q": "president OR (Russia AND cooperation)"},
    ],
)
def test_a_broad_search_of_several_words_ranks_the_lists_of_its_words(
    client, corpus, everything_broad, params
):
    _found, results = fast(params)
    assert results.ranking in ("bounded", "candidates")
    page = client.get(reverse("search"), params).content.decode()
    said = "Its most relevant statements were found among the best for each of its words"
    assert (said in page) == (results.ranking == "candidates")  # only where not proven exact
    ids = [s.pk for s in results.statements]
    exact = exact_ids(params)
    if results.ranking == "bounded":  # proven: nothing outside the lists could rank higher
        assert ids == exact
    # Only true matches, best first; and nearly the same as ranking every match.
    ranked = exact_ids(params, 0, 10_000)
    assert set(ids) <= set(ranked)
    assert ids == sorted(ids, key=ranked.index)
    assert len(set(ids) & set(exact)) >= 0.8 * len(exact)


@pytest.mark.parametrize(
    "params",
    [
        {"q": "security OR cooperation"},
        {"q": "Russia OR cooperation OR economy"},
        {"q": "president OR minister", "language": "en"},
        {"q": "security OR Russia", "date_from": "2010-01-01"},
        {"q": "president OR Idlib"},  # Idlib: too rare for a list, its statements ranked
    ],
)
@pytest.mark.parametrize("page", [1, 3])
def test_an_or_ranks_only_the_entries_that_can_reach_the_page_and_gets_the_same_page(
    corpus, everything_broad, params, page
):
    found, results = fast(params, page)
    offset = (page - 1) * search.PAGE_SIZE
    counted = counting.count(found.matches)
    threshold = ranking._rank_disjunction(found.query, found.filtered, offset, search.PAGE_SIZE)
    every_candidate = ranking._rank_candidates(
        found.query, found.matches, counted, offset, search.PAGE_SIZE
    )
    assert threshold is not None and every_candidate is not None
    assert threshold == every_candidate  # the same page, proven exact or not alike
    assert [s.pk for s in results.statements] == threshold.ids
    if threshold.method == "bounded":
        assert threshold.ids == exact_ids(params, offset, offset + search.PAGE_SIZE)


def test_a_phrase_the_lists_cannot_answer_is_ranked_in_full(corpus, everything_broad):
    # The best statements for "president" and for "Russia" rarely say "President of
    # Russia": too few candidates survive, and every match is ranked instead.
    params = {"q": '"President of Russia"'}
    _found, results = fast(params)
    assert results.ranking == "every match"
    assert [s.pk for s in results.statements] == exact_ids(params)


def test_a_broad_prefix_is_ranked_in_full(corpus, everything_broad):
    params = {"q": "presid*"}  # no list stands for every word starting so
    _found, results = fast(params)
    assert results.ranking == "every match"
    assert [s.pk for s in results.statements] == exact_ids(params)


def test_date_orders_are_the_exact_ones(corpus, everything_broad):
    for sort in ("newest", "oldest"):
        params = {"q": "president", "sort": sort}
        assert [s.pk for s in fast(params)[1].statements] == exact_ids(params)


# --- counts, facets, pages ----------------------------------------------------------------


def test_broad_searches_are_counted_from_the_sample_and_say_so(client, corpus, everything_broad):
    _found, results = fast({"q": "president"})
    matches = search.matching("president")
    sampled = [pk for pk in matches.values_list("pk", flat=True) if pk % SAMPLE_EVERY == 0]
    assert results.estimated and results.count == len(sampled) * SAMPLE_EVERY
    # The top speaker facet (which speaker has sampled statements depends on the ids the
    # database handed out, so on the tests that ran before).
    facet = results.facets.speakers[0]
    by_speaker = matches.filter(speaker__slug=facet["slug"], pk__in=sampled).count()
    assert facet["count"] == by_speaker * SAMPLE_EVERY > 0
    page = client.get(reverse("search"), {"q": "president"}).content.decode()
    assert f"About {approximately(results.count)} statements" in page
    assert "estimated from a 1&nbsp;% sample" in page
    api = client.get(reverse("api_statements"), {"q": "president"}).json()
    assert api["estimated"] is True and api["count"] == results.count
    assert api["ranking"] == "lists"


def test_narrow_searches_are_counted_exactly(client, corpus):
    _found, results = fast({"q": "president", "speaker": "sergey-lavrov"})
    exact = search.matching("president").filter(speaker__slug="sergey-lavrov").count()
    assert not results.estimated and results.count == exact


def test_results_are_paged_no_deeper_than_max_results(client, corpus, monkeypatch):
    monkeypatch.setattr(search_results, "MAX_RESULTS", 40)
    total = search.matching("president").count()
    assert total > 40
    response = client.get(reverse("search"), {"q": "president", "page": "999"})
    results = response.context["results"]
    assert results.number == results.pages == 2
    assert not results.has_next
    assert "The first 40 results can be paged through" in response.content.decode()


@pytest.mark.parametrize(
    "params, page",
    [
        ({"q": '"United States"'}, 1),
        ({"q": '"United States"'}, 3),
        ({"q": '"United States"', "language": "en"}, 2),
        ({"q": "Idlib"}, 1),  # a rare word: no lists
    ],
)
def test_a_narrow_search_is_ranked_by_the_query_that_counts_it(corpus, params, page):
    with CaptureQueriesContext(connection) as queries:
        _found, results = fast(params, page)
    assert not results.estimated and results.ranking == "every match"
    assert results.number == page
    start = (page - 1) * search.PAGE_SIZE
    assert [s.pk for s in results.statements] == exact_ids(params, start, start + search.PAGE_SIZE)
    ranking_queries = [query for query in queries if "ts_rank(" in query["sql"]]
    assert len(ranking_queries) == 1 and "GROUPING SETS" in ranking_queries[0]["sql"]


def test_a_search_counted_from_the_sample_does_not_plan_a_ranked_count(
    corpus, everything_broad, monkeypatch
):
    asked = []
    monkeypatch.setattr(search.public, "ranks_every_match", lambda *args: asked.append(args))
    _found, results = fast({"q": "Idlib"})
    assert results.estimated and not asked  # the lists' terms are not looked up for it


def test_a_page_past_the_last_is_ranked_apart_from_the_count(corpus):
    _found, results = fast({"q": '"United States"'}, page=99)  # the last page is shown
    assert results.number == results.pages < 99
    start = (results.number - 1) * search.PAGE_SIZE
    assert [s.pk for s in results.statements] == exact_ids({"q": '"United States"'}, start, 1000)


def test_a_search_that_runs_out_of_time_says_so(client, corpus, monkeypatch, settings):
    settings.SEARCH_TIMEOUT_MS = 50
    original = search.tally

    def slow_tally(statements, *, sample, **options):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_sleep(0.2)")  # stopped by the statement timeout
        return original(statements, sample=sample, **options)

    monkeypatch.setattr(counting, "tally", slow_tally)
    page = client.get(reverse("search"), {"q": "president"})
    assert page.status_code == 503
    assert "This search took too long" in page.content.decode()
    api = client.get(reverse("api_statements"), {"q": "president"})
    assert api.status_code == 503 and "took too long" in api.json()["errors"][0]
    # The connection is usable again for the next request (with time enough for it: 50 ms
    # is not, for this search on a busy machine).
    monkeypatch.setattr(counting, "tally", original)
    settings.SEARCH_TIMEOUT_MS = 5000
    assert client.get(reverse("search"), {"q": "president"}).status_code == 200


# --- small pieces -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "tsquery, words",
    [
        ("'presid'", {"presid"}),
        ("'secur' | 'cooper'", {"secur", "cooper"}),
        ("'strateg' <-> 'partnership'", {"strateg", "partnership"}),
        ("'astana' & !'syria'", {"astana"}),
        ("!( 'a' <-> 'b' ) & 'c'", {"c"}),
        ("( 'a' | 'b' ) & 'c' <2> 'd'", {"a", "b", "c", "d"}),
        ("'it''s' & 'back\\\\slash'", {"it's", "back\\slash"}),
        ("'pres':*", None),
    ],
)
def test_the_words_a_match_must_contain(tsquery, words):
    found = tsquery_text.positive_lexemes(tsquery_text.parse(tsquery))
    assert found == (None if words is None else frozenset(words))


def test_approximate_counts_keep_two_figures():
    assert [approximately(n) for n in (7, 100, 1440, 296_400, 1_000_000)] == [
        "7",
        "100",
        "1,400",
        "300,000",
        "1,000,000",
    ]


def test_an_exact_count_that_would_take_too_long_gives_way_to_the_estimate(
    client, corpus, monkeypatch
):
    original = search.tally

    def slow_exact_tally(statements, *, sample, **options):
        if not sample:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_sleep(0.5)")  # past EXACT_TALLY_MS
        return original(statements, sample=sample, **options)

    monkeypatch.setattr(counting, "tally", slow_exact_tally)
    _, results = fast({"q": "Idlib"})
    assert results.estimated  # the sample's count, said to be one
    assert [s.pk for s in results.statements] == exact_ids({"q": "Idlib"})
    page = client.get(reverse("search"), {"q": "Idlib"}).content.decode()
    sampled = sum(
        pk % SAMPLE_EVERY == 0 for pk in search.matching("Idlib").values_list("pk", flat=True)
    )
    shown = f"About {sampled * SAMPLE_EVERY}" if sampled else f"Fewer than {SAMPLE_EVERY}"
    assert f"{shown} statements matching" in page


def test_speaker_lists_are_ordered_by_counts_refreshed_after_imports(client, corpus):
    from statements import speakers

    speakers.refresh_stats()
    listed = client.get(reverse("speaker_list")).context["page"].object_list
    counts = [speaker.statement_count for speaker in listed]
    assert counts == sorted(counts, reverse=True) and counts[0] > 0
    assert listed[0].statement_count == listed[0].statements.count()
