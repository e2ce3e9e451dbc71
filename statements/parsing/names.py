"""People's names as transcripts print them: roles, honorifics, possessives, Russian cases.

"Foreign Minister Sergey Lavrov’s" in a title and "Sergey Lavrov" in a label are one person;
"С.В.Лаврова" (genitive, in a Russian title) and "С.В.Лавров" (in a label) too.
"""

import functools
import re
import unicodedata

# fmt: off
# Words that make up roles and the places in them ("Foreign Minister of the Republic of").
ROLE_WORDS = {
    "acting", "adviser", "advisor", "affairs", "ambassador", "assistant", "cabinet",
    "chairman", "chairperson", "chairwoman", "chancellor", "chief", "commissioner",
    "council", "defence", "defense", "deputy", "director", "emir", "envoy", "executive",
    "first", "foreign", "general", "governor", "head", "high", "king", "leader", "mayor",
    "member", "minister", "ministry", "national", "official", "permanent", "premier",
    "president", "press", "prime", "prince", "queen", "representative", "secretary",
    "security", "senior", "sheikh", "spokesman", "spokesperson", "spokeswoman", "special",
    "state", "sultan", "vice", "administration", "majesty", "excellency", "his", "her",
    "administrator", "coordinator", "admiral", "senator", "congressman", "congresswoman",
    "ceo", "founder", "pm", "fm", "dpm", "ambassador-at-large", "editor-in-chief", "anchor",
    "correspondent", "host", "presenter", "communications", "economic", "relations",
    # organisations a role belongs to ("Chairman of the Board of VTB Bank Andrei Kostin")
    "agency", "assembly", "association", "bank", "board", "centre", "center", "chamber",
    "commission", "committee", "company", "corporation", "court", "district", "duma",
    "foundation", "fund", "government", "group", "holding", "institute", "media",
    "office", "parliament", "party", "province", "region", "senate", "service", "territory",
    "university", "news", "television", "channel", "international", "presidential",
    # plural roles and events, never one person ("the Trilateral Leaders’ Summit")
    "leaders", "ministers", "officials", "heads", "summit", "talks", "trilateral", "bilateral",
}
PLACE_WORDS = {
    "republic", "federation", "kingdom", "union", "states", "nations", "emirates",
    "united", "islamic", "democratic", "people's", "arab", "european", "un", "eu", "us",
    "uk", "usa", "u.s.", "america", "russia", "russian", "soviet", "north", "south", "east",
    "west", "central", "new",
    # countries and regions met in roles ("President of Syria Bashar al-Assad")
    "afghanistan", "albania", "algeria", "angola", "argentina", "armenia", "australia",
    "austria", "azerbaijan", "bahrain", "bangladesh", "belarus", "belgium", "bolivia",
    "bosnia", "brazil", "brunei", "bulgaria", "cambodia", "cameroon", "canada", "chile",
    "china", "colombia", "congo", "croatia", "cuba", "cyprus", "czech", "denmark", "ecuador",
    "egypt", "estonia", "ethiopia", "finland", "france", "georgia", "germany", "ghana",
    "greece", "hungary", "india", "indonesia", "iran", "iraq", "ireland", "israel", "italy",
    "japan", "jordan", "kazakhstan", "kenya", "korea", "kuwait", "kyrgyzstan", "laos",
    "latvia", "lebanon", "libya", "lithuania", "malaysia", "mexico", "moldova", "mongolia",
    "montenegro", "morocco", "myanmar", "nepal", "netherlands", "nigeria", "norway", "oman",
    "ossetia", "ossetia-alania", "abkhazia", "pakistan", "palestine", "peru", "philippines",
    "poland", "portugal", "qatar", "romania", "rwanda", "saudi", "serbia", "singapore",
    "slovakia", "slovenia", "spain", "sudan", "sweden", "switzerland", "syria", "tajikistan",
    "thailand", "tunisia", "turkey", "turkmenistan", "uganda", "ukraine", "uruguay",
    "uzbekistan", "venezuela", "vietnam", "yemen", "zambia", "zimbabwe", "tatarstan",
    "crimea", "chechnya", "dagestan", "moscow", "petersburg",
}
CONNECTORS = {"of", "the", "for", "and", "to", "on", "at"}
# Words that end a run of capitalised words in a title even when Title Case capitalises them:
# "Press Secretary Jen Psaki Aboard Air Force One En Route Kalamazoo".
RUN_BREAKS = {"and", "with", "by", "aboard", "en", "route", "at", "to", "in", "on", "from",
              "previewing", "during", "following", "via", "after", "before", "between", "ahead"}
HONORIFICS = {"mr", "mrs", "ms", "miss", "dr", "sir", "madam", "mister", "г-н", "г-жа"}
# Lower-case particles that may sit inside a name ("Ursula von der Leyen", "Abu al-Gheit").
NAME_PARTICLES = {"al", "bin", "ibn", "da", "de", "del", "der", "di", "dos", "du", "el",
                  "la", "le", "van", "von", "y"}

# fmt: on

# The name functions below are asked about the same few names on every label of every
# transcript: they are pure, so their answers are remembered.
NAMES_REMEMBERED = 16384

# Russian names in titles are initials and a surname: "С.В.Лаврова", "Б. Атамкуловым".
RUSSIAN_INITIALS_NAME = re.compile(r"(?:[А-ЯЁ]\.\s?){1,2}[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?")
PARTICLE_PREFIX = re.compile(r"(al|el|ad|ash|as|ar|at|az|an|ibn|bin)-")  # "al-Assad"
_POSSESSIVE = re.compile(r"[’']s$|[’']$")
_WORD = re.compile(r"[^\s,;:]+")
# fmt: off
# Genitive, dative, instrumental and prepositional endings of Russian surnames, longest first,
# each with what it becomes in the nominative. Titles put names in these cases; labels do not.
_RUSSIAN_CASE_ENDINGS = [
    ("ского", "ский"), ("скому", "ский"), ("ским", "ский"), ("ском", "ский"),
    ("овой", "ова"), ("евой", "ева"), ("иной", "ина"), ("ыной", "ына"),
    ("овым", "ов"), ("евым", "ев"), ("иным", "ин"), ("ыным", "ын"),
    ("ова", "ов"), ("ева", "ев"), ("ина", "ин"), ("ына", "ын"),
    ("ову", "ов"), ("еву", "ев"), ("ину", "ин"), ("ыну", "ын"),
    ("ове", "ов"), ("еве", "ев"), ("ине", "ин"), ("ыне", "ын"),
]
# fmt: on


def normalize(name: str) -> str:
    """A lookup key: case, spacing, apostrophes, a possessive and the spaces between
    initials ignored ("Sergey  Lavrov’s" and "sergey lavrov" share one key)."""
    name = unicodedata.normalize("NFKC", name).replace("’", "'").replace("\u00a0", " ")
    name = re.sub(r"\.\s+", ".", name.strip())
    return strip_possessive(re.sub(r"\s+", " ", name)).casefold()


def strip_possessive(word: str) -> str:
    return _POSSESSIVE.sub("", word)


@functools.lru_cache(maxsize=NAMES_REMEMBERED)
def is_role_word(word: str) -> bool:
    lowered = strip_possessive(word).lower().strip(".,")
    if lowered in ROLE_WORDS or lowered in PLACE_WORDS or lowered in CONNECTORS:
        return True
    return "-" in lowered and all(part in PLACE_WORDS for part in lowered.split("-"))


def is_honorific(word: str) -> bool:
    return word.lower().rstrip(".") in HONORIFICS


CYRILLIC_LETTER = re.compile("[а-яА-ЯёЁ]")


def is_cyrillic(text: str) -> bool:
    return CYRILLIC_LETTER.search(text) is not None


@functools.lru_cache(maxsize=NAMES_REMEMBERED)
def split_role(text: str) -> tuple[str, str]:
    """("Foreign Minister of Kazakhstan", "Beibut Atamkulov") from the run of words naming him.

    The person is what follows the last role word; a country printed between "of" and the
    name ("of Kazakhstan Beibut Atamkulov") is moved back into the role.
    """
    words = [strip_possessive(word) for word in text.split()]
    last_role = max((i for i, word in enumerate(words) if is_role_word(word)), default=-1)
    role, person = words[: last_role + 1], words[last_role + 1 :]
    if len(person) >= 3 and role and role[-1].lower() in {"of", "the"}:
        role, person = role + person[:1], person[1:]
    if len(person) > 3 and not any(is_particle(word) for word in person):
        role, person = role + person[:-2], person[-2:]  # an organisation's name before him
    while person and is_honorific(person[0]):
        person = person[1:]
    # "Transcript of Minister for Foreign Affairs" → "Minister for Foreign Affairs"
    start = next((i for i, word in enumerate(role) if _role_or_place(word)), len(role))
    return " ".join(role[start:]), " ".join(person)


def _role_or_place(word: str) -> bool:
    return is_role_word(word) and word.lower() not in CONNECTORS


def is_particle(word: str) -> bool:
    """ "al-Assad", "bin", "von": lower-case parts of names."""
    lowered = word.lower()
    return lowered in NAME_PARTICLES or bool(PARTICLE_PREFIX.match(lowered))


def surname(name: str) -> str:
    """The last word of a name; for "С.В.Лавров" the part after the initials."""
    last = name.split()[-1] if name.split() else ""
    return last.rsplit(".", 1)[-1]


def russian_nominative(word: str) -> str:
    """Best-effort nominative of an inflected Russian surname ("Лаврова" → "Лавров")."""
    for ending, replacement in _RUSSIAN_CASE_ENDINGS:
        if word.endswith(ending) and len(word) > len(ending) + 2:
            return word[: -len(ending)] + replacement
    return word


@functools.lru_cache(maxsize=NAMES_REMEMBERED)
def surname_stem(word: str) -> str:
    """What two case forms of one surname share: "Лавров", "Лаврова" and "Лавровым" agree."""
    word = strip_possessive(word).casefold()
    if is_cyrillic(word):
        word = russian_nominative(word)
        word = re.sub(r"(ий|ой|ая|а)$", "", word)
    return word


def initials(name: str) -> str:
    """The initials before a Russian surname: "С.В." in "С.В.Лавров"; "" otherwise."""
    match = re.match(r"((?:[А-ЯЁA-Z]\.\s?)+)", name)
    return re.sub(r"\s", "", match.group(1)) if match else ""


@functools.lru_cache(maxsize=NAMES_REMEMBERED)
def same_person(form: str, known: str) -> bool:
    """Whether `form` (from a label) can name the person `known` by in this transcript.

    Surnames must agree (allowing for Russian case endings); any given names or initials
    must agree too, so "Sergey Lavrov" never matches "Nikolai Lavrov".
    """
    if not form or not known:
        return False
    if len(form.split()) == 1 and len(known.split()) == 3 and _family_name_first(form, known):
        return True  # "Lee" for "Lee Hsien Loong"
    if surname_stem(surname(form)) != surname_stem(surname(known)):
        return False
    form_initials, known_initials = initials(form), initials(known)
    if form_initials and known_initials and form_initials != known_initials:
        return False
    given_form, given_known = form.split()[:-1], known.split()[:-1]
    if given_form and given_known:
        return normalize(given_form[-1]) == normalize(given_known[-1])
    return True


def full_name(text: str) -> str | None:
    """`text` as a person's full name ("SERGEY LAVROV" → "Sergey Lavrov", "С.В.Лавров"),
    or None when it is a lone surname that could be anyone's ("Lavrov", "PRICE")."""
    if RUSSIAN_INITIALS_NAME.fullmatch(text):
        return text
    if len(text.split()) < 2:
        return None
    return text.title() if text.isupper() else text


def _family_name_first(form: str, known: str) -> bool:
    """East Asian names put the family name first: "PM Lee" is Lee Hsien Loong."""
    return normalize(form) == normalize(known.split()[0]) and not is_cyrillic(known)


def looks_like_person(words: list[str]) -> bool:
    """Two to four capitalised words with no role word among them, e.g. "Beibut Atamkulov"."""
    if not 2 <= len(words) <= 4:
        return False
    for word in words:
        if is_particle(word):
            continue
        if not word[:1].isupper() or is_role_word(word) or any(ch.isdigit() for ch in word):
            return False
    return True


def title_people(title: str) -> list[tuple[str, str, str]]:
    """People a title names, in order: (name, role, form as printed).

    English titles name people after a role ("Foreign Minister Sergey Lavrov’s remarks …
    with Foreign Minister of the Republic of Kazakhstan Beibut Atamkulov"); Russian ones by
    initials and an inflected surname ("… Министра иностранных дел России С.В.Лаврова …").
    """
    if is_cyrillic(title):
        return [
            (_russian_title_name(match.group()), "", match.group())
            for match in RUSSIAN_INITIALS_NAME.finditer(title)
        ]
    people = []
    for run in _capitalised_runs(title):
        role, person = split_role(run)
        words = person.split()
        possessive = bool(_POSSESSIVE.search(run))
        if looks_like_person(words) and (role or possessive):
            people.append((person, role, run))
    return people


def possessive_person(title: str) -> str | None:
    """The person whose words the title announces: "Sergey Lavrov’s remarks" → Sergey Lavrov."""
    for run in _capitalised_runs(title):
        if _POSSESSIVE.search(run):
            _, person = split_role(run)
            if looks_like_person(person.split()):
                return person
    return None


def _russian_title_name(form: str) -> str:
    form = re.sub(r"\.\s+", ".", form)
    prefix, _, last = form.rpartition(".")
    return f"{prefix}.{russian_nominative(last)}" if prefix else russian_nominative(last)


def _capitalised_runs(text: str) -> list[str]:
    """Maximal runs of capitalised words (with "of", "the" inside them) between punctuation."""
    runs, current = [], []
    for chunk in re.split(r"([,;:()–—]|\s-\s)", text):
        for word in chunk.split():
            lowered = word.lower()
            keep = (word[:1].isupper() and lowered not in RUN_BREAKS) or (
                current and (lowered in {"of", "the", "for"} or is_particle(word))
            )
            if keep:
                current.append(word)
                if _POSSESSIVE.search(word):
                    runs.append(" ".join(current))
                    current = []
            else:
                runs.append(" ".join(current))
                current = []
        runs.append(" ".join(current))
        current = []
    return [_trim_connectors(run) for run in runs if run]


def _trim_connectors(run: str) -> str:
    words = run.split()
    while words and words[-1].lower() in CONNECTORS:
        words.pop()
    return " ".join(words)
