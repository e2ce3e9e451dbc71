"""The <head> of pages people cite and share — a description, Open Graph and Twitter
tags, the Highwire `citation_*` and Dublin Core tags reference managers (Zotero's connector)
read, and schema.org JSON-LD — and the citation block with its downloads."""

import json

from django import template
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from statements import citations
from statements.models import Statement, Transcript
from statements.sources import host_of

register = template.Library()
DESCRIPTION_WORDS = 30
# What json.dumps leaves that could end a <script> element or start markup in it.
_JSON_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}


def work_for(request, item) -> citations.Work:
    permalink = request.build_absolute_uri(item.get_absolute_url())
    if isinstance(item, Statement):
        return citations.statement_work(item, permalink)
    return citations.transcript_work(item, permalink)


def description(item) -> str:
    """One sentence for search engines and link previews."""
    if isinstance(item, Statement):
        who = citations.cited_speaker(item) or item.transcript.get_kind_display()
        when = f", {item.date.day} {item.date:%B %Y}" if item.date else ""
        words = Truncator(" ".join(item.text.split())).words(DESCRIPTION_WORDS, truncate=" …")
        return f"{who}{when}: “{words}”"
    if isinstance(item, Transcript):
        when = f" of {item.date.day} {item.date:%B %Y}" if item.date else ""
        where = f" in {item.place}" if item.place else ""
        return f"{item.get_kind_display()}{when}{where}: {item.title}, split by speaker."
    # A speaker
    role = f", {item.role}" if item.role else ""
    return f"Statements by {item.name}{role}, by date and subject, in the Diplomatic Statements Archive."


@register.simple_tag
def meta_description(item) -> str:
    return description(item)


@register.inclusion_tag("statements/_head_meta.html", takes_context=True)
def head_meta(context, item):
    request = context["request"]
    url = request.build_absolute_uri(item.get_absolute_url())
    shared = {"item": item, "url": url, "description": description(item)}
    if isinstance(item, Statement | Transcript):
        work = work_for(request, item)
        return shared | {
            "work": work,
            "title": _title(work),
            "og_type": "article",
            "jsonld": _jsonld(work, item, url, request),
        }
    return shared | {"title": item.name, "og_type": "profile", "jsonld": _person_jsonld(item, url)}


@register.inclusion_tag("statements/_citation.html", takes_context=True)
def citation_block(context, item):
    request = context["request"]
    work = work_for(request, item)
    name = "statement_citation" if isinstance(item, Statement) else "transcript_citation"
    key = item.pk if isinstance(item, Statement) else item.slug
    return {
        "text": citations.citation_text(work),
        "what": "statement" if isinstance(item, Statement) else "transcript",
        "name": name,
        "key": key,
        # Rendered as a link: only an http(s) address.
        "source_url": work.source_url if host_of(work.source_url) else "",
    }


def _title(work: citations.Work) -> str:
    if work.container:
        return f"{work.author or work.occasion}: “{work.title}”"
    return work.title


def _jsonld(work: citations.Work, item, url: str, request) -> str:
    publisher = (
        {"@type": "GovernmentOrganization", "name": work.publisher} if work.publisher else None
    )
    data = {
        "@context": "https://schema.org",
        "@type": "Quotation" if work.container else "CreativeWork",
        "name": _title(work),
        "url": url,
        "inLanguage": work.language,
        "genre": work.occasion,
        "isPartOf": {"@type": "WebSite", "name": citations.ARCHIVE},
    }
    if work.date:
        data["dateCreated"] = work.date.isoformat()
    if work.author and work.container:
        speaker = {"@type": "Person" if work.person else "Thing", "name": work.author}
        if work.role:
            speaker["jobTitle"] = work.role
        data["spokenByCharacter" if work.person else "creator"] = speaker
        data["text"] = item.text
    if work.container:
        transcript_url = request.build_absolute_uri(item.transcript.get_absolute_url())
        data["citation"] = {"@type": "CreativeWork", "name": work.container, "url": transcript_url}
    if publisher:
        data["publisher"] = publisher
    if work.place:
        data["locationCreated"] = {"@type": "Place", "name": work.place}
    if work.source_url:
        data["isBasedOn"] = work.source_url
    return _script_safe(data)


def _person_jsonld(speaker, url: str) -> str:
    data = {"@context": "https://schema.org", "@type": "Person", "name": speaker.name, "url": url}
    if speaker.role:
        data["jobTitle"] = speaker.role
    return _script_safe(data)


def _script_safe(data: dict) -> str:
    """JSON for a <script type="application/ld+json">: no "<", ">" or "&" that could close it."""
    return mark_safe(json.dumps(data, ensure_ascii=False).translate(_JSON_ESCAPES))
