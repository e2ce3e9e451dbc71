"""Who published a transcript — the ministry or office whose site it comes from — and
their country, read from the source's address (plain Python)."""

from urllib.parse import urlsplit

# Site (the host or a domain it belongs to) → (organisation, country).
PUBLISHERS = {
    "mid.ru": ("Ministry of Foreign Affairs of Russia", "Russia"),
    "kremlin.ru": ("President of Russia", "Russia"),
    "government.ru": ("Government of Russia", "Russia"),
    "whitehouse.gov": ("The White House", "United States"),
    "state.gov": ("U.S. Department of State", "United States"),
    "mfa.gov.sg": ("Ministry of Foreign Affairs of Singapore", "Singapore"),
    "gov.uk": ("Government of the United Kingdom", "United Kingdom"),
    "diplomatie.gouv.fr": ("Ministry for Europe and Foreign Affairs of France", "France"),
    "auswaertiges-amt.de": ("Federal Foreign Office of Germany", "Germany"),
    "fmprc.gov.cn": ("Ministry of Foreign Affairs of China", "China"),
    "mfa.kz": ("Ministry of Foreign Affairs of Kazakhstan", "Kazakhstan"),
}


def publisher(source_url: str) -> tuple[str, str]:
    """(organisation, country) of the site `source_url` is on; ("", "") if not known."""
    host = (urlsplit(source_url).hostname or "").lower()
    for site, found in PUBLISHERS.items():
        if host == site or host.endswith("." + site):
            return found
    return "", ""


def organisations() -> list[str]:
    return sorted({organisation for organisation, _ in PUBLISHERS.values()})


def countries() -> list[str]:
    return sorted({country for _, country in PUBLISHERS.values()})
