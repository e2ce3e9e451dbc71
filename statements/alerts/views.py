"""The alert pages: subscribe from a search, confirm from the mail, unsubscribe in one click."""

from django import forms
from django.core.mail import BadHeaderError
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from statements.alerts import service


class SubscribeForm(forms.Form):
    email = forms.EmailField(label="Your email address", max_length=254)


# No CSRF token: the form sits on the search page, which is cached for everyone (a token
# would make it personal). A forged subscription only mails a confirmation link that its
# address must follow, within the limits per address and per hour.
@csrf_exempt
@require_POST
def subscribe(request):
    form = SubscribeForm(request.POST)
    context = {"form": form, "query": service.search_query(request.POST)}
    if not form.is_valid():
        return render(request, "alerts/subscribe.html", context, status=400)
    email = form.cleaned_data["email"]
    try:
        alert = service.subscribe(
            email, request.POST, request.META.get("REMOTE_ADDR", ""), _base_url(request)
        )
    except service.Refused as refusal:
        return render(
            request,
            "alerts/subscribe.html",
            context | {"refused": str(refusal)},
            status=refusal.status,
        )
    except (OSError, BadHeaderError):  # the mail server is down or refused the message
        return render(request, "alerts/subscribe.html", context | {"mail_failed": True}, status=503)
    return render(request, "alerts/subscribe.html", context | {"alert": alert, "asked": True})


@require_http_methods(["GET", "POST"])
def confirm(request, token):
    """GET shows a button and POST confirms: a mail scanner that opens links confirms nothing."""
    alert = service.pending(token)
    if alert is None:
        return render(request, "alerts/confirm.html", {"invalid": True}, status=404)
    if request.method == "POST":
        service.confirm(alert)
    return render(request, "alerts/confirm.html", {"alert": alert})


# The mail client's one-click POST (RFC 8058) carries no CSRF token: the signed token in
# the address is what authorises it, and it can only remove the alert.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    if request.method == "GET":
        return render(request, "alerts/unsubscribe.html", {"token": token})
    alert = service.unsubscribe(token)
    return render(request, "alerts/unsubscribe.html", {"done": True, "alert": alert})


def _base_url(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")
