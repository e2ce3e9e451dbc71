"""The public search, through Django's test client on real PostgreSQL."""

import re
from datetime import date

import pytest
from django.db.models import Q
from django.urls import reverse

from statements import search
from statements.models import Speaker, Statement, Transcript

pytestmark = pytest.mark.django_db


def results(response) -> list[int]:
    """Statement ids in the order the page lists them."""
    return [
        int(pk)
        for pk in re.findall(
            r'href="/statements/(\d+)/" aria-label="Permalink', response.content.decode()
        )
    ]


def get(client, **params):
    return client.get(reverse("search"), params)


def expected(queryset) -> set[int]:
    return set(queryset.values_list("pk", flat=True))


# --- query syntax and stemming -------------------------------------------------------------


def test_a_mended_query_says_how_it_was_read(client, archive):
    page = get(client, q="(Idlib OR Astana").content.decode()
    assert "Searching for: <strong" in page and ">Idlib OR Astana</strong>" in page
    assert "A missing closing bracket was added." in page


def test_a_query_read_as_typed_says_nothing_about_its_reading(client, archive):
    assert "Searching for:" not in get(client, q="Idlib AND (Turkey OR Astana)").content.decode()


def test_the_page_explains_the_query_syntax(client, archive):
    page = get(client, q="Idlib").content.decode()
    assert "How to search" in page
    for form in ("Syria OR Turkey", "Syria -Turkey", "Syr*", "Idlib AND (Turkey OR Russia)"):
        assert f"<code>{form}</code>" in page


def test_phrase_or_and_exclusion(client, archive):
    assert set(results(get(client, q='"Astana format"'))) == expected(
        search.matching('"Astana format"')
    )
    assert len(results(get(client, q='"Astana format"'))) == 1
    either = set(results(get(client, q="Idlib OR Kazakhstan")))
    assert either == expected(Statement.objects.filter(text__iregex=r"idlib|kazakhstan"))
    without = set(results(get(client, q="Astana -Jordan")))
    assert without == expected(
        Statement.objects.filter(text__icontains="astana").exclude(text__icontains="jordan")
    )


def test_stemming_in_both_languages(client, archive):
    agreement = seed_statement(3)
    assert agreement.pk in results(get(client, q="agreements"))
    russian = results(get(client, q="договорённость"))
    assert len(russian) == 2
    assert {Statement.objects.get(pk=pk).language for pk in russian} == {"ru"}


def seed_statement(position):
    return Statement.objects.get(
        transcript__title__startswith="Foreign Minister", position=position
    )


# --- filters, alone and with a query -----------------------------------------------------


def test_speaker_filter(client, archive):
    kirby = Speaker.objects.get(name="John Kirby")
    alone = set(results(get(client, speaker=kirby.slug)))
    assert alone and alone <= expected(kirby.statements.all())
    with_query = set(results(get(client, speaker=kirby.slug, q="Venezuela")))
    assert with_query == expected(search.matching("Venezuela").filter(speaker=kirby))


def test_several_speakers(client, archive):
    both = set(results(get(client, q="Idlib", speaker=["sergey-lavrov", "mallory-tester"])))
    assert both == expected(
        search.matching("Idlib").filter(speaker__slug__in=["sergey-lavrov", "mallory-tester"])
    )
    assert len(both) == 2


def test_topic_filter(client, archive):
    tagged = expected(Statement.objects.filter(topics=archive))
    assert set(results(get(client, topic="syria"))) == tagged
    assert set(results(get(client, topic="syria", q="Idlib"))) == tagged & expected(
        search.matching("Idlib")
    )


def test_topic_filter_takes_the_topics_of_whole_transcripts_too(client, archive):
    gaggle = Transcript.objects.get(title__contains="Kirby")
    gaggle.topics.add(archive)
    tagged = Statement.objects.filter(Q(topics=archive) | Q(transcript=gaggle)).distinct()
    newest = list(tagged.order_by(*search.NEWEST).values_list("pk", flat=True))
    assert len(newest) > search.PAGE_SIZE
    assert results(get(client, topic="syria", sort="newest")) == newest[: search.PAGE_SIZE]


def test_date_range_filter(client, archive):
    in_2019 = set(results(get(client, date_from="2019-01-01", date_to="2019-12-31")))
    assert in_2019 == expected(Statement.objects.filter(date__year=2019))
    assert set(results(get(client, q="Idlib", date_from="2020-01-01"))) == expected(
        search.matching("Idlib").filter(date__gte=date(2020, 1, 1))
    )


def test_kind_transcript_kind_and_language_filters(client, archive):
    questions = set(results(get(client, q="Idlib", kind="question")))
    assert questions == expected(search.matching("Idlib").filter(kind="question"))
    briefings = set(results(get(client, transcript_kind="briefing", q="Venezuela")))
    assert briefings == expected(search.matching("Venezuela").filter(transcript__kind="briefing"))
    russian = set(results(get(client, language="ru")))
    assert russian == expected(Statement.objects.filter(language="ru"))


# --- order, pages, facets -----------------------------------------------------------------


def test_sorting(client, archive):
    newest = [
        Statement.objects.get(pk=pk).date for pk in results(get(client, q="Idlib", sort="newest"))
    ]
    assert newest == sorted(newest, reverse=True) and len(set(newest)) > 1
    oldest = [
        Statement.objects.get(pk=pk).date for pk in results(get(client, q="Idlib", sort="oldest"))
    ]
    assert oldest == list(reversed(newest))
    ranked = results(get(client, q="Idlib"))
    assert seed_statement(5).pk == ranked[0]  # says Idlib four times


def test_facet_counts_equal_the_matching_statements_per_speaker(client, archive):
    response = get(client, q="Venezuela OR Idlib OR Astana")
    facets = response.context["results"].facets
    assert facets.speakers
    for facet in facets.speakers:
        assert (
            facet["count"]
            == search.matching("Venezuela OR Idlib OR Astana")
            .filter(speaker__slug=facet["slug"])
            .count()
        )
    page = response.content.decode()
    assert "?q=Venezuela+OR+Idlib+OR+Astana&amp;speaker=john-kirby" in page


def test_pagination(client, archive):
    first, second = get(client, sort="oldest"), get(client, sort="oldest", page=2)
    total = Statement.objects.count()
    assert len(results(first)) == search.PAGE_SIZE
    assert len(results(second)) == min(search.PAGE_SIZE, total - search.PAGE_SIZE)
    assert not set(results(first)) & set(results(second))
    assert f"Page 2 of {-(-total // search.PAGE_SIZE)}" in second.content.decode()


# --- safety and messages ------------------------------------------------------------------


def test_markup_in_a_statement_is_escaped_in_the_snippet(client, archive):
    page = get(client, q="Idlib").content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert "<mark>Idlib</mark> &lt;script&gt;" in page


@pytest.mark.parametrize(
    "query", ["", '"unclosed', "OR OR -", "&|!():*", "((", "'", "\\", "a" * 500]
)
def test_empty_and_malformed_queries_answer_200(client, archive, query):
    response = get(client, q=query)
    assert response.status_code == 200


def test_a_query_matching_nothing_says_so_and_offers_to_drop_filters(client, archive):
    page = get(client, q="zzyzx", speaker="sergey-lavrov").content.decode()
    assert "No statement matches “zzyzx” with these filters." in page
    assert 'href="/search/?q=zzyzx"' in page


def test_bad_filter_values_get_a_message_not_an_error(client, archive):
    response = get(client, q="Idlib", date_from="yesterday", speaker="nobody")
    assert response.status_code == 200
    page = response.content.decode()
    assert "From: Enter a valid date." in page
    assert "Speaker: Select a valid choice. nobody is not one of the available choices." in page


def test_too_long_query_is_refused_politely(client, archive):
    page = get(client, q="a" * 501).content.decode()
    assert "Words: Ensure this value has at most 500 characters" in page


@pytest.mark.parametrize("query", ["the", "-", "OR", "и", '""'])
def test_a_query_with_nothing_searchable_says_so(client, archive, query):
    response = get(client, q=query)
    assert response.status_code == 200
    assert "has no words that can be searched" in response.content.decode()


def test_a_normal_query_gets_no_such_message(client, archive):
    assert "has no words that can be searched" not in get(client, q="Idlib").content.decode()


# --- the page names its filters; officials and the press apart ------------------------------


def test_the_heading_names_the_filters_in_use(client, archive):
    page = get(client, q="Idlib", speaker="sergey-lavrov", date_from="2019-01-01")
    heading = page.context["search"].described_filters
    assert heading == ["by Sergey Lavrov", "from 2019-01-01"]
    assert "matching “Idlib” by Sergey Lavrov from 2019-01-01" in page.content.decode()


def test_a_chosen_speaker_is_shown_chosen_and_removable(client, archive):
    page = get(client, q="Idlib", speaker="sergey-lavrov").content.decode()
    assert 'class="facet--chosen" aria-current="true" href="?q=Idlib"' in page


def test_the_speaker_field_takes_a_name_as_typed(client, archive):
    by_name = results(get(client, q="Idlib", speaker="Lavrov"))
    by_slug = results(get(client, q="Idlib", speaker="sergey-lavrov"))
    assert by_name == by_slug and by_name


def test_questioners_have_their_own_facet(client, archive):
    lavrov = Speaker.objects.get(slug="sergey-lavrov")
    Speaker.objects.filter(pk=lavrov.pk).update(kind="questioner")
    facets = get(client, q="Idlib").context["results"].facets
    assert "sergey-lavrov" in [facet["slug"] for facet in facets.questioners]
    assert "sergey-lavrov" not in [facet["slug"] for facet in facets.speakers]


def test_statements_are_filtered_by_publisher_and_country(client, archive):
    Transcript.objects.filter(pk=archive_transcript_pk()).update(
        publisher="Ministry of Foreign Affairs of Russia", country="Russia"
    )
    russian = expected(Statement.objects.filter(transcript__country="Russia"))
    assert russian
    assert set(results(get(client, country="Russia"))) == russian
    published = get(client, organisation="Ministry of Foreign Affairs of Russia")
    assert set(results(published)) == russian
    assert "published by Ministry of Foreign Affairs of Russia" in published.content.decode()
    assert get(client, country="Atlantis").status_code == 200  # refused, said so, no 500


def archive_transcript_pk() -> int:
    return Transcript.objects.get(language="ru").pk
