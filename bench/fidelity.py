#!/usr/bin/env python3
"""How faithfully does the transcript parser split the real corpus into speaker turns?

Usage:
    python bench/fidelity.py [PATH ...] [--json] [--show FILE]

PATH is a corpus file or a folder (searched recursively for .html, .md and .json files,
README.md excepted); by default the project's copy of the corpus, fixtures/corpus/ (the
same files as the shared corpus). --show FILE prints, for one file, the expected and the found turns
side by side as aligned, to see where the parser and the truth differ.

The "truth" is counted here, independently of the parser under test: this script imports
nothing from `statements` and uses only the standard library and lxml. The parser is run
once, as a separate process, through its public interface
`manage.py parse_transcript FILE...` (JSON Lines, one object per input file, in order).


What is counted, per file
=========================

expected turns -- the ordered list of labelled speaker turns. Each turn keeps the label
    as printed (its name part and its parenthetical note, if any) and a normalised form
    used for matching (see `normalise_label`): casefolded, every run of whitespace
    (non-breaking spaces included) collapsed to one space, a trailing colon stripped and
    every parenthetical such as "(retranslated)", "(via interpreter)" or "(CNA)" dropped.
    The same normalisation is applied to the parser's labels.

    * Kremlin HTML (kremlin-en-news/*.html). Only the element with itemprop="articleBody"
      is read. Its text units are its <p> and <li> elements, except those inside a <div>
      or <figure> (photo and video blocks `div.media`, `div.slider`, "See also" boxes
      `div.read__cut`, and the tags/publication-status footer `div.read__bottommeta`,
      which sits inside articleBody). Paragraphs inside <blockquote> are kept: they are
      quoted speech inside the narrative. Tooltips (`span.read__tooltip`: a hidden pop-up
      nested in a person's link with photo, "Surname Name" and role, or in a glossary
      term's link with "Background information") are removed first: they are not printed
      text and must not leak into a label or the word count.
      A unit is a turn when it begins with bold text (<b>/<strong>, nesting allowed, several
      bold elements and the spaces between them form one run) and either the bold run
      ends with a colon, or it is followed by an optional parenthetical note and then a
      colon: "<b>Vladimir Putin:</b>", "<b>Vladimir Putin</b>:",
      "<b>Name </b>(<i>retranslated</i>):", "<b>Name</b> (retranslated)<b>:</b>".
      A bold unit without such a colon is a heading, not a turn ("Part 1. The Kremlin,
      Moscow, March 1, 2018", "Beginning of meeting with ...", "* * *"); so is
      "<b>REPLY</b> (<i>without a microphone</i>)." in 17173 (no words were recorded).
      Labels are never plain (non-bold) text in this corpus.
    * White House Markdown (whitehouse-press-briefings/*.md). The YAML front matter
      (between the first two "---" lines) is skipped. A turn starts at a line that begins
      with an upper-case label and a colon ("MR. KIRBY:", "MS. JEAN-PIERRE:", "SENIOR
      ADMINISTRATION OFFICIAL:", "MODERATOR:", "DR. JHA:", "AIDE:" ...; every letter
      upper-case, at least two letters, digits allowed), or with the reporters' bare "Q"
      followed -- with no colon -- by a non-breaking space or by two or more spaces.
      Normally that line opens a paragraph (paragraphs are separated by blank or
      whitespace-only lines and hard-wrapped inside); a few briefings forget the blank
      line before a label, so a label line inside a paragraph also starts a turn (the
      table's notes column reports these). Mixed-case "Speaker McCarthy: ..." lines are
      quotations inside a statement, not turns.
    * Singapore JSON (sg-mfa-press/*.json, {title, date, content, url}). A turn is a line
      of `content` that starts with "Label: text" where the label reads as a speaker: at
      most 6 words outside parentheses, the first beginning with a capital letter, the
      others with a capital letter or a digit
      ("Dawn Tan (CNA)", "Minister Vivian Balakrishnan", "Minister", "Amanpour",
      "Question 1", "GMA Integrated News", "PM Lee"), not one of the field names in
      NON_SPEAKER_FIELDS ("Photo Credit:", "Caption:", "Tel:", "Source:" ...), and not a
      section heading (a "Crossroads: The Strategic Environment" line: at most 6 words
      after the colon and no sentence-ending punctuation). Labels met in the middle of a
      line are not turns (record-0428 repeats its transcript twice as one run-on line
      before the properly split copy; only the split copy's turns count).
    * Files in NEGATIVE_FILES are not transcripts: they must yield 0 turns, whatever
      colon-ended lines they contain.
    * SOURCE_DEFECTS lists, per file, the few turns whose label is misprinted in the source
      (a full stop instead of the colon, the colon missing, the label glued to the speech).
      They are real turns, checked by hand, so they count; the notes column names them.

body words -- the number of words of the body, the words of the labels themselves
    (name, note, colon; the bare "Q") NOT counted. A word is a maximal run of letters and
    digits (`[^\\W_]+`, Unicode; the underscore is left out so that Markdown escapes such
    as "Jen\\_Psaki" do not change the count). Body: HTML -- the text units described above,
    the narrative lead, headings and "* * *" included; Markdown -- everything after the
    front matter (dateline, time stamps, "(Laughter.)", "END" included); JSON -- `content`.

From the parser: found turns = its statements whose `speaker_label` is non-empty, in order;
parser words = the words (same definition) of all its statements' paragraphs. A file the
parser cannot parse ({"file", "error"}) has no turns and no words.

Comparison: the expected and found turn sequences are aligned with difflib.SequenceMatcher
(autojunk off), in two steps (see `align` for why): first on (normalised label, first
START_WORDS words of the speech), then each stretch left unmatched between those blocks on
the normalised labels alone. matched = total size of all the matching blocks, i.e. the
number of found turns paired with an expected turn of the same normalised label;
precision = matched / found, recall = matched / expected (1.0 when the denominator is 0);
words ratio = parser words / body words. Totals are micro-averaged: precision and recall
over all non-negative files (sum matched / sum found, sum matched / sum expected), the words
ratio over all files.

Targets (exit status 0 only if all are met): no file errors; every negative file has
0 found turns; micro precision >= 0.99 and recall >= 0.99; total parser words within 1 % of
total body words.
"""

from __future__ import annotations

import argparse
import contextlib
import difflib
import json
import re
import signal
import subprocess
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

from lxml import html as lxml_html

PROJECT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = PROJECT / "fixtures" / "corpus"
EXTENSIONS = {".html": "html", ".md": "md", ".json": "json"}

TARGET_PRECISION = 0.99
TARGET_RECALL = 0.99
TARGET_WORDS_TOLERANCE = 0.01

# Files that are not transcripts at all; any turn found in them is wrong.
NEGATIVE_FILES = {
    # Kremlin accreditation notices: bold headings ending in colons ("Entry from 10.00 am
    # to 11.00 am:", "Contact telephone numbers: ...") are schedule and contact lines.
    "17156.html": "accreditation notice: bold schedule headings with colons, no speakers",
    "51722.html": "accreditation notice: bold headings/contacts with colons, no speakers",
    "55799.html": "accreditation notice: bold press-centre headings, no speakers",
    # Singapore press releases on official visits: narrative, a factsheet on an orchid
    # named for the visitor, then "Issued by:", "Tel:", "DID:", "Email:", "Caption:" and
    # "Photo Credit:" lines. Nobody speaks.
    "record-0712.json": "press release (visit of Malaysia's PM): Tel:/Caption:/Photo Credit:",
    "record-0772.json": "press release (visit of US VP): Tel:/DID:/Email:/media factsheets",
    # Not negative although they look alike: record-0023.json is a visit press release
    # whose annex is a press-conference transcript (Minister:, Moderator:, ...), and
    # record-0206.json / record-0305.json are speeches (0305 ends with a Q&A).
}

# Turns whose label is misprinted in the source, found by reading the files. Each entry:
# file name -> list of (regex matched at the start of the text unit, with group "label";
# the speech starts where the match ends, why).
SOURCE_DEFECTS = {
    "56952.html": [
        (r"(?P<label>Sebastian Kurz)\.\s*", 'full stop for the colon: "<b>Sebastian Kurz</b>."'),
    ],
    "57027.html": [  # the interviewer's bold name with no colon, three times
        (r"(?P<label>Megyn Kelly)\s*(?=With this\?)", 'no colon: "<b>Megyn Kelly </b>With this?"'),
        (r"(?P<label>Megyn Kelly)\s*(?=I\sdo\.)", 'no colon: "<b>Megyn Kelly </b>I do."'),
        (
            r"(?P<label>Megyn Kelly)(?=Vladimir Putin could not)",
            'no colon: "<b>Megyn Kelly</b>Vladimir ..."',
        ),
    ],
    "record-0184.json": [
        (r"(?P<label>Amanpour)(?=Tell me how)", 'no colon: "AmanpourTell me how ..."'),
        (r"(?P<label>Amanpour)(?=And yet, there)", 'no colon: "AmanpourAnd yet, there ..."'),
    ],
}

# Singapore JSON: "Field: value" lines that are not anybody speaking.
# fmt: off
NON_SPEAKER_FIELDS = {
    "photo credit", "photo caption", "caption", "source", "tel", "fax", "email", "did",
    "born", "issued by", "issued on", "venue", "date", "time", "note", "annex",
}
# fmt: on

WORD = re.compile(r"[^\W_]+")
PARENTHETICAL = re.compile(r"\([^()]*\)")
WHITESPACE = re.compile(r"\s+")  # str patterns: \s covers NBSP, thin and other spaces
START_WORDS = 6  # words of a turn's speech used to anchor the alignment
SENTENCE_END = re.compile(r"""[.?!…:;"”’)\]–—-]\s*$""")


def count_words(text: str) -> int:
    return len(WORD.findall(text))


def collapse(text: str) -> str:
    return WHITESPACE.sub(" ", text).strip()


def normalise_label(label: str) -> str:
    """The form labels are matched on, the same for the truth and for the parser."""
    text = collapse(label).rstrip(":").strip()
    while PARENTHETICAL.search(text):  # drop (notes), innermost first
        text = PARENTHETICAL.sub(" ", text)
    return collapse(text).rstrip(":").strip().casefold()


def first_words(texts: list[str]) -> list[str]:
    """The first START_WORDS words of a turn's speech, casefolded: its alignment anchor."""
    words: list[str] = []
    for text in texts:
        words += WORD.findall(text.casefold())
        if len(words) >= START_WORDS:
            break
    return words[:START_WORDS]


@dataclass
class Turn:
    label: str  # the name part as printed, whitespace collapsed, notes removed
    note: str  # the parenthetical(s) as printed, e.g. "(retranslated)"
    norm: str  # normalise_label() of the printed label
    start: list[str] = field(default_factory=list)  # first_words() of its speech

    @classmethod
    def from_printed(cls, printed: str) -> Turn:
        printed = collapse(printed).rstrip(":").strip()
        notes = " ".join(PARENTHETICAL.findall(printed))
        name = collapse(PARENTHETICAL.sub(" ", printed))
        return cls(label=name, note=notes, norm=normalise_label(printed))

    @property
    def key(self) -> tuple:
        return self.norm, tuple(self.start)


@dataclass
class Truth:
    path: Path
    fmt: str
    negative: bool = False
    turns: list[Turn] = field(default_factory=list)
    body_words: int = 0
    notes: list[str] = field(default_factory=list)
    error: str = ""  # the counter itself could not read the file

    def start_turn(self, printed_label: str, speech: str) -> None:
        self.turns.append(Turn.from_printed(printed_label))
        self.add_text(speech)

    def add_text(self, text: str) -> None:
        """Words of the body outside labels; the first ones also anchor the current turn."""
        self.body_words += count_words(text)
        if self.turns and len(self.turns[-1].start) < START_WORDS:
            turn = self.turns[-1]
            turn.start = first_words([" ".join(turn.start), text])

    def read_unit(self, text: str, found: tuple[str, int] | None) -> None:
        """One paragraph or line. `found` is the format's label test on it: (printed label,
        where the speech starts) or None; a listed source defect also opens a turn."""
        if self.negative:
            found = None
        elif found is None and (defect := defect_label(self.path.name, text)):
            found = defect[:2]
            self.notes.append(f"source defect counted as a turn: {defect[2]}")
        if found is None:
            self.add_text(text)
        else:
            label, speech_start = found
            self.start_turn(label, text[speech_start:])


def defect_label(name: str, text: str) -> tuple[str, int, str] | None:
    """A hand-checked misprinted label at the start of `text`: (label, end of match, why)."""
    for pattern, why in SOURCE_DEFECTS.get(name, []):
        match = re.match(r"\s*" + pattern, text)
        if match:
            return match["label"], match.end(), why
    return None


# --- Kremlin HTML -------------------------------------------------------------------------

BOLD_TAGS = {"b", "strong"}
CONTAINER_TAGS = {"div", "figure", "aside", "header", "footer", "nav"}
TOOLTIP_CLASSES = {"read__tooltip", "masha-ignore"}
# After the bold run: optional "(note)"s, then the colon.
NOTE_THEN_COLON = re.compile(r"\s*(?:\([^()]*\)\s*)*:")


def classes(element) -> set[str]:
    return set((element.get("class") or "").split())


def text_units(article):
    """The body's paragraphs and list items, photo/video/"see also"/footer blocks left out."""
    for unit in article.iter("p", "li"):
        if unit.tag == "li" and unit.find(".//p") is not None:
            continue  # its paragraphs are units themselves
        ancestor = unit.getparent()
        inside_block = False
        while ancestor is not None and ancestor is not article:
            if ancestor.tag in CONTAINER_TAGS or ancestor.tag == "p":
                inside_block = True
                break
            ancestor = ancestor.getparent()
        if not inside_block:
            yield unit


def styled_characters(unit) -> tuple[str, list[bool]]:
    """The unit's printed text and, per character, whether it is bold.

    Tooltips are skipped; <br> becomes a line break so that words on both sides of it stay
    apart."""
    chars: list[str] = []
    bold: list[bool] = []

    def add(text: str | None, is_bold: bool) -> None:
        if text:
            chars.append(text)
            bold.extend([is_bold] * len(text))

    def walk(element, is_bold: bool) -> None:
        is_bold = is_bold or element.tag in BOLD_TAGS
        if element.tag == "br":
            add("\n", is_bold)
        add(element.text, is_bold)
        for child in element:
            if not isinstance(child.tag, str):  # comments, processing instructions
                add(child.tail, is_bold)
                continue
            if not classes(child) & TOOLTIP_CLASSES:
                walk(child, is_bold)
            add(child.tail, is_bold)

    walk(unit, False)
    return "".join(chars), bold


def html_label(text: str, bold: list[bool]) -> tuple[str, int] | None:
    """(printed label, index where the speech starts) if the unit opens with a label."""
    start = len(text) - len(text.lstrip())
    if start == len(text) or not bold[start]:
        return None
    end = start
    while end < len(text) and (bold[end] or text[end].isspace()):
        end += 1
    run = text[start:end].rstrip()
    if run.endswith(":"):
        return run, end
    after = NOTE_THEN_COLON.match(text, start + len(run))
    if after:
        return text[start : after.end()], after.end()
    return None


def count_html(path: Path, truth: Truth) -> None:
    tree = lxml_html.fromstring(path.read_bytes())
    articles = tree.xpath('//*[@itemprop="articleBody"]')
    if len(articles) != 1:
        truth.error = f"{len(articles)} itemprop=articleBody elements, expected 1"
        return
    for unit in text_units(articles[0]):
        text, bold = styled_characters(unit)
        truth.read_unit(text, html_label(text, bold))


# --- White House Markdown -----------------------------------------------------------------

UPPER_LABEL = re.compile(
    r"""^\s*(?P<label>[A-Z][A-Z0-9.'’\- ]*[A-Z0-9.]   # MR. KIRBY, SENIOR ADMINISTRATION OFFICIAL
        (?:\s*\([^()]*\))?)                         # an optional (note)
        \s*:(?=\s|$)""",
    re.VERBOSE,
)
# The reporters' Q: no colon, then a non-breaking space or at least two spaces (a bare
# wrapped line starting "Q and A" would have a single ordinary space).
BARE_Q = re.compile(r"^\s*(?P<label>Q)(?=\u00a0|\s\s|\s*$)\s*")


def split_front_matter(text: str) -> str:
    lines = text.split("\n")
    if lines and lines[0].strip() == "---":
        for index in range(1, len(lines)):
            if lines[index].strip() == "---":
                return "\n".join(lines[index + 1 :])
    return text


def markdown_label(line: str) -> re.Match | None:
    match = UPPER_LABEL.match(line)
    if match and sum(c.isalpha() for c in match["label"]) >= 2:
        return match
    return BARE_Q.match(line)


def count_markdown(path: Path, truth: Truth) -> None:
    body = split_front_matter(path.read_text(encoding="utf-8"))
    previous_blank = True
    for line in body.split("\n"):
        blank = not line.strip()
        match = None if blank or truth.negative else markdown_label(line)
        if match:
            truth.start_turn(match["label"], line[match.end() :])
            if not previous_blank:
                truth.notes.append(
                    f"label inside a paragraph (no blank line before it): {collapse(line)[:40]!r}"
                )
        else:
            truth.add_text(line)
        previous_blank = blank


# --- Singapore JSON -----------------------------------------------------------------------

JSON_LABEL = re.compile(r"^\s*(?P<label>[^:\n]{1,80}?)\s*:\s+(?P<rest>\S.*)$", re.DOTALL)
MAX_JSON_LABEL_WORDS = 6
MAX_HEADING_WORDS = 6


def reads_as_speaker(label: str) -> bool:
    """ "Dawn Tan (CNA)", "Question 1": a few capitalised words (numbers after the first)."""
    name_words = PARENTHETICAL.sub(" ", label).split()
    return (
        0 < len(name_words) <= MAX_JSON_LABEL_WORDS
        and name_words[0][0].isupper()
        and all(word[0].isupper() or word[0].isdigit() for word in name_words)
        and normalise_label(label) not in NON_SPEAKER_FIELDS
    )


def is_heading(rest: str) -> bool:
    """ "Crossroads: The Strategic Environment" -- a short title, not a sentence."""
    return len(rest.split()) <= MAX_HEADING_WORDS and not SENTENCE_END.search(rest)


def json_label(line: str) -> tuple[str, int] | None:
    match = JSON_LABEL.match(line)
    if match and reads_as_speaker(match["label"]) and not is_heading(match["rest"]):
        return match["label"], match.start("rest")
    return None


def count_json(path: Path, truth: Truth) -> None:
    record = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(record, dict) or not isinstance(record.get("content"), str):
        truth.error = "not a {title, date, content} record"
        return
    for line in record["content"].split("\n"):
        truth.read_unit(line, json_label(line))


COUNTERS = {"html": count_html, "md": count_markdown, "json": count_json}


def count_truth(path: Path) -> Truth:
    fmt = EXTENSIONS[path.suffix.lower()]
    truth = Truth(path=path, fmt=fmt, negative=path.name in NEGATIVE_FILES)
    try:
        COUNTERS[fmt](path, truth)
    except (OSError, ValueError) as error:  # unreadable, bad UTF-8, bad JSON, bad HTML
        truth.error = f"counter could not read the file: {error}"
    return truth


# --- the parser under test ----------------------------------------------------------------


def run_parser(paths: list[Path]) -> dict[str, dict]:
    """Run `manage.py parse_transcript` once on all files: {str(path): its JSON record}."""
    venv_python = PROJECT / ".venv" / "bin" / "python"
    python = str(venv_python) if venv_python.exists() else sys.executable
    command = [python, str(PROJECT / "manage.py"), "parse_transcript", *map(str, paths)]
    # Exit status 1 only means that some file failed; its line says which, so read stdout.
    result = subprocess.run(command, capture_output=True, text=True, cwd=PROJECT)
    records = []
    for line in result.stdout.splitlines():
        if line.startswith("{"):
            with contextlib.suppress(json.JSONDecodeError):  # a stray line is not a record
                records.append(json.loads(line))
    by_file = {record.get("file"): record for record in records}
    if not all(str(path) in by_file for path in paths) and len(records) == len(paths):
        by_file = {
            str(path): record for path, record in zip(paths, records, strict=True)
        }  # input order
    missing = (result.stderr.strip().splitlines() or ["no output"])[-1]
    return {
        str(path): by_file.get(
            str(path), {"file": str(path), "error": f"no output for this file ({missing})"}
        )
        for path in paths
    }


def parser_turns(record: dict) -> list[Turn]:
    """The parser's labelled statements, in order, as Turns (the note is not needed:
    normalisation drops parentheticals anyway)."""
    return [
        Turn(
            label=s["speaker_label"],
            note="",
            norm=normalise_label(s["speaker_label"]),
            start=first_words(s.get("paragraphs") or []),
        )
        for s in record.get("statements") or []
        if s.get("speaker_label")
    ]


def parser_words(record: dict) -> int:
    return sum(
        count_words(p) for s in record.get("statements") or [] for p in s.get("paragraphs") or []
    )


# --- comparison and report ----------------------------------------------------------------


def ratio(numerator: int, denominator: int) -> float:
    return numerator / denominator if denominator else 1.0


def matching_blocks(a: list, b: list):
    return difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_matching_blocks()


def align(expected: list[Turn], found: list[Turn]) -> list[tuple[int, int]]:
    """Pairs (i, j): expected turn i matched by found turn j (same normalised label).

    SequenceMatcher on the label sequences alone goes wrong on interviews: labels alternate
    ("Q", "MR. KIRBY", "Q", ...), so after one missed or extra turn its longest-block-first
    search can pair the two sequences at a shift of two and leave most turns unmatched. So the
    sequences are first aligned on (label, first words of the speech), which pins every turn
    that the parser cut at the same place under the same label; the stretches left between
    those blocks are then aligned on the labels alone, so a turn with the right label whose
    speech starts differently (e.g. a heading glued to it) still counts."""
    pairs: list[tuple[int, int]] = []
    matcher = difflib.SequenceMatcher(
        a=[t.key for t in expected], b=[t.key for t in found], autojunk=False
    )
    for tag, a0, a1, b0, b1 in matcher.get_opcodes():
        if tag == "equal":
            pairs += zip(range(a0, a1), range(b0, b1), strict=True)
        elif tag == "replace":
            labels_a = [t.norm for t in expected[a0:a1]]
            labels_b = [t.norm for t in found[b0:b1]]
            for block in matching_blocks(labels_a, labels_b):
                pairs += [(a0 + block.a + k, b0 + block.b + k) for k in range(block.size)]
    return pairs


def compare(truth: Truth, record: dict) -> dict:
    found = parser_turns(record)
    expected = truth.turns
    matched = len(align(expected, found))
    words = parser_words(record)
    notes = list(dict.fromkeys(truth.notes))  # once each, in order
    if truth.negative:
        notes.insert(0, "NEGATIVE: " + NEGATIVE_FILES[truth.path.name])
    return {
        "file": str(truth.path),
        "name": truth.path.name,
        "format": truth.fmt,
        "negative": truth.negative,
        "expected": len(expected),
        "found": len(found),
        "matched": matched,
        "precision": ratio(matched, len(found)),
        "recall": ratio(matched, len(expected)),
        "body_words": truth.body_words,
        "parser_words": words,
        "words_ratio": ratio(words, truth.body_words),
        "error": record.get("error", ""),
        "counter_error": truth.error,
        "notes": notes,
        "expected_labels": [asdict(turn) for turn in truth.turns],
    }


def totals(rows: list[dict]) -> dict:
    positive = [row for row in rows if not row["negative"]]
    matched = sum(row["matched"] for row in positive)
    found = sum(row["found"] for row in positive)
    expected = sum(row["expected"] for row in positive)
    body = sum(row["body_words"] for row in rows)
    words = sum(row["parser_words"] for row in rows)
    return {
        "files": len(rows),
        "expected": expected,
        "found": found,
        "matched": matched,
        "precision": ratio(matched, found),
        "recall": ratio(matched, expected),
        "body_words": body,
        "parser_words": words,
        "words_ratio": ratio(words, body),
        "errors": sum(bool(row["error"] or row["counter_error"]) for row in rows),
        "negative_files": sum(row["negative"] for row in rows),
        "negatives_with_turns": sum(row["negative"] and row["found"] > 0 for row in rows),
    }


def failed_targets(total: dict) -> list[str]:
    failures = []
    if total["errors"]:
        failures.append(f"{total['errors']} file(s) with errors (target: none)")
    if total["negatives_with_turns"]:
        failures.append(
            f"{total['negatives_with_turns']} negative file(s) with turns (target: none)"
        )
    if total["precision"] < TARGET_PRECISION:
        failures.append(f"precision {total['precision']:.4f} < {TARGET_PRECISION}")
    if total["recall"] < TARGET_RECALL:
        failures.append(f"recall {total['recall']:.4f} < {TARGET_RECALL}")
    if abs(total["words_ratio"] - 1) > TARGET_WORDS_TOLERANCE:
        failures.append(f"words ratio {total['words_ratio']:.4f} not within 1 % of 1")
    return failures


def short(name: str, width: int) -> str:
    return name if len(name) <= width else name[: width - 1] + "…"


def print_table(rows: list[dict], total: dict, by_format: dict[str, dict]) -> None:
    header = f"{'file':<36} {'fmt':<4} {'exp':>5} {'found':>5} {'match':>5} {'prec':>6} {'recall':>6} {'body w':>7} {'parser w':>8} {'w ratio':>7}  error / notes"
    print(header)
    print("-" * len(header))
    for row in rows:
        remarks = [
            row["counter_error"] and f"counter: {row['counter_error']}",
            row["error"] and f"parser: {row['error']}",
            *row["notes"],
        ]
        print(
            f"{short(row['name'], 36):<36} {row['format']:<4} {row['expected']:>5} {row['found']:>5} "
            f"{row['matched']:>5} {row['precision']:>6.3f} {row['recall']:>6.3f} "
            f"{row['body_words']:>7} {row['parser_words']:>8} {row['words_ratio']:>7.3f}  "
            + "; ".join(short(r, 110) for r in remarks if r)
        )
    print("-" * len(header))
    for label, summary in [*by_format.items(), ("ALL", total)]:
        print(
            f"{label:<5} files {summary['files']:>3}  expected {summary['expected']:>5}  found {summary['found']:>5}  "
            f"matched {summary['matched']:>5}  precision {summary['precision']:.4f}  recall {summary['recall']:.4f}  "
            f"body words {summary['body_words']:>7}  parser words {summary['parser_words']:>7}  "
            f"ratio {summary['words_ratio']:.4f}  errors {summary['errors']}  "
            f"negatives with turns {summary['negatives_with_turns']}/{summary['negative_files']}"
        )
    print("(precision and recall: non-negative files only; words: all files)")


def describe(turn: Turn, width: int) -> str:
    """ "Label (note) | first words of the speech", cut to `width`."""
    label = f"{turn.label} {turn.note}".strip()
    return short(f"{label} | {' '.join(turn.start)}", width)


def show(truth: Truth, record: dict) -> None:
    """The expected and found turns side by side, in the alignment the score uses."""
    expected, found = truth.turns, parser_turns(record)
    pairs = align(expected, found)
    print(f"{truth.path}: expected {len(expected)}, found {len(found)}, matched {len(pairs)}")
    if record.get("error"):
        print(f"parser error: {record['error']}")
    for note in dict.fromkeys(truth.notes):
        print(f"note: {note}")
    width = 60
    print(f"     {'#':>4} {'expected: label | first words':<{width}}    {'#':>4} found")
    paired_a = {i for i, _ in pairs}
    paired_b = {j for _, j in pairs}
    pair_set = set(pairs)
    i = j = 0
    while i < len(expected) or j < len(found):
        left = right = None
        if (i, j) in pair_set:
            mark, left, right = " ", i, j
        elif i < len(expected) and j < len(found) and i not in paired_a and j not in paired_b:
            mark, left, right = "~", i, j
        elif i < len(expected) and i not in paired_a:
            mark, left = "-", i
        else:
            mark, right = "+", j
        left_text = (
            f"{left + 1:>4} {describe(expected[left], width):<{width}}"
            if left is not None
            else " " * (width + 5)
        )
        right_text = f"{right + 1:>4} {describe(found[right], width)}" if right is not None else ""
        print(f"  {mark}  {left_text}    {right_text}")
        i += left is not None
        j += right is not None
    print("(' ' matched, '~' unmatched pair, '-' expected only, '+' found only)")


def collect(paths: list[str]) -> list[Path]:
    files: list[Path] = []
    for given in paths:
        path = Path(given).resolve()
        if path.is_dir():
            # A folder's README.md describes the corpus; it is not a transcript.
            files += sorted(
                p
                for p in path.rglob("*")
                if p.is_file() and p.suffix.lower() in EXTENSIONS and p.stem.upper() != "README"
            )
        elif path.suffix.lower() in EXTENSIONS:
            files.append(path)
        else:
            sys.exit(f"not a folder or a .html/.md/.json file: {given}")
    return list(dict.fromkeys(files))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="*", help=f"files or folders (default: {DEFAULT_CORPUS})")
    parser.add_argument(
        "--json", action="store_true", help="print totals and per-file rows as JSON"
    )
    parser.add_argument(
        "--show", metavar="FILE", help="print the aligned label sequences of one file"
    )
    args = parser.parse_args(argv)

    signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # allow `... --show FILE | head`
    if args.show:
        [path] = collect([args.show])
        show(count_truth(path), run_parser([path])[str(path)])
        return 0

    files = collect(args.paths or [str(DEFAULT_CORPUS)])
    if not files:
        sys.exit("no .html, .md or .json files found")
    records = run_parser(files)
    rows = [compare(count_truth(path), records[str(path)]) for path in files]
    total = totals(rows)
    by_format = {
        fmt: totals(group)
        for fmt in EXTENSIONS.values()
        if (group := [r for r in rows if r["format"] == fmt])
    }
    failures = failed_targets(total)

    if args.json:
        print(
            json.dumps(
                {
                    "totals": total,
                    "by_format": by_format,
                    "failed_targets": failures,
                    "files": rows,
                },
                ensure_ascii=False,
                indent=1,
            )
        )
    else:
        print_table(rows, total, by_format)
        print()
        print("FAILED: " + "; ".join(failures) if failures else "all targets met")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
