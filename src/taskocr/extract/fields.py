"""Pure parsers for the fields written on a task line.

Each parser takes the line's text and returns what it found plus the text with that part
removed, so they can run one after another: marker → due date → priority → assignee.
They are tolerant of what handwriting becomes after OCR (an arrow read as ``~>`` or ``7``,
a slash read as ``1`` or ``|``) but never guess a value that is not written.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Callable, Iterable

from rapidfuzz.distance import Levenshtein
from dataclasses import dataclass

from ..model import Priority

_SPACE = re.compile(r"\s+")


# letters from other scripts that look like Latin ones, as recognisers trained on many
# scripts sometimes return them ("asaρ", "Аna")
_CONFUSABLES = str.maketrans({
    "ρ": "p", "ο": "o", "α": "a", "ε": "e", "ι": "i", "κ": "k", "ν": "v", "τ": "t", "χ": "x",
    "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "х": "x", "у": "y", "і": "i", "ј": "j",
    "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C",
    "Т": "T", "Х": "X", "Ι": "I", "Ο": "O", "Ρ": "P", "Τ": "T", "Χ": "X",
})


def fold_confusables(text: str) -> str:
    # NFKC first: full-width colons and brackets, ligatures, superscript digits
    return unicodedata.normalize("NFKC", text).translate(_CONFUSABLES)


# Field words whose value was lost or unreadable, left at the end of a line: "due 1o/",
# "oue lbno", "owuer", "OWNETZ". The title must not keep them.
_DEBRIS_DUE = re.compile(r"\s+(?:due|oue|dve|dwe|ove)\b[.:]?\s*[\w/.\-|]{0,10}\W*$", re.I)
_DEBRIS_OWNER = re.compile(
    r"\s+(?=\S{5,})(?!owners?\b(?!\s*:))o[wu][nu]?\s?e?[rtnz]{1,2}[.:]?\W*$|(?:\s+|(?<=[a-z])(?=A))assig[nu]ed\s*(?:t[oa0])?[.:]?\W*$",
    re.I,
)


def strip_field_debris(text: str) -> str:
    for rx in (_DEBRIS_DUE, _DEBRIS_OWNER):
        m = rx.search(text)
        if m and len(text[: m.start()].split()) >= 2:
            text = text[: m.start()]
    return tidy(text)


def tidy(text: str) -> str:
    """Collapse spaces and trim the punctuation that separated a removed field from the title."""
    text = _SPACE.sub(" ", text).strip()
    text = re.sub(r"\s+([,.;:!?)\]])", r"\1", text)
    text = re.sub(r"([(\[])\s+", r"\1", text)
    text = re.sub(r"\(\s*\)|\[\s*\]", "", text)
    return text.strip(" -–—,;:·•|>~=").strip()


# --- list markers and checkboxes --------------------------------------------------------------


@dataclass(frozen=True)
class Marker:
    bulleted: bool  # a bullet, number, letter or checkbox started the line
    done: bool | None  # None: no checkbox at all; False: empty box; True: ticked / checked
    rest: str


_TICKS = "✓✔☑✅☒⊠√"
# a closing bracket is often read as I, l, 1, | or J
_CHECKED_BOX = re.compile(r"^[\[(【{]\s*[xX×✓✔vV✗✘*/\\]\s*[\])】}Il1|J]\s*")
# an empty box drawn by hand comes back as "[ ]", "[J", "[3", "CJ", "LJ", "口"…
_EMPTY_BOX = re.compile(r"^(?:[\[(【{]\s*[\])】}J3Il1|](?=\s)|[\[(【{]\s*[\])】}]|[☐□▢口⬜◻]|[CLI]\s?[J\]コ](?=\s|[A-Z]))\s*")
_TICK = re.compile(rf"^[{_TICKS}]\s*")
_BULLET = re.compile(r"^(?:[-–—•*·∙●○◦▪■<>~=+]{1,2}(?=\s|[A-Za-z(\[])|[-–—•*·]\s)\s*")
# "1." is often read as "I." or "l."; a bullet dot "•" as a plain "." before a capital
_NUMBERED = re.compile(
    r"^(?:\d{1,2}|[a-hA-H]|[Il|sSzZ]|(?:i{1,3}|iv|vi{0,3}|ix|xi{0,3}|xiv|xv))\s?[.)](?=\s|[A-Za-z])\s*"
    r"|^[.,](?=\s?[A-Za-z])\s*"
)


# The recogniser also reads Chinese, so a hand-drawn mark before Latin text often comes back
# as one CJK glyph: a box with strokes inside as 日 田 区 回 目 (ticked), anything else as a bullet
_CJK_MARK = re.compile(r"^(?!口)([\u2E80-\u9FFF\u3040-\u30FF])\s*(?:[-–—•*·]\s*)?(?=[A-Za-z])")  # 口: an empty box
_CJK_TICKED = frozenset("日田区回目図囗")

# a bullet journal's cross: "x closures", "X standup" (done); a bullet may stand before it
_CROSS = re.compile(r"^[xX×✗✘]\s+(?=[A-Za-z]{2})")

# what a ticked box becomes in a list of empty boxes: one stray capital or symbol
_TICKED_GUESS = re.compile(r"^(?![AaIi0-9])([^\s\w]|[A-Z])\s+(?=\S)")


def ticked_box_guess(text: str) -> Marker | None:
    """In a list whose other lines start with empty boxes, a line starting with a lone
    letter such as "M" or "X" started with a ticked box the recogniser could not name."""
    m = _TICKED_GUESS.match(text.strip())
    return Marker(True, True, text.strip()[m.end():].strip()) if m else None


def parse_marker(text: str) -> Marker:
    s = text.strip()
    bulleted = False
    m = _CJK_MARK.match(s)
    if m and m.group(1) in _CJK_TICKED:
        return Marker(True, True, s[m.end():].strip())
    m = m or _BULLET.match(s) or _NUMBERED.match(s)
    if m:
        bulleted, s = True, s[m.end():]
    m = _CROSS.match(s)
    if m:
        return Marker(True, True, s[m.end():].strip())
    for pattern, done in ((_CHECKED_BOX, True), (_TICK, True), (_EMPTY_BOX, False)):
        m = pattern.match(s)
        if m:
            rest = s[m.end():]
            after = _BULLET.match(rest) or _NUMBERED.match(rest)  # "✓ a) …": tick, then number
            return Marker(True, done, (rest[after.end():] if after else rest).strip())
    # a tick written after the text ("Buy milk ✓") also marks it done
    m = re.search(rf"\s*[{_TICKS}]\s*$", s)
    if m:
        return Marker(bulleted, True, s[: m.start()].strip())
    return Marker(bulleted, None, s.strip())


# --- priority ---------------------------------------------------------------------------------

PRIORITY_WORDS: dict[str, Priority] = {
    "urgent": Priority.URGENT, "asap": Priority.URGENT, "critical": Priority.URGENT,
    "high": Priority.HIGH, "important": Priority.HIGH,
    "low": Priority.LOW, "minor": Priority.LOW, "whenever": Priority.LOW, "someday": Priority.LOW,
}
_ONE = str.maketrans({"I": "1", "l": "1", "|": "1", "i": "1", "!": "1", "/": "1", "+": "4", "Z": "2", "z": "2"})
_P_LEVELS = {"1": Priority.URGENT, "2": Priority.HIGH, "3": Priority.MEDIUM, "4": Priority.LOW}
_WORDS = "|".join(PRIORITY_WORDS)
# a priority word counts where people put one: first or last on the line, in brackets, or
# with "priority"; inside the title ("review low-risk items") it is just a word
_P_WORD_EDGE = re.compile(
    rf"(?:^|(?<=[\s(\[)\]]))(?:priority\s*[:=]?\s*)?\b({_WORDS})\b(?:\s*priority)?\s*[:!]*(?=\s*$|\s*[)\]])",
    re.I,
)
# leading, with its colon or without it before a capitalised title ("urgent Schedule …")
_P_WORD_LEAD = re.compile(
    rf"^\s*[(\[]?\s*({_WORDS})\b\s*[)\]]?\s*[:!.;\-–—]+\s*"
    r"|^\s*(urgent|asap)\s+(?=(?-i:[A-Z][a-z]))",
    re.I,
)
_P_WORD_BRACKET = re.compile(rf"[(\[]\s*({_WORDS})\s*[)\]]", re.I)
# "p2" as written and as read ("PZ", "pl"); glued to what precedes it only at the line's end
_P_LEVEL = re.compile(
    r"(?:^|(?<=\s)|(?<=[-–—])(?=[pP]\S\s*$)|(?<=[a-z])(?=P\S\s*$))[(\[]?\s*[pP]\s?([1-4Il|i!+Zz/])(?![\w])\s*[)\]]?"
)
_BANGS = re.compile(r"\s*(!{1,3}|[!1l|I]?!{2})\s*(?=$|[\s)\]])|^\s*(!{1,3})\s*")


def parse_priority(text: str) -> tuple[Priority | None, str]:
    found: Priority | None = None

    def take(p: Priority) -> None:
        nonlocal found
        if found is None or _rank(p) > _rank(found):
            found = p

    for rx in (_P_WORD_LEAD, _P_WORD_BRACKET, _P_WORD_EDGE):
        m = rx.search(text)
        if m:
            take(PRIORITY_WORDS[(m.group(1) or m.group(2)).lower()])
            text = text[: m.start()] + " " + text[m.end():]
    if found is None:
        text, found = _fuzzy_last_word(text)
    m = _P_LEVEL.search(text)
    if m:
        take(_P_LEVELS[m.group(1).translate(_ONE)])
        text = text[: m.start()] + " " + text[m.end():]
    m = _BANGS.search(text)
    if m:
        bangs = m.group(1) or m.group(2)
        take(Priority.URGENT if len(bangs) >= 3 else Priority.HIGH)
        text = text[: m.start()] + " " + text[m.end():]
    return found, tidy(text)


def near_keyword(word: str, keywords: Iterable[str], budget: Callable[[str], int]) -> str | None:
    """The keyword ``word`` is a misreading of, if any: at most ``budget(keyword)`` edits
    away (a budget of 0 leaves that keyword out)."""
    word = word.lower()
    for key in keywords:
        edits = budget(key)
        if edits and Levenshtein.distance(word, key, score_cutoff=edits) <= edits:
            return key
    return None


def _fuzzy_last_word(text: str) -> tuple[str, Priority | None]:
    """A misread priority word ending the line ("URGEN'T", "MINOTR", "critcal")."""
    m = re.search(r"(?:^|\s)([A-Za-z'’]{4,})\W*$", text)
    if not m:
        return text, None
    key = near_keyword(re.sub(r"['’]", "", m.group(1)), PRIORITY_WORDS, _one_edit_if_long)
    return (text[: m.start()], PRIORITY_WORDS[key]) if key else (text, None)


def _one_edit_if_long(key: str) -> int:
    # one wrong letter in a short word makes another word ("low" → "law"); "asap" is distinctive
    return 1 if len(key) >= 5 or key == "asap" else 0


def _rank(p: Priority) -> int:
    return [Priority.LOW, Priority.MEDIUM, Priority.HIGH, Priority.URGENT].index(p)


# --- assignee ---------------------------------------------------------------------------------

# a name's capital is sometimes read as a digit ("0aniel", "7atima"): the roster repairs it
_NAME = r"(?:[A-Za-zÀ-ÖØ-öø-ÿ]|\d(?=[a-zß-öø-ÿ]{3}))[A-Za-zÀ-ÖØ-öø-ÿ'’.-]*"
_CAP_NAME = r"[A-ZÀ-ÖØ-Þ][A-Za-zÀ-ÖØ-öø-ÿ'’.-]*"
# Arrows as written and as OCR reads a hand-drawn one: →, ->, =>, ~>, -7, —>, »
_ARROW = r"(?:→|⟶|➔|➜|⇒|=>|[-–—~=_]+\s?[>7»›]|»|›)[>»›.:]*"
# "owner" as OCR reads it: owner, owne r, ownet, own3r; "assigned to" as "assigned ta"
_OWNER = r"(?:assig[nu]ed\s*t[oa0]|o[wun]{1,2}\s?e?\s?[rtn]|assignee|who)"
_ASSIGNEE_PATTERNS = (
    re.compile(rf"\b{_OWNER}\b\s*[:=.;,]?\s*({_NAME}(?:\s+{_NAME})?)\s*$", re.I),
    re.compile(rf"{_ARROW}\s*[(\[]?({_NAME}(?:\s+{_CAP_NAME})?)"),  # "=> (iam": L read as (
    re.compile(rf"@\s?({_NAME})"),
    # a closing bracket is often read as 1, I or l; an opening one as C or E ("CBen]")
    re.compile(rf"[(\[]\s*({_NAME}(?:\s+{_NAME})?)\s*(?:[)\]]|[1Il|](?=\s*$))"),
    # (the name must be written in lower case after its capital: "CAKE" is not "(Ake")
    re.compile(r"(?<![\w])[CE]([A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ][A-Za-zÀ-ÖØ-öø-ÿ'’.-]+)(?:[)\]3J1]|(?=\s*$))"),
    # a bare dash or ">" before a capitalised name that ends the line: "Buy bin bags — Liam"
    re.compile(rf"(?:\s[-–—~>]+\s?|[-–—]\s|[–—])({_CAP_NAME})\s*$"),
)
_NAME_THEN_TEXT = (_ASSIGNEE_PATTERNS[1], _ASSIGNEE_PATTERNS[2])  # arrow and @: more may follow
# Brackets and a bare dash hold many other things in ordinary writing ("Nice (France)",
# "milk (2x)", "Lunch - Deli"): those forms name a person only when the roster knows them.
_WEAK = frozenset(_ASSIGNEE_PATTERNS[3:])
_NOT_NAMES = set(PRIORITY_WORDS) | {
    "x", "done", "today", "tomorrow", "tonight", "asap", "tbd", "todo", "wip", "ok", "optional",
    "mon", "tue", "wed", "thu", "fri", "sat", "sun",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "the", "a", "an", "and", "or", "to", "for", "by", "of", "in", "on", "at", "with", "me", "us",
}


@dataclass(frozen=True)
class Assignee:
    name: str | None
    rest: str
    weak: bool = False  # written in a form that needs the roster's confirmation


def parse_assignee(text: str) -> tuple[str | None, str]:
    """An assignee in a form that stands on its own (arrow, @, owner:); see ``find_assignee``."""
    found = find_assignee(text, weak=False)
    return found.name, found.rest


def find_assignee(text: str, weak: bool = True) -> Assignee:
    for rx in _ASSIGNEE_PATTERNS:
        if rx in _WEAK and not weak:
            continue
        for m in rx.finditer(text):
            name = m.group(1).strip(" .'’-")
            words = name.split()
            while words and words[-1].lower() in _NOT_NAMES:
                words.pop()
            if not words or words[0].lower() in _NOT_NAMES or len(words[0]) < 2:
                continue
            name = " ".join(words)
            end = m.start(1) + m.group(1).find(words[-1]) + len(words[-1])
            if rx not in _NAME_THEN_TEXT:  # the match runs to its closing bracket or line end
                end = m.end()
            rest = text[: m.start()] + " " + text[end:]
            # after an arrow, a word in lower case is the rest of a sentence ("-> see ticket");
            # "@" standing apart is "at" ("talk @ FITC", "film @ home"), unless it is someone
            lower = rx is _ASSIGNEE_PATTERNS[1] and name[:1].islower()
            at = rx is _ASSIGNEE_PATTERNS[2] and m.group(0)[1:2].isspace()
            return Assignee(_capitalise(name), tidy(rest), rx in _WEAK or lower or at)
    return Assignee(None, tidy(text))


def _capitalise(name: str) -> str:
    if name.isupper() and len(name) > 2:  # written in capitals, like the rest of the line
        return name.title()
    return " ".join(w[:1].upper() + w[1:] for w in name.split())
