"""Languages the archive stores and the PostgreSQL text-search configuration for each."""

LANGUAGES = [
    ("en", "English"),
    ("ru", "Russian"),
    ("fr", "French"),
    ("de", "German"),
    ("es", "Spanish"),
    ("zh", "Chinese"),
    ("ar", "Arabic"),
]

# Stemming configurations built into PostgreSQL (also in the embedded pgserver).
# Other languages are indexed word for word with 'simple'.
SEARCH_CONFIGS = {"en": "english", "ru": "russian", "fr": "french", "de": "german", "es": "spanish"}
FALLBACK_CONFIG = "simple"


def search_config(language: str) -> str:
    return SEARCH_CONFIGS.get(language, FALLBACK_CONFIG)


# Every configuration a statement can be indexed with, stemmed ones first.
CONFIGS = [*dict.fromkeys(SEARCH_CONFIGS.values()), FALLBACK_CONFIG]


def languages_of(config: str) -> list[str]:
    """The language codes indexed with `config` (none for the fallback: it indexes every
    language without a stemmer)."""
    return [code for code, name in SEARCH_CONFIGS.items() if name == config]
