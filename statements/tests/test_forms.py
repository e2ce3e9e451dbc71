"""The editors' forms (statements/forms.py): text cleaned as it enters, readable boxes, a
speaker box that costs no query per statement."""

import pytest
from django.contrib import admin

from statements.forms import CleanCharField, LazyAutocompleteSelect, StatementForm, text_rows
from statements.models import Statement


def test_text_sent_with_crlf_is_unchanged_from_the_same_text_stored():
    field = CleanCharField()
    assert field.clean("One.\r\n\r\nTwo.\u2028Three.") == "One.\n\nTwo.\nThree."
    assert not field.has_changed("One.\n\nTwo.", "One.\r\n\r\nTwo.")


def test_a_text_box_is_as_tall_as_its_text_within_bounds():
    assert text_rows("Thank you.") == 2
    assert text_rows("\n\n".join(["x" * 200] * 3)) == 3 * 3 + 2
    assert text_rows("\n\n".join(["x" * 500] * 20)) == 24


@pytest.mark.django_db
def test_the_speaker_box_names_a_known_speaker_without_a_query(django_assert_num_queries):
    widget = LazyAutocompleteSelect(Statement._meta.get_field("speaker"), admin.site)
    widget.choices = StatementForm.base_fields["speaker"].choices
    widget.known = {"7": "Sergey Lavrov"}
    with django_assert_num_queries(0):
        html = widget.render("statements-0-speaker", 7)
    assert 'class="lazy-autocomplete"' in html and "Sergey Lavrov" in html
