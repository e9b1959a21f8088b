"""Photograph a page: a procedural desk, the page in perspective with a soft drop shadow,
uneven light, lens blur, sensor noise, then a phone-style JPEG with EXIF capture time.

Heavy arrays are float32 and textures are made at low resolution and scaled up, which
keeps a 12 MP photo near a second on one core.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from datetime import datetime

import cv2
import numpy as np
from PIL import Image

WOODS = ((188, 146, 98), (120, 82, 52), (156, 142, 128), (205, 178, 138))
FABRICS = ((70, 90, 120), (150, 60, 55), (95, 110, 85), (180, 170, 150), (60, 60, 64))
PLAINS = ((230, 230, 228), (120, 124, 130), (40, 40, 44), (200, 190, 170), (90, 120, 150))


@dataclass
class Shot:
    """Where the page landed and how the photo was taken (for truth and debugging)."""

    quad: np.ndarray  # 4x2 page corners in the photo (TL, TR, BR, BL)
    homography: np.ndarray
    desk: str
    jpeg_quality: int
    blur_sigma: float
    noise_sigma: float


def _lowres_noise(rng, h: int, w: int, cells: int) -> np.ndarray:
    """Smooth noise in [-1, 1]-ish: ``cells`` random values across the long side, cubic-upscaled."""
    sh, sw = max(2, int(cells * h / max(h, w))), max(2, int(cells * w / max(h, w)))
    return cv2.resize(rng.normal(0, 1, (sh, sw)).astype(np.float32), (w, h), interpolation=cv2.INTER_CUBIC)


def make_desk(rng: np.random.Generator, w: int, h: int) -> tuple[np.ndarray, str]:
    kind = str(rng.choice(["wood", "fabric", "plain"], p=[0.45, 0.25, 0.3]))
    sw, sh = max(8, w // 4), max(8, h // 4)  # textures at quarter size, scaled up later
    yy, xx = np.mgrid[0:sh, 0:sw].astype(np.float32)
    if kind == "wood":
        base = np.array(WOODS[int(rng.integers(len(WOODS)))], np.float32)
        ang = rng.uniform(0, math.pi) if rng.random() < 0.3 else rng.choice([0.0, math.pi / 2]) + rng.normal(0, 0.05)
        u = xx * math.cos(ang) + yy * math.sin(ang)  # along the grain
        v = -xx * math.sin(ang) + yy * math.cos(ang)  # across it
        warp = _lowres_noise(rng, sh, sw, 5) * rng.uniform(10, 30)
        rings = np.sin((v + warp) * rng.uniform(0.05, 0.12)) ** 3
        along = (sh, max(2, sw // 30)) if abs(math.cos(ang)) >= 0.7 else (max(2, sh // 30), sw)
        streak = cv2.resize(rng.normal(0, 1, along).astype(np.float32), (sw, sh))  # fibres along the grain
        shade = 1 + 0.05 * rings + 0.07 * streak + 0.05 * _lowres_noise(rng, sh, sw, 4)
        plank = rng.uniform(90, 200)
        seam_dist = np.abs(((v / plank) % 1.0) - 0.5) * plank - plank / 2  # 0 on a seam
        shade *= 1 - 0.3 * np.exp(-(seam_dist / 0.7) ** 2)
        tex = base * shade[..., None]
    elif kind == "fabric":
        base = np.array(FABRICS[int(rng.integers(len(FABRICS)))], np.float32)
        tex = base * (1 + 0.06 * _lowres_noise(rng, sh, sw, 8))[..., None]
    else:
        base = np.array(PLAINS[int(rng.integers(len(PLAINS)))], np.float32)
        tex = base * (1 + 0.03 * _lowres_noise(rng, sh, sw, 5))[..., None]
    desk = cv2.resize(tex, (w, h), interpolation=cv2.INTER_LINEAR)
    if kind == "fabric":  # the weave is finer than the quarter-size texture can hold
        period = rng.uniform(3.0, 7.0) * max(w, h) / 4032
        wx = np.sin(np.arange(w, dtype=np.float32) * (2 * math.pi / period))
        wy = np.sin(np.arange(h, dtype=np.float32) * (2 * math.pi / period))
        desk *= (1 + 0.06 * wy[:, None] * wx[None, :])[..., None]
    return desk, kind


def place_page(rng, pw: int, ph: int, w: int, h: int) -> np.ndarray:
    """Corners of the page in the photo: scaled, shifted, a little rotated and in perspective,
    always fully inside the frame."""
    fill = rng.uniform(0.6, 0.88)
    for _ in range(60):
        s = fill * min(w / pw, h / ph)
        ang = math.radians(float(np.clip(rng.normal(0, 3.5), -12, 12)))
        c, si = math.cos(ang), math.sin(ang)
        pts = np.array([[-pw / 2, -ph / 2], [pw / 2, -ph / 2], [pw / 2, ph / 2], [-pw / 2, ph / 2]]) * s
        # Camera tilt: one edge farther away, so it shrinks (keystone), plus corner jitter.
        key = rng.uniform(0, 0.1)
        edge = int(rng.integers(4))
        if edge == 0:
            pts[:2, 0] *= 1 - key
        elif edge == 1:
            pts[2:, 0] *= 1 - key
        elif edge == 2:
            pts[[0, 3], 1] *= 1 - key
        else:
            pts[[1, 2], 1] *= 1 - key
        pts += rng.normal(0, 0.012 * s * max(pw, ph), pts.shape)
        pts = pts @ np.array([[c, si], [-si, c]])
        span = pts.max(0) - pts.min(0)
        room = np.array([w, h]) - span
        if (room > 0.03 * min(w, h)).all():
            lo = -pts.min(0) + 0.015 * min(w, h)
            hi = lo + room - 0.03 * min(w, h)
            return (pts + rng.uniform(lo, hi)).astype(np.float32)
        fill *= 0.96
    raise RuntimeError("could not fit the page in the frame")


def _lighting(rng, w: int, h: int) -> np.ndarray:
    sw, sh = max(8, w // 16), max(8, h // 16)
    yy, xx = np.mgrid[0:sh, 0:sw].astype(np.float32)
    xx, yy = xx / sw - 0.5, yy / sh - 0.5
    ang = rng.uniform(0, 2 * math.pi)
    light = 1.0 - rng.uniform(0.05, 0.28) * ((xx * math.cos(ang) + yy * math.sin(ang)) + 0.5)
    light -= rng.uniform(0.0, 0.25) * (xx ** 2 + yy ** 2)  # vignette
    if rng.random() < 0.4:  # a soft shadow, as from the phone or a hand over the page
        cx, cy = rng.uniform(-0.5, 0.5, 2)
        rx, ry = rng.uniform(0.15, 0.5, 2)
        blob = ((xx - cx) / rx) ** 2 + ((yy - cy) / ry) ** 2 < 1
        soft = cv2.GaussianBlur(blob.astype(np.float32), (0, 0), rng.uniform(2, 6))
        light -= rng.uniform(0.12, 0.35) * soft
    light = cv2.resize(light, (w, h), interpolation=cv2.INTER_CUBIC)
    return np.clip(light, 0.35, 1.1)


def photograph(page: np.ndarray, size: tuple[int, int], rng: np.random.Generator) -> tuple[np.ndarray, Shot]:
    """Put an RGB page on a desk and shoot it; returns the RGB uint8 photo (upright)."""
    w, h = size
    ph, pw = page.shape[:2]
    desk, kind = make_desk(rng, w, h)
    quad = place_page(rng, pw, ph, w, h)
    src = np.float32([[0, 0], [pw, 0], [pw, ph], [0, ph]])
    hom = cv2.getPerspectiveTransform(src, quad)
    warped = cv2.warpPerspective(page, hom, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT)
    mask = cv2.warpPerspective(np.full((ph, pw), 255, np.uint8), hom, (w, h), flags=cv2.INTER_LINEAR)
    m = mask.astype(np.float32) / 255.0

    # Drop shadow: the page lifts a little off the desk, so it casts a soft offset shadow.
    k = min(w, h)
    sm = cv2.resize(m, (w // 8, h // 8), interpolation=cv2.INTER_AREA)
    sm = cv2.GaussianBlur(sm, (0, 0), k * rng.uniform(0.003, 0.012) + 1)
    off = rng.normal(0, 0.004, 2) * k / 8
    sm = cv2.warpAffine(sm, np.float32([[1, 0, off[0]], [0, 1, off[1]]]), (w // 8, h // 8))
    shadow = cv2.resize(sm, (w, h), interpolation=cv2.INTER_LINEAR)
    desk *= (1 - rng.uniform(0.25, 0.5) * shadow)[..., None]

    # In-place float32 arithmetic: a 12 MP RGB temporary costs ~0.1 s and 145 MB each.
    img = warped.astype(np.float32)
    img -= desk
    img *= m[..., None]
    img += desk  # = desk * (1 - m) + page * m
    del desk, warped
    light = _lighting(rng, w, h)
    cast = (1 + rng.normal(0, 0.025, 3)).astype(np.float32)  # white balance
    img *= cv2.merge([light * c for c in cast])

    scale = k / 3000
    blur = rng.uniform(0.4, 1.4) * scale
    img = cv2.GaussianBlur(img, (0, 0), blur)
    if rng.random() < 0.1:  # a little hand shake
        n = max(3, int(rng.uniform(3, 9) * scale) | 1)
        kern = np.zeros((n, n), np.float32)
        kern[n // 2, :] = 1.0 / n
        rot = cv2.getRotationMatrix2D((n / 2 - 0.5, n / 2 - 0.5), rng.uniform(0, 180), 1.0)
        kern = cv2.warpAffine(kern, rot, (n, n))
        img = cv2.filter2D(img, -1, kern / max(kern.sum(), 1e-6))
    # Sensor noise after demosaicing is spatially correlated: make it at half size. Brighter
    # pixels are noisier (shot noise), hence the (0.6 + 0.4 * level) weight.
    sigma = rng.uniform(1.5, 5.0)
    noise = rng.normal(0, sigma, (h // 2 + 1, w // 2 + 1, 3)).astype(np.float32)
    noise = cv2.resize(noise, (w, h), interpolation=cv2.INTER_LINEAR)
    weight = img * np.float32(0.4 / 255.0)
    weight += np.float32(0.6)
    weight *= noise
    img += weight
    del weight, noise
    # Plus fine per-pixel luminance grain, which is what makes real phone JPEGs 2-4 MB.
    grain = rng.standard_normal((h, w), dtype=np.float32)
    grain *= np.float32(sigma * rng.uniform(0.3, 0.6))
    img += grain[..., None]
    del grain
    np.clip(img, 0, 255, out=img)
    out = img.astype(np.uint8)
    return out, Shot(quad, hom, kind, int(rng.integers(75, 96)), float(blur), float(sigma))


def encode_jpeg(rgb: np.ndarray, quality: int, taken: datetime, orientation: int = 1) -> bytes:
    """JPEG with EXIF DateTimeOriginal; ``orientation`` 6/8 stores the pixels sideways the way
    phones do, with the tag telling viewers how to turn them back upright."""
    img = Image.fromarray(rgb)
    if orientation == 6:  # displayed = stored rotated 90° clockwise
        img = img.transpose(Image.Transpose.ROTATE_90)
    elif orientation == 8:
        img = img.transpose(Image.Transpose.ROTATE_270)
    elif orientation == 3:
        img = img.transpose(Image.Transpose.ROTATE_180)
    exif = Image.Exif()
    stamp = taken.strftime("%Y:%m:%d %H:%M:%S")
    exif[0x010F] = "taskocr-bench"  # Make
    exif[0x0110] = "synthetic"  # Model
    exif[0x0112] = orientation
    exif[0x0132] = stamp  # DateTime
    ifd = exif.get_ifd(0x8769)
    ifd[0x9003] = stamp  # DateTimeOriginal
    ifd[0x9004] = stamp  # DateTimeDigitized
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=quality, exif=exif.tobytes(), optimize=False)
    return buf.getvalue()
