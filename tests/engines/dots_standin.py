"""A stand-in for a vLLM server serving dots.ocr: real HTTP on 127.0.0.1, the OpenAI
chat-completions protocol, and a check of every request the way the model would need it.

Tests queue how the next completions are answered: layout cells (given as fractions of the
image the server received, so the expected boxes follow from the resize), raw text, an HTTP
status, or a delay. A request that breaks the protocol is answered 400 with what was wrong,
and recorded in ``problems``.
"""

from __future__ import annotations

import base64
import io
import json
import socket
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable

from PIL import Image

from taskocr.engines import dots_layout as layout


def ink_lines(img: Image.Image, dark: int = 110, gap: int = 4) -> list[tuple[float, float, float, float]]:
    """Boxes around each horizontal band of dark pixels, as fractions of the image, top to bottom:
    where a written line is, found the same way in the photo and in what the server receives."""
    import numpy as np

    ink = np.asarray(img.convert("L")) < dark
    h, w = ink.shape
    rows = np.flatnonzero(ink.sum(axis=1) > max(2, 0.002 * w))
    bands, start, prev = [], None, None
    for r in rows:
        if start is None:
            start = prev = r
        elif r - prev > gap:
            bands.append((start, prev))
            start = r
        prev = r
    if start is not None:
        bands.append((start, prev))
    out = []
    for y1, y2 in bands:
        cols = np.flatnonzero(ink[y1:y2 + 1].any(axis=0))
        out.append((float(cols[0] / w), float(y1 / h), float((cols[-1] + 1) / w), float((y2 + 1) / h)))
    return out


@dataclass
class Reply:
    # bbox as fractions [x1, y1, x2, y2] of the received image, or "ink": the next written line
    # found in the received image (so boxes follow whatever cropping happened before the engine)
    cells: list[dict] | None = None
    text: str | None = None  # raw answer content instead of cells
    wrap: Callable[[str], str] = lambda s: s  # e.g. a Markdown fence, or a cut-off
    finish_reason: str = "stop"
    status: int = 200
    delay_s: float = 0.0


@dataclass
class Seen:
    model: str
    image_size: tuple[int, int]
    image_format: str
    text: str
    authorization: str
    image: Image.Image = field(repr=False, default=None)
    body: dict = field(repr=False, default_factory=dict)


class StandIn:
    def __init__(self, models=("dots.ocr",), api_key: str = "EMPTY",
                 min_pixels: int = layout.MIN_PIXELS, max_pixels: int = layout.MAX_PIXELS):
        self.models = list(models)
        self.api_key = api_key
        self.min_pixels, self.max_pixels = min_pixels, max_pixels
        self.replies: list[Reply] = []
        self.seen: list[Seen] = []
        self.problems: list[str] = []
        self.model_list_hits = 0
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._conns: set[socket.socket] = set()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    def __enter__(self) -> "StandIn":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        """Stop like a crashed server: kept-alive client connections are cut too."""
        self._stop.set()
        self.server.shutdown()
        self.server.server_close()
        with self._lock:
            conns, self._conns = list(self._conns), set()
        for conn in conns:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def queue(self, *replies: Reply) -> None:
        with self._lock:
            self.replies.extend(replies)

    # --- protocol ----------------------------------------------------------------------------
    def _check(self, body: dict, auth: str) -> tuple[Seen | None, list[str]]:
        problems = []
        if body.get("model") not in self.models:
            problems.append(f"unknown model {body.get('model')!r}")
        if auth != f"Bearer {self.api_key}":
            problems.append(f"bad Authorization header {auth!r}")
        msgs = body.get("messages") or []
        if len(msgs) != 1 or msgs[0].get("role") != "user" or not isinstance(msgs[0].get("content"), list):
            return None, problems + ["expected one user message with a content list"]
        parts = msgs[0]["content"]
        images = [p for p in parts if p.get("type") == "image_url"]
        texts = [p for p in parts if p.get("type") == "text"]
        if len(images) != 1 or len(texts) != 1:
            return None, problems + ["expected exactly one image_url part and one text part"]
        url = images[0]["image_url"]["url"]
        head, _, data = url.partition(";base64,")
        if not head.startswith("data:image/") or not data:
            return None, problems + [f"image is not a base64 data URI: {url[:40]!r}"]
        try:
            img = Image.open(io.BytesIO(base64.b64decode(data, validate=True)))
            img.load()
        except Exception as exc:
            return None, problems + [f"image does not decode: {exc}"]
        w, h = img.size
        if w % layout.IMAGE_FACTOR or h % layout.IMAGE_FACTOR:
            problems.append(f"image {w}x{h} is not on the {layout.IMAGE_FACTOR}-px grid")
        if not self.min_pixels <= w * h <= self.max_pixels:
            problems.append(f"image {w}x{h} = {w * h} px is outside [{self.min_pixels}, {self.max_pixels}]")
        text = texts[0]["text"]
        if text != layout.IMAGE_TOKENS + layout.PROMPT_LAYOUT_ALL_EN:
            problems.append("the text is not the image tokens followed by prompt_layout_all_en")
        if not isinstance(body.get("max_tokens", body.get("max_completion_tokens")), int):
            problems.append("no token limit in the request")
        seen = Seen(body.get("model"), (w, h), img.format or "", text, auth, img.convert("RGB"), body)
        return seen, problems

    def _completion(self, model: str, content: str, finish: str) -> dict:
        return {
            "id": f"chatcmpl-{len(self.seen)}", "object": "chat.completion", "created": 0, "model": model,
            "choices": [{"index": 0, "message": {"role": "assistant", "content": content},
                         "finish_reason": finish, "logprobs": None}],
            "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
        }

    def _handler(self):
        standin = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # keep pytest output clean
                pass

            def setup(self):
                super().setup()
                with standin._lock:
                    standin._conns.add(self.connection)

            def finish(self):
                with standin._lock:
                    standin._conns.discard(self.connection)
                super().finish()

            def _send(self, status: int, payload: dict) -> None:
                raw = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                try:
                    self.wfile.write(raw)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout test)

            def do_GET(self):
                if self.path.rstrip("/") == "/v1/models":
                    standin.model_list_hits += 1
                    data = [{"id": m, "object": "model", "created": 0, "owned_by": "vllm"} for m in standin.models]
                    return self._send(200, {"object": "list", "data": data})
                self._send(404, {"object": "error", "message": f"no route {self.path}", "code": 404})

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                if self.path.rstrip("/") != "/v1/chat/completions":
                    return self._send(404, {"object": "error", "message": f"no route {self.path}", "code": 404})
                try:
                    body = json.loads(raw)
                except ValueError:
                    return self._send(400, {"object": "error", "message": "body is not JSON", "code": 400})
                seen, problems = standin._check(body, self.headers.get("Authorization", ""))
                if problems:
                    standin.problems.extend(problems)
                    return self._send(400, {"object": "error", "message": "; ".join(problems),
                                            "type": "BadRequestError", "code": 400})
                with standin._lock:
                    standin.seen.append(seen)
                    reply = standin.replies.pop(0) if standin.replies else Reply(cells=[])
                if reply.delay_s and standin._stop.wait(reply.delay_s):
                    return
                if reply.status != 200:
                    return self._send(reply.status, {"object": "error", "message": "stand-in failure",
                                                     "type": "InternalServerError", "code": reply.status})
                w, h = seen.image_size
                if reply.text is not None:
                    content = reply.text
                else:
                    cells, ink = [], iter(ink_lines(seen.image))
                    for c in reply.cells or []:
                        c = dict(c)
                        if c.get("bbox") == "ink":
                            c["bbox"] = list(next(ink))
                        if isinstance(c.get("bbox"), list) and all(isinstance(v, float) for v in c["bbox"]):
                            x1, y1, x2, y2 = c["bbox"]
                            c["bbox"] = [round(x1 * w), round(y1 * h), round(x2 * w), round(y2 * h)]
                        cells.append(c)
                    content = json.dumps(cells, ensure_ascii=False)
                self._send(200, standin._completion(seen.model, reply.wrap(content), reply.finish_reason))

        return Handler
