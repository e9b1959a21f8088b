"""Per-stage speed and peak memory, engines side by side.

    python -m bench speed --engine ppocr,ppocr-tiny,tesseract -n 10

Each engine runs in its own child process, one after the other, so its peak RSS is its own
and engines never compete for the two cores. In the child the model is loaded (and one
warm-up image scanned) before the clock starts; then N images of the set are scanned and
the medians of the pipeline's own stage timings (decode, page, ocr, extract, total) are kept.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path
from statistics import median

from .accuracy import DEFAULT_DATA, _scan, make_pipeline, resolve_engine
from .dataset import load_truths
from .fonts import repo_root

STAGES = ("decode", "page", "ocr", "extract", "total")


def pick_images(data_dir: Path, count: int, min_mp: float = 0.0) -> list[dict]:
    truths = [t for t in load_truths(data_dir)
              if t["photo"]["width"] * t["photo"]["height"] >= min_mp * 1e6]
    return truths[:count]


def measure(label: str, data_dir: Path, count: int, min_mp: float = 0.0, warmup: int = 1) -> dict:
    """Time one engine in this process (the child side)."""
    choice = resolve_engine(label)
    pipeline = make_pipeline(choice)
    row: dict = {"engine": label}
    reason = pipeline.registry.get(choice.engine).unavailable_reason()
    if reason:
        return dict(row, unavailable=reason)
    truths = pick_images(data_dir, count + warmup, min_mp)
    t0 = time.perf_counter()
    pipeline.preload(choice.engine)
    row["load_s"] = time.perf_counter() - t0
    for t in truths[:warmup]:
        _scan(pipeline, choice, (data_dir / t["image"]).read_bytes(), t, True, False)
    stages: dict[str, list[float]] = {s: [] for s in STAGES}
    for t in truths[warmup:]:
        data = (data_dir / t["image"]).read_bytes()  # read before the clock: disk is not a stage
        result = _scan(pipeline, choice, data, t, True, False)
        for s in STAGES:
            stages[s].append(result.timings_ms.get(s, 0.0))
    row["images"] = len(truths[warmup:])
    row["median_ms"] = {s: median(v) if v else None for s, v in stages.items()}
    row["megapixels"] = median(t["photo"]["width"] * t["photo"]["height"] / 1e6 for t in truths) if truths else None
    row["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    return row


def _child_env() -> dict:
    """The child imports ``bench`` from the checkout whatever the working directory is."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(repo_root()), env.get("PYTHONPATH")]))
    return env


def machine() -> dict:
    """What the timings depend on besides the code: the CPU, its vector extensions (the ONNX
    kernels pick AVX-512 or AVX2 paths by them) and how busy the machine was at the start."""
    info = {"cpus": os.cpu_count(), "cpu": platform.processor() or platform.machine(), "vector": []}
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        text = ""
    for row in text.splitlines():
        key, _, value = row.partition(":")
        if key.strip() == "model name":
            info["cpu"] = value.strip()
        elif key.strip() == "flags":
            flags = set(value.split())
            info["vector"] = sorted(f for f in flags if f in {"avx2", "avx512f", "avx512_vnni", "avx512vnni", "fma"})
            break
    if hasattr(os, "getloadavg"):
        info["load_1min"] = round(os.getloadavg()[0], 2)
    return info


def run(engines: list[str], data_dir: Path = DEFAULT_DATA, count: int = 10, min_mp: float = 0.0) -> dict:
    rows = []
    host = machine()
    for label in engines:
        cmd = [sys.executable, "-m", "bench.speed", "--child", label, "--data", str(data_dir),
               "-n", str(count), "--min-mp", str(min_mp)]
        proc = subprocess.run(cmd, capture_output=True, text=True, env=_child_env())
        if proc.returncode != 0:
            rows.append({"engine": label, "failed": proc.stderr.strip().splitlines()[-1:] or ["?"]})
            continue
        rows.append(json.loads(proc.stdout.strip().splitlines()[-1]))
    return {"data": str(data_dir), "count": count, "min_mp": min_mp, "machine": host, "engines": rows}


def format_table(report: dict) -> str:
    cols = " ".join(f"{s:>8}" for s in STAGES)
    head = f"{'engine':<12} {'images':>6} {'MP':>5} {'load s':>7} {cols} {'x first':>7} {'peak RSS':>9}"
    host = report.get("machine") or {}
    out = [f"machine: {host.get('cpu', '?')}, {host.get('cpus', '?')} cores, "
           f"{'+'.join(host.get('vector') or ['no AVX2'])}, load {host.get('load_1min', '?')} at start",
           "median milliseconds per stage (model loaded and warmed up first)", head, "-" * len(head)]
    first = None
    for r in report["engines"]:
        if "median_ms" not in r:
            out.append(f"{r['engine']:<12} {r.get('unavailable') or r.get('failed')}")
            continue
        ms = r["median_ms"]
        first = first or ms["total"]
        ratio = ms["total"] / first if first else float("nan")
        stages = " ".join(f"{ms[s]:>8.0f}" if ms[s] is not None else f"{'-':>8}" for s in STAGES)
        out.append(f"{r['engine']:<12} {r['images']:>6} {r['megapixels'] or 0:>5.1f} {r['load_s']:>7.2f} "
                   f"{stages} {ratio:>7.2f} {r['peak_rss_mb']:>6.0f} MB")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="taskocr bench speed", description=__doc__.split("\n\n")[0])
    ap.add_argument("--engine", action="append", default=None, help="engine(s), repeat or comma-separate")
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("-n", "--count", type=int, default=10, help="timed images per engine")
    ap.add_argument("--min-mp", type=float, default=0.0, help="only photos of at least this many megapixels")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--child", default=None, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        print(json.dumps(measure(args.child, args.data, args.count, args.min_mp)))
        return 0
    if not (args.data / "manifest.json").is_file():
        print(f"no data set at {args.data}; generate it: python -m bench dataset", file=sys.stderr)
        return 2
    engines = [e.strip() for arg in (args.engine or ["ppocr"]) for e in arg.split(",") if e.strip()]
    report = run(engines, args.data, args.count, args.min_mp)
    print(json.dumps(report, indent=1) if args.json else format_table(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
