"""dots.ocr in-process (DOTS_OCR_MODEL_PATH).

No weights and no GPU here, so the real model never runs: these tests cover the declines, and
drive the loading/generation code against stand-in torch/transformers modules to pin down what
it asks of them (dtype, device map, 8-bit, the prompt, decoding only the new tokens).
"""

from __future__ import annotations

import json
import importlib.util
import types

import numpy as np
import pytest

from taskocr.config import DotsSettings, Settings
from taskocr.engines import dots_layout as layout
from taskocr.engines import dots_local
from taskocr.engines.dots import DotsEngine
from taskocr.errors import EngineError
from taskocr.model import LineKind
from support import stand_in_module


def snapshot(tmp_path, name="DotsOCR", shards=("model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors"),
             present=None):
    d = tmp_path / name
    d.mkdir()
    (d / "config.json").write_text("{}")
    (d / "model.safetensors.index.json").write_text(json.dumps({"weight_map": {f"w{i}": s for i, s in enumerate(shards)}}))
    for s in shards if present is None else present:
        (d / s).write_bytes(b"\0")
    return d


def engine(path, **kw) -> DotsEngine:
    return DotsEngine(DotsSettings(model_path=str(path), **kw))


def test_declines_when_the_folder_is_missing(tmp_path):
    reason = engine(tmp_path / "nope").unavailable_reason()
    assert "does not exist" in reason and "taskocr models download dots" in reason


def test_declines_a_dotted_folder_name(tmp_path):
    assert "contains a '.'" in engine(snapshot(tmp_path, "dots.ocr")).unavailable_reason()


def test_declines_a_folder_without_config(tmp_path):
    (tmp_path / "DotsOCR").mkdir()
    assert "no config.json" in engine(tmp_path / "DotsOCR").unavailable_reason()


def test_declines_an_incomplete_download(tmp_path):
    d = snapshot(tmp_path, present=["model-00001-of-00002.safetensors"])
    reason = engine(d).unavailable_reason()
    assert "incomplete" in reason and "model-00002-of-00002.safetensors" in reason


def test_declines_without_the_models_own_code(tmp_path):
    d = snapshot(tmp_path)
    (d / "config.json").write_text(json.dumps({"auto_map": {
        "AutoConfig": "configuration_dots.DotsOCRConfig",
        "AutoModelForCausalLM": "modeling_dots_ocr.DotsOCRForCausalLM"}}))
    (d / "configuration_dots.py").write_text("")
    assert "lacks modeling_dots_ocr.py" in engine(d).unavailable_reason()
    (d / "modeling_dots_ocr.py").write_text("")
    assert "lacks" not in (engine(d).unavailable_reason() or "")


def test_declines_without_torch_or_transformers(tmp_path, monkeypatch):
    real = importlib.util.find_spec
    monkeypatch.setattr(dots_local.importlib.util, "find_spec",
                        lambda n, *a: None if n == "transformers" else real(n, *a))
    reason = engine(snapshot(tmp_path)).unavailable_reason()
    assert "transformers is not installed" in reason


def test_declines_here_for_real(tmp_path):
    """What this machine says: complete-looking weights, but no transformers (and maybe no torch)."""
    reason = engine(snapshot(tmp_path)).unavailable_reason()
    if reason is None:
        pytest.skip("torch and transformers are installed here")
    assert "is not installed" in reason


def test_8bit_needs_bitsandbytes(tmp_path, monkeypatch):
    monkeypatch.setattr(dots_local.importlib.util, "find_spec",
                        lambda n, *a: None if n == "bitsandbytes" else object())
    reason = engine(snapshot(tmp_path), load_in_8bit=True).unavailable_reason()
    assert "bitsandbytes" in reason


def test_url_wins_over_model_path(tmp_path):
    eng = DotsEngine(DotsSettings(url="http://127.0.0.1:9/v1", model_path=str(tmp_path)))
    assert eng._local is None


# --- loading and generation against stand-in modules ---------------------------------------------

class FakeTensor(list):
    @property
    def shape(self):
        return (len(self),)


class FakeBatch(list):
    @property
    def shape(self):
        return (len(self), len(self[0]))


class FakeInputs(dict):
    def to(self, device):
        self["device"] = device
        return self


def fake_stack(monkeypatch, *, cuda: bool, answer: str, new_tokens: int = 3):
    calls: dict = {}

    def module(name, **attrs):
        return stand_in_module(monkeypatch, name, **attrs)

    class NoGrad:
        def __enter__(self):
            return self

        def __exit__(self, *a):
            return False

    module("torch", bfloat16="bf16", float32="fp32", inference_mode=NoGrad,
           cuda=types.SimpleNamespace(is_available=lambda: cuda, empty_cache=lambda: None))

    class Model:
        def eval(self):
            return self

        def parameters(self):
            return iter([types.SimpleNamespace(device="cuda:0" if cuda else "cpu")])

        def generate(self, **kw):
            calls["generate"] = kw
            prompt = kw["input_ids"][0]
            return [FakeTensor(list(prompt) + list(range(new_tokens)))]

    class Processor:
        def apply_chat_template(self, messages, tokenize, add_generation_prompt):
            calls["messages"] = messages
            return "<chat>" + messages[0]["content"][1]["text"]

        def __call__(self, text, images, padding, return_tensors):
            calls["images"] = images
            return FakeInputs(input_ids=FakeBatch([FakeTensor([101, 102])]))

        def batch_decode(self, seqs, skip_special_tokens, clean_up_tokenization_spaces):
            calls["decoded"] = [list(s) for s in seqs]
            return [answer]

    class AutoModelForCausalLM:
        @staticmethod
        def from_pretrained(path, **kw):
            calls["model_kw"] = kw
            calls["path"] = path
            return Model()

    class AutoProcessor:
        @staticmethod
        def from_pretrained(path, **kw):
            calls["processor_kw"] = kw
            return Processor()

    module("transformers", AutoModelForCausalLM=AutoModelForCausalLM, AutoProcessor=AutoProcessor,
           BitsAndBytesConfig=lambda **kw: ("bnb", kw))
    return calls


ANSWER = json.dumps([
    {"bbox": [0, 0, 280, 56], "category": "Section-header", "text": "Errands"},
    {"bbox": [0, 56, 280, 112], "category": "List-item", "text": "- post office"},
])


def test_gpu_load_is_bfloat16_and_generation_is_decoded(tmp_path, monkeypatch):
    calls = fake_stack(monkeypatch, cuda=True, answer=ANSWER)
    eng = engine(snapshot(tmp_path), max_tokens=100)
    eng.load()
    assert calls["model_kw"]["torch_dtype"] == "bf16" and calls["model_kw"]["device_map"] == "auto"
    assert calls["model_kw"]["trust_remote_code"] and calls["processor_kw"]["trust_remote_code"]

    lines = eng.recognize(np.full((112, 280, 3), 255, np.uint8))
    assert [(ln.text, ln.kind) for ln in lines] == [("Errands", LineKind.HEADING), ("- post office", LineKind.LIST_ITEM)]
    assert calls["messages"][0]["content"][1]["text"] == layout.PROMPT_LAYOUT_ALL_EN  # the template adds image tokens
    assert calls["images"][0].size == (280, 112)  # already on the 28-px grid
    assert calls["generate"]["max_new_tokens"] == 100 and calls["generate"]["do_sample"] is False
    assert calls["decoded"] == [[0, 1, 2]]  # only the new tokens, not the prompt


def test_cpu_load_is_float32(tmp_path, monkeypatch):
    calls = fake_stack(monkeypatch, cuda=False, answer="[]")
    eng = engine(snapshot(tmp_path))
    eng.load()
    assert calls["model_kw"]["torch_dtype"] == "fp32" and "device_map" not in calls["model_kw"]
    assert calls["model_kw"]["attn_implementation"] == "sdpa"


def test_8bit_load(tmp_path, monkeypatch):
    calls = fake_stack(monkeypatch, cuda=True, answer="[]")
    engine(snapshot(tmp_path), load_in_8bit=True).load()
    assert calls["model_kw"]["quantization_config"] == ("bnb", {"load_in_8bit": True})
    assert "torch_dtype" not in calls["model_kw"]


def test_8bit_without_gpu_fails_clearly(tmp_path, monkeypatch):
    fake_stack(monkeypatch, cuda=False, answer="[]")
    with pytest.raises(EngineError, match="needs a CUDA GPU"):
        engine(snapshot(tmp_path), load_in_8bit=True).load()


def test_hitting_max_tokens_is_reported_as_truncation(tmp_path, monkeypatch):
    fake_stack(monkeypatch, cuda=True, answer='[{"bbox": [0, 0, 28, 28], "category": "Text", "text": "cut"}, {"bb',
               new_tokens=5)
    eng = engine(snapshot(tmp_path), max_tokens=5)
    assert [ln.text for ln in eng.recognize(np.zeros((28, 28, 3), np.uint8))] == ["cut"]


def test_model_is_loaded_once(tmp_path, monkeypatch):
    calls = fake_stack(monkeypatch, cuda=True, answer="[]")
    eng = engine(snapshot(tmp_path))
    eng.load()
    first = eng._local._model.get()
    calls.clear()
    eng.load()
    eng.recognize(np.zeros((28, 28, 3), np.uint8))
    assert "model_kw" not in calls and eng._local._model.get() is first
