"""Forms of the editors' admin: the import upload, transcripts with their statements,
speaker aliases and merges, statement splits."""

from pathlib import PurePath

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AdminDateWidget, AutocompleteSelect
from django.core.exceptions import ValidationError
from django.utils.text import Truncator

from statements import identity
from statements.editing import split_points
from statements.languages import LANGUAGES
from statements.models import (
    Speaker,
    SpeakerAlias,
    Statement,
    StatementKind,
    Topic,
    Transcript,
    TranscriptKind,
)
from statements.parsing import SUPPORTED_EXTENSIONS, ParseError, decode
from statements.parsing.names import normalize
from statements.parsing.text import clean_text
from statements.topics import topics_of_statements
from statements.uploads import PASTED, Overrides, Upload
from statements.validators import HttpURLField

MAX_UPLOAD_BYTES = 5 * 1024 * 1024  # the longest real transcript page is well under 1 MB
# All the files (and pasted text) of one preview: its page shows every statement, and the
# texts wait in the database until confirmed, so both grow with it (10 files of 5 MB made a
# 56 MB page).
MAX_PREVIEW_BYTES = 8 * 1024 * 1024


class CleanCharField(forms.CharField):
    """A text field whose value is the words typed, whatever the browser did to them:
    textareas are submitted with CRLF line endings, so without this a Save that changes
    nothing would rewrite every multi-paragraph statement (and log it as changed). Cleaning
    in `to_python` makes `has_changed` compare the cleaned value too."""

    def to_python(self, value):
        value = super().to_python(value)
        return clean_text(value) if isinstance(value, str) else value


class RevisionNoteField(CleanCharField):
    """Why a change is made, for the public history. A note alone changes nothing in the
    record, so it never makes a form "changed"."""

    def __init__(self, **kwargs):
        super().__init__(
            required=False,
            max_length=1000,
            label="Why (shown in the public history)",
            help_text="Optional: what was wrong, or where the correction comes from.",
            widget=forms.Textarea(attrs={"rows": 2, "cols": 80}),
            **kwargs,
        )

    def has_changed(self, initial, data):
        return False


class RevisionNoteForm(forms.Form):
    """The note of a change made on its own page (re-parse, merge)."""

    revision_note = RevisionNoteField()


# The free-text fields of transcripts and statements, cleaned as they enter.
TRANSCRIPT_TEXT_FIELDS = ["title", "place", "other_languages"]
STATEMENT_TEXT_FIELDS = [
    "speaker_label",
    "speaker_role",
    "note",
    "questioner",
    "outlet",
    "text",
]


def _cleaned(names: list[str]) -> dict[str, type]:
    return dict.fromkeys(names, CleanCharField)


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """A file field that takes several files and cleans to a list of them."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        # No per-file validation here: an empty or odd file is reported in the preview,
        # next to the good ones, rather than refusing the whole form.
        files = data if isinstance(data, list | tuple) else [data]
        return [item for item in files if item]


class ImportForm(forms.Form):
    files = MultipleFileField(
        required=False,
        help_text=f"One or several files: {', '.join(sorted(SUPPORTED_EXTENSIONS))}.",
        widget=MultipleFileInput(attrs={"accept": ",".join(sorted(SUPPORTED_EXTENSIONS))}),
    )
    text = forms.CharField(
        label="Or paste a transcript",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 12, "cols": 100}),
        help_text="Plain text as the ministry's page shows it (date line, title, body), "
        "or HTML, Markdown or JSON.",
    )
    language = forms.ChoiceField(
        choices=[("", "Detect"), *LANGUAGES], required=False, help_text="For every file."
    )
    source_url = HttpURLField(
        label="Source URL", max_length=500, required=False, help_text="For every file."
    )
    date = forms.DateField(
        required=False, widget=AdminDateWidget, help_text="For every file; else the parser's."
    )
    kind = forms.ChoiceField(
        choices=[("", "Detect from the title"), *TranscriptKind.choices], required=False
    )

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("files") and not (cleaned.get("text") or "").strip():
            raise ValidationError("Choose one or more files, or paste a transcript.")
        size = sum(file.size for file in cleaned.get("files") or []) + len(
            (cleaned.get("text") or "").encode()
        )
        if size > MAX_PREVIEW_BYTES:
            raise ValidationError(
                f"These come to {_megabytes(size)}; one preview takes at most "
                f"{_megabytes(MAX_PREVIEW_BYTES)}: import them in smaller groups."
            )
        return cleaned

    def uploads(self) -> list[Upload]:
        """The files in the order chosen, then the pasted text; each refused file says why."""
        uploads = [read_file(file) for file in self.cleaned_data["files"]]
        if self.cleaned_data["text"].strip():
            uploads.append(Upload(PASTED, self.cleaned_data["text"]))
        return uploads

    def overrides(self) -> Overrides:
        data = self.cleaned_data
        return Overrides(data["language"], data["source_url"], data["date"], data["kind"])


def read_file(file) -> Upload:
    """An uploaded file as text, or an Upload carrying the reason it cannot be imported."""
    name = PurePath(file.name).name
    if PurePath(name).suffix.lower() not in SUPPORTED_EXTENSIONS:
        return Upload(name, error=f"not a transcript file type (use {_extensions()})")
    if file.size > MAX_UPLOAD_BYTES:
        return Upload(name, error=f"too large ({file.size // 1024} KB; at most 5 MB)")
    try:
        return Upload(name, decode(file.read()))
    except ParseError as error:
        return Upload(name, error=str(error))  # with the line, as the parser says it


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


def _extensions() -> str:
    return ", ".join(sorted(SUPPORTED_EXTENSIONS))


class MergeSpeakersForm(forms.Form):
    keep = forms.ModelChoiceField(
        queryset=Speaker.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        label="Keep",
        help_text="The others' statements and aliases move to this speaker; they are deleted.",
    )

    def __init__(self, *args, speakers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["keep"].queryset = speakers


class SplitStatementForm(RevisionNoteForm):
    """Where to split a statement — a paragraph's or a sentence's start — and who speaks
    the second part (a label opening it, "Name (note):", says so itself)."""

    at = forms.TypedChoiceField(
        coerce=int, widget=forms.RadioSelect, label="Start the new statement at"
    )
    speaker = forms.ModelChoiceField(
        queryset=Speaker.objects.all(),
        required=False,
        label="Speaker of the new statement",
        widget=AutocompleteSelect(Statement._meta.get_field("speaker"), admin.site),
        help_text="Unless the new statement opens with a speaker label: that label's speaker "
        "and note are taken, and the label leaves the text.",
    )
    speaker_label = CleanCharField(max_length=200, required=False, label="Label as printed")
    kind = forms.ChoiceField(choices=StatementKind.choices)

    def __init__(self, *args, statement: Statement, **kwargs):
        super().__init__(*args, **kwargs)
        text = statement.text
        self.fields["at"].choices = [
            (offset, f"{where}: {Truncator(text[offset:]).words(16)}")
            for offset, where in split_points(text)
        ]
        self.fields["speaker"].initial = statement.speaker_id
        self.fields["speaker_label"].initial = statement.speaker_label
        self.fields["kind"].initial = statement.kind
        self.order_fields(["at", "speaker", "speaker_label", "kind", "revision_note"])


class MergeStatementsForm(RevisionNoteForm):
    """A merge's note, and — when the two statements have different speakers — the
    editor's confirmation that the merged one carries the first one's name."""

    def __init__(self, *args, first: Statement, second: Statement, **kwargs):
        super().__init__(*args, **kwargs)
        if _speaker_of(first) != _speaker_of(second):
            self.fields["confirm"] = forms.BooleanField(
                label=f"Yes, merge: the words of {_speaker_of(second)} will be attributed "
                f"to {_speaker_of(first)}",
                error_messages={"required": "Tick the box to merge statements of two speakers."},
            )
            self.order_fields(["confirm", "revision_note"])


def _speaker_of(statement: Statement) -> str:
    return statement.display_speaker or f"no speaker ({statement.get_kind_display()})"


class SpeakerAliasForm(forms.ModelForm):
    """An alias typed by an editor: its lookup key is derived, and must be free."""

    class Meta:
        model = SpeakerAlias
        fields = ["name"]

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        taken = SpeakerAlias.objects.filter(key=normalize(name)).exclude(pk=self.instance.pk)
        other = taken.select_related("speaker").first()
        if other:
            raise ValidationError(f"“{name}” is already an alias of {other.speaker}.")
        return name

    def save(self, commit=True):
        self.instance.key = normalize(self.instance.name)
        return super().save(commit)


class LazyAutocompleteSelect(AutocompleteSelect):
    """The admin's speaker autocomplete, started only when the editor reaches it (see
    static/js/lazy_autocomplete.js): a transcript's page has one per statement, and select2
    set up on 338 of them at once holds the browser for seconds. Until then it is a plain
    select of the current speaker, named from `known` (the statement's own speaker, already
    read) rather than by a query per row."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.known: dict[str, str] = {}

    def build_attrs(self, base_attrs, extra_attrs=None):
        attrs = super().build_attrs(base_attrs, extra_attrs)
        attrs["class"] = attrs["class"].replace("admin-autocomplete", "lazy-autocomplete")
        return attrs

    def optgroups(self, name, value, attr=None):
        chosen = [str(v) for v in value if str(v) not in self.choices.field.empty_values]
        if any(pk not in self.known for pk in chosen):
            return super().optgroups(name, value, attr)
        options = [] if self.is_required else [self.create_option(name, "", "", False, 0)]
        for pk in chosen:
            options.append(self.create_option(name, pk, self.known[pk], True, len(options)))
        return [(None, options, 0)]

    @property
    def media(self):
        # Listed after autocomplete.js, so that the merged media keep it after it.
        return super().media + forms.Media(
            js=["admin/js/jquery.init.js", "admin/js/autocomplete.js", "js/lazy_autocomplete.js"]
        )


class StatementInlineForm(forms.ModelForm):
    """A statement on its transcript's page. Its place is the number typed in `order`, not
    the model's position: positions are unique, so moving statement 5 to 3 would fail the
    form's uniqueness check, while an order is resolved when the whole list is saved."""

    order = forms.IntegerField(
        label="#", min_value=1, required=False, widget=forms.NumberInput(attrs={"size": 3})
    )

    class Meta:
        model = Statement
        fields = ["speaker", "speaker_label", "kind", "text"]
        field_classes = _cleaned(STATEMENT_TEXT_FIELDS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["order"].initial = self.instance.position
        speaker = self.fields["speaker"].widget
        if isinstance(speaker, LazyAutocompleteSelect) and self.instance.speaker_id:
            speaker.known = {str(self.instance.speaker_id): self.instance.speaker.name}
        # Each box as tall as its text, within bounds: a one-line "Thank you." and a
        # twelve-paragraph answer are both readable without scrolling inside a box.
        self.fields["text"].widget.attrs["rows"] = text_rows(self.instance.text)


# A statement's text box: this many characters to a line, between these many lines.
BOX_COLUMNS, BOX_MIN_ROWS, BOX_MAX_ROWS = 80, 2, 24


def text_rows(text: str) -> int:
    """The lines `text` takes in a box BOX_COLUMNS wide, paragraphs' blank lines included."""
    lines = sum(len(line) // BOX_COLUMNS + 1 for line in text.split("\n"))
    return max(BOX_MIN_ROWS, min(BOX_MAX_ROWS, lines))


class TopicChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, topic):
        return f"{topic.name} ({topic.statement_count} statement(s))"


class TranscriptForm(forms.ModelForm):
    revision_note = RevisionNoteField()
    source_url = HttpURLField(label="Source URL", max_length=500, required=False)
    remove_topics = TopicChoiceField(
        queryset=Topic.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Take off its statements",
        help_text="Topics its statements are tagged with. A topic ticked here is removed from "
        "all of them for good: its query will not tag them again.",
    )

    class Meta:
        model = Transcript
        # What an editor may correct; the source, its hash and format stay as imported.
        fields = [
            "title",
            "slug",
            "date",
            "time",
            "place",
            "kind",
            "language",
            "source_url",
            "topics",
            "translations",
            "other_languages",
            "tags",
        ]
        help_texts = {
            "topics": "Topics of the whole transcript, set by hand (queries tag statements).",
        }
        widgets = {"title": forms.Textarea(attrs={"rows": 3, "cols": 80})}
        field_classes = _cleaned(TRANSCRIPT_TEXT_FIELDS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["remove_topics"].queryset = topics_of_statements(self.instance)

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if identity.slug_taken(slug, self.instance):
            raise ValidationError(
                f"“{slug}” was the address of another transcript, and still leads there."
            )
        return slug


class StatementForm(forms.ModelForm):
    """A statement on its own change page."""

    revision_note = RevisionNoteField()

    class Meta:
        model = Statement
        fields = [
            "speaker",
            "speaker_label",
            "speaker_role",
            "kind",
            "note",
            "questioner",
            "outlet",
            "reply_to",
            "text",
        ]
        field_classes = _cleaned(STATEMENT_TEXT_FIELDS)
