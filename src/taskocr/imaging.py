"""Image bytes → an RGB page ready for OCR, and the way back to the original's pixels.

Decoding covers JPEG, PNG, WebP, TIFF, HEIC/HEIF, AVIF, GIF, BMP and the first page of a PDF
(nothing else, so the command line and the service accept the same files), applies EXIF
orientation and refuses oversized or corrupt data with a coded ``InputError``. ``prepare_page``
finds the sheet of paper in a phone photo and flattens its perspective; ``Page`` maps boxes
found on the flattened page back to the photo the user sent.
"""

from __future__ import annotations

import io
import warnings
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime

import cv2
import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from .config import Limits
from .errors import CorruptImage, ImageTooLarge, InputError, UnsupportedFormat
from .formats import PILLOW_FORMATS, READABLE
from .model import BBox, ImageInfo

# OCR input long side: enough for handwriting (engines rescale text to ~48 px high),
# small enough that page warping and detection stay cheap on 12 MP photos.
WORK_LONG_SIDE = 2200
_EXIF_IFD = 0x8769
_DATETIME_ORIGINAL = 36867
_DATETIME = 306

_heif_registered = False


def _register_heif() -> None:
    global _heif_registered
    if not _heif_registered:
        from pillow_heif import register_heif_opener

        register_heif_opener()
        _heif_registered = True


@dataclass(frozen=True)
class LoadedImage:
    rgb: np.ndarray  # possibly decoded at reduced scale (JPEG draft); see ``scale``
    info: ImageInfo  # width/height of the full, upright original
    scale: float  # original pixels per decoded pixel


def load_image(data: bytes, limits: Limits = Limits(), *, work_long_side: int = WORK_LONG_SIDE) -> LoadedImage:
    if not data:
        raise InputError("the file is empty", code="empty_file")
    if len(data) > limits.max_file_bytes:
        raise ImageTooLarge(
            f"the file is {len(data) / 2**20:.1f} MB; the limit is {limits.max_file_bytes / 2**20:.0f} MB"
        )
    if data[:5] == b"%PDF-":
        return _load_pdf(data, limits)
    img = _open(data, limits)
    fmt = img.format
    w0, h0 = img.size
    _check_pixels(w0, h0, limits)
    captured_at = _captured_at(img)
    try:
        orientation = img.getexif().get(0x0112, 1)
        if fmt == "JPEG":
            # Decode straight at a reduced scale: several times faster than a full decode
            # and resize, and the OCR never needs more than the working size.
            ratio = max(w0, h0) / work_long_side
            if ratio >= 2:
                img.draft("RGB", (int(w0 / ratio * 1.01) + 1, int(h0 / ratio * 1.01) + 1))
        img.load()
        img = ImageOps.exif_transpose(img) if orientation != 1 else img
        rgb = _to_rgb(img)
    except InputError:
        raise
    except Exception as exc:
        raise CorruptImage(f"the image data is damaged: {exc}") from None
    ow, oh = (h0, w0) if orientation in (5, 6, 7, 8) else (w0, h0)
    scale = ow / rgb.shape[1]
    return LoadedImage(rgb, ImageInfo(ow, oh, captured_at, fmt), scale)


def probe(data: bytes, limits: Limits = Limits()) -> tuple[str, int, int]:
    """(format, width, height) from the header alone, nothing decoded: lets a server refuse
    a pixel bomb (a small file claiming 60,000 x 60,000 pixels) before storing it."""
    if not data:
        raise InputError("the file is empty", code="empty_file")
    if data[:5] == b"%PDF-":
        with _pdf_first_page(data) as page:
            w_pt, h_pt = page.get_size()
        return "PDF", int(w_pt), int(h_pt)
    img = _open(data, limits)
    _check_pixels(*img.size, limits)
    return img.format or "", *img.size


def _open(data: bytes, limits: Limits) -> Image.Image:
    """Pillow's lazy open: reads the header only."""
    _register_heif()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            return Image.open(io.BytesIO(data), formats=PILLOW_FORMATS)
    except UnidentifiedImageError:
        raise UnsupportedFormat(f"not an image we can read ({READABLE})") from None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageTooLarge(
            f"the image has too many pixels; the limit is {limits.max_pixels / 1e6:.0f} MP"
        ) from None
    except Exception as exc:
        raise CorruptImage(f"the image could not be read: {exc}") from None


def _check_pixels(w: int, h: int, limits: Limits) -> None:
    if w * h > limits.max_pixels:
        raise ImageTooLarge(
            f"the image is {w}x{h} ({w * h / 1e6:.0f} MP); the limit is {limits.max_pixels / 1e6:.0f} MP"
        )
    if min(w, h) < limits.min_side:
        raise InputError(f"the image is only {w}x{h} pixels; too small to read", code="image_too_small")


def _to_rgb(img: Image.Image) -> np.ndarray:
    if img.mode in ("RGBA", "LA", "PA") or (img.mode == "P" and "transparency" in img.info):
        rgba = img.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        img = Image.alpha_composite(white, rgba)
    if img.mode != "RGB":
        img = img.convert("RGB")
    return np.asarray(img)


def _captured_at(img: Image.Image) -> datetime | None:
    try:
        exif = img.getexif()
        raw = exif.get_ifd(_EXIF_IFD).get(_DATETIME_ORIGINAL) or exif.get(_DATETIME)
        if not raw:
            return None
        return datetime.strptime(str(raw).strip("\x00 "), "%Y:%m:%d %H:%M:%S")
    except Exception:
        return None  # a malformed EXIF date is not worth failing a scan for


@contextmanager
def _pdf_first_page(data: bytes):
    import pypdfium2 as pdfium

    try:
        doc = pdfium.PdfDocument(data)
    except Exception as exc:
        if "password" in str(exc).lower():
            raise InputError("the PDF is encrypted; send it without a password", code="encrypted_pdf") from None
        raise CorruptImage(f"the PDF could not be opened: {exc}") from None
    try:
        if len(doc) == 0:
            raise InputError("the PDF has no pages", code="empty_pdf")
        yield doc[0]
    finally:
        doc.close()


def _load_pdf(data: bytes, limits: Limits) -> LoadedImage:
    with _pdf_first_page(data) as page:
        w_pt, h_pt = page.get_size()
        scale = min(200 / 72, WORK_LONG_SIDE / max(w_pt, h_pt))  # ~200 dpi, capped
        _check_pixels(int(w_pt * scale), int(h_pt * scale), limits)
        pil = page.render(scale=scale).to_pil()
    rgb = _to_rgb(pil)
    return LoadedImage(rgb, ImageInfo(rgb.shape[1], rgb.shape[0], None, "PDF"), 1.0)


# --- finding and flattening the page -------------------------------------------------------


@dataclass(frozen=True)
class Page:
    """The image the engines see, and the homography from it back to the decoded photo."""

    image: np.ndarray
    to_photo: np.ndarray  # 3x3: page pixel → decoded-photo pixel
    photo_scale: float  # original pixels per decoded-photo pixel
    found: bool

    def bbox_to_original(self, box: BBox, width: int, height: int) -> BBox:
        pts = np.array(box.corners(), dtype=np.float64).reshape(-1, 1, 2)
        mapped = cv2.perspectiveTransform(pts, self.to_photo).reshape(-1, 2) * self.photo_scale
        return BBox.from_points(map(tuple, mapped)).clipped(width, height)


def prepare_page(
    loaded: LoadedImage, *, find_page: bool = True, crop_to_ink: bool = True, long_side: int = WORK_LONG_SIDE
) -> Page:
    """Flatten the sheet (when one is found) and cut it down to where the writing is.

    A list often fills a third of the sheet; handing the engine only that region, at the
    photo's own resolution, makes the writing several times larger at the detector's
    fixed input size — the difference between reading small handwriting and losing it.
    """
    rgb = loaded.rgb
    h, w = rgb.shape[:2]
    quad = find_page_quad(rgb) if find_page else None
    found = quad is not None
    if quad is None:
        quad = np.array([[0, 0], [w, 0], [w, h], [0, h]], dtype=np.float64)
    tl, tr, br, bl = quad
    pw = max(np.linalg.norm(tr - tl), np.linalg.norm(br - bl))
    ph = max(np.linalg.norm(bl - tl), np.linalg.norm(br - tr))
    page_to_photo = cv2.getPerspectiveTransform(
        np.array([[0, 0], [pw, 0], [pw, ph], [0, ph]], dtype=np.float32), quad.astype(np.float32)
    )
    region = (0.0, 0.0, pw, ph)
    if crop_to_ink:
        f0 = min(1.0, PREVIEW_SIDE / max(pw, ph))
        preview = _render(rgb, page_to_photo, region, f0)
        ink = ink_region(preview)
        if ink is not None:
            region = tuple(v / f0 for v in ink)
    f = min(1.0, long_side / max(region[2] - region[0], region[3] - region[1]))
    image = _render(rgb, page_to_photo, region, f)
    to_photo = page_to_photo @ _region_to_page(region, f)
    return Page(image, to_photo, loaded.scale, found)


PREVIEW_SIDE = 1000


def turn(image: np.ndarray, degrees: float) -> tuple[np.ndarray, np.ndarray]:
    """``image`` turned ``degrees`` anticlockwise about its centre on a canvas that holds all
    of it, and the 3x3 map from the turned image's pixels back to ``image``'s."""
    h, w = image.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), degrees, 1.0)
    cos, sin = abs(m[0, 0]), abs(m[0, 1])
    nw, nh = int(round(h * sin + w * cos)), int(round(h * cos + w * sin))
    m[0, 2] += nw / 2 - w / 2
    m[1, 2] += nh / 2 - h / 2
    out = cv2.warpAffine(image, m, (nw, nh), flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_REPLICATE)
    return out, np.linalg.inv(np.vstack([m, [0.0, 0.0, 1.0]]))


def turned(page: Page, degrees: float) -> Page:
    """The page as an engine saw it after turning it (``turn``): boxes in its pixels still
    map back onto the photo."""
    image, back = turn(page.image, degrees)
    return replace(page, image=image, to_photo=page.to_photo @ back)


def _region_to_page(region, f: float) -> np.ndarray:
    """3x3 map from pixels of ``region`` rendered at scale ``f`` to page coordinates."""
    x0, y0 = region[0], region[1]
    return np.array([[1 / f, 0, x0], [0, 1 / f, y0], [0, 0, 1]], dtype=np.float64)


def _render(rgb: np.ndarray, page_to_photo: np.ndarray, region, f: float) -> np.ndarray:
    x0, y0, x1, y1 = region
    size = (max(32, round((x1 - x0) * f)), max(32, round((y1 - y0) * f)))
    to_photo = page_to_photo @ _region_to_page(region, f)
    if np.allclose(to_photo, np.diag([1.0, 1.0, 1.0])) and size == (rgb.shape[1], rgb.shape[0]):
        return rgb
    flags = cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP
    if np.allclose(to_photo[2], [0, 0, 1]):  # no perspective: an affine warp is cheaper
        return cv2.warpAffine(rgb, to_photo[:2], size, flags=flags, borderMode=cv2.BORDER_REPLICATE)
    return cv2.warpPerspective(rgb, to_photo, size, flags=flags, borderMode=cv2.BORDER_REPLICATE)


def ink_region(img: np.ndarray) -> tuple[float, float, float, float] | None:
    """Box (x0, y0, x1, y1) around the writing on a flattened page, with a margin.

    Ink is what is clearly darker than the paper around it; printed rulings and grids are
    too faint, and long thin lines are dropped. None when there is no clear writing.
    """
    h, w = img.shape[:2]
    gray = cv2.cvtColor(img, cv2.COLOR_RGB2GRAY)
    paper = cv2.morphologyEx(gray, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (21, 21)))
    ink = (cv2.subtract(paper, gray) > 45).astype(np.uint8)
    edge = max(2, int(0.015 * max(h, w)))  # the sheet's own border and the desk beyond it
    ink[:edge] = ink[-edge:] = 0
    ink[:, :edge] = ink[:, -edge:] = 0
    n, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    boxes = []
    for x, y, bw, bh, area in stats[1:]:
        if area < 6 or (bw > 0.5 * w and bh < 0.01 * h) or (bh > 0.5 * h and bw < 0.01 * w):
            continue  # specks of noise, rulings
        boxes.append((x, y, x + bw, y + bh))
    if not boxes:
        return None
    b = np.array(boxes)
    x0, y0, x1, y1 = b[:, 0].min(), b[:, 1].min(), b[:, 2].max(), b[:, 3].max()
    margin = 0.04 * max(h, w)
    x0, y0 = max(0.0, x0 - margin), max(0.0, y0 - margin)
    x1, y1 = min(float(w), x1 + margin), min(float(h), y1 + margin)
    if (x1 - x0) * (y1 - y0) < 0.002 * w * h:
        return None
    return x0, y0, x1, y1


def find_page_quad(rgb: np.ndarray, *, min_area: float = 0.15) -> np.ndarray | None:
    """Corners (tl, tr, br, bl) of the sheet of paper, or None when no clear sheet is seen.

    Several cues each propose a sheet: brightness against the desk, colour against the desk
    (which survives a shadow across the page), and closed outlines of edges. Every proposal
    must be a convex four-sided region, and the one whose sides run along real edges in the
    photo wins. When the page fills the frame (a scan, a screenshot) there is no border to
    find, and the image is used as it is.
    """
    h, w = rgb.shape[:2]
    f = 640 / max(h, w)
    small = cv2.resize(rgb, (round(w * f), round(h * f)), interpolation=cv2.INTER_AREA)
    gray = cv2.GaussianBlur(cv2.cvtColor(small, cv2.COLOR_RGB2GRAY), (5, 5), 0)
    edges = cv2.dilate(cv2.Canny(gray, 30, 90), np.ones((3, 3), np.uint8))
    best, best_score = None, 0.0
    for mask in _page_masks(small, edges):
        quad = _quad_from_mask(mask, min_area)
        if quad is None or _touches_border(quad, small.shape, margin=2) >= 3:
            continue
        support = _edge_support(quad, edges)
        area = cv2.contourArea(quad.astype(np.float32)) / (small.shape[0] * small.shape[1])
        score = support + 0.2 * area  # mostly edges; a larger sheet breaks near-ties
        if support >= 0.55 and score > best_score:
            best, best_score = quad, score
    return None if best is None else _order_corners(best / f)


def _page_masks(small: np.ndarray, edges: np.ndarray):
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (9, 9))

    def otsu(channel):
        _, m = cv2.threshold(cv2.GaussianBlur(channel, (7, 7), 0), 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
        m = cv2.morphologyEx(m, cv2.MORPH_CLOSE, kernel)  # fill the writing inside the page
        return cv2.morphologyEx(m, cv2.MORPH_OPEN, kernel)

    hsv = cv2.cvtColor(small, cv2.COLOR_RGB2HSV)
    yield otsu(cv2.subtract(hsv[..., 2], hsv[..., 1] // 2))  # paper: bright and grey-ish
    # chromaticity does not change in a shadow; the desk's is read off the frame's border
    rgbf = small.astype(np.float32) + 1.0
    chroma = rgbf / rgbf.sum(axis=2, keepdims=True)
    ring = np.concatenate([chroma[:4].reshape(-1, 3), chroma[-4:].reshape(-1, 3),
                           chroma[:, :4].reshape(-1, 3), chroma[:, -4:].reshape(-1, 3)])
    dist = np.linalg.norm(chroma - np.median(ring, axis=0), axis=2)
    yield otsu(cv2.normalize(dist, None, 0, 255, cv2.NORM_MINMAX).astype(np.uint8))
    # regions closed off by edges: the sheet's outline holds even where colours are alike
    closed = cv2.morphologyEx(edges, cv2.MORPH_CLOSE, kernel)
    contours, _ = cv2.findContours(closed, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    filled = np.zeros_like(edges)
    cv2.drawContours(filled, contours, -1, 255, thickness=cv2.FILLED)
    yield filled


def _quad_from_mask(mask: np.ndarray, min_area: float) -> np.ndarray | None:
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return None
    area_img = mask.shape[0] * mask.shape[1]
    best = max(contours, key=cv2.contourArea)
    area = cv2.contourArea(best)
    if area < min_area * area_img or area > 0.97 * area_img:
        return None
    hull = cv2.convexHull(best)
    peri = cv2.arcLength(hull, True)
    for eps in (0.02, 0.03, 0.04, 0.06):
        approx = cv2.approxPolyDP(hull, eps * peri, True)
        if len(approx) == 4:
            quad = approx.reshape(4, 2).astype(np.float64)
            # a torn sheet, a hand over it or clutter is not four-sided
            return quad if cv2.contourArea(quad.astype(np.float32)) >= 0.85 * area else None
    return None


def _edge_support(quad: np.ndarray, edges: np.ndarray, samples: int = 60) -> float:
    """Share of points along the quad's sides that lie on an edge of the photo."""
    h, w = edges.shape
    hits = total = 0
    for a, b in zip(quad, np.roll(quad, -1, axis=0)):
        for t in np.linspace(0.05, 0.95, samples):
            x, y = (a + (b - a) * t).round().astype(int)
            if 2 <= x < w - 2 and 2 <= y < h - 2:  # the frame's border says nothing
                total += 1
                hits += edges[y, x] > 0
    return hits / total if total else 0.0


def _touches_border(quad: np.ndarray, shape, margin: int) -> int:
    h, w = shape[:2]
    sides = 0
    sides += np.any(quad[:, 0] <= margin)
    sides += np.any(quad[:, 1] <= margin)
    sides += np.any(quad[:, 0] >= w - 1 - margin)
    sides += np.any(quad[:, 1] >= h - 1 - margin)
    return int(sides)


def _order_corners(pts: np.ndarray) -> np.ndarray:
    s = pts.sum(axis=1)
    d = np.diff(pts, axis=1).ravel()
    return np.array([pts[np.argmin(s)], pts[np.argmin(d)], pts[np.argmax(s)], pts[np.argmax(d)]])
