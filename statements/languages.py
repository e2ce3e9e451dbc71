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
