"""The admin's language versions: links made on import or by editors, their alignment's
low-confidence beads to check, and suggestions for transcripts still unlinked.

Registered from admin.py (Django's autodiscovery imports only that module)."""

from django.contrib import admin, messages

from statements import versions
from statements.models import VersionLink


@admin.register(VersionLink)
class VersionLinkAdmin(admin.ModelAdmin):
    list_display = ["original", "translation", "linked_by", "low_confidence", "aligned_at"]
    list_filter = ["linked_by", ("aligned_at", admin.EmptyFieldListFilter)]
    raw_id_fields = ["original", "translation"]
    readonly_fields = ["evidence", "model", "aligned_at", "low_confidence", "beads_to_check"]
    fields = ["original", "translation", *readonly_fields]
    actions = ["align_again", "swap_original"]
    change_list_template = "admin/statements/versionlink/change_list.html"

    def changelist_view(self, request, extra_context=None):
        extra = {"suggestions": versions.unlinked_suggestions()} | (extra_context or {})
        return super().changelist_view(request, extra_context=extra)

    def save_model(self, request, obj, form, change):
        """An editor's link: kept in `Transcript.translations` too, and aligned at once."""
        if not change:
            obj.linked_by = VersionLink.LinkedBy.EDITOR
            obj.evidence = f"linked by {request.user.get_username()}"
        super().save_model(request, obj, form, change)
        obj.original.translations.add(obj.translation)
        versions.align(obj)

    def delete_model(self, request, obj):
        versions.unlink(obj.original, obj.translation)

    def delete_queryset(self, request, queryset):
        for link in queryset:
            versions.unlink(link.original, link.translation)

    @admin.display(description="Beads to check")
    def beads_to_check(self, obj):
        unsure = [
            f"§{','.join(map(str, bead['original']))} ↔ §{','.join(map(str, bead['translation']))}"
            for bead in obj.alignment
            if not bead["confident"] or not all(p["confident"] for p in bead["paragraphs"])
        ]
        return "; ".join(unsure) or "none"

    @admin.action(description="Align the selected versions again")
    def align_again(self, request, queryset):
        for link in queryset:
            versions.align(link)
        messages.success(request, f"{len(queryset)} pair(s) aligned again.")

    @admin.action(description="Swap which version is the original")
    def swap_original(self, request, queryset):
        for link in queryset:
            link.original, link.translation = link.translation, link.original
            link.save(update_fields=["original", "translation"])
            versions.align(link)
        messages.success(request, f"{len(queryset)} pair(s) swapped.")
