"""`taskocr models …`: download (offline here), verify, list."""

from __future__ import annotations

import importlib.machinery
import json
import socket
import subprocess
import sys
import types

import pytest

from taskocr import models_cli
from taskocr.config import DotsSettings, Settings


def fake_hub(monkeypatch, behaviour):
    m = types.ModuleType("huggingface_hub")
    m.__spec__ = importlib.machinery.ModuleSpec("huggingface_hub", None)
    calls = []

    def snapshot_download(**kw):
        calls.append(kw)
        return behaviour(**kw)

    m.snapshot_download = snapshot_download
    monkeypatch.setitem(sys.modules, "huggingface_hub", m)
    return calls


def run(args, tmp_path, **dots):
    return models_cli.main(args, Settings(home=tmp_path / "home", dots=DotsSettings(**dots)))


def test_offline_download_fails_with_a_clear_message(tmp_path, monkeypatch, capsys):
    class ConnectError(Exception):  # how httpx names it
        pass

    def offline(**kw):
        try:
            raise ConnectError("[Errno -3] Temporary failure in name resolution")
        except ConnectError as exc:
            raise RuntimeError("request failed") from exc

    calls = fake_hub(monkeypatch, offline)
    code = run(["models", "download", "dots", "--dir", str(tmp_path / "W")], tmp_path)
    err = capsys.readouterr().err
    assert code == 1
    assert "cannot reach the model hub" in err and "offline" in err and "DOTS_OCR_MODEL_PATH=" in err
    assert calls[0]["repo_id"] == "rednote-hilab/dots.ocr" and calls[0]["local_dir"] == str(tmp_path / "W")


def test_hf_offline_mode_is_respected(tmp_path, monkeypatch, capsys):
    calls = fake_hub(monkeypatch, lambda **kw: None)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    assert run(["download", "dots"], tmp_path) == 1
    assert "HF_HUB_OFFLINE" in capsys.readouterr().err and calls == []


def test_missing_huggingface_hub(tmp_path, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "huggingface_hub", None)
    assert run(["download", "dots"], tmp_path) == 2
    assert "pip install huggingface-hub" in capsys.readouterr().err


def test_dotted_folder_is_refused(tmp_path, capsys):
    assert run(["download", "dots", "--dir", str(tmp_path / "dots.ocr")], tmp_path) == 2
    assert "must not contain '.'" in capsys.readouterr().err


def test_successful_download_is_verified(tmp_path, monkeypatch, capsys):
    def fetch(repo_id, revision, local_dir):
        from pathlib import Path

        d = Path(local_dir)
        d.mkdir(parents=True)
        (d / "config.json").write_text("{}")
        (d / "model.safetensors.index.json").write_text(json.dumps({"weight_map": {"a": "m1.safetensors"}}))
        (d / "m1.safetensors").write_bytes(b"0" * 1000)

    fake_hub(monkeypatch, fetch)
    target = tmp_path / "home" / "weights" / "DotsOCR"
    assert run(["download", "dots"], tmp_path) == 0  # default folder under TASKOCR_HOME
    assert f"ok: {target}" in capsys.readouterr().out
    assert run(["verify", "dots"], tmp_path, model_path=str(target)) == 0


def test_download_that_leaves_gaps_fails(tmp_path, monkeypatch, capsys):
    fake_hub(monkeypatch, lambda **kw: None)  # "succeeds" but writes nothing
    assert run(["download", "dots", "--dir", str(tmp_path / "W")], tmp_path) == 1
    assert "not usable" in capsys.readouterr().err


def test_real_client_offline(tmp_path, monkeypatch, capsys):
    """huggingface_hub itself, pointed at a port nothing listens on (no traffic leaves the machine)."""
    pytest.importorskip("huggingface_hub")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv("HF_ENDPOINT", f"http://127.0.0.1:{port}")
    monkeypatch.setenv("HF_HUB_ETAG_TIMEOUT", "2")
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    code = run(["download", "dots", "--dir", str(tmp_path / "W")], tmp_path)
    err = capsys.readouterr().err
    assert code == 1 and "model hub" in err, err


def test_verify_missing_dots_weights(tmp_path, capsys):
    # named on the command line: absent weights fail
    assert run(["verify", "dots", "--dir", str(tmp_path / "none")], tmp_path) == 1
    assert "dots: not installed: no weights in" in capsys.readouterr().out


def test_verify_all_passes_without_the_optional_dots_weights(tmp_path, capsys):
    """A normal CPU install has no dots weights: that is not a failure, altered weights are."""
    assert run(["verify", "--dir", str(tmp_path / "none")], tmp_path) == 0
    out = capsys.readouterr().out
    assert "dots: not installed:" in out and "(optional)" in out
    broken = tmp_path / "DotsOCR"
    broken.mkdir()
    (broken / "config.json").write_text("{not json")
    assert run(["verify", "--dir", str(broken)], tmp_path) == 1
    assert "dots: problem:" in capsys.readouterr().out


def test_verify_asks_the_server_when_one_is_configured(tmp_path, capsys):
    assert run(["verify", "dots"], tmp_path, url="http://127.0.0.1:9/v1") == 1
    assert "dots: problem: server http://127.0.0.1:9/v1/models not reachable" in capsys.readouterr().out


def test_list_names_every_engine(tmp_path, capsys):
    assert run(["list"], tmp_path) == 0
    out = capsys.readouterr().out
    for name in ("dots", "ppocr", "easyocr", "tesseract"):
        assert name in out
    assert "DOTS_OCR_URL" in out
    assert "using small, beam decoder" in out  # the set-up installs the decoder: auto takes the beam


def test_list_names_the_decoder_ppocr_reads_with(tmp_path, capsys):
    from taskocr.config import Decoder, PPOCRConfig, PPOCRModel

    def listed(**ppocr):
        assert models_cli.main(["list"], Settings(home=tmp_path / "home", ppocr=PPOCRConfig(**ppocr))) == 0
        return capsys.readouterr().out

    assert "using small, greedy decoder" in listed(decoder=Decoder.GREEDY)
    assert "greedy decoder (the beam reads with small only)" in listed(model=PPOCRModel.TINY)
    assert "using small, beam decoder, words en+auto" in listed(decoder=Decoder.BEAM)
    assert "beam decoder, words de" in listed(decoder=Decoder.BEAM, languages=("de",))


def test_list_is_quick_because_it_imports_no_engine_code():
    code = ("import sys; from taskocr import models_cli; models_cli.main(['list']); "
            "print(sorted(m for m in ('torch', 'easyocr', 'faster_paddle', 'cv2', 'openai') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "[]"


def test_usage_errors_exit_2(tmp_path):
    with pytest.raises(SystemExit) as exc:
        run(["download", "nothing"], tmp_path)
    assert exc.value.code == 2


def test_dispatched_from_the_main_cli(tmp_path, monkeypatch, capsys):
    from taskocr import cli

    monkeypatch.setenv("TASKOCR_HOME", str(tmp_path))
    assert cli.main(["models", "verify", "dots", "--dir", str(tmp_path / "none")]) == 1
