"""Who published a transcript and under which licence, read from its source URL's host.

Transcripts carry only their source URL; the publisher (the ministry or office a citation
names) and the licence (which the bulk dump states) follow from the site it came from."""

from dataclasses import dataclass
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Publisher:
    name: str
    licence: str  # as the site states it; "" when it states none we know of


UNKNOWN_LICENCE = "Not stated; copyright of the publisher. Cite the original source."

US_FEDERAL = "Public domain (work of the U.S. federal government)"
# By the host's domain (the host itself or any of its subdomains); the first that fits.
PUBLISHERS = {
    # Earlier administrations' White House sites, kept by the National Archives.
    "bidenwhitehouse.archives.gov": Publisher("The White House", US_FEDERAL),
    "trumpwhitehouse.archives.gov": Publisher("The White House", US_FEDERAL),
    "obamawhitehouse.archives.gov": Publisher("The White House", US_FEDERAL),
    "kremlin.ru": Publisher("President of Russia (Presidential Executive Office)", "CC BY 4.0"),
    "mid.ru": Publisher("Ministry of Foreign Affairs of the Russian Federation", ""),
    "whitehouse.gov": Publisher("The White House", US_FEDERAL),
    "state.gov": Publisher("U.S. Department of State", US_FEDERAL),
    "mfa.gov.sg": Publisher("Ministry of Foreign Affairs, Singapore", ""),
    "gov.uk": Publisher("UK Government", "Open Government Licence v3.0"),
}


def host_of(url: str) -> str:
    """The URL's host without "www.", lower case; "" for anything that is not http(s)."""
    try:
        parts = urlsplit(url or "")
    except ValueError:
        return ""
    if parts.scheme not in ("http", "https"):
        return ""
    host = (parts.hostname or "").lower()
    return host.removeprefix("www.")


def publisher_for(url: str) -> Publisher | None:
    """The publisher of the page at `url`: a known site's name, else the bare host; None
    without a usable URL."""
    host = host_of(url)
    if not host:
        return None
    for domain, publisher in PUBLISHERS.items():
        if host == domain or host.endswith("." + domain):
            return publisher
    return Publisher(host, "")


def licence_for(url: str) -> str:
    publisher = publisher_for(url)
    return publisher.licence if publisher and publisher.licence else UNKNOWN_LICENCE
