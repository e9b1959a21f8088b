"""The typed result tree: geometry, recognised lines, tasks and the scan result.

Every value is a frozen dataclass with a ``to_dict``/``from_dict`` round trip, so a
result can cross process boundaries (Celery, JSON files, the API) without losing shape.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any, Iterable, Mapping


class Priority(str, enum.Enum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    URGENT = "urgent"


class LineKind(str, enum.Enum):
    """What an engine says a line is; layout-aware engines (dots.ocr) fill it in."""

    TEXT = "text"
    HEADING = "heading"
    LIST_ITEM = "list_item"


@dataclass(frozen=True)
class BBox:
    """Axis-aligned box in pixels: top-left corner plus size."""

    x: float
    y: float
    width: float
    height: float

    @property
    def x2(self) -> float:
        return self.x + self.width

    @property
    def y2(self) -> float:
        return self.y + self.height

    @property
    def cx(self) -> float:
        return self.x + self.width / 2

    @property
    def cy(self) -> float:
        return self.y + self.height / 2

    @classmethod
    def from_corners(cls, x1: float, y1: float, x2: float, y2: float) -> "BBox":
        return cls(min(x1, x2), min(y1, y2), abs(x2 - x1), abs(y2 - y1))

    @classmethod
    def from_points(cls, points: Iterable[tuple[float, float]]) -> "BBox":
        xs, ys = zip(*points)
        return cls.from_corners(min(xs), min(ys), max(xs), max(ys))

    @classmethod
    def union(cls, boxes: Iterable["BBox"]) -> "BBox":
        boxes = list(boxes)
        return cls.from_corners(
            min(b.x for b in boxes), min(b.y for b in boxes),
            max(b.x2 for b in boxes), max(b.y2 for b in boxes),
        )

    def corners(self) -> list[tuple[float, float]]:
        return [(self.x, self.y), (self.x2, self.y), (self.x2, self.y2), (self.x, self.y2)]

    def scaled(self, fx: float, fy: float | None = None) -> "BBox":
        fy = fx if fy is None else fy
        return BBox(self.x * fx, self.y * fy, self.width * fx, self.height * fy)

    def clipped(self, width: float, height: float) -> "BBox":
        x1, y1 = max(0.0, min(self.x, width)), max(0.0, min(self.y, height))
        x2, y2 = max(0.0, min(self.x2, width)), max(0.0, min(self.y2, height))
        return BBox.from_corners(x1, y1, x2, y2)

    def rounded(self) -> "BBox":
        return BBox(round(self.x), round(self.y), round(self.width), round(self.height))

    def iou(self, other: "BBox") -> float:
        """Intersection over union of the two boxes."""
        ix = max(0.0, min(self.x2, other.x2) - max(self.x, other.x))
        iy = max(0.0, min(self.y2, other.y2) - max(self.y, other.y))
        inter = ix * iy
        union = self.width * self.height + other.width * other.height - inter
        return inter / union if union > 0 else 0.0

    def hgap(self, other: "BBox") -> float:
        """Horizontal space between the two boxes; below 0 by as much as they overlap."""
        return max(self.x, other.x) - min(self.x2, other.x2)

    def horizontal_overlap(self, other: "BBox") -> float:
        """Overlap of the two boxes' horizontal extents, as a share of the narrower one."""
        narrower = min(self.width, other.width) or 1.0
        return max(0.0, -self.hgap(other)) / narrower

    def vertical_overlap(self, other: "BBox") -> float:
        """Overlap of the two boxes' vertical extents, as a share of the shorter one."""
        inter = min(self.y2, other.y2) - max(self.y, other.y)
        shorter = min(self.height, other.height) or 1.0
        return max(0.0, inter) / shorter

    def to_dict(self) -> dict[str, float]:
        return {"x": self.x, "y": self.y, "width": self.width, "height": self.height}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "BBox":
        return cls(float(d["x"]), float(d["y"]), float(d["width"]), float(d["height"]))


@dataclass(frozen=True)
class Reading:
    """Another way the engine read the same stretch of writing: a second pass, or one of the
    beam decoder's n-best (its confidence then falls with its score against the best)."""

    text: str
    confidence: float

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "confidence": round(self.confidence, 4)}


@dataclass(frozen=True)
class Word:
    """One word of a line with the recogniser's confidence in it (beam-decoded lines)."""

    text: str
    confidence: float

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "confidence": round(self.confidence, 4)}


@dataclass(frozen=True)
class Line:
    """One run of recognised text with its box, as an engine (or the layout merger) saw it."""

    text: str
    confidence: float
    bbox: BBox
    kind: LineKind = LineKind.TEXT
    alternatives: tuple[Reading, ...] = ()
    words: tuple[Word, ...] = ()

    def with_bbox(self, bbox: BBox) -> "Line":
        return replace(self, bbox=bbox)

    def to_dict(self) -> dict[str, Any]:
        d = {
            "text": self.text,
            "confidence": round(self.confidence, 4),
            "bbox": self.bbox.rounded().to_dict(),
            "kind": self.kind.value,
        }
        if self.alternatives:
            d["alternatives"] = [a.to_dict() for a in self.alternatives]
        if self.words:
            d["words"] = [w.to_dict() for w in self.words]
        return d

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "Line":
        return cls(
            text=d["text"],
            confidence=float(d["confidence"]),
            bbox=BBox.from_dict(d["bbox"]),
            kind=LineKind(d.get("kind", "text")),
            alternatives=tuple(Reading(a["text"], float(a["confidence"])) for a in d.get("alternatives", ())),
            words=tuple(Word(w["text"], float(w["confidence"])) for w in d.get("words", ())),
        )


@dataclass(frozen=True)
class PageText:
    """A page an engine segmented two ways. ``lines`` is its reading; ``separated`` the same
    page read widened, where the detector keeps writing on side-by-side notes apart, so the
    extractor can take that segmentation for a board of notes (``extract.pick_layout``)."""

    lines: tuple[Line, ...]
    separated: tuple[Line, ...] = ()
    # degrees the engine turned the page (``imaging.turn``) to level its lines before reading
    # it; both readings' boxes are in the turned page's pixels
    turned: float = 0.0


@dataclass(frozen=True)
class Task:
    """One task read from the page. The service maps these names onto its API's own."""

    title: str
    description: str = ""
    assignee: str | None = None
    due: date | None = None
    priority: Priority = Priority.MEDIUM
    done: bool = False
    position: int = 0  # 0-based, in reading order
    confidence: float = 0.0
    bbox: BBox | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "description": self.description,
            "assignee": self.assignee,
            "due": self.due.isoformat() if self.due else None,
            "priority": self.priority.value,
            "done": self.done,
            "position": self.position,
            "confidence": round(self.confidence, 4),
            "bbox": self.bbox.rounded().to_dict() if self.bbox else None,
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "Task":
        return cls(
            title=d["title"],
            description=d.get("description") or "",
            assignee=d.get("assignee"),
            due=date.fromisoformat(d["due"]) if d.get("due") else None,
            priority=Priority(d.get("priority") or "medium"),
            done=bool(d.get("done", False)),
            position=int(d.get("position", 0)),
            confidence=float(d.get("confidence", 0.0)),
            bbox=BBox.from_dict(d["bbox"]) if d.get("bbox") else None,
        )


@dataclass(frozen=True)
class ImageInfo:
    width: int
    height: int
    captured_at: datetime | None = None
    format: str | None = None
    page_found: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "width": self.width,
            "height": self.height,
            "captured_at": self.captured_at.isoformat() if self.captured_at else None,
            "format": self.format,
            "page_found": self.page_found,
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "ImageInfo":
        cap = d.get("captured_at")
        return cls(
            width=int(d["width"]),
            height=int(d["height"]),
            captured_at=datetime.fromisoformat(cap) if cap else None,
            format=d.get("format"),
            page_found=bool(d.get("page_found", False)),
        )


class AttemptStatus(str, enum.Enum):
    OK = "ok"
    DECLINED = "declined"  # not set up here: the chain moves on without trying
    FAILED = "failed"  # tried on this image and raised


@dataclass(frozen=True)
class EngineAttempt:
    engine: str
    status: AttemptStatus
    reason: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"engine": self.engine, "status": self.status.value, "reason": self.reason}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "EngineAttempt":
        return cls(d["engine"], AttemptStatus(d["status"]), d.get("reason"))


@dataclass(frozen=True)
class ScanResult:
    engine: str
    image: ImageInfo
    lines: tuple[Line, ...] = ()
    tasks: tuple[Task, ...] = ()
    engines_tried: tuple[EngineAttempt, ...] = ()
    timings_ms: Mapping[str, float] = field(default_factory=dict)
    # what produced it: the engine's model and its version, and the extraction rules' version
    model: str | None = None
    model_version: str | None = None
    extractor_version: str | None = None
    # what the page was read as: list, board, notes (only marked rows) or text (only action items)
    page_kind: str | None = None

    @property
    def confidence(self) -> float | None:
        """Mean task confidence; the API's ``ocr_confidence``."""
        if not self.tasks:
            return None
        return sum(t.confidence for t in self.tasks) / len(self.tasks)

    def to_dict(self) -> dict[str, Any]:
        return {
            "engine": self.engine,
            "model": self.model,
            "model_version": self.model_version,
            "extractor_version": self.extractor_version,
            "engines_tried": [a.to_dict() for a in self.engines_tried],
            "image": self.image.to_dict(),
            "page_kind": self.page_kind,
            "lines": [ln.to_dict() for ln in self.lines],
            "tasks": [t.to_dict() for t in self.tasks],
            "timings_ms": {k: round(v, 1) for k, v in self.timings_ms.items()},
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "ScanResult":
        return cls(
            engine=d["engine"],
            image=ImageInfo.from_dict(d["image"]),
            lines=tuple(Line.from_dict(x) for x in d.get("lines", ())),
            tasks=tuple(Task.from_dict(x) for x in d.get("tasks", ())),
            engines_tried=tuple(EngineAttempt.from_dict(x) for x in d.get("engines_tried", ())),
            timings_ms=dict(d.get("timings_ms", {})),
            model=d.get("model"),
            model_version=d.get("model_version"),
            extractor_version=d.get("extractor_version"),
            page_kind=d.get("page_kind"),
        )
