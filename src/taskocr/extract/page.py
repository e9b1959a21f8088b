"""What kind of page this is, decided before any task is made.

A page of prose, a letter or lecture notes holds sentences, not tasks: every line of it
must not become a task. Lists differ from running text in ways OCR keeps even when it
misreads letters: short rows, markers and checkboxes, rows that start with a capital or a
marker rather than in the middle of a sentence, and rows that do not run to a common
right margin. The decision is a score over those signs; its weights were set on the real
development pages (bench/README.md, "Real handwriting").

On a page that is not a list only explicit action items become tasks: a checkbox, or a row
that says it is one ("TODO", "Action:", "AI:"). A page that is a list only by its bullets is
notes: its rows are read as a list's, but a row is a task only when something says so (a
checkbox, a label, a date, a person, a to-do verb), not a bullet, which marks a point.
"""

from __future__ import annotations

import enum
import re
import unicodedata
from dataclasses import dataclass
from statistics import median

from .fields import Marker
from .layout import Row


BULLET_WEIGHT = 4.0  # in the text score: markers weigh most


class PageKind(str, enum.Enum):
    LIST = "list"
    # bullet points of notes: laid out as a list, but only rows something marks as a task
    # (a checkbox, "TODO:", a date, a person, a to-do verb) are tasks
    NOTES = "notes"
    TEXT = "text"  # prose, letters: only explicit action items are tasks
    KEY = "key"  # a bullet journal's key: what its marks mean, no tasks
    FORM = "form"  # a form's labels and the values written into them, no tasks


@dataclass(frozen=True)
class PageSigns:
    rows: int
    chars: float  # median letters and digits per row (OCR loses spaces, not letters)
    bulleted: float  # share of rows with a marker or checkbox
    boxes: int  # rows with a checkbox
    lower_start: float  # share of rows starting in the middle of a sentence
    sentence_end: float  # share of rows ending with . , ; or a hyphen
    fill: float  # share of rows reaching close to the common right margin
    function: float = 0.0  # share of words that are function words ("is", "she", "was", "que")
    verbs: float = 0.0  # share of rows opening with a to-do verb ("book", "call", "water")
    formula: float = 0.0  # share of rows of working: an equation, a percentage, a product

    def text_score(self) -> float:
        """Above 0: running text. Each term is one sign; markers weigh most."""
        long_rows = self.chars >= 22  # the other signs mean little on rows of a few words
        return (
            0.1 * (self.chars - 26)
            + (1.0 * self.lower_start + 1.0 * self.sentence_end + 1.5 * (self.fill - 0.5) if long_rows else 0.0)
            + 10.0 * (self.function - 0.08)
            # above the usual share they weigh more: a diary in a narrow column has short rows
            # like a list, but one word in seven is "she", "was", "is" (real dev pages: a
            # journal and two notebook pages of remarks stopped giving a task per line)
            + 15.0 * max(0.0, self.function - 0.08)
            - BULLET_WEIGHT * self.bulleted
            # a list written without markers, all in lower case, still opens row after row
            # with what to do; prose rarely does (real dev pages of text: at most one row in
            # ten)
            - 3.0 * self.verbs
            - 1.0 * min(self.boxes, 3)
            # notebooks of working and measurements: on real dev pages of notes 14-25 % of
            # rows, on lists at most 7 % (weighed 5: an Italian page of meter settings stopped
            # giving 15 tasks; 20: a lab notebook's calculation and lecture notes too, 39 fewer;
            # 30: a list of network checks read as text)
            + 20.0 * self.formula
        )


# Sentences are held together by pronouns, auxiliaries, conjunctions and negation; to-do
# items mostly do without them ("Call the bank about the loan"), articles and prepositions
# they do use. Per language the recogniser reads (engines.lexicon); left out are words that
# are also common words of a list in another of them ("car", "min", "mon", "on", "to", "of",
# "bin", "hat", "ale", "no", "du", "de", "en", "le", "les") and single letters, which OCR
# makes of bullets and ticks. Real dev pages: an Italian page of instructions and a packing
# note no longer read as lists.
_FUNCTION_WORDS_BY_LANGUAGE = {
    "en": "am and are be been but could did does had has he her him his i if is it its me my not our she "
          "than that their them then there these they this those was we were when which who would you your",
    "de": "ich er sie es wir ihr ist sind war waren hat haben hatte wird werden wurde kann muss dass und "
          "aber oder wenn weil nicht auch sich man dann als wie mein dein sein unser",
    "fr": "je tu il elle nous vous ils elles est sont était ont avait sera que qui mais et ou donc ne pas "
          "se ce cette ma mes son sa ses leur",
    "es": "yo tú él ella nosotros ellos ellas es son era fue ha han había que pero porque se lo sus mi mis "
          "este esta",
    "it": "io tu lui lei noi voi loro è sono era ha hanno che ma perché non si lo gli mi ti te questo "
          "questa mio suo",
    "pt": "eu tu ele ela nós eles elas é são era foi tem têm que mas porque não se lhe seu sua meu minha "
          "este esta isso",
    "nl": "ik jij je hij zij wij we het is zijn was waren heeft hebben had dat maar als niet ook er mijn haar",
    "pl": "ja ty ona oni jest są był była było że ale lub nie się jak mój jego jej",
    "tr": "biz siz onlar ve ama için değil bu şu ne gibi çok",
    "sv": "jag han hon vi är var har hade att och men eller inte som det sin",
}
_FUNCTION_WORDS = frozenset(w for words in _FUNCTION_WORDS_BY_LANGUAGE.values() for w in words.split())

# a row of working, not of things to do: "Pump time = 120 s x 38.5 %", "4 x 25", "E ~ mc^2"
# (not a dash or slash between digits: those are dates and ranges, which lists have; not
# "=>": an arrow to the person who is to do it)
_FORMULA = re.compile(r"(?<![<=])=(?![>=])|[%~^×÷]|\d\s*[x*]\s*\d")

# first words of tasks: "Write notes" or "Buy milk" on top of a list stays a task, and rows
# opening with them are a list's
TASK_VERBS = frozenset(
    "add apply arrange ask attend back bake book bring buy call cancel change charge check choose "
    "clean clear collect compare confirm contact cook copy deliver deploy do download draft drop email "
    "empty feed file fill find finish fix get give go hang help hire install invite iron join "
    "learn look mail make meet merge move mow order organise organize pack paint pay phone pick plan "
    "plant post practise practice prepare print publish put read recycle refill register remind remove "
    "renew rent repair replace reply research reserve return review ring run save scan schedule see "
    "sell send set share ship shop sign sort start study submit sweep take talk tell test text throw "
    "tidy try turn update upload vacuum visit walk wash watch water write "
    "build create decide define discuss edit estimate explore gather implement improve "
    "investigate migrate polish refactor revise rewrite sync translate use validate verify".split()
)


def first_word(text: str) -> str:
    """A row's first word, lower case, without punctuation: what TASK_VERBS is checked against."""
    words = text.split()
    return re.sub(r"\W", "", words[0]).lower() if words else ""


# The same in the other languages lists are written in, as infinitives: German and Dutch put
# them last ("Milch kaufen", "oma bellen"), the Romance languages first ("acheter du pain").
# Accents are folded: the recogniser drops them often.
_VERBS_LAST = (
    "kaufen einkaufen anrufen putzen bezahlen zahlen buchen schicken senden schreiben reparieren abholen "
    "bringen holen machen erledigen besorgen waschen aufräumen kochen backen packen bestellen kündigen "
    "wechseln reinigen saugen staubsaugen gießen mähen füttern planen vorbereiten lesen lernen üben prüfen "
    "klären fragen beantworten drucken unterschreiben ausfüllen abgeben einreichen anmelden vereinbaren "
    "besuchen mitnehmen zurückgeben verlängern erneuern tanken streichen aufhängen sortieren spülen bügeln "
    "entsorgen suchen organisieren reservieren absagen informieren überweisen beantragen ausmisten "
    "kopen bellen betalen boeken sturen schrijven repareren ophalen brengen halen maken doen wassen opruimen "
    "koken bakken inpakken bestellen opzeggen schoonmaken stofzuigen maaien voeren plannen voorbereiden "
    "lezen leren oefenen controleren vragen beantwoorden printen invullen inleveren aanmelden afspreken "
    "bezoeken meenemen terugbrengen verlengen verven ophangen sorteren afwassen strijken mailen zoeken "
    "regelen reserveren afzeggen"
)
_VERBS_FIRST = (
    "acheter appeler payer réserver envoyer écrire réparer chercher aller prendre faire laver ranger "
    "nettoyer cuisiner préparer commander annuler changer lire apprendre réviser vérifier demander "
    "répondre imprimer signer remplir rendre inscrire visiter rapporter renouveler arroser sortir trier "
    "repasser planifier organiser finir terminer contacter déposer récupérer "
    "comprar llamar pagar reservar enviar mandar escribir arreglar reparar buscar recoger traer llevar "
    "hacer lavar limpiar ordenar cocinar preparar pedir cancelar cambiar leer estudiar aprender repasar "
    "revisar comprobar preguntar responder contestar imprimir firmar rellenar entregar visitar devolver "
    "renovar regar sacar planchar planificar organizar terminar acabar contactar "
    "comprare chiamare pagare prenotare inviare mandare scrivere riparare cercare prendere ritirare portare "
    "fare lavare pulire sistemare cucinare preparare ordinare annullare cambiare leggere studiare imparare "
    "ripassare controllare verificare chiedere rispondere stampare firmare compilare consegnare visitare "
    "restituire rinnovare innaffiare buttare stirare pianificare organizzare finire contattare "
    "ligar escrever consertar arrumar pegar trazer fazer limpar cozinhar encomendar trocar ler estudar "
    "perguntar assinar preencher planejar"
)


def _fold(word: str) -> str:
    return unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode()


_FIRST_VERBS = frozenset(_fold(w) for w in (*TASK_VERBS, *_VERBS_FIRST.split()))
_LAST_VERBS = frozenset(_fold(w) for w in _VERBS_LAST.split())


def says_what_to_do(text: str) -> bool:
    """Whether a row opens with a to-do verb, or in German or Dutch ends with one."""
    words = [_fold(re.sub(r"\W", "", w)).lower() for w in text.split()]
    words = [w for w in words if w]
    return bool(words) and (words[0] in _FIRST_VERBS or words[-1] in _LAST_VERBS)


_ACTION = re.compile(r"^\W*(?:to\s?-?\s?do|action(?:\s+items?)?|ai|next\s+steps?|follow[\s-]?ups?)\b\s*[:\-–—]", re.I)


def signs(rows: list[tuple[Row, Marker]]) -> PageSigns:
    content = [(r, m) for r, m in rows if sum(ch.isalnum() for ch in m.rest) >= 2]
    if not content:
        return PageSigns(0, 0.0, 0.0, 0, 0.0, 0.0, 0.0)
    chars = median(sum(ch.isalnum() for ch in m.rest) for _, m in content)
    bulleted = sum(m.bulleted or m.done is not None for _, m in content) / len(content)
    boxes = sum(m.done is not None for _, m in content)
    starts = [m.rest[:1] for _, m in content if m.rest[:1].isalpha()]
    lower = sum(ch.islower() for ch in starts) / len(starts) if starts else 0.0
    ends = sum(bool(re.search(r"[.,;\-–]\s*$", m.rest)) for _, m in content) / len(content)
    rights = sorted(r.bbox.x2 for r, _ in content)
    lefts = sorted(r.bbox.x for r, _ in content)
    right = rights[int(0.8 * (len(rights) - 1))]
    width = max(1.0, right - lefts[len(lefts) // 5])
    fill = sum(r.bbox.x2 >= right - 0.12 * width for r, _ in content) / len(content)
    words = [w.lower() for _, m in content for w in re.findall(r"[^\W\d_]+", m.rest)]
    function = sum(w in _FUNCTION_WORDS for w in words) / len(words) if words else 0.0
    verbs = sum(says_what_to_do(m.rest) for _, m in content) / len(content)
    formula = sum(bool(_FORMULA.search(m.rest)) for _, m in content) / len(content)
    return PageSigns(len(content), float(chars), bulleted, boxes, lower, ends, fill, function, verbs, formula)


# A page that scores as a list only by its bullets, and would score within this of running
# text without them, is notes in bullet points: a flip chart of meeting notes, study notes
# with arrows (real dev pages: 46 of 62 invented tasks), where some rows are points and the
# rest headings and text; a list bullets nearly every item, and plain lists near the boundary
# have no bullets, so both stay lists (a band of text scores (-2, 0] read as notes, whatever
# the bullets, cost a sealed list page's tasks).
NOTES_WITHOUT_BULLETS = -1.0


def page_kind(rows: list[tuple[Row, Marker]]) -> PageKind:
    s = signs(rows)
    if s.rows < 5:  # a few rows: a sentence or two tells itself by its pronouns and verbs
        return PageKind.TEXT if s.function >= 0.15 and s.chars >= 12 and not s.bulleted else PageKind.LIST
    score = s.text_score()
    if score > 0:
        return PageKind.TEXT
    if 0 < s.bulleted < 0.5 and score + BULLET_WEIGHT * s.bulleted > NOTES_WITHOUT_BULLETS:
        return PageKind.NOTES
    return PageKind.LIST


# the words a bullet journal's key explains its marks with ("x Task complete", "> Migrated",
# "o Event", "- Note", "* Priority", "! Inspiration"); English only
_KEY_WORDS = frozenset("""
    task tasks complete completed done migrated scheduled cancelled canceled skipped irrelevant
    event events note notes information info idea ideas inspiration priority important explore
    research required needed fact facts interesting mood appointment birthday key legend signifiers
    bullets open started in progress delegated waiting more memory thought
""".split())
_WORD = re.compile(r"[^\W\d_]+")
KEY_ROWS = 3


def is_key(titles: list[str]) -> bool:
    """A page that explains a bullet journal's marks rather than listing things to do: three
    rows or more, most of all, made only of the words such a key uses, one of them naming the
    task (real dev pages: a key of six marks gave 5 tasks; no list page is one)."""
    keyish = [words for t in titles if (words := _WORD.findall(t.lower())) and all(w in _KEY_WORDS for w in words)]
    return (len(keyish) >= KEY_ROWS and len(keyish) >= 0.6 * len(titles)
            and any(w in ("task", "tasks") for words in keyish for w in words))


# the labels a form's fields carry ("Name:", "Part #", "Diameter", "Color"); words that also
# start to-do items ("email", "phone", "call") are left out
_FORM_LABELS = frozenset("""
    name date address signature part diameter radius width height length depth weight color colour
    size qty quantity total amount price id serial model type dept department company city state zip
    country code ref
""".split())
FORM_ROWS = 3


def _field(title: str) -> bool:
    """A label and the value written into it: after the label a colon or #, a figure, or one
    word in capitals ("Part# 015219", "Diameter25", "Color BLUE"; not "Date night")."""
    m = _WORD.match(title)
    if not m or m.group(0).lower() not in _FORM_LABELS:
        return False
    value = title[m.end():].strip()
    return value[:1] in (":", "#") or any(ch.isdigit() for ch in value) or (value.isupper() and " " not in value)


def is_form(titles: list[str]) -> bool:
    """A filled-in form: three rows or more, most of all, each a field's label with its value
    (real dev pages: a parts form gave 5 tasks; no list page is one)."""
    fields = sum(_field(t) for t in titles)
    return fields >= FORM_ROWS and fields >= 0.6 * len(titles)


# why a page of this kind gave no task (said by the CLI's table and the review page)
WHY_NO_TASKS = {
    PageKind.TEXT.value: "reads as running text, where only a checkbox or a row labelled TODO: or Action: is a task",
    PageKind.NOTES.value: "reads as notes in bullet points, where a row is a task only when a checkbox, a label, "
                          "a date, a person or a to-do verb marks it",
    PageKind.KEY.value: "reads as a bullet journal's key, which says what its marks mean and lists nothing to do",
    PageKind.FORM.value: "reads as a filled-in form, labels and their values, which lists nothing to do",
}


def is_action_item(marker: Marker) -> bool:
    """What stays a task on a page of running text."""
    return marker.done is not None or bool(_ACTION.match(marker.rest))


def strip_action_label(text: str) -> str:
    m = _ACTION.match(text)
    return text[m.end():].strip() if m else text
