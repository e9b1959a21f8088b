"""Due dates as people write them on a list, and as OCR reads them back.

Numeric dates are parsed here because handwriting needs it: a slash is often read as
``1``, ``l``, ``I`` or ``|`` (``17112/2025``), and the day/month order is a setting with
an impossible order resolving itself. Month names, weekdays and relative words go to
``dateparser`` with the reference date (the photo's capture date) as "now".
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from functools import lru_cache

from ..config import DateOrder
from .fields import near_keyword, tidy

_ONE = str.maketrans({"I": "1", "i": "1", "l": "1", "L": "1", "|": "1", "O": "0", "o": "0"})
# "due" as OCR reads it too: duc, oue, dve
_DUE_WORDS = r"due|duc|oue|dve|by|until|before|deadline"
_LEAD = rf"(?:(?:{_DUE_WORDS}|till|on|due\s+date|due\s+by)\s*[:.\-]?\s*)?"
_SEP = r"[/.\-–—|\\lI]"
# also as read back: one separator lost ("2025-0408"), a "!" after it read as 1 ("2025-07-181")
_ISO = re.compile(
    rf"{_LEAD}(?<!\d)(20\d\d)\s?[-–—/.]\s?(\d{{1,2}})\s?[-–—/.]\s?(\d{{1,2}})(?:(?!\d)|[1Il|](?=\W|$))"
    rf"|{_LEAD}(?<!\d)(20\d\d)(?:[-–—/.](\d\d)(\d\d)|(\d\d)[-–—/.](\d\d))(?!\d)",
    re.I,
)
# d/m/y with real or misread separators; the year is optional ("due 5/12", "17.12.")
_NUMERIC = re.compile(
    rf"{_LEAD}(?<![\w/])(?<!\d[.\-])(\d{{1,2}})\s?({_SEP})\s?(\d{{1,2}})(?:\s?({_SEP})\s?(\d{{4}}|\d{{2}}))?(?:\.(?!\d))?(?![\w/]|[.\-]\d)",
    re.I,
)
# a run of digits and separators where some separators were read as the digit 1
_GLUED = re.compile(rf"{_LEAD}(?<![\w/])(\d[\d/.\-|\\lI]{{4,10}}\d)(?![\w/])", re.I)
_MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
# a handwritten 1 is often read as I, l or |
_DAY = r"(\d{1,2}|[Il|]\d?|\d[Il|O]|[Il|]{2})(?:st|nd|rd|th)?(?![\w])"
_NAMED = re.compile(
    rf"{_LEAD}\b(?:{_DAY}[\s,]*(?:of\s+)?({_MONTHS})|({_MONTHS})\s*{_DAY})(?:,?\s*(20\d\d))?\b",
    re.I,
)
_SHORT_DAYS = r"(?:mon|tue|tues|wed|weds|thu|thur|thurs|fri|sat|sun)"
_WEEKDAYS = rf"{_SHORT_DAYS}(?:day|sday|nesday|rsday|urday)?"
_RELATIVE = re.compile(
    rf"{_LEAD}\b(today|tonight|tomorrow|tmrw|tmr|next\s+w[eo][ec]k|this\s+week|end\s+of\s+(?:the\s+)?week|eow"
    rf"|(?:next\s+|this\s+)?{_WEEKDAYS})\b\.?",
    re.I,
)


def _valid(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _year(y: str | None, m: int, d: int, ref: date) -> date | None:
    if y:
        yy = int(y)
        return _valid(yy + 2000 if yy < 100 else yy, m, d)
    # no year written: the next time that day comes round, counting the reference day
    first = _valid(ref.year, m, d)
    if first is None:
        return _valid(ref.year + 1, m, d) if (m, d) == (2, 29) else None
    return first if first >= ref else _valid(ref.year + 1, m, d)


def _day_month(a: int, b: int, order: DateOrder) -> tuple[int, int] | None:
    d, m = (a, b) if order is DateOrder.DMY else (b, a)
    if 1 <= m <= 12 and 1 <= d <= 31:
        return d, m
    if 1 <= d <= 12 and 1 <= m <= 31:  # the other order is the only one that exists
        return m, d
    return None


def _numeric(a: str, b: str, y: str | None, order: DateOrder, ref: date) -> date | None:
    dm = _day_month(int(a), int(b), order)
    return _year(y, dm[1], dm[0], ref) if dm else None


def _split_glued(token: str, order: DateOrder, ref: date) -> date | None:
    """``17112/2025``: choose which characters were the two separators (a real one, or a
    ``1`` that was a slash). Only an unambiguous reading is accepted."""
    real = [i for i, ch in enumerate(token) if not ch.isdigit()]
    ones = [i for i, ch in enumerate(token) if ch == "1"]
    if len(real) > 2:
        return None
    found = set()
    for i in sorted(set(real + ones)):
        for j in sorted(set(real + ones)):
            if j <= i + 1 or any(r not in (i, j) for r in real):
                continue
            a, b, y = token[:i], token[i + 1 : j], token[j + 1 :]
            if not (a.isdigit() and b.isdigit() and y.isdigit()):
                continue
            if len(a) <= 2 and len(b) <= 2 and len(y) in (2, 4):
                d = _numeric(a, b, y, order, ref)
                if d:
                    found.add(d)
    return found.pop() if len(found) == 1 else None


@lru_cache(maxsize=4096)
def _dateparser(phrase: str, ref: date, order: DateOrder) -> date | None:
    import dateparser

    got = dateparser.parse(
        phrase,
        languages=["en"],
        settings={
            "PREFER_DATES_FROM": "future",
            "RELATIVE_BASE": datetime(ref.year, ref.month, ref.day),
            "DATE_ORDER": order.value.upper(),
        },
    )
    return got.date() if got else None


def _relative(word: str, ref: date, order: DateOrder) -> date | None:
    w = re.sub(r"\s+", " ", word.lower()).strip(". ")
    if w in ("today", "tonight"):
        return ref
    if w in ("tomorrow", "tmrw", "tmr"):
        return ref + timedelta(days=1)
    if w.startswith("next w") and len(w) == 9:  # "next week", and "next weck" as misread
        return ref + timedelta(days=7)
    if w in ("this week", "end of week", "end of the week", "eow"):
        return ref + timedelta(days=(4 - ref.weekday()) % 7)  # that week's Friday
    w = re.sub(r"^(this|next) ", "", w)
    return _dateparser(w, ref, order)


# inside a date-shaped token, letters that are digits misread: O→0, Z→2, S→5, I/l/|→1
_DIGITISH = re.compile(
    r"(?<![A-Za-z])(?=[\dOoZzSsIl|Y/.\-]*\d)[\dOoZzSsIl|Y]{1,4}(?:[/.\-][\dOoZzSsIl|Y]{1,4}){1,2}\.?(?![A-Za-z])"
)
_AS_DIGIT = str.maketrans(
    {"O": "0", "o": "0", "Z": "2", "z": "2", "S": "5", "s": "5", "I": "1", "l": "1", "|": "1", "Y": "4"}
)
_WEEKDAY_WORDS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# relative words as OCR misreads them at the end of a line ("todal", "tomorow", "Fridav")
FUZZY_WORDS = ("today", "tomorrow", *_WEEKDAY_WORDS)


# a run of digits with some read as letters and the separators lost: "o411212o25"
_DIGIT_RUN = re.compile(r"(?<![A-Za-z])(?=(?:[OoZzSsIl|]*\d){4})[\dOoZzSsIl|]{6,10}(?![A-Za-z])")


def _fix_digits(text: str) -> str:
    text = _DIGITISH.sub(lambda m: m.group(0).translate(_AS_DIGIT), text)
    return _DIGIT_RUN.sub(lambda m: m.group(0).translate(_AS_DIGIT), text)


def parse_due_date(text: str, ref: date, order: DateOrder = DateOrder.DMY) -> tuple[date | None, str]:
    """The first due date written in ``text``, and the text without it."""
    found = _parse(text, ref, order)
    if found[0] is None:
        unglued = _unglue(text)
        for fixed in (_fix_digits(text), _fix_last_word(text), unglued, _fix_digits(unglued),
                      _fix_month_name(unglued)):
            if fixed != text:
                got = _parse(fixed, ref, order)
                if got[0] is not None:
                    return got
    return found


def _unglue(text: str) -> str:
    """Handwriting packed tight comes back without spaces: "windows11 Mar", "29Aug", "due3/3"."""
    text = re.sub(r"(?<=[A-Za-z])(?=\d)", " ", text)
    return re.sub(rf"(?<=\d)(?={_MONTHS}\b)", " ", text, flags=re.I)


_MONTH_WORDS = ("january", "february", "march", "april", "june", "july", "august", "september",
                "october", "november", "december")
_MONTH_ABBRS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_DAY_ISH = r"[\dOoZzSsIl|Y]{1,2}(?:st|nd|rd|th)?"
# a misread month name next to a day: "29 Nou", "Aog 11", "teb 19", "IO MARV", "Ootober 1st"
# (a lookahead, so that "kickoff 29" does not hide "29 Nou")
_MONTH_PAIR = re.compile(
    rf"(?<![\w/])(?=(?P<pair>(?P<d1>{_DAY_ISH})\s+(?P<m1>[A-Za-z]{{3,9}})|(?P<m2>[A-Za-z]{{3,9}})\.?\s+(?P<d2>{_DAY_ISH}))(?![\w/]))"
)
_LEAD_WORD = re.compile(rf"\b(?:{_DUE_WORDS})\W*$", re.I)


def _fix_month_name(text: str) -> str:
    """Spell out a month the recogniser misread by a letter or two, where a day stands next
    to it and the pair ends the line or follows "due"/"by": elsewhere "1 can" stays a can."""
    text = re.sub(r"(?<=\d)(?=[A-Za-z]{3})", " ", text)
    for m in _MONTH_PAIR.finditer(text):
        word, day = (m.group("m1"), m.group("d1")) if m.group("m1") else (m.group("m2"), m.group("d2"))
        if word.lower() in _MONTH_ABBRS and day.isdigit():
            continue  # nothing misread: the date parsers already declined it
        start, end = m.span("pair")
        led = _LEAD_WORD.search(text[:start]) is not None
        if not (led or not re.search(r"[A-Za-z]{2,}", text[end:])):
            continue
        key = near_keyword(word, _MONTH_WORDS, lambda k: 2 if len(k) >= 7 else 1) or near_keyword(
            word, _MONTH_ABBRS, lambda k: 1
        )
        # three letters one edit from a month are often another word ("2 can"): without
        # "due"/"by" in front, the first letter must be right
        if key is None or (len(word) <= 4 and not led and word[0].lower() != key[0]):
            continue
        digits = re.sub(r"(?:st|nd|rd|th)$", "", day).translate(_AS_DIGIT)
        if not digits.isdigit():
            continue
        return f"{text[:start]} {digits} {key[:3]} {text[end:]}"
    return text


def _fix_last_word(text: str) -> str:
    m = re.search(r"([A-Za-z]{5,})\W*$", text)
    if m:
        key = near_keyword(m.group(1), FUZZY_WORDS, lambda k: 1 if len(k) <= 6 else 2)
        if key:
            return text[: m.start(1)] + key
    return text


# a weekday cut to three letters is also a word ("sun", "sat", "wed"): alone in the middle of
# a line, with no "by" or "due" before it, it is read as the word
_SHORT_DAY = re.compile(_SHORT_DAYS, re.I)


def _inside(text: str, m: re.Match) -> bool:
    return bool(re.search(r"\w", text[: m.start()])) and bool(re.search(r"\w", text[m.end():]))


def _parse(text: str, ref: date, order: DateOrder) -> tuple[date | None, str]:
    # handwriting squeezes "by"/"due" onto the date: "byThursday", "Due5/12"
    text = re.sub(r"\b([Bb]y|[Dd]ue|DUE|BY)(?=[A-Z0-9])", r"\1 ", text)
    candidates = []
    for m in _ISO.finditer(text):
        y, mo, dd = (g for g in m.groups() if g is not None)
        d = _valid(int(y), int(mo), int(dd))
        if d:
            candidates.append((m, d))
    for m in _NUMERIC.finditer(text):
        a, sep1, b, sep2, y = m.groups()
        if sep2 and y is None:
            continue
        if sep1 in "-–—" and y is None and not m.group(0).rstrip().endswith("."):
            continue  # "3-4" is a range, not a date
        d = _numeric(a, b, y, order, ref)
        if d:
            candidates.append((m, d))
    for m in _NAMED.finditer(text):
        day = int((m.group(1) or m.group(4)).translate(_ONE))
        month = _dateparser(f"{day if day <= 28 else 1} {m.group(2) or m.group(3)} 2000", ref, order)
        if month:
            d = _year(m.group(5), month.month, day, ref)
            if d:
                candidates.append((m, d))
    for m in _RELATIVE.finditer(text):
        if _SHORT_DAY.fullmatch(m.group(1)) and m.start(1) == m.start() and _inside(text, m):
            continue  # "THE SUN EATER", "SAT on the bench": a word, not a weekday
        d = _relative(m.group(1), ref, order)
        if d:
            candidates.append((m, d))
    if not candidates:
        for m in _GLUED.finditer(text):
            d = _split_glued(m.group(1), order, ref)
            if d:
                candidates.append((m, d))
    if not candidates:
        return None, text
    m, d = min(candidates, key=lambda c: c[0].start())
    return d, tidy(text[: m.start()] + " " + text[m.end():])


# --- calendar labels ------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def calendar_names() -> frozenset[str]:
    """Month and weekday names written out, lower case, in English and the other languages
    pages are read in (``dateparser``'s own lists): a planner's "Enero" or "Montag" alone on
    its line heads what follows, as "January" does."""
    from dateparser.languages.loader import default_loader

    from ..engines.lexicon import ENGLISH, OTHER_LANGUAGES

    names = set()
    for locale in default_loader.get_locales(languages=[ENGLISH, *OTHER_LANGUAGES]):
        for key in (*_MONTH_WORDS, "may", *_WEEKDAY_WORDS):  # dateparser's keys are the English names
            # abbreviations ("mar", "lun") are words of other languages too
            names.update(n.lower() for n in locale.info.get(key, []) if len(n) >= 4 and n.isalpha())
    return frozenset(names)


def is_calendar_label(text: str) -> bool:
    """A row that is a month or a weekday, and perhaps a number: "Febrero", "Monday 25"."""
    words = re.findall(r"[^\W\d_]+", text)
    return 0 < len(words) <= 2 and all(w.lower() in calendar_names() for w in words)
