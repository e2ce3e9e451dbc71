"""Champion lists made for words that became frequent, as an import ends
(champions.add_new_frequent_words, run by import_transcripts)."""

import pytest
from django.core.management import call_command
from django.db import connection

from statements import champions
from statements.importing import import_source
from statements.languages import CONFIGS
from statements.models import Champion, ChampionTerm, Statement

from .conftest import CORPUS

pytestmark = pytest.mark.django_db(transaction=True)  # rebuild() vacuums as it ends
# Small lists on a small corpus: words in at least MIN statements, DEPTH entries each.
MIN, DEPTH = 120, 40
KREMLIN, WHITE_HOUSE = CORPUS / "kremlin-en-news", CORPUS / "whitehouse-press-briefings"


def lists() -> dict[tuple[str, str], tuple]:
    """Every list by (config, lexeme): its cutoffs and entries."""
    entries: dict[int, list] = {}
    for champion in Champion.objects.order_by("term_id", "statement_id"):
        entries.setdefault(champion.term_id, []).append((champion.statement_id, champion.rank))
    return {
        (term.config, term.lexeme): (
            term.cutoff_rank,
            term.cutoff_statement,
            term.min_occurrences,
            term.outside_rank,
            term.statement_count,
            entries.get(term.id, []),
        )
        for term in ChampionTerm.objects.all()
    }


@pytest.fixture
def kremlin_with_lists():
    for path in sorted(KREMLIN.glob("*.html")):
        import_source(path.read_bytes(), filename=path.name)
    champions.rebuild(min_statements=MIN, depth=DEPTH)
    return lists()


def test_words_frequent_after_an_import_get_their_lists_at_its_end(kremlin_with_lists, monkeypatch):
    monkeypatch.setattr(champions, "MIN_STATEMENTS", MIN)
    monkeypatch.setattr(champions, "DEPTH", DEPTH)
    call_command("import_transcripts", str(WHITE_HOUSE), "--jobs", "1", verbosity=0)
    after_import = lists()
    new_words = {key[1] for key in after_import.keys() - kremlin_with_lists.keys()}
    assert len(new_words) >= 10
    champions.rebuild(min_statements=MIN, depth=DEPTH)
    rebuilt = lists()
    assert {key[1] for key in rebuilt.keys() - kremlin_with_lists.keys()} == new_words
    for key, made in after_import.items():
        if key[1] in new_words:
            assert made == rebuilt[key], key  # as a full rebuild makes them


def test_lists_made_on_two_connections_are_those_one_connection_makes(kremlin_with_lists):
    for path in sorted(WHITE_HOUSE.glob("*.md")):
        import_source(path.read_bytes(), filename=path.name)
    made = champions.add_new_frequent_words(min_statements=MIN, depth=DEPTH, connections=2)
    on_two = lists()
    new_words = {key[1] for key in on_two.keys() - kremlin_with_lists.keys()}
    assert made == len(new_words) >= 10
    terms = ChampionTerm.objects.filter(lexeme__in=new_words)
    assert len(set(terms.values_list("built_at", flat=True))) == 2  # two transactions
    terms.delete()
    assert champions.add_new_frequent_words(min_statements=MIN, depth=DEPTH) == made
    assert lists() == on_two


@pytest.mark.django_db(transaction=False)
def test_inside_a_transaction_the_lists_are_made_on_its_connection(monkeypatch):
    # Another connection would wait for this transaction's lock forever: fail instead.
    monkeypatch.setitem(connection.settings_dict["OPTIONS"], "options", "-c lock_timeout=5s")
    for path in sorted(KREMLIN.glob("*.html")):  # not committed: only this connection sees them
        import_source(path.read_bytes(), filename=path.name)
    made = champions.add_new_frequent_words(min_statements=MIN, depth=DEPTH, connections=2)
    assert made >= 10
    assert ChampionTerm.objects.count() == made * len(CONFIGS)
    assert Champion.objects.filter(term__lexeme="presid").count() >= DEPTH


def test_a_word_given_its_list_meanwhile_keeps_it(kremlin_with_lists):
    counts = {(config, lexeme): made[4] for (config, lexeme), made in kremlin_with_lists.items()}
    assert champions._add_words(["presid"], counts, DEPTH) == 0
    assert lists() == kremlin_with_lists


def test_words_are_shared_by_the_statements_each_share_reads():
    to_read = {"war": 10, "peace": 6, "treaty": 5, "summit": 1}
    assert champions._shares(to_read, 2) == [["summit", "war"], ["peace", "treaty"]]
    assert champions._shares(to_read, 8) == [["war"], ["peace"], ["treaty"], ["summit"]]


def test_lists_made_before_are_left_as_they_were(kremlin_with_lists):
    assert champions.add_new_frequent_words(min_statements=MIN, depth=DEPTH) == 0
    assert lists() == kremlin_with_lists


def test_a_word_still_below_the_threshold_gets_no_list(kremlin_with_lists):
    for path in sorted(WHITE_HOUSE.glob("*.md"))[:1]:
        import_source(path.read_bytes(), filename=path.name)
    added = champions.add_new_frequent_words(min_statements=MIN * 10, depth=DEPTH)
    assert added == 0 and lists().keys() == kremlin_with_lists.keys()


def test_deleted_statements_take_their_entries_and_only_theirs(kremlin_with_lists):
    listed = Champion.objects.values_list("statement_id", flat=True)
    transcript = Statement.objects.get(pk=listed.first()).transcript
    by_orm = set(transcript.statements.values_list("pk", flat=True))
    by_sql = set(listed.exclude(statement__in=by_orm).order_by("statement_id")[:5])
    before = Champion.objects.count()
    gone = Champion.objects.filter(statement__in=by_orm | by_sql).count()
    transcript.delete()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM statements_statement WHERE id = ANY (%s)", [list(by_sql)])
    assert gone > 0
    assert not Champion.objects.filter(statement__in=by_orm | by_sql).exists()
    assert Champion.objects.count() == before - gone


def test_a_term_deleted_takes_its_entries(kremlin_with_lists):
    term = ChampionTerm.objects.filter(champions__isnull=False).first()
    others = Champion.objects.exclude(term=term).count()
    term.delete()
    assert not Champion.objects.filter(term_id=term.pk).exists()
    assert Champion.objects.count() == others
