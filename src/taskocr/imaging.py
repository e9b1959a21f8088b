"""Image bytes → an RGB page ready for OCR, and the way back to the original's pixels.

Decoding covers JPEG, PNG, WebP, TIFF, HEIC/HEIF and the first page of a PDF, applies EXIF
orientation and refuses oversized or corrupt data with a coded ``InputError``. ``prepare_page``
finds the sheet of paper in a phone photo and flattens its perspective; ``Page`` maps boxes
found on the flattened page back to the photo the user sent.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from datetime import datetime

import cv2
import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from .config import Limits
from .errors import CorruptImage, ImageTooLarge, InputError, UnsupportedFormat
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
    _register_heif()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            img = Image.open(io.BytesIO(data))
    except UnidentifiedImageError:
        raise UnsupportedFormat(
            "not an image we can read (JPEG, PNG, WebP, TIFF, HEIC/HEIF or PDF)"
        ) from None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ImageTooLarge(
            f"the image has too many pixels; the limit is {limits.max_pixels / 1e6:.0f} MP"
        ) from None
    except Exception as exc:
        raise CorruptImage(f"the image could not be read: {exc}") from None
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


def _load_pdf(data: bytes, limits: Limits) -> LoadedImage:
    import pypdfium2 as pdfium

    try:
        doc = pdfium.PdfDocument(data)
    except Exception as exc:
        raise CorruptImage(f"the PDF could not be opened: {exc}") from None
    try:
        if len(doc) == 0:
            raise InputError("the PDF has no pages", code="empty_pdf")
        page = doc[0]
        w_pt, h_pt = page.get_size()
        scale = min(200 / 72, WORK_LONG_SIDE / max(w_pt, h_pt))  # ~200 dpi, capped
        _check_pixels(int(w_pt * scale), int(h_pt * scale), limits)
        pil = page.render(scale=scale).to_pil()
    finally:
        doc.close()
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


def prepare_page(loaded: LoadedImage, *, find_page: bool = True, long_side: int = WORK_LONG_SIDE) -> Page:
    rgb = loaded.rgb
    quad = find_page_quad(rgb) if find_page else None
    if quad is not None:
        warped, to_photo = _warp(rgb, quad, long_side)
        return Page(warped, to_photo, loaded.scale, True)
    h, w = rgb.shape[:2]
    f = min(1.0, long_side / max(h, w))
    img = rgb if f == 1.0 else cv2.resize(rgb, (round(w * f), round(h * f)), interpolation=cv2.INTER_AREA)
    to_photo = np.diag([1 / f, 1 / f, 1.0])
    return Page(np.ascontiguousarray(img), to_photo, loaded.scale, False)


def find_page_quad(rgb: np.ndarray, *, min_area: float = 0.15) -> np.ndarray | None:
    """Corners (tl, tr, br, bl) of the sheet of paper, or None when no clear sheet is seen.

    A sheet is the largest convex four-sided region that is brighter and less saturated than
    its surroundings. When the page fills the frame (a scan, a screenshot) there is no
    border to find, and the image is used as it is.
    """
    h, w = rgb.shape[:2]
    f = 640 / max(h, w)
    small = cv2.resize(rgb, (round(w * f), round(h * f)), interpolation=cv2.INTER_AREA)
    hsv = cv2.cvtColor(small, cv2.COLOR_RGB2HSV)
    # paper: bright and grey-ish; score = value minus saturation, thresholded by Otsu
    score = cv2.subtract(hsv[..., 2], hsv[..., 1] // 2)
    score = cv2.GaussianBlur(score, (7, 7), 0)
    _, mask = cv2.threshold(score, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (9, 9))
    mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, kernel)  # fill handwriting inside the page
    mask = cv2.morphologyEx(mask, cv2.MORPH_OPEN, kernel)
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return None
    area_img = small.shape[0] * small.shape[1]
    best = max(contours, key=cv2.contourArea)
    area = cv2.contourArea(best)
    if area < min_area * area_img or area > 0.97 * area_img:
        return None
    hull = cv2.convexHull(best)
    quad = None
    peri = cv2.arcLength(hull, True)
    for eps in (0.02, 0.03, 0.04, 0.06):
        approx = cv2.approxPolyDP(hull, eps * peri, True)
        if len(approx) == 4:
            quad = approx.reshape(4, 2).astype(np.float64)
            break
    if quad is None:
        return None
    if cv2.contourArea(quad.astype(np.float32)) < 0.85 * area:
        return None  # the mask is not four-sided: a torn sheet, a hand over it, clutter
    if _touches_border(quad, small.shape, margin=2) >= 3:
        return None  # the sheet runs off the frame on most sides: nothing to flatten
    return _order_corners(quad / f)


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


def _warp(rgb: np.ndarray, quad: np.ndarray, long_side: int) -> tuple[np.ndarray, np.ndarray]:
    tl, tr, br, bl = quad
    width = max(np.linalg.norm(tr - tl), np.linalg.norm(br - bl))
    height = max(np.linalg.norm(bl - tl), np.linalg.norm(br - tr))
    f = min(1.0, long_side / max(width, height))
    W, H = max(32, round(width * f)), max(32, round(height * f))
    dst = np.array([[0, 0], [W - 1, 0], [W - 1, H - 1], [0, H - 1]], dtype=np.float64)
    to_page = cv2.getPerspectiveTransform(quad.astype(np.float32), dst.astype(np.float32))
    warped = cv2.warpPerspective(rgb, to_page, (W, H), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    return warped, np.linalg.inv(to_page)


# --- ink evidence -------------------------------------------------------------------------------


def is_struck_through(page: np.ndarray, box: BBox, *, min_cover: float = 0.6) -> bool:
    """Whether a line of writing is crossed out: one long stroke runs through the middle of
    its letters. Letters, underlines and printed rulings do not: no letter stroke is several
    line-heights long, an underline sits below the middle band, and rulings are too faint
    to pass the ink threshold."""
    h_img, w_img = page.shape[:2]
    x1, y1 = max(0, int(box.x)), max(0, int(box.y))
    x2, y2 = min(w_img, int(box.x2)), min(h_img, int(box.y2))
    h, w = y2 - y1, x2 - x1
    if h < 8 or w < 3 * h:
        return False
    gray = cv2.cvtColor(page[y1:y2, x1:x2], cv2.COLOR_RGB2GRAY)
    paper = float(np.percentile(gray, 90))
    ink = (gray < paper - max(60.0, 0.35 * paper)).astype(np.uint8)
    run = max(9, int(1.5 * h))
    strokes = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (run, 1)))
    band = strokes[int(0.3 * h): int(0.72 * h) + 1]
    cover = band.any(axis=0).mean()
    return bool(cover >= min_cover)
