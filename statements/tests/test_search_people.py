"""People in search (statements/search/people.py): a query that names a speaker — in
either script, misspelt, or by surname only — offers them, with the search limited to them."""

import pytest
from django.urls import reverse

from statements.models import Speaker
from statements.search.people import BY_NAME, BY_SPELLING, BY_SURNAME, suggest

pytestmark = pytest.mark.django_db


@pytest.fixture
def zakharova(db):
    speaker = Speaker.objects.create(name="Maria Zakharova")
    speaker.add_alias("Maria Zakharova")
    speaker.add_alias("М.В.Захарова")
    return speaker


def offered(query: str) -> list[tuple[str, str, str]]:
    return [(found.speaker.name, found.how, found.rest) for found in suggest(query)]


def test_a_full_name_offers_its_speaker(seed):
    assert offered("Sergey Lavrov") == [("Sergey Lavrov", BY_NAME, "")]


def test_a_misspelt_surname_offers_the_speaker(seed, zakharova):
    assert offered("Lavrof") == [("Sergey Lavrov", BY_SPELLING, "")]
    # Transliterations write х as kh or h: Zaharova is one spelling of her surname.
    assert offered("Zaharova") == [("Maria Zakharova", BY_SURNAME, "")]
    assert offered("Zakarova") == [("Maria Zakharova", BY_SPELLING, "")]


def test_a_cyrillic_surname_offers_the_speaker_known_in_latin(seed):
    assert offered("Лавров") == [("Sergey Lavrov", BY_SURNAME, "")]


def test_a_latin_name_offers_the_speaker_known_in_cyrillic(zakharova):
    assert offered("Zakharova briefing") == [("Maria Zakharova", BY_SURNAME, "briefing")]


def test_another_spelling_of_the_given_name_offers_the_speaker(seed):
    assert offered("Sergei Lavrov") == [("Sergey Lavrov", BY_SPELLING, "")]


def test_a_name_among_other_words_leaves_them_to_search_for(seed):
    assert offered("Lavrov Syria") == [("Sergey Lavrov", BY_SURNAME, "Syria")]
    assert offered('"Sergey Lavrov" Idlib') == [("Sergey Lavrov", BY_NAME, "Idlib")]


def test_words_that_name_nobody_offer_nobody(seed):
    assert offered("Idlib Syria negotiations") == []
    assert offered("Idlib -Lavrov") == []  # excluded, not sought


def test_the_search_page_offers_the_speaker_and_the_search_limited_to_them(client, seed):
    page = client.get(reverse("search"), {"q": "Lavrov Idlib"}).content.decode()
    assert 'href="/speakers/sergey-lavrov/"' in page
    assert 'href="/search/?q=Idlib&amp;speaker=sergey-lavrov"' in page
    assert "Idlib, by Sergey Lavrov" in page


def test_a_speaker_already_chosen_is_not_offered_again(client, seed):
    found = client.get(reverse("search"), {"q": "Lavrov Idlib", "speaker": "sergey-lavrov"})
    assert found.context["search"].people == []


def test_the_api_offers_the_speaker(client, seed):
    data = client.get(reverse("api_statements"), {"q": "Lavrof"}).json()
    assert [person["slug"] for person in data["speakers"]] == ["sergey-lavrov"]
    assert data["speakers"][0]["search_url"].endswith("/api/statements/?q=&speaker=sergey-lavrov")


def test_a_surname_slug_redirects_to_its_speaker(client, seed):
    response = client.get("/speakers/lavrov/")
    assert response.status_code == 301 and response["Location"] == "/speakers/sergey-lavrov/"


def test_the_slug_of_another_spelling_redirects_to_its_speaker(client, zakharova):
    response = client.get("/speakers/m-v-zakharova/")
    assert response.status_code == 301 and response["Location"] == "/speakers/maria-zakharova/"


def test_a_slug_that_names_nobody_is_not_found(client, seed):
    assert client.get("/speakers/nobody-at-all/").status_code == 404
