"""DotsEngine over HTTP against a stand-in vLLM server (real sockets on 127.0.0.1)."""

from __future__ import annotations

import time

import numpy as np
import pytest

pytest.importorskip("openai")

from dots_standin import Reply, StandIn  # noqa: E402

from taskocr.config import DotsSettings, Settings  # noqa: E402
from taskocr.engines import dots as dots_mod  # noqa: E402
from taskocr.engines import dots_layout as layout  # noqa: E402
from taskocr.engines import registry as registry_mod  # noqa: E402
from taskocr.engines.dots import DotsEngine  # noqa: E402
from taskocr.errors import EngineError  # noqa: E402
from taskocr.model import AttemptStatus, LineKind  # noqa: E402

# A photo larger than the pixel budget below, so the engine must resize and map back.
W, H = 1200, 900
MAX_PX = 200_000

CELLS = [
    {"bbox": [0.10, 0.05, 0.60, 0.12], "category": "Title", "text": "# TODO"},
    {"bbox": [0.10, 0.20, 0.90, 0.28], "category": "List-item", "text": "- Get approval -> Hasan 17/12/2025"},
    {"bbox": [0.10, 0.32, 0.90, 0.40], "category": "List-item", "text": "- [x] Book the **venue** (Ana)"},
    {"bbox": [0.10, 0.44, 0.90, 0.52], "category": "Text", "text": "Call the printer"},
    {"bbox": [0.70, 0.80, 0.95, 0.95], "category": "Picture"},
]


def settings_for(url: str, **kw) -> Settings:
    dots = dict(url=url, timeout_s=5.0, max_pixels=MAX_PX)
    dots.update(kw)
    return Settings(dots=DotsSettings(**dots))


def photo() -> np.ndarray:
    rng = np.random.default_rng(0)
    return (200 + rng.integers(0, 55, size=(H, W, 3))).astype(np.uint8)


@pytest.fixture
def server():
    with StandIn(api_key="sekret", max_pixels=MAX_PX) as s:
        yield s
    assert not s.problems, s.problems


@pytest.fixture
def engine(server):
    return DotsEngine(settings_for(server.url, api_key="sekret").dots)


def expected_box(frac, sent):
    """Where a cell given as fractions of the sent image lands in the original photo."""
    sw, sh = sent
    x1, y1, x2, y2 = (round(frac[0] * sw), round(frac[1] * sh), round(frac[2] * sw), round(frac[3] * sh))
    fx, fy = W / sw, H / sh
    return (x1 * fx, y1 * fy, (x2 - x1) * fx, (y2 - y1) * fy)


def assert_box(line, frac, sent):
    x, y, w, h = expected_box(frac, sent)
    assert line.bbox.x == pytest.approx(x, abs=1e-6)
    assert line.bbox.y == pytest.approx(y, abs=1e-6)
    assert line.bbox.width == pytest.approx(w, abs=1e-6)
    assert line.bbox.height == pytest.approx(h, abs=1e-6)


def test_available_when_the_server_lists_the_model(engine, server):
    assert engine.unavailable_reason() is None
    assert engine.unavailable_reason() is None
    assert server.model_list_hits == 1  # cached: the chain asks per image


def test_declines_when_no_server_listens():
    with StandIn() as s:
        url = s.url
    reason = DotsEngine(settings_for(url).dots).unavailable_reason()
    assert reason and "not reachable" in reason and "/v1/models" in reason


def test_declines_when_the_server_serves_another_model():
    with StandIn(models=("some-other-vlm",)) as s:
        reason = DotsEngine(settings_for(s.url).dots).unavailable_reason()
    assert "some-other-vlm" in reason and "DOTS_OCR_MODEL" in reason


def test_declines_without_configuration():
    eng = DotsEngine(DotsSettings())
    reason = eng.unavailable_reason()
    assert "DOTS_OCR_URL" in reason and "DOTS_OCR_MODEL_PATH" in reason
    with pytest.raises(EngineError, match="not configured"):  # never the openai client's default host
        eng.recognize(photo())


def test_layout_answer_becomes_lines_in_original_pixels(engine, server):
    server.queue(Reply(cells=CELLS))
    lines = engine.recognize(photo())

    (seen,) = server.seen
    sent = seen.image_size
    assert sent == tuple(reversed(layout.smart_resize(H, W, max_pixels=MAX_PX)))
    assert sent[0] * sent[1] <= MAX_PX and sent[0] % 28 == 0 and sent[1] % 28 == 0
    assert seen.image_format == "JPEG"
    assert seen.text.startswith("<|img|><|imgpad|><|endofimg|>Please output the layout information")
    assert seen.authorization == "Bearer sekret"
    assert seen.body["max_tokens"] == 8192

    assert [ln.text for ln in lines] == [
        "TODO", "- Get approval -> Hasan 17/12/2025", "- [x] Book the venue (Ana)", "Call the printer",
    ]
    assert [ln.kind for ln in lines] == [LineKind.HEADING, LineKind.LIST_ITEM, LineKind.LIST_ITEM, LineKind.TEXT]
    for line, cell in zip(lines, CELLS):
        assert_box(line, cell["bbox"], sent)
        assert 0 < line.confidence <= 1


def test_fenced_answer(engine, server):
    server.queue(Reply(cells=CELLS[:2], wrap=lambda s: f"Here is the layout:\n```json\n{s}\n```\n"))
    assert [ln.text for ln in engine.recognize(photo())] == ["TODO", "- Get approval -> Hasan 17/12/2025"]


def test_truncated_answer_keeps_the_complete_cells(engine, server):
    # cut off at the token limit in the middle of the fourth cell
    server.queue(Reply(cells=CELLS, wrap=lambda s: s[: s.index("Call the") + 4], finish_reason="length"))
    lines = engine.recognize(photo())
    assert [ln.text for ln in lines] == ["TODO", "- Get approval -> Hasan 17/12/2025", "- [x] Book the venue (Ana)"]


def test_answer_without_layout_is_an_error(engine, server):
    server.queue(Reply(text="I cannot read this image."))
    with pytest.raises(EngineError) as err:
        engine.recognize(photo())
    assert not err.value.transient and "no layout JSON" in err.value.message


def test_empty_layout_is_no_text_not_an_error(engine, server):
    server.queue(Reply(text="[]"))
    assert engine.recognize(photo()) == []


def test_server_error_is_transient(engine, server):
    server.queue(Reply(status=500))
    with pytest.raises(EngineError) as err:
        engine.recognize(photo())
    assert err.value.transient and "HTTP 500" in err.value.message


def test_client_error_is_not_transient(server):
    eng = DotsEngine(settings_for(server.url, api_key="wrong").dots)
    with pytest.raises(EngineError) as err:
        eng.recognize(photo())
    assert not err.value.transient and "HTTP 400" in err.value.message
    server.problems.clear()  # that request was meant to be refused


def test_timeout_is_transient_and_bounded(server):
    eng = DotsEngine(settings_for(server.url, api_key="sekret", timeout_s=0.5).dots)
    server.queue(Reply(cells=CELLS, delay_s=5))
    t0 = time.monotonic()
    with pytest.raises(EngineError) as err:
        eng.recognize(photo())
    assert err.value.transient and "no answer within 0.5s" in err.value.message
    assert time.monotonic() - t0 < 3  # no client-side retries stacking up


def test_small_images_are_scaled_up_to_the_minimum(engine, server):
    server.queue(Reply(cells=[{"bbox": [0.0, 0.0, 1.0, 1.0], "category": "Text", "text": "hi"}]))
    (line,) = engine.recognize(np.full((20, 30, 3), 255, np.uint8))
    assert server.seen[0].image_size[0] * server.seen[0].image_size[1] >= layout.MIN_PIXELS
    assert (line.bbox.width, line.bbox.height) == pytest.approx((30, 20))


# --- the chain ---------------------------------------------------------------------------------

@pytest.fixture
def chain(monkeypatch):
    monkeypatch.setattr(registry_mod, "AUTO_ORDER", ("dots", "mock"))
    return lambda settings: registry_mod.Registry(settings)


def test_chain_uses_dots_when_it_answers(chain, server):
    server.queue(Reply(cells=CELLS))
    rec = chain(settings_for(server.url, api_key="sekret")).recognize(photo(), "auto")
    assert rec.engine == "dots" and rec.lines[0].text == "TODO"


def test_chain_falls_back_when_dots_fails_on_an_image(chain, server):
    server.queue(Reply(status=503))
    rec = chain(settings_for(server.url, api_key="sekret")).recognize(photo(), "auto")
    assert rec.engine == "mock"
    assert [(a.engine, a.status) for a in rec.attempts] == [("dots", AttemptStatus.FAILED), ("mock", AttemptStatus.OK)]
    assert "HTTP 503" in rec.attempts[0].reason


def test_chain_skips_dots_when_the_server_is_gone(chain):
    with StandIn() as s:
        url = s.url
    rec = chain(settings_for(url)).recognize(photo(), "auto")
    assert rec.engine == "mock"
    assert rec.attempts[0].status is AttemptStatus.DECLINED and "not reachable" in rec.attempts[0].reason


def test_chain_notices_a_server_going_away_between_images(chain, monkeypatch):
    monkeypatch.setattr(dots_mod, "PROBE_TTL_S", 60.0)
    s = StandIn()
    s.__enter__()
    reg = chain(settings_for(s.url))
    s.queue(Reply(cells=CELLS))
    assert reg.recognize(photo(), "auto").engine == "dots"
    s.close()
    # the cached check still says yes: this image fails over (transiently) ...
    rec = reg.recognize(photo(), "auto")
    assert rec.engine == "mock" and rec.attempts[0].status is AttemptStatus.FAILED
    # ... and the failure dropped the cache, so the next image declines without waiting
    rec = reg.recognize(photo(), "auto")
    assert rec.engine == "mock" and rec.attempts[0].status is AttemptStatus.DECLINED


def test_named_backend_failure_is_reported(server):
    from taskocr.errors import NoEngineAvailable

    server.queue(Reply(status=500))
    with pytest.raises(NoEngineAvailable) as err:
        registry_mod.Registry(settings_for(server.url, api_key="sekret")).recognize(photo(), "dots")
    assert err.value.transient
