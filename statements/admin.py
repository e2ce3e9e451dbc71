"""The editors' admin: import with a preview, statements inline, speakers, topics, history.

The custom views (import, confirm, re-parse, split, merge) only check permissions, read a
form and render; the work is done by `uploads`, `importing`, `editing`, `speakers` and
`topics`, which the tests exercise directly too.
"""

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Count, Q
from django.forms import Textarea
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from statements import (
    editing,
    identity,
    importing,
    reviews,
    revisions,
    speakers,
    topics,
    uploads,
    versions,
)
from statements.forms import (
    ImportForm,
    LazyAutocompleteSelect,
    MergeSpeakersForm,
    MergeStatementsForm,
    RevisionNoteForm,
    SpeakerAliasForm,
    SplitStatementForm,
    StatementForm,
    StatementInlineForm,
    TranscriptForm,
)
from statements.models import (
    ImportRun,
    Revision,
    Speaker,
    SpeakerAlias,
    SpeakerReview,
    Statement,
    StatementTopic,
    Topic,
    TopicRemoval,
    Transcript,
)
from statements.parsing import ParseError
from statements.parsing.names import normalize
from statements.search import matching
from statements.slugs import transcript_slug

admin.site.site_header = "Diplomatic Statements Archive — editors"
admin.site.site_title = "Archive admin"
admin.site.index_title = "Transcripts, speakers and topics"

IMPORT_PERMISSION = "statements.import_transcripts"
# Speakers that matched nobody, shown at once in the review queue (the newest imports' first).
UNMATCHED_SHOWN = 200


class QuietSaveMixin:
    """A Save that changes nothing writes no row and logs nothing: the record's history
    then shows only real changes (Django would save every field again, bumping
    `updated_at`, and log "No fields changed.")."""

    def save_model(self, request, obj, form, change):
        if change and not form.has_changed():
            return
        super().save_model(request, obj, form, change)

    def log_change(self, request, obj, message):
        if not message:  # construct_change_message found nothing changed
            return None
        return super().log_change(request, obj, message)


class EditorViewsMixin:
    """Rendering of the custom admin pages, in the admin's frame."""

    def _render(self, request, template: str, title: str, **context):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": title,
            **context,
        }
        name = f"admin/statements/{self.model._meta.model_name}/{template}"
        return TemplateResponse(request, name, context)

    def _object_or_404(self, request, object_id):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404(f"No {self.model._meta.verbose_name} with id {object_id!r}")
        return obj


# Transcripts ---------------------------------------------------------------------------


class StatementInline(admin.TabularInline):
    model = Statement
    form = StatementInlineForm
    # The note ("retranslated from Russian") and the questioner are edited on the
    # statement's own page ("Change"): the table must fit a laptop screen.
    fields = ["order", "speaker", "speaker_label", "kind", "text", "topic_list", "tools"]
    readonly_fields = ["topic_list", "tools"]
    autocomplete_fields = ["speaker"]
    ordering = ["position"]
    extra = 0
    show_change_link = True
    formfield_overrides = {models.TextField: {"widget": Textarea(attrs={"cols": 80})}}

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("speaker").prefetch_related("topics")

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "speaker":
            # No add/change/delete/view icons in every row, and select2 started on use.
            field.widget = LazyAutocompleteSelect(db_field, self.admin_site)
        return field

    @admin.display(description="Topics")
    def topic_list(self, statement):
        return ", ".join(topic.name for topic in statement.topics.all()) or "—"

    @admin.display(description="Split / merge")
    def tools(self, statement):
        if not statement.pk:
            return ""
        return format_html(
            '<a href="{}" title="Split this statement in two">Split…</a><br>'
            '<a href="{}" title="Merge with the next statement">Merge…</a>',
            reverse("admin:statements_statement_split", args=[statement.pk]),
            reverse("admin:statements_statement_merge_next", args=[statement.pk]),
        )


@admin.register(Transcript)
class TranscriptAdmin(QuietSaveMixin, EditorViewsMixin, admin.ModelAdmin):
    form = TranscriptForm
    list_display = ["title", "date", "kind", "language", "statement_count", "imported_at"]
    list_filter = ["kind", "language", "topics"]
    date_hierarchy = "date"
    search_fields = ["title", "place", "slug"]
    autocomplete_fields = ["topics", "translations"]
    inlines = [StatementInline]
    readonly_fields = [
        "warnings",
        "history",
        "source_format",
        "content_hash",
        "imported_at",
        "updated_at",
        "source_text",
    ]
    fieldsets = [
        (None, {"fields": ["title", "slug", ("date", "time"), "place", ("kind", "language")]}),
        (None, {"fields": ["source_url", "warnings", "history", "revision_note"]}),
        ("Topics", {"fields": ["topics", "remove_topics"]}),
        (
            "Source",
            {
                "classes": ["collapse"],
                "fields": [
                    "translations",
                    "other_languages",
                    "tags",
                    "source_format",
                    "content_hash",
                    ("imported_at", "updated_at"),
                    "source_text",
                ],
            },
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(statement_count=Count("statements"))

    @admin.display(description="Statements", ordering="statement_count")
    def statement_count(self, transcript):
        return transcript.statement_count

    @admin.display(description="Parser warnings")
    def warnings(self, transcript):
        if not transcript.parse_warnings:
            return "None"
        return format_html("<ul>{}</ul>", _items(transcript.parse_warnings))

    @admin.display(description="Imported")
    def history(self, transcript):
        runs = transcript.import_runs.select_related("user").order_by("started_at")
        if not runs:
            return "—"
        return format_html_join(
            mark_safe("<br>"),
            '<a href="{}">{}</a> by {}',
            ((_change_url(run), run, run.user or "the import_transcripts command") for run in runs),
        )

    def has_import_permission(self, request) -> bool:
        return request.user.has_perm(IMPORT_PERMISSION)

    def changelist_view(self, request, extra_context=None):
        extra_context = {"can_import": self.has_import_permission(request), **(extra_context or {})}
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {
            "can_reparse": self.has_import_permission(request),
            **(extra_context or {}),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("import/", view(self.import_view), name="statements_transcript_import"),
            path(
                "import/confirm/",
                view(self.import_confirm_view),
                name="statements_transcript_import_confirm",
            ),
            path(
                "<path:object_id>/reparse/",
                view(self.reparse_view),
                name="statements_transcript_reparse",
            ),
            *super().get_urls(),
        ]

    def save_model(self, request, obj, form, change):
        if change:
            form.statements_before = revisions.snapshot(obj)
            if "title" in form.changed_data and "slug" not in form.changed_data:
                # A new title, a new address; the old one keeps redirecting (OldSlug).
                base = transcript_slug(obj.title, obj.date)
                obj.slug = identity.free_slug(base, obj)
        super().save_model(request, obj, form, change)
        # Statements carry the transcript's date and language for fast filtering and for
        # their search configuration: keep them in step.
        if change and {"date", "language"} & set(form.changed_data):
            obj.statements.update(date=obj.date, language=obj.language)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        for topic in form.cleaned_data.get("remove_topics", []):
            count = topics.remove_from_transcript(form.instance, topic, request.user)
            messages.info(request, f"“{topic}” taken off {count} statement(s) for good.")
        if change:
            _record(request, form.instance, Revision.Kind.EDIT, form)

    def save_formset(self, request, form, formset, change):
        if formset.model is not Statement:
            return super().save_formset(request, form, formset, change)
        formset.save(commit=False)
        for statement in formset.deleted_objects:
            statement.delete()
        for statement, changed in formset.changed_objects:
            fields = [name for name in changed if name in STATEMENT_FIELDS]
            if fields:
                statement.save(update_fields=fields)
        wanted = _statements_in_order(formset)
        if formset.new_objects or formset.deleted_objects or _moved(form.instance, wanted):
            editing.reorder(form.instance, wanted)  # which aligns the versions again too
        elif any("text" in changed for _, changed in formset.changed_objects):
            versions.realign(form.instance)
        edited = [*formset.new_objects, *(obj for obj, _ in formset.changed_objects)]
        topics.tag_statements(Statement.objects.filter(pk__in=[obj.pk for obj in edited]))

    # Import: form → preview → confirm or cancel.

    def import_view(self, request):
        if not self.has_import_permission(request):
            raise PermissionDenied
        form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
        if form.is_bound and form.is_valid():
            held, overrides = form.uploads(), form.overrides()
            previews = uploads.preview(held, overrides)
            return self._render(
                request,
                "import_preview.html",
                "Check the import",
                previews=previews,
                importable=sum(item.importable for item in previews),
                near_duplicates=sum(bool(item.near_duplicate) for item in previews),
                token=uploads.hold(request.user, held, overrides),
                overrides=overrides,
            )
        return self._render(
            request, "import_form.html", "Import transcripts", form=form, media=form.media
        )

    def import_confirm_view(self, request):
        if not self.has_import_permission(request):
            raise PermissionDenied
        if request.method != "POST":
            return redirect("admin:statements_transcript_import")
        held = uploads.release(request.user, request.POST.get("token", ""))
        if held is None:
            messages.warning(request, "This preview was already used or has expired: upload again.")
            return redirect("admin:statements_transcript_import")
        if "cancel" in request.POST:
            messages.info(request, "Import cancelled: nothing was saved.")
            return redirect("admin:statements_transcript_changelist")
        allowed = {int(n) for n in request.POST.getlist("allow_near_duplicate") if n.isdigit()}
        run = uploads.save(*held, request.user, near_duplicates_allowed=allowed)
        self._log_imports(request, run)
        _report(request, run)
        return redirect("admin:statements_transcript_changelist")

    def _log_imports(self, request, run: ImportRun) -> None:
        names = {
            entry["transcript"]: entry["name"]
            for entry in run.files
            if entry["outcome"] == ImportRun.Outcome.IMPORTED
        }
        for transcript in run.transcripts.all():
            self.log_addition(
                request, transcript, f"Imported from {names[transcript.pk]} (import #{run.pk})."
            )

    # Re-parse: the difference first, then replace on confirm.

    def reparse_view(self, request, object_id):
        transcript = self._object_or_404(request, object_id)
        if not (
            self.has_import_permission(request) and self.has_change_permission(request, transcript)
        ):
            raise PermissionDenied
        change_url = reverse("admin:statements_transcript_change", args=[transcript.pk])
        try:
            parsed = editing.parse_again(transcript)
        except ParseError as error:
            messages.error(request, f"The parser now refuses this source: {error}")
            return redirect(change_url)
        form = RevisionNoteForm(request.POST if request.method == "POST" else None)
        if form.is_bound and form.is_valid():
            note = form.cleaned_data["revision_note"]
            with revisions.recording(
                transcript, Revision.Kind.REPARSE, user=request.user, note=note
            ):
                self._reparse(request, transcript, parsed)
            return redirect(change_url)
        return self._render(
            request,
            "reparse.html",
            f"Re-parse “{transcript}”",
            original=transcript,
            parsed=parsed,
            diff=editing.reparse_diff(transcript, parsed),
            stored_count=transcript.statements.count(),
            change_url=change_url,
            form=form,
        )

    def _reparse(self, request, transcript, parsed) -> None:
        before = transcript.statements.count()
        result = importing.reparse(transcript, parsed)
        speakers.refresh_stats()
        run = ImportRun.objects.create(via=ImportRun.Via.REPARSE, user=request.user)
        run.record(f"{transcript.slug} (stored source)", result)
        message = f"Re-parsed from source: {result.statement_count} statements (were {before})."
        self.log_change(request, transcript, message)
        messages.success(request, message)


STATEMENT_FIELDS = {field.name for field in Statement._meta.concrete_fields}


def _record(request, transcript: Transcript, kind: str, form) -> None:
    """Keep the revision a change form made to `transcript`'s statements, if any."""
    note = form.cleaned_data.get("revision_note", "")
    revisions.record(transcript, kind, form.statements_before, user=request.user, note=note)


def _statements_in_order(formset) -> list[Statement]:
    """The inline's statements in the order the editor asked for: by the number typed in
    "order", a statement moved or added there going before the one already at that number,
    blank numbers last; otherwise as listed."""
    kept = [
        form
        for form in formset.forms
        if form not in formset.deleted_forms and (form.instance.pk or form.has_changed())
    ]

    def wanted(item):
        index, form = item
        order = form.cleaned_data.get("order")
        moved = form.instance.pk is None or "order" in form.changed_data
        return (order if order is not None else float("inf"), not moved, index)

    return [form.instance for _, form in sorted(enumerate(kept), key=wanted)]


def _moved(transcript: Transcript, wanted: list[Statement]) -> bool:
    """Whether `wanted` (every statement of `transcript`) differs from their stored order."""
    stored = transcript.statements.order_by("position").values_list("pk", flat=True)
    return [statement.pk for statement in wanted] != list(stored)


def _report(request, run: ImportRun) -> None:
    summary = format_html(
        "Imported {} transcript(s) with {} statement(s) and {} new speaker(s); "
        '{} duplicate(s) skipped; {} failed. <a href="{}">Import #{}</a>',
        run.transcript_count,
        run.statement_count,
        run.new_speaker_count,
        run.duplicate_count,
        run.failure_count,
        _change_url(run),
        run.pk,
    )
    level = messages.SUCCESS if run.transcript_count and not run.failure_count else messages.WARNING
    messages.add_message(request, level, summary)
    for entry in run.files:
        if entry["outcome"] == ImportRun.Outcome.FAILED:
            messages.error(request, f"{entry['name']}: {entry['error']}")


def _change_url(obj) -> str:
    return reverse(f"admin:statements_{obj._meta.model_name}_change", args=[obj.pk])


def _items(lines) -> str:
    return format_html_join("", "<li>{}</li>", ((line,) for line in lines))


# Statements ----------------------------------------------------------------------------


class StatementTopicInline(admin.TabularInline):
    model = StatementTopic
    fields = ["topic", "source"]
    readonly_fields = ["source"]
    autocomplete_fields = ["topic"]
    extra = 0
    verbose_name = "topic"
    verbose_name_plural = "Topics (a topic removed here is never put back by its query)"


@admin.register(Statement)
class StatementAdmin(QuietSaveMixin, EditorViewsMixin, admin.ModelAdmin):
    form = StatementForm
    list_display = ["__str__", "speaker", "kind", "date", "transcript"]
    list_filter = ["kind", "language", "topics"]
    list_select_related = ["speaker", "transcript"]
    search_fields = ["text"]  # replaced by the web-search query below; shows the box
    search_help_text = 'Web-search syntax, as on the public site: words, "a phrase", OR, -word.'
    autocomplete_fields = ["speaker"]
    raw_id_fields = ["reply_to"]
    readonly_fields = ["transcript", "position", "date", "language"]
    fields = [
        ("transcript", "position"),
        ("speaker", "speaker_label", "speaker_role"),
        ("kind", "note"),
        ("questioner", "outlet", "reply_to"),
        "text",
        ("date", "language"),
        "revision_note",
    ]
    inlines = [StatementTopicInline]

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        return matching(search_term, queryset), False

    def has_add_permission(self, request):
        return False  # statements are added inside their transcript, where order is known

    def save_formset(self, request, form, formset, change):
        if formset.model is not StatementTopic:
            return super().save_formset(request, form, formset, change)
        formset.save(commit=False)  # what changed, for the admin's log; the work is below
        for tag_form in formset.initial_forms:
            old = tag_form.initial.get("topic")
            if tag_form in formset.deleted_forms or "topic" in tag_form.changed_data:
                topics.remove_by_hand(form.instance, Topic.objects.get(pk=old), request.user)
        for tag_form in formset.forms:
            topic = tag_form.cleaned_data.get("topic")
            changed = not tag_form.instance.pk or "topic" in tag_form.changed_data
            if topic and changed and tag_form not in formset.deleted_forms:
                topics.add_by_hand(form.instance, topic)

    def save_model(self, request, obj, form, change):
        form.statements_before = revisions.snapshot(obj.transcript)
        super().save_model(request, obj, form, change)
        if "text" in form.changed_data:
            topics.tag_statements(Statement.objects.filter(pk=obj.pk))
            versions.realign(obj.transcript)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        _record(request, form.instance.transcript, Revision.Kind.EDIT, form)

    def delete_model(self, request, obj):
        with revisions.recording(obj.transcript, Revision.Kind.DELETE, user=request.user):
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for transcript in Transcript.objects.filter(statements__in=queryset).distinct():
            with revisions.recording(transcript, Revision.Kind.DELETE, user=request.user):
                queryset.filter(transcript=transcript).delete()

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/split/", view(self.split_view), name="statements_statement_split"
            ),
            path(
                "<path:object_id>/merge-next/",
                view(self.merge_view),
                name="statements_statement_merge_next",
            ),
            *super().get_urls(),
        ]

    def split_view(self, request, object_id):
        statement = self._object_or_404(request, object_id)
        if not self.has_change_permission(request, statement):
            raise PermissionDenied
        transcript_url = _statement_in_transcript(statement)
        if not editing.split_points(statement.text):
            messages.warning(request, "A statement of one sentence cannot be split.")
            return redirect(transcript_url)
        form = SplitStatementForm(
            request.POST if request.method == "POST" else None, statement=statement
        )
        if request.method == "POST" and form.is_valid():
            note = form.cleaned_data.pop("revision_note")
            with revisions.recording(
                statement.transcript, Revision.Kind.SPLIT, user=request.user, note=note
            ):
                second = editing.split(statement, **form.cleaned_data)
            self.log_change(
                request, statement, f"Split: the rest became statement {second.position}."
            )
            messages.success(
                request, f"Split into statements {statement.position} and {second.position}."
            )
            return redirect(transcript_url)
        return self._render(
            request,
            "split.html",
            f"Split statement {statement.position}",
            original=statement,
            form=form,
            media=self.media + form.media,
            transcript_url=transcript_url,
        )

    def merge_view(self, request, object_id):
        statement = self._object_or_404(request, object_id)
        nxt = editing.following(statement)
        if not (
            self.has_change_permission(request, statement)
            and self.has_delete_permission(request, nxt)
        ):
            raise PermissionDenied
        transcript_url = _statement_in_transcript(statement)
        if nxt is None:
            messages.warning(request, "The last statement has no next one to merge with.")
            return redirect(transcript_url)
        form = MergeStatementsForm(
            request.POST if request.method == "POST" else None, first=statement, second=nxt
        )
        if form.is_bound and form.is_valid():
            self.log_deletions(request, Statement.objects.filter(pk=nxt.pk))
            note = form.cleaned_data["revision_note"]
            with revisions.recording(
                statement.transcript, Revision.Kind.MERGE, user=request.user, note=note
            ):
                editing.merge_with_next(statement)
            self.log_change(request, statement, f"Merged with the next statement ({nxt}).")
            messages.success(request, f"Statements {statement.position} and {nxt.position} merged.")
            return redirect(transcript_url)
        return self._render(
            request,
            "merge.html",
            f"Merge statements {statement.position} and {nxt.position}",
            original=statement,
            merged=[statement, nxt],
            transcript_url=transcript_url,
            form=form,
        )


def _statement_in_transcript(statement: Statement) -> str:
    url = reverse("admin:statements_transcript_change", args=[statement.transcript_id])
    return f"{url}#statements-group"


# Speakers ------------------------------------------------------------------------------


class SpeakerAliasInline(admin.TabularInline):
    model = SpeakerAlias
    form = SpeakerAliasForm
    fields = ["name"]
    extra = 1


@admin.register(Speaker)
class SpeakerAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "role", "country", "statement_count", "alias_list"]
    list_filter = ["kind"]
    search_fields = ["name"]  # with aliases, see get_search_results
    search_help_text = "Name or any alias, in any script (Лавров finds С.В.Лавров)."
    ordering = ["name"]  # also the autocomplete's, which pages its results
    fields = ["name", "slug", "kind", "role", "country"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [SpeakerAliasInline]
    actions = ["merge_speakers"]
    # Said here as well as on the model: a query with an aggregate (the statement count)
    # drops the model's ordering, and the autocomplete's pages would come unordered.
    ordering = ["name"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(statement_count=Count("statements", distinct=True))
            .prefetch_related("aliases")
        )

    @admin.display(description="Statements", ordering="statement_count")
    def statement_count(self, speaker):
        return speaker.statement_count

    @admin.display(description="Aliases")
    def alias_list(self, speaker):
        return ", ".join(
            alias.name for alias in speaker.aliases.all() if alias.name != speaker.name
        )

    def get_search_results(self, request, queryset, search_term):
        # Aliases are matched on their normalised key too: it is case-folded in Python, so
        # "лавров" finds "С.В.Лавров" whatever the database's locale does with Cyrillic.
        term = search_term.strip()
        if not term:
            return queryset, False
        aliases = SpeakerAlias.objects.filter(
            Q(name__icontains=term) | Q(key__contains=normalize(term))
        )
        return queryset.filter(Q(name__icontains=term) | Q(pk__in=aliases.values("speaker"))), False

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        obj.add_alias(obj.name)  # as the importer does: the canonical name finds the speaker

    @admin.action(description="Merge selected speakers…", permissions=["change", "delete"])
    def merge_speakers(self, request, queryset):
        if queryset.count() < 2:
            messages.warning(request, "Select at least two speakers to merge.")
            return None
        form = MergeSpeakersForm(
            request.POST if "keep" in request.POST else None, speakers=queryset
        )
        if form.is_bound and form.is_valid():
            keep = form.cleaned_data["keep"]
            duplicates = list(queryset.exclude(pk=keep.pk))
            names = ", ".join(speaker.name for speaker in duplicates)
            self.log_deletions(request, queryset.exclude(pk=keep.pk))
            speakers.merge(keep, duplicates)
            self.log_change(request, keep, f"Merged {names} into this speaker.")
            messages.success(request, f"Merged {names} into {keep}.")
            return None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Merge speakers",
            "form": form,
            "speakers": queryset,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/statements/speaker/merge.html", context)


@admin.register(SpeakerReview)
class SpeakerReviewAdmin(admin.ModelAdmin):
    """The editors' review queue: speakers imports created that may be a known speaker
    ("possible duplicates") or matched nobody, each merged or marked "different people"
    in one click (the decision is kept)."""

    def has_add_permission(self, request):
        return False

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/merge/", view(self.merge_view), name="statements_speakerreview_merge"),
            path(
                "<int:pk>/different/",
                view(self.different_view),
                name="statements_speakerreview_different",
            ),
            path("scan/", view(self.scan_view), name="statements_speakerreview_scan"),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_permission(request):
            raise PermissionDenied
        pending = SpeakerReview.objects.filter(decision="").select_related("speaker", "candidate")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Speakers to review",
            "duplicates": pending.filter(reason=SpeakerReview.Reason.DUPLICATE).order_by(
                "-score", "speaker__name"
            ),
            "unmatched": _with_nearest(
                pending.filter(reason=SpeakerReview.Reason.UNMATCHED).order_by(
                    "-created_at", "speaker__name"
                )[:UNMATCHED_SHOWN]
            ),
            "can_change": self._can_merge(request),
        }
        return TemplateResponse(request, "admin/statements/speakerreview/queue.html", context)

    def merge_view(self, request, pk):
        """Fold the review's speaker into its candidate (or into the speaker named by slug
        in the form: one of the nearest offered, for a label that matched nobody)."""
        review = self._decidable(request, pk)
        keep = review.candidate or Speaker.objects.filter(slug=request.POST.get("into")).first()
        if keep is None or keep.pk == review.speaker_id:
            messages.error(request, "Name another speaker to merge into by their slug.")
        else:
            merged = review.speaker
            self.log_deletions(request, Speaker.objects.filter(pk=merged.pk))
            speakers.merge(keep, [merged])  # the review goes with the merged speaker
            self.log_change(request, keep, f"Merged {merged} into this speaker (review queue).")
            messages.success(request, f"Merged {merged} into {keep}.")
        return redirect("admin:statements_speakerreview_changelist")

    def different_view(self, request, pk):
        """Keep both: the pair is marked different people and leaves the queue for good."""
        review = self._decidable(request, pk)
        review.decision = SpeakerReview.Decision.DIFFERENT
        review.decided_by, review.decided_at = request.user, timezone.now()
        review.save(update_fields=["decision", "decided_by", "decided_at"])
        messages.success(
            request, f"{review.speaker} kept apart from {review.candidate or 'others'}."
        )
        return redirect("admin:statements_speakerreview_changelist")

    def scan_view(self, request):
        """Queue the likely pairs among the speakers already in the archive (reviews.scan)."""
        if request.method != "POST" or not self.has_change_permission(request):
            raise PermissionDenied
        found = reviews.scan()
        messages.success(
            request,
            f"Scanned {found.speakers} speakers: {found.pairs} likely pair(s), "
            f"{found.queued} newly queued (the others were queued or decided before).",
        )
        return redirect("admin:statements_speakerreview_changelist")

    def _decidable(self, request, pk) -> SpeakerReview:
        if request.method != "POST" or not self._can_merge(request):
            raise PermissionDenied
        return get_object_or_404(SpeakerReview, pk=pk, decision="")

    def _can_merge(self, request) -> bool:
        """Deciding takes changing reviews, and a merge changes one speaker and deletes
        another (as the speakers' own merge action asks)."""
        user, opts = request.user, Speaker._meta
        return self.has_change_permission(request) and all(
            user.has_perm(f"{opts.app_label}.{action}_{opts.model_name}")
            for action in ("change", "delete")
        )


def _with_nearest(unmatched) -> list[SpeakerReview]:
    """The reviews, each with `nearest`: the known speakers to offer it (reviews.nearest)."""
    people = speakers.directory()
    unmatched = list(unmatched)
    for review in unmatched:
        review.nearest = reviews.nearest(review.speaker.name, review.speaker_id, people)
    return unmatched


# Topics --------------------------------------------------------------------------------


class TopicRemovalInline(admin.TabularInline):
    model = TopicRemoval
    fields = ["statement_link", "removed_by", "removed_at"]
    readonly_fields = fields
    extra = 0
    verbose_name = "removal by hand"
    verbose_name_plural = "Removed by hand (delete a row to let the query tag that statement again)"

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description="Statement")
    def statement_link(self, removal):
        return format_html('<a href="{}">{}</a>', _change_url(removal.statement), removal.statement)


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "query", "statement_count", "transcript_count"]
    search_fields = ["name", "query"]
    prepopulated_fields = {"slug": ["name"]}
    fields = ["name", "slug", "query", "description"]
    inlines = [TopicRemovalInline]
    actions = ["retag"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                statement_count=Count("statements", distinct=True),
                transcript_count=Count("transcripts", distinct=True),
            )
        )

    @admin.display(description="Statements", ordering="statement_count")
    def statement_count(self, topic):
        return topic.statement_count

    @admin.display(description="Transcripts (by hand)", ordering="transcript_count")
    def transcript_count(self, topic):
        return topic.transcript_count

    def save_related(self, request, form, formsets, change):
        # After the inline: a removal deleted there lets this very save tag the statement.
        super().save_related(request, form, formsets, change)
        added = topics.tag(form.instance)
        tagged = form.instance.statements.count()
        messages.info(request, f"“{form.instance}” now tags {tagged} statement(s), {added} new.")

    @admin.action(
        description="Re-tag the selected topics from their queries", permissions=["change"]
    )
    def retag(self, request, queryset):
        added = sum(topics.tag(topic) for topic in queryset)
        messages.success(request, f"{added} statement(s) newly tagged.")


# History -------------------------------------------------------------------------------


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "user",
        "transcript_count",
        "statement_count",
        "new_speaker_count",
        "duplicate_count",
        "failure_count",
    ]
    list_filter = ["via", "user"]
    date_hierarchy = "started_at"
    fields = [
        ("via", "user", "started_at"),
        ("transcript_count", "statement_count", "new_speaker_count"),
        ("duplicate_count", "failure_count"),
        "file_table",
    ]
    readonly_fields = [name for row in fields for name in ([row] if isinstance(row, str) else row)]

    def has_add_permission(self, request):
        return False  # runs are made by importing

    def has_change_permission(self, request, obj=None):
        return False  # history is not edited

    @admin.display(description="Files")
    def file_table(self, run):
        transcripts = Transcript.objects.in_bulk(
            [entry["transcript"] for entry in run.files if entry.get("transcript")]
        )
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (_file_row(entry, transcripts.get(entry.get("transcript"))) for entry in run.files),
        )
        return format_html(
            "<table><thead><tr><th>File</th><th>Outcome</th><th>Transcript</th>"
            "<th>Statements · new speakers · error</th></tr></thead><tbody>{}</tbody></table>",
            rows,
        )


def _file_row(entry: dict, transcript: Transcript | None) -> tuple:
    link = (
        format_html('<a href="{}">{}</a>', _change_url(transcript), transcript)
        if transcript
        else "—"
    )
    details = entry.get("error") or (
        f"{entry.get('statements', 0)} · {', '.join(entry.get('new_speakers', [])) or 'none'}"
    )
    return entry["name"], ImportRun.Outcome(entry["outcome"]).label, link, details


# Language versions: registered in a module of their own.
from statements import admin_versions  # noqa: E402, F401
