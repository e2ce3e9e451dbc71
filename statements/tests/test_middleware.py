"""archive/middleware.py: a NUL byte in any parameter answers 400, never 500."""

import pytest

from statements.tests.editors import make_editor

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client):
    client.force_login(make_editor())
    return client


def test_a_nul_in_the_search_query_answers_400(client):
    response = client.get("/search/?q=%00")
    assert response.status_code == 400
    assert "NUL" in response.content.decode()


def test_a_nul_in_an_admin_list_filter_answers_400(editor_client):
    response = editor_client.get("/admin/statements/transcript/?language=%00")
    assert response.status_code == 400


def test_a_nul_in_an_admin_autocomplete_term_answers_400(editor_client):
    response = editor_client.get(
        "/admin/autocomplete/?term=%00&app_label=statements&model_name=statement&field_name=speaker"
    )
    assert response.status_code == 400


def test_a_nul_in_a_posted_form_field_answers_400(editor_client):
    response = editor_client.post("/admin/statements/topic/add/", {"name": "Syria\0", "query": "x"})
    assert response.status_code == 400


def test_a_nul_in_an_api_parameter_answers_json_400(client):
    response = client.get("/api/statements/?speaker=%00")
    assert response.status_code == 400
    assert "NUL" in response.json()["errors"][0]


def test_a_nul_in_a_parameter_name_answers_400(client):
    assert client.get("/search/?%00=1").status_code == 400


def test_a_nul_in_a_cookie_answers_400(client):
    # Django reads the octal escape of a quoted cookie value: the session id holds a NUL.
    response = client.get("/admin/", HTTP_COOKIE='sessionid="abcdefgh\\000ijklmnop"')
    assert response.status_code == 400


def test_parameters_without_nul_pass(client):
    assert client.get("/search/?q=Astana").status_code == 200
