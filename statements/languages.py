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


def config_sql(language_column: str) -> str:
    """The configuration a statement's search_vector is built with, in SQL: CASE
    `language_column` WHEN 'en' THEN 'english'::regconfig … ELSE 'simple'::regconfig END
    (the codes and names are our own constants)."""
    cases = " ".join(
        f"WHEN '{code}' THEN '{name}'::regconfig" for code, name in SEARCH_CONFIGS.items()
    )
    return f"CASE {language_column} {cases} ELSE '{FALLBACK_CONFIG}'::regconfig END"
