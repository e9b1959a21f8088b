"""PP-OCRv6 small read through onnxruntime and decoded with the beam search (TASKOCR_DECODER=beam)."""

import io

import numpy as np
import pytest
from PIL import Image, ImageDraw
from rapidfuzz import fuzz

from taskocr import imaging
from taskocr.config import Decoder, PPOCRConfig, PPOCRModel, Settings
from taskocr.engines import ctc_det, ctc_rec
from taskocr.engines import registry as reg
from taskocr.errors import ConfigError, EngineError
from taskocr.pipeline import Pipeline, ScanOptions

from support import handwriting_font, render_list

pytestmark = pytest.mark.skipif(ctc_det.unavailable_reason() is not None,
                                reason=f"beam decoder not installed: {ctc_det.unavailable_reason()}")

LINES = ("TODO List", "- Get approval -> Aykut 17/12/2025", "- Convert to tasks (Hasan)", "- Call the printer asap")


@pytest.fixture(scope="module")
def engine():
    e = reg.engine_class("ppocr")(PPOCRConfig(decoder=Decoder.BEAM))
    assert e.unavailable_reason() is None
    e.load()
    return e


@pytest.fixture(scope="module")
def page():
    return imaging.load_image(render_list(LINES)).rgb


@pytest.mark.slow
def test_beam_lines_carry_words_and_ranked_alternatives(engine, page):
    result = engine.recognize(page, people=("Aykut", "Hasan"))
    lines = result.lines
    assert result.separated  # faster-paddle's widened segmentation, for boards
    text = " ".join(ln.text for ln in sorted(lines, key=lambda ln: ln.bbox.y))
    assert fuzz.partial_ratio("Get approval", text) > 90
    assert "Aykut" in text and "Hasan" in text
    assert "17/12/2025" in text
    for ln in lines:
        assert [w.text for w in ln.words] == ln.text.split()
        assert all(0.0 <= w.confidence <= 1.0 for w in ln.words)
        assert all(a.text != ln.text and a.confidence <= ln.confidence for a in ln.alternatives)
        assert 0 <= ln.bbox.x and ln.bbox.x2 <= page.shape[1] + 1  # boxes in page pixels, not widened ones


@pytest.mark.slow
def test_the_scan_roster_reaches_the_decoder_and_the_tasks():
    pipeline = Pipeline(Settings(ppocr=PPOCRConfig(decoder=Decoder.BEAM), backend="ppocr"))
    result = pipeline.scan(render_list(LINES), ScanOptions(people=("Aykut", "Hasan")))
    assignees = {t.assignee for t in result.tasks}
    assert {"Aykut", "Hasan"} <= assignees
    assert any(ln.words for ln in result.lines)
    assert "words" in result.to_dict()["lines"][0]


@pytest.mark.parametrize("name, digest", [("rec.onnx", ctc_rec.REC_MODEL[1]), ("det.onnx", ctc_det.DET_MODEL[1])])
def test_a_model_file_with_another_hash_is_refused(tmp_path, name, digest):
    fake = tmp_path / name
    fake.write_bytes(b"not the model")
    with pytest.raises(EngineError, match="SHA-256"):
        ctc_rec._verified(fake, digest)


def test_the_decoder_setting_is_checked():
    assert Settings.from_env({"TASKOCR_DECODER": "Beam"}).ppocr.decoder is Decoder.BEAM
    assert Settings.from_env({}).ppocr.decoder is Decoder.AUTO
    with pytest.raises(ConfigError):
        Settings.from_env({"TASKOCR_DECODER": "best"})


def test_auto_reads_with_the_beam_where_it_is_installed(monkeypatch):
    ppocr = reg.engine_class("ppocr")
    small = ppocr(PPOCRConfig())
    assert small.beam and small.model_version.endswith("beam decoder (en+auto)")
    assert not ppocr(PPOCRConfig(model=PPOCRModel.TINY)).beam  # the beam reads with small only
    assert not ppocr(PPOCRConfig(decoder=Decoder.GREEDY)).beam
    # without the decoder extra, auto reads greedily and the engine stays available
    monkeypatch.setattr(ctc_det, "unavailable_reason", lambda: "kenlm is not installed")
    bare = ppocr(PPOCRConfig())
    assert not bare.beam and bare.unavailable_reason() is None
    assert bare.model_version.endswith("greedy decoder")
    assert ppocr(PPOCRConfig(decoder=Decoder.BEAM)).unavailable_reason().startswith("TASKOCR_DECODER=beam")


def test_beam_needs_the_small_model(page):
    e = reg.engine_class("ppocr")(PPOCRConfig(decoder=Decoder.BEAM, model=PPOCRModel.TINY))
    with pytest.raises(EngineError, match="small"):
        e.load()


def test_corners_come_out_clockwise_from_the_top_left():
    corners = np.array([[10, 0], [110, 20], [100, 70], [0, 50]], np.float32)  # tl tr br bl, tilted
    for order in ([2, 0, 3, 1], [3, 2, 1, 0], [1, 3, 0, 2]):
        assert np.array_equal(ctc_det._clockwise(corners[order]), corners)


@pytest.fixture(scope="module")
def slanted():
    """A line of writing on a page turned 7 degrees: it runs uphill across the page."""
    img = Image.new("RGB", (1400, 500), (250, 248, 240))
    ImageDraw.Draw(img).text((80, 200), "Order the new printer cartridges", font=handwriting_font(64), fill=(20, 30, 120))
    return np.asarray(img.rotate(7, resample=Image.BICUBIC, fillcolor=(250, 248, 240)))


def test_the_detector_follows_a_slanted_line_and_the_cut_runs_level(engine, slanted):
    detector, rec, decoder = engine._reader.get()
    quads = detector.detect(slanted)
    assert len(quads) == 1
    (q,) = quads
    top = q[1] - q[0]
    assert 5 < -np.degrees(np.arctan2(top[1], top[0])) < 9  # the box is turned with the writing
    strip = ctc_det.cut_line(slanted, q)
    assert strip.shape[1] > 5 * strip.shape[0]  # one level line, not the square around it
    text = decoder.decode(rec.probabilities([strip])[0]).text
    assert fuzz.ratio("Order the new printer cartridges", text) > 85
    # the upright box around the same line holds paper above and below: it reads worse
    x1, y1 = q.min(axis=0).astype(int)
    x2, y2 = q.max(axis=0).astype(int)
    upright = decoder.decode(rec.probabilities([slanted[y1:y2, x1:x2]])[0]).text
    assert fuzz.ratio("Order the new printer cartridges", upright) < fuzz.ratio("Order the new printer cartridges", text)


def test_a_tall_strip_is_turned_to_run_left_to_right(slanted):
    tall = np.ascontiguousarray(np.rot90(slanted))
    quad = np.array([[0, 0], [99, 0], [99, 399], [0, 399]], np.float32)
    strip = ctc_det.cut_line(tall, quad)
    assert strip.shape[1] > strip.shape[0]


def test_a_box_read_as_a_cjk_glyph_counts_as_a_box(engine):
    # the recogniser often reads a hand-drawn empty box as 口 and a ticked one as 日: their
    # probability goes to ☐ and ☑ instead of vanishing with the other CJK characters
    rec = engine._reader.get()[1]
    labels = rec.charset.labels
    chars = (ctc_rec.package_dir() / ctc_rec.REC_DICT[0]).read_text(encoding="utf-8").splitlines()
    width = len(chars) + 2
    frames = np.full((1, 3, width), 1e-6, np.float32)
    frames[0, 0, chars.index("口") + 1] = 0.9
    frames[0, 1, 0] = 0.9  # blank
    frames[0, 2, chars.index("日") + 1] = 0.9

    class Session:
        def run(self, _, feed):
            return [np.repeat(frames, feed[rec._input].shape[0], axis=0)]

    real = rec.session
    rec.session = Session()
    try:
        (p,) = rec.probabilities([np.zeros((48, 12, 3), np.uint8)])
    finally:
        rec.session = real
    assert labels[int(p[0].argmax())] == "☐" and p[0].max() > 0.8
    assert labels[int(p[2].argmax())] == "☑"


@pytest.mark.slow
def test_without_a_second_reading_the_beam_reads_once_and_keeps_no_widened_segmentation(page, monkeypatch):
    e = reg.engine_class("ppocr")(PPOCRConfig(decoder=Decoder.BEAM, second_stretch=0.0))
    e.load()
    detector, rec, _ = e._reader.get()
    widths = []
    real = rec.probabilities
    monkeypatch.setattr(rec, "probabilities", lambda crops, *a, **k: widths.append([c.shape[1] for c in crops]) or real(crops, *a, **k))
    result = e.recognize(page, people=("Aykut", "Hasan"))
    assert result.separated == ()
    assert len(widths) == 1  # no strip was read widened
    text = " ".join(ln.text for ln in result.lines)
    assert "Aykut" in text and "Hasan" in text


@pytest.mark.slow
@pytest.mark.parametrize("turn", [90, -90], ids=["written upwards", "written downwards"])
def test_writing_along_a_column_reads_whichever_way_it_runs(engine, turn):
    # labels under a tracker's columns run up the page or down it; a quarter turn alone
    # leaves one of the two upside down
    label = Image.new("RGB", (900, 140), (250, 248, 240))
    ImageDraw.Draw(label).text((30, 20), "letter writing", font=handwriting_font(80), fill=(20, 30, 120))
    page = Image.new("RGB", (700, 1100), (250, 248, 240))
    page.paste(label.rotate(turn, expand=True), (280, 100))
    lines = engine.recognize(np.asarray(page)).lines
    assert len(lines) == 1
    assert fuzz.ratio("letter writing", lines[0].text) > 85
    assert lines[0].bbox.height > 3 * lines[0].bbox.width  # the box stays on the page, upright


def test_a_sure_reading_outweighs_one_of_known_words_read_unsure():
    # "get it day" (every word known, read unsure) against the widened strip's "urgent:
    # renew the ssl certificate today" (ssl unknown, read surely): the sure reading is kept
    from taskocr.engines.ctc_decode import Decoded
    from taskocr.engines.ppocr import UNSURE, _plausibility

    unsure = Decoded(") get it day", 0.51, ())
    sure = Decoded("f) urgent: renew the ssl certificate today", 0.98, ())
    assert unsure.confidence < UNSURE  # so the strip is read widened although its words are known
    assert _plausibility(sure, 5 / 7) > _plausibility(unsure, 1.0)
    # between two equally sure readings, the one of known words wins
    assert _plausibility(Decoded("Call the office", 0.9, ()), 1.0) > _plausibility(Decoded("Call h ho ffie", 0.9, ()), 0.25)


@pytest.mark.slow
def test_narrow_writing_is_read_widened(engine):
    # tall, narrow letters give the recogniser too few steps once squeezed to its height
    page = Image.new("RGB", (1900, 600), (250, 248, 240))
    ImageDraw.Draw(page).text((100, 190), "urgent: renew the ssl certificate today",
                              font=handwriting_font(70, "sue-ellen-francisco"), fill=(20, 30, 120))
    truth = "urgent: renew the ssl certificate today"
    once = reg.engine_class("ppocr")(PPOCRConfig(decoder=Decoder.BEAM, second_stretch=0.0))
    both = " ".join(ln.text for ln in engine.recognize(np.asarray(page)).lines)
    alone = " ".join(ln.text for ln in once.recognize(np.asarray(page)).lines)
    assert fuzz.ratio(truth, both) > 85
    assert fuzz.ratio(truth, both) > fuzz.ratio(truth, alone)


@pytest.mark.slow
def test_a_list_photographed_askew_is_read_level_and_its_boxes_land_on_the_photo(engine):
    # turned 12 degrees, every upright box around a line would hold pieces of its neighbours
    lines = LINES + ("- Book the meeting room for Friday", "- Send the invoices to Hasan")
    img = Image.open(io.BytesIO(render_list(lines))).convert("RGB")
    askew = img.rotate(12, resample=Image.BICUBIC, expand=True, fillcolor=(250, 248, 240))
    page = np.asarray(askew)
    read = engine.recognize(page, people=("Aykut", "Hasan"))
    assert 10 < -read.turned < 14  # the page was turned back level to be read
    assert all(ln.bbox.height < 130 for ln in read.lines)  # level lines, not tilted boxes

    buf = io.BytesIO()
    askew.save(buf, "PNG")
    pipeline = Pipeline(Settings(ppocr=PPOCRConfig(decoder=Decoder.BEAM), backend="ppocr"))
    result = pipeline.scan(buf.getvalue(), ScanOptions(people=("Aykut", "Hasan")))
    titles = " | ".join(t.title for t in result.tasks)
    assert fuzz.partial_ratio("Get approval", titles) > 85 and fuzz.partial_ratio("Convert to tasks", titles) > 85
    assert {"Aykut", "Hasan"} <= {t.assignee for t in result.tasks}
    gray = np.asarray(askew.convert("L"))
    for t in result.tasks:  # each box, mapped back onto the photo, holds that task's writing
        b = t.bbox
        assert 0 <= b.x and b.x2 <= askew.width and 0 <= b.y and b.y2 <= askew.height
        assert (gray[int(b.y):int(b.y2), int(b.x):int(b.x2)] < 128).mean() > 0.02


@pytest.mark.slow
def test_a_page_in_another_language_is_read_again_with_its_words():
    from taskocr.config import Settings

    assert Settings.from_env({}).ppocr.languages == ("en", "auto")
    german = ("Einkaufen", "- Kühlschrank putzen", "- Nach Wohnungen suchen", "- Steuererklärung abgeben",
              "- Zahnarzt anrufen", "- Wanderstöcke zurückbringen")
    e = reg.engine_class("ppocr")(PPOCRConfig(decoder=Decoder.BEAM, languages=("en", "auto")))
    assert e.model_version.endswith("beam decoder (en+auto)")
    english = e.recognize(imaging.load_image(render_list(LINES)).rgb)
    assert not e._decoders  # an English page is read once, with English
    assert fuzz.partial_ratio("Get approval", " ".join(ln.text for ln in english.lines)) > 90
    lines = sorted(e.recognize(imaging.load_image(render_list(german)).rgb).lines, key=lambda ln: ln.bbox.y)
    assert list(e._decoders) == [("en", "de")]
    text = [ln.text for ln in lines]
    assert all(max(fuzz.ratio(t, x) for x in text) > 90 for t in german)
    assert any("ü" in w.text for ln in lines for w in ln.words)


@pytest.mark.slow
def test_boxes_drawn_before_the_items_make_a_checklist_with_its_ticks():
    # a page of items after hand-drawn boxes, two of them ticked: the recogniser reads the
    # words and drops the boxes; the page itself shows them
    items = (("Book the venue", True), ("Send the invitations", False), ("Order the cake", True),
             ("Call the band", False))
    img = Image.new("RGB", (1600, 900), (250, 248, 240))
    draw = ImageDraw.Draw(img)
    font = handwriting_font(70)
    for i, (text, ticked) in enumerate(items):
        y = 80 + i * 170
        draw.rectangle((90, y + 20, 145, y + 75), outline=(20, 30, 120), width=5)
        if ticked:
            draw.line((98, y + 45, 115, y + 68, 160, y + 5), fill=(20, 30, 120), width=5)
        draw.text((190, y), text, font=font, fill=(20, 30, 120))
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=90)
    pipeline = Pipeline(Settings(ppocr=PPOCRConfig(decoder=Decoder.BEAM), backend="ppocr"))
    result = pipeline.scan(buf.getvalue(), ScanOptions())
    done = {t.title: t.done for t in result.tasks}
    assert len(done) == 4, done
    for text, ticked in items:
        title = max(done, key=lambda title: fuzz.ratio(title, text))
        assert fuzz.ratio(title, text) > 80 and done[title] is ticked, (text, done)
    assert sum(ln.text.startswith("[x]") for ln in result.lines) == 2  # the lines show the boxes too
