"""Load on the service: upload acceptance, status reads and job throughput.

    python -m bench load --engine ppocr --jobs 40 --workers 1,2

For each worker count a fresh embedded service is started (`taskocr serve` on a free port
and a fresh TASKOCR_HOME; or, with --database-url/--broker-url, `taskocr web` + N
`taskocr worker` + `taskocr beat` on those servers), then:
1. upload: --jobs distinct rendered photos from --clients threads at once → acceptance
   latency p50/p99 (the time until the 202, not until the scan);
2. drain: wait until every accepted job has finished → jobs/min from the first upload to
   the last completion, by the server's own timestamps;
3. status: --clients threads read `GET /api/status/{id}/` for --status-seconds → req/s.
Any non-2xx answer or transport error counts as an error; every accepted job must end
`completed`. The client runs on the same machine, so it competes for the same cores.
Talks to the service over HTTP only (no Django in this process).
"""

from __future__ import annotations

import argparse
import http.client
import io
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from statistics import quantiles

from PIL import Image, ImageDraw, ImageFont

FONT_DIR = Path(__file__).resolve().parent / "fonts"
VERBS = ("Call", "Email", "Book", "Send", "Fix", "Buy", "Review", "Plan", "Pay", "Order")
THINGS = ("the printer", "invoices", "the venue", "groceries", "slides", "the report", "tickets", "the car")
PEOPLE = ("Ana", "Tom", "Hasan", "Mia", "Raj")


def render_photo(i: int, size=(1600, 1100)) -> bytes:
    """A distinct handwritten-style list per job (distinct bytes: uploads are deduplicated)."""
    rnd = random.Random(i)
    font_path = FONT_DIR / "caveat.woff"
    font = ImageFont.truetype(str(font_path), 64) if font_path.exists() else ImageFont.load_default(size=56)
    img = Image.new("RGB", size, (250, 248, 240))
    draw = ImageDraw.Draw(img)
    lines = [f"TODO #{i}"] + [
        f"- {rnd.choice(VERBS)} {rnd.choice(THINGS)} @{rnd.choice(PEOPLE)} {rnd.randint(1, 28)}/{rnd.randint(1, 12)}"
        for _ in range(5)
    ]
    for n, text in enumerate(lines):
        draw.text((80, 60 + n * 150), text, font=font, fill=(20, 30, 120))
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=88)
    return buf.getvalue()


def _pct(values: list[float], p: int) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return quantiles(values, n=100, method="inclusive")[p - 1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Client:
    """One keep-alive HTTP connection (one per thread)."""

    def __init__(self, port: int, token: str):
        self.port, self.auth = port, f"Token {token}"
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
        hdrs = {"Authorization": self.auth, **(headers or {})}
        for attempt in (0, 1):  # a keep-alive connection the server closed: reconnect once
            try:
                self.conn.request(method, path, body=body, headers=hdrs)
                resp = self.conn.getresponse()
                return resp.status, resp.read()
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                if attempt:
                    raise
        raise AssertionError("unreachable")

    def upload(self, data: bytes, name: str):
        boundary = uuid.uuid4().hex
        body = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="image"; filename="{name}"\r\n'
            "Content-Type: image/jpeg\r\n\r\n"
        ).encode() + data + f"\r\n--{boundary}--\r\n".encode()
        return self.request("POST", "/api/upload/", body, {"Content-Type": f"multipart/form-data; boundary={boundary}"})


@dataclass
class Row:
    workers: int
    engine: str
    jobs: int
    accepted: int = 0
    upload_p50_ms: float = 0.0
    upload_p99_ms: float = 0.0
    status_rps: float = 0.0
    status_p99_ms: float = 0.0
    jobs_per_min: float = 0.0
    completed: int = 0
    errors: int = 0
    notes: list[str] = field(default_factory=list)


class Service:
    """The service under test, in subprocesses that this process owns and stops."""

    def __init__(self, args, workers: int, home: Path):
        self.port = _free_port()
        self.procs: list[subprocess.Popen] = []
        env = {**os.environ, "TASKOCR_HOME": str(home), "OCR_BACKEND": args.engine,
               "TASKOCR_LOG_LEVEL": "WARNING",
               # the per-user limits are lifted: this measures the service, not the limiter
               "TASKOCR_UPLOAD_RATE": "1000000/min", "TASKOCR_API_RATE": "1000000/min",
               "TASKOCR_MAX_QUEUED_PER_USER": "0"}
        cmd = [sys.executable, "-m", "taskocr"]
        logs = open(home / "bench-service.log", "ab")
        self.env, self.logs = env, logs  # a soak restarts a killed worker with them
        if args.database_url:
            env.update(DATABASE_URL=args.database_url, CELERY_BROKER_URL=args.broker_url,
                       TASKOCR_QUEUE=f"bench-{uuid.uuid4().hex[:8]}")
            self._spawn(cmd + ["web", "--port", str(self.port)], env, logs)
            for i in range(workers):
                self._spawn(cmd + ["worker", "--concurrency", "1", "--loglevel", "WARNING",
                                   "--hostname", f"bench{i}-{os.getpid()}@%h"], env, logs)
            self._spawn(cmd + ["beat", "--loglevel", "WARNING"], env, logs)
            self._wait_health()
            out = subprocess.run(cmd + ["createuser", f"bench-{uuid.uuid4().hex[:8]}", "--token"],
                                 env=env, capture_output=True, text=True, check=True)
            self.token = out.stdout.strip()
        else:
            env = {k: v for k, v in env.items() if k not in ("DATABASE_URL", "CELERY_BROKER_URL")}
            proc = subprocess.Popen(cmd + ["serve", "--port", str(self.port), "--workers", str(workers)],
                                    env=env, stdout=subprocess.PIPE, stderr=logs, text=True,
                                    start_new_session=True)
            self.procs.append(proc)
            self.token = ""
            for line in proc.stdout:
                if "API token:" in line:
                    self.token = line.split("API token:", 1)[1].strip()
                if line.startswith("Press Ctrl+C"):
                    break
            if not self.token:
                raise RuntimeError(f"taskocr serve did not start; see {home / 'bench-service.log'}")
        self._wait_workers(workers)

    def _spawn(self, cmd, env, logs):
        self.procs.append(subprocess.Popen(cmd, env=env, stdout=logs, stderr=logs, start_new_session=True))

    def _health(self) -> dict:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
        conn.request("GET", "/api/health/")
        return json.loads(conn.getresponse().read())

    def _wait_health(self, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                self._health()
                return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError("the web server did not answer")

    def _wait_workers(self, count: int, timeout: float = 180) -> None:
        """Every worker process has loaded its model: the clock must not include that."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            workers = self._health()["checks"]["engines"]["workers"]
            if sum(1 for w in workers if w["engine"]) >= count:
                return
            time.sleep(0.5)
        raise RuntimeError("workers did not come up")

    def stop(self) -> None:
        for p in self.procs:
            if p.poll() is None:
                os.killpg(p.pid, signal.SIGTERM)
        for p in self.procs:
            try:
                p.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)


def run_one(args, workers: int, photos: list[bytes]) -> Row:
    row = Row(workers=workers, engine=args.engine, jobs=len(photos))
    with tempfile.TemporaryDirectory(prefix="taskocr-load-") as tmp:
        svc = Service(args, workers, Path(tmp))
        try:
            _measure(args, svc, photos, row)
        finally:
            svc.stop()
    return row


def _measure(args, svc: Service, photos: list[bytes], row: Row) -> None:
    local = threading.local()
    errors = []

    def client() -> Client:
        if not hasattr(local, "c"):
            local.c = Client(svc.port, svc.token)
        return local.c

    def upload(i: int):
        t0 = time.perf_counter()
        try:
            status, body = client().upload(photos[i], f"load-{i}.jpg")
        except OSError as exc:
            errors.append(f"upload {i}: {exc}")
            return None
        ms = (time.perf_counter() - t0) * 1000
        if status != 202:
            errors.append(f"upload {i}: HTTP {status} {body[:200]!r}")
            return None
        return ms, json.loads(body)["transaction_id"]

    with ThreadPoolExecutor(args.clients) as pool:
        results = [r for r in pool.map(upload, range(len(photos))) if r]
    ids = [job_id for _, job_id in results]
    lat = sorted(ms for ms, _ in results)
    row.accepted, row.upload_p50_ms, row.upload_p99_ms = len(ids), _pct(lat, 50), _pct(lat, 99)

    # drain: one light poller, as a UI would
    watcher = Client(svc.port, svc.token)
    deadline = time.monotonic() + args.timeout
    jobs: dict[str, dict] = {}
    while time.monotonic() < deadline:
        jobs = {}
        status, body = watcher.request("GET", "/api/jobs/")
        pages = 0
        while status == 200 and pages < 100:
            data = json.loads(body)
            jobs.update({j["transaction_id"]: j for j in data["results"]})
            if not data["next"]:
                break
            page = data["next"].split(f":{svc.port}", 1)[1]
            status, body = watcher.request("GET", page)
            pages += 1
        if status != 200:
            errors.append(f"list: HTTP {status}")
        if all(jobs.get(i, {}).get("status") in ("completed", "failed") for i in ids):
            break
        time.sleep(1)
    done = [jobs[i] for i in ids if jobs.get(i, {}).get("status") == "completed"]
    row.completed = len(done)
    if done:
        first = min(j["created_at"] for j in done)
        last = max(j["completed_at"] for j in done)
        span = _iso_seconds(last) - _iso_seconds(first)
        row.jobs_per_min = len(done) / span * 60 if span > 0 else float("nan")
    failed = [jobs[i] for i in ids if jobs.get(i, {}).get("status") == "failed"]
    if failed:
        row.notes.append(f"{len(failed)} failed: {failed[0]['error_message'][:120]}")

    # status reads
    stop_at = time.monotonic() + args.status_seconds
    counts, lat_s = [], []

    def reader(k: int):
        n, mine = 0, []
        rnd = random.Random(k)
        while time.monotonic() < stop_at and ids:
            t0 = time.perf_counter()
            try:
                status, _ = client().request("GET", f"/api/status/{rnd.choice(ids)}/")
            except OSError as exc:
                errors.append(f"status: {exc}")
                continue
            mine.append((time.perf_counter() - t0) * 1000)
            if status != 200:
                errors.append(f"status: HTTP {status}")
            n += 1
        counts.append(n)
        lat_s.extend(mine)

    t0 = time.perf_counter()
    with ThreadPoolExecutor(args.clients) as pool:
        list(pool.map(reader, range(args.clients)))
    row.status_rps = sum(counts) / (time.perf_counter() - t0)
    row.status_p99_ms = _pct(sorted(lat_s), 99)
    row.errors = len(errors)
    row.notes.extend(errors[:3])


def _iso_seconds(stamp: str) -> float:
    from datetime import datetime

    return datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp()


def table(rows: list[Row]) -> str:
    head = ("| workers | engine | jobs | upload p50 | upload p99 | status req/s | status p99 "
            "| jobs/min | completed | errors |\n|---|---|---|---|---|---|---|---|---|---|")
    lines = [head]
    for r in rows:
        lines.append(
            f"| {r.workers} | {r.engine} | {r.jobs} | {r.upload_p50_ms:.0f} ms | {r.upload_p99_ms:.0f} ms "
            f"| {r.status_rps:.0f} | {r.status_p99_ms:.0f} ms | {r.jobs_per_min:.1f} "
            f"| {r.completed}/{r.accepted} | {r.errors} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="taskocr bench load", description=__doc__.split("\n\n")[0])
    ap.add_argument("--engine", default="ppocr", help="OCR_BACKEND for the workers (ppocr, mock, auto…)")
    ap.add_argument("--jobs", type=int, default=40, help="uploads per run")
    ap.add_argument("--clients", type=int, default=4, help="concurrent client threads")
    ap.add_argument("--workers", default="1,2", help="worker counts to run, comma-separated")
    ap.add_argument("--status-seconds", type=float, default=10.0)
    ap.add_argument("--timeout", type=float, default=900.0, help="longest wait for the jobs to finish")
    ap.add_argument("--database-url", default=None, help="scale-out run: PostgreSQL URL (needs --broker-url)")
    ap.add_argument("--broker-url", default=None, help="scale-out run: Redis/RabbitMQ URL")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--soak-minutes", type=float, default=0,
                    help="soak instead: spread --jobs over this long, kill a worker halfway (see bench/soak.py)")
    args = ap.parse_args(argv)
    if bool(args.database_url) != bool(args.broker_url):
        ap.error("--database-url and --broker-url go together")
    if args.soak_minutes:
        if not args.database_url:
            ap.error("a soak runs on the scale-out stack: give --database-url and --broker-url")
        from .soak import run

        return run(args)
    photos = [render_photo(i) for i in range(args.jobs)]
    rows = []
    for w in (int(x) for x in args.workers.split(",")):
        rows.append(run_one(args, w, photos))
        print(f"workers={w}: done", file=sys.stderr, flush=True)
    mode = "scale-out (PostgreSQL + broker server)" if args.database_url else "embedded (SQLite + SQL broker)"
    if args.json:
        print(json.dumps({"mode": mode, "rows": [asdict(r) for r in rows]}, indent=2))
    else:
        print(f"taskocr load, {mode}, {os.cpu_count()} cores, {args.clients} clients\n")
        print(table(rows))
        for r in rows:
            for note in r.notes:
                print(f"  workers={r.workers}: {note}")
    ok = all(r.errors == 0 and r.completed == r.accepted == r.jobs for r in rows)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
