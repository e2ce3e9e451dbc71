"""Revisions: every change to a transcript's statements after its import — an edit, a
re-parse, a split, a merge, a deletion — kept with who, when and why, and shown word by word
on the transcript's public history page.

A change is recorded by comparing the statements before and after it (`recording`), so
every kind of change is recorded the same way, whatever code made it.
"""

import difflib
import re
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import transaction
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from statements.models import RetiredStatement, Revision, Transcript

# What a reader sees of a statement: a change to any of these is a change to the record.
SHOWN = ["speaker", "kind", "note", "text"]


def snapshot(transcript: Transcript) -> dict[int, dict]:
    """Each statement of `transcript` as a reader sees it, by id (one query)."""
    rows = transcript.statements.values(
        "pk", "position", "speaker__name", "speaker_label", "kind", "note", "text"
    )
    return {
        row["pk"]: {
            "position": row["position"],
            "speaker": row["speaker__name"] or row["speaker_label"],
            "kind": row["kind"],
            "note": row["note"],
            "text": row["text"],
        }
        for row in rows
    }


@contextmanager
def recording(transcript: Transcript, kind: str, *, user=None, note: str = "") -> Iterator[None]:
    """Keep what the enclosed block changes in `transcript`'s statements as one revision
    (none if it changed nothing); the block and the revision are saved together."""
    with transaction.atomic():
        before = snapshot(transcript)
        yield
        record(transcript, kind, before, user=user, note=note)


def record(
    transcript: Transcript, kind: str, before: dict[int, dict], *, user=None, note: str = ""
) -> Revision | None:
    """Save the revision from `before` (a `snapshot`) to now; None if nothing changed."""
    changes = differences(before, snapshot(transcript))
    if not changes:
        return None
    editor = user if getattr(user, "is_authenticated", False) else None
    return Revision.objects.create(
        transcript=transcript, kind=kind, user=editor, note=note.strip(), changes=changes
    )


def differences(before: dict[int, dict], after: dict[int, dict]) -> list[dict]:
    """The statements added, changed and removed from `before` to `after`, in the
    transcript's order; a removed one says which statement holds its words now, if any."""
    changes = []
    for pk, now in after.items():
        was = before.get(pk)
        if was is None:
            changes.append(_change(pk, "added", now["position"], {}, now))
        elif any(was[name] != now[name] for name in SHOWN):
            changes.append(_change(pk, "changed", now["position"], was, now))
    removed = [pk for pk in before if pk not in after]
    successors = dict(
        RetiredStatement.objects.filter(pk__in=removed).values_list("pk", "successor")
    )
    for pk in removed:
        change = _change(pk, "removed", before[pk]["position"], before[pk], {})
        successor = successors.get(pk)
        if successor in after:
            change |= {"successor": successor, "successor_position": after[successor]["position"]}
        changes.append(change)
    return sorted(changes, key=lambda change: (change["position"], change["change"] != "removed"))


def _change(pk: int, change: str, position: int, was: dict, now: dict) -> dict:
    return {
        "statement": pk,
        "change": change,
        "position": position,
        **{f"before_{name}": was.get(name, "") for name in SHOWN},
        **{f"after_{name}": now.get(name, "") for name in SHOWN},
    }


# Words and the spaces between them, so that a difference keeps the text's own spacing.
TOKENS = re.compile(r"\s+|\S+")


def word_diff(before: str, after: str) -> SafeString:
    """`before` → `after` word by word, escaped: removed words in <del>, added in <ins>."""
    old, new = TOKENS.findall(before), TOKENS.findall(after)
    parts = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            parts.append(escape("".join(old[i1:i2])))
            continue
        if i2 > i1:
            parts.append(format_html("<del>{}</del>", "".join(old[i1:i2])))
        if j2 > j1:
            parts.append(format_html("<ins>{}</ins>", "".join(new[j1:j2])))
    return mark_safe("".join(parts))  # every piece escaped above


def shown(change: dict) -> dict:
    """One change as the history page prints it: the text's difference, and the speaker's
    or kind's if they changed."""
    return change | {
        "text_diff": word_diff(change["before_text"], change["after_text"]),
        "speaker_changed": change["before_speaker"] != change["after_speaker"]
        and change["change"] == "changed",
        "kind_changed": change["before_kind"] != change["after_kind"]
        and change["change"] == "changed",
    }
