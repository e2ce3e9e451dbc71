"""URL slugs, with Russian names transliterated so that URLs stay readable ASCII."""

import re
from datetime import date

from django.utils.text import slugify

# fmt: off
# Transliteration close to the one Russian passports use (ICAO 9303).
_CYRILLIC_TO_LATIN = str.maketrans({
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh",
    "з": "z", "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "ie", "ы": "y", "ь": "", "э": "e", "ю": "iu",
    "я": "ia",
})
# fmt: on


def ascii_slug(text: str, max_length: int = 80) -> str:
    """ "Sergey Lavrov’s remarks" → "sergey-lavrovs-remarks"; "С.В.Лавров" → "s-v-lavrov"."""
    latin = text.lower().replace("’", "").replace("'", "").translate(_CYRILLIC_TO_LATIN)
    slug = slugify(latin.replace(".", " "))
    if len(slug) > max_length:
        slug = slug[:max_length].rsplit("-", 1)[0]
    return slug or "untitled"


def unique_slug(model, base: str, field: str = "slug") -> str:
    """`base`, or `base-2`, `base-3`… — the first not yet taken in `model`."""
    taken = set(
        model.objects.filter(**{f"{field}__startswith": base}).values_list(field, flat=True)
    )
    slug, counter = base, 2
    while slug in taken:
        slug, counter = f"{base}-{counter}", counter + 1
    return slug


def transcript_slug(title: str, published: date | None) -> str:
    """A transcript's address: its date, then its title without the date at its end
    ("…, Moscow, January 28, 2019" is in the prefix already)."""
    title = re.sub(r",[^,]*\d{4}( года)?\s*$", "", title)
    slug = ascii_slug(title, max_length=90)
    return f"{published.isoformat()}-{slug}" if published else slug
