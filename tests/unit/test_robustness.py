"""Whatever the recogniser returns, extraction returns tasks or nothing; it never raises."""

import random
from datetime import date

from taskocr.config import DateOrder
from taskocr.extract.tasks import ExtractOptions, extract_tasks
from taskocr.model import BBox, Line

# characters OCR of handwriting actually produces, weighted towards the ones the parsers
# look at: digits, separators, brackets, arrows, letters that stand for digits
ALPHABET = "0123456789/.-|\\lIiLoOzZsS()[]{}<>→->=~!@:;,'\" xX✓☐☑√口JCMdueDUEownerbypPtT " + "abcdefghmnqrvwy"


# field words the parsers key on, so random lines reach every branch
TOKENS = (
    "Dec", "jan", "Feb.", "due", "Due:", "by", "owner:", "assigned to", "->", "→", "@", "(Ana)", "[x]",
    "p1", "pl", "!!!", "urgent", "tomorrow", "Friday", "next", "week", "2i", "1O", "17112/2025", "Hasn",
)


def random_line(rng: random.Random) -> str:
    words = []
    for _ in range(rng.randint(1, 8)):
        if rng.random() < 0.4:
            words.append(rng.choice(TOKENS))
        else:
            words.append("".join(rng.choice(ALPHABET) for _ in range(rng.randint(1, 9))))
    return " ".join(words)


def test_random_ocr_output_never_breaks_extraction():
    rng = random.Random(20261124)
    opts = ExtractOptions(people=("Hasan", "Ana", "Liam"), ref_date=date(2025, 12, 3))
    for trial in range(400):
        lines = [
            Line(random_line(rng), rng.random(), BBox(rng.uniform(0, 300), 60 * i + rng.uniform(-20, 20), 400, 40))
            for i in range(rng.randint(1, 8))
        ]
        order = DateOrder.MDY if trial % 2 else DateOrder.DMY
        tasks = extract_tasks(lines, ExtractOptions(**{**opts.__dict__, "date_order": order}))
        for t in tasks:
            assert t.title.strip()
            assert t.due is None or isinstance(t.due, date)
