"""Soak: a long, paced load on the scale-out stack with a worker killed halfway.

    python -m bench load --soak-minutes 15 --jobs 1000 --clients 8 --workers 2 --engine auto \\
        --database-url postgresql://postgres@127.0.0.1:5432/test --broker-url redis://127.0.0.1:6379/0

`taskocr web` (gunicorn) + N `taskocr worker` + `taskocr beat` on those servers. --clients
threads upload --jobs distinct photos spread evenly over --soak-minutes, while --clients/2
readers poll job status and the job list; at half time worker 0 (its main and pool
processes) is SIGKILLed and started again. Then every accepted job must end `completed`,
once: one job per upload, and no task position repeated within a job (a doubled run would
repeat them). Prints upload p50/p99, reads/s, jobs/min, errors, each worker's RSS at start
and end, and the final count. The rate limits are lifted (see ``Service``).
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from .load import Client, Service, _iso_seconds, _pct, render_photo


def _session_rss_mb(pid: int) -> float:
    """Resident memory of a process and everything it started (its session), in MB."""
    out = subprocess.run(["ps", "-o", "rss=", "--sid", str(pid)], capture_output=True, text=True)
    return sum(int(x) for x in out.stdout.split()) / 1024


def _all_jobs(c: Client, port: int) -> dict[str, dict]:
    jobs, path = {}, "/api/jobs/"
    while path:
        status, body = c.request("GET", path)
        if status != 200:
            raise RuntimeError(f"job list: HTTP {status}")
        data = json.loads(body)
        jobs.update({j["transaction_id"]: j for j in data["results"]})
        path = data["next"].split(f":{port}", 1)[1] if data["next"] else None
    return jobs


def run(args) -> int:
    photos = [render_photo(i) for i in range(args.jobs)]
    workers = int(args.workers.split(",")[0])
    duration = args.soak_minutes * 60
    with tempfile.TemporaryDirectory(prefix="taskocr-soak-") as tmp:
        svc = Service(args, workers, Path(tmp))
        try:
            return _soak(args, svc, photos, workers, duration)
        finally:
            svc.stop()


def _soak(args, svc: Service, photos: list[bytes], workers: int, duration: float) -> int:
    worker_procs = svc.procs[1:1 + workers]  # web, the workers, beat (see Service)
    rss_start = [_session_rss_mb(p.pid) for p in worker_procs]
    errors: list[str] = []
    accepted: list[tuple[float, str]] = []
    lock = threading.Lock()
    t0 = time.monotonic()
    stop_reading = threading.Event()
    local = threading.local()

    def client() -> Client:
        if not hasattr(local, "c"):
            local.c = Client(svc.port, svc.token)
        return local.c

    def upload(i: int) -> None:
        time.sleep(max(0.0, t0 + i * duration / len(photos) - time.monotonic()))
        started = time.perf_counter()
        try:
            status, body = client().upload(photos[i], f"soak-{i}.jpg")
        except OSError as exc:
            with lock:
                errors.append(f"upload {i}: {exc}")
            return
        ms = (time.perf_counter() - started) * 1000
        with lock:
            if status == 202:
                accepted.append((ms, json.loads(body)["transaction_id"]))
            else:
                errors.append(f"upload {i}: HTTP {status} {body[:120]!r}")

    reads = {"status": 0, "list": 0}

    def reader(k: int) -> None:
        rnd = random.Random(k)
        c = Client(svc.port, svc.token)
        while not stop_reading.is_set():
            with lock:
                ids = [j for _, j in accepted[-200:]]
            kind = "list" if rnd.random() < 0.2 or not ids else "status"
            path = "/api/jobs/" if kind == "list" else f"/api/status/{rnd.choice(ids)}/"
            try:
                status, _ = c.request("GET", path)
            except OSError as exc:
                status = f"{exc}"
            with lock:
                reads[kind] += 1
                if status != 200:
                    errors.append(f"read {path}: {status}")
            time.sleep(0.05)

    def kill_halfway() -> None:
        time.sleep(duration / 2)
        victim = worker_procs[0]
        os.killpg(victim.pid, signal.SIGKILL)
        victim.wait()
        print(f"[{time.monotonic() - t0:.0f}s] worker 0 SIGKILLed; starting it again", file=sys.stderr, flush=True)
        svc._spawn(victim.args[:-1] + [f"soak-restarted-{uuid.uuid4().hex[:6]}@%h"], svc.env, svc.logs)
        worker_procs[0] = svc.procs[-1]

    readers = [threading.Thread(target=reader, args=(k,), daemon=True) for k in range(max(1, args.clients // 2))]
    for r in readers:
        r.start()
    killer = threading.Thread(target=kill_halfway, daemon=True)
    killer.start()
    with ThreadPoolExecutor(args.clients) as pool:
        list(pool.map(upload, range(len(photos))))
    upload_s = time.monotonic() - t0
    killer.join()
    stop_reading.set()
    for r in readers:
        r.join()
    read_s = time.monotonic() - t0

    ids = {j for _, j in accepted}
    watcher = Client(svc.port, svc.token)
    deadline = time.monotonic() + args.timeout
    while True:
        jobs = _all_jobs(watcher, svc.port)
        if all(jobs.get(i, {}).get("status") in ("completed", "failed") for i in ids) or time.monotonic() > deadline:
            break
        time.sleep(5)
    rss_end = [_session_rss_mb(p.pid) for p in worker_procs]
    done = [jobs[i] for i in ids if jobs.get(i, {}).get("status") == "completed"]
    repeated = 0
    for j in done:
        status, body = watcher.request("GET", f"/api/status/{j['transaction_id']}/")
        positions = [t["position_index"] for t in json.loads(body)["extracted_tasks"]]
        repeated += len(positions) != len(set(positions))
    span = _iso_seconds(max(j["completed_at"] for j in done)) - _iso_seconds(min(j["created_at"] for j in done)) if done else 0
    lat = sorted(ms for ms, _ in accepted)
    extra_jobs = len(set(jobs) - ids)
    once = len(done) == len(ids) == len(photos) and repeated == 0 and extra_jobs == 0
    print(f"taskocr soak, scale-out (PostgreSQL + {args.broker_url.split(':')[0]}), {os.cpu_count()} cores, "
          f"engine {args.engine}, {workers} workers, {args.clients} upload clients + {len(readers)} readers\n")
    print("| measure | value |\n|---|---|")
    rows = [
        ("uploads accepted", f"{len(ids)}/{len(photos)} over {upload_s / 60:.1f} min"),
        ("upload p50 / p99", f"{_pct(lat, 50):.0f} ms / {_pct(lat, 99):.0f} ms"),
        ("reads (status + list) per s", f"{(reads['status'] + reads['list']) / read_s:.1f} ({reads['status']} status, {reads['list']} list)"),
        ("jobs/min (first upload to last completion)", f"{len(done) / span * 60:.1f}" if span else "n/a"),
        ("errors", str(len(errors))),
        ("worker RSS start → end (MB)", ", ".join(f"w{i}: {a:.0f} → {b:.0f}" for i, (a, b) in enumerate(zip(rss_start, rss_end)))),
        ("jobs run more than once (attempts > 1)", str(sum(1 for j in done if j["attempts"] > 1))),
        ("completed exactly once", f"{len(done)}/{len(ids)}; extra jobs {extra_jobs}; jobs with repeated tasks {repeated}"),
    ]
    for name, value in rows:
        print(f"| {name} | {value} |")
    for e in errors[:5]:
        print(f"  error: {e}")
    return 0 if once and not errors else 1
