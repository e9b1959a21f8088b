"""Decoding, limits, orientation and page flattening on images made here."""

import io
from datetime import datetime

import cv2
import numpy as np
import pytest
from PIL import Image

from taskocr import imaging
from taskocr.config import Limits
from taskocr.errors import CorruptImage, ImageTooLarge, InputError, UnsupportedFormat
from taskocr.model import BBox


def encode(img: Image.Image, fmt: str, **kw) -> bytes:
    buf = io.BytesIO()
    img.save(buf, fmt, **kw)
    return buf.getvalue()


def sample(w=400, h=300) -> Image.Image:
    img = Image.new("RGB", (w, h), "white")
    img.paste((200, 0, 0), (0, 0, w // 4, h // 4))  # a red corner shows which way is up
    return img


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP", "TIFF", "PDF"])
def test_formats_decode_to_rgb(fmt):
    loaded = imaging.load_image(encode(sample(), fmt))
    assert loaded.rgb.ndim == 3 and loaded.rgb.shape[2] == 3
    assert loaded.info.format == fmt
    assert loaded.rgb[5, 5, 0] > 150 and loaded.rgb[5, 5, 1] < 80  # the red corner survived


def test_heic_decodes():
    pillow_heif = pytest.importorskip("pillow_heif")
    pillow_heif.register_heif_opener()
    loaded = imaging.load_image(encode(sample(), "HEIF", quality=90))
    assert loaded.info.format == "HEIF"
    assert (loaded.info.width, loaded.info.height) == (400, 300)


def test_transparent_png_lands_on_white():
    img = Image.new("RGBA", (100, 100), (0, 0, 0, 0))
    loaded = imaging.load_image(encode(img, "PNG"))
    assert loaded.rgb.min() == 255


def test_exif_orientation_and_capture_date():
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to display
    exif.get_ifd(0x8769)[36867] = "2025:12:01 09:30:00"
    data = encode(sample(400, 300), "JPEG", exif=exif.tobytes())
    loaded = imaging.load_image(data)
    assert (loaded.info.width, loaded.info.height) == (300, 400)
    assert loaded.rgb.shape[:2] == (400, 300)
    assert loaded.info.captured_at == datetime(2025, 12, 1, 9, 30)
    # the red top-left corner is now at the top right
    assert loaded.rgb[5, 295, 0] > 150 and loaded.rgb[5, 5, 1] > 200


def test_large_jpeg_is_decoded_at_reduced_scale_but_reports_full_size():
    data = encode(sample(4800, 3600), "JPEG")
    loaded = imaging.load_image(data)
    assert (loaded.info.width, loaded.info.height) == (4800, 3600)
    assert max(loaded.rgb.shape[:2]) < 4800
    assert loaded.scale == pytest.approx(4800 / loaded.rgb.shape[1])


@pytest.mark.parametrize(
    "data, error, code",
    [
        (b"", InputError, "empty_file"),
        (b"hello, this is text", UnsupportedFormat, "unsupported_format"),
        (b"%PDF-1.4 garbage", CorruptImage, "corrupt_image"),
    ],
)
def test_bad_input_is_refused_with_a_code(data, error, code):
    with pytest.raises(error) as exc:
        imaging.load_image(data)
    assert exc.value.code == code


def test_truncated_jpeg_is_corrupt():
    data = encode(sample(), "JPEG")
    with pytest.raises(CorruptImage):
        imaging.load_image(data[: len(data) // 3])


def test_file_size_limit():
    with pytest.raises(ImageTooLarge, match="limit"):
        imaging.load_image(encode(sample(), "PNG"), Limits(max_file_bytes=100))


def test_pixel_limit_stops_decompression_bombs_before_decoding():
    # a 20000x20000 PNG of one colour compresses to a few hundred KB
    bomb = encode(Image.new("L", (20000, 20000), 255), "PNG")
    with pytest.raises(ImageTooLarge, match="MP"):
        imaging.load_image(bomb, Limits(max_pixels=50_000_000))


def test_tiny_image_is_refused():
    with pytest.raises(InputError) as exc:
        imaging.load_image(encode(Image.new("RGB", (10, 10)), "PNG"))
    assert exc.value.code == "image_too_small"


# --- page detection -------------------------------------------------------------------------

PAGE_W, PAGE_H = 850, 1100
PHOTO_W, PHOTO_H = 1600, 1200
CORNERS = np.array([[420, 130], [1210, 200], [1150, 1120], [330, 1040]], dtype=np.float32)


def desk_photo():
    rng = np.random.default_rng(3)
    page = np.full((PAGE_H, PAGE_W, 3), 245, np.uint8)
    cv2.rectangle(page, (100, 200), (500, 260), (20, 20, 120), -1)  # a "line of ink"
    desk = rng.integers(60, 110, (PHOTO_H, PHOTO_W, 3), dtype=np.uint8)
    desk[..., 0] = np.clip(desk[..., 0] + 40, 0, 255)  # brownish wood
    src = np.array([[0, 0], [PAGE_W, 0], [PAGE_W, PAGE_H], [0, PAGE_H]], dtype=np.float32)
    M = cv2.getPerspectiveTransform(src, CORNERS)
    warped = cv2.warpPerspective(page, M, (PHOTO_W, PHOTO_H))
    mask = cv2.warpPerspective(np.full((PAGE_H, PAGE_W), 255, np.uint8), M, (PHOTO_W, PHOTO_H))
    photo = np.where(mask[..., None] > 0, warped, desk)
    return photo, M


def test_finds_the_sheet_on_a_desk():
    photo, _ = desk_photo()
    quad = imaging.find_page_quad(photo)
    assert quad is not None
    assert np.abs(quad - CORNERS).max() < 15


def test_boxes_on_the_flattened_page_map_back_onto_the_photo():
    photo, M = desk_photo()
    loaded = imaging.LoadedImage(photo, imaging.ImageInfo(PHOTO_W, PHOTO_H), 1.0)
    page = imaging.prepare_page(loaded)
    assert page.found
    ph, pw = page.image.shape[:2]
    assert 0.7 < (pw / ph) / (PAGE_W / PAGE_H) < 1.3  # the sheet's proportions are restored
    # the ink rectangle, located on the flattened page, lands where it is in the photo
    ink = (page.image[..., 2] > 100) & (page.image[..., 0] < 60)
    ys, xs = np.nonzero(ink)
    found = BBox.from_corners(xs.min(), ys.min(), xs.max(), ys.max())
    back = page.bbox_to_original(found, PHOTO_W, PHOTO_H)
    truth = cv2.perspectiveTransform(np.array([[[100, 200]], [[500, 200]], [[500, 260]], [[100, 260]]], np.float32), M)
    expected = BBox.from_points(truth.reshape(-1, 2).tolist())
    for got, want in zip((back.x, back.y, back.x2, back.y2), (expected.x, expected.y, expected.x2, expected.y2)):
        assert abs(got - want) < 20


def test_a_scan_without_a_desk_is_cut_to_its_writing():
    img = np.full((1100, 850, 3), 250, np.uint8)
    cv2.putText(img, "Buy milk", (100, 200), cv2.FONT_HERSHEY_SIMPLEX, 2, (0, 0, 0), 4)
    loaded = imaging.LoadedImage(img, imaging.ImageInfo(850, 1100), 1.0)
    page = imaging.prepare_page(loaded)
    assert not page.found
    ph, pw = page.image.shape[:2]
    assert pw < 850 and ph < 300  # only the writing's neighbourhood is kept, at full scale
    whole = page.bbox_to_original(BBox(0, 0, pw, ph), 850, 1100)
    assert whole.x < 100 and whole.y < 150 and whole.x2 > 380 and whole.y2 > 200
    assert whole.width == pytest.approx(pw, abs=2)  # no scaling: only a crop


def test_a_blank_page_is_used_whole():
    img = np.full((600, 400, 3), 250, np.uint8)
    page = imaging.prepare_page(imaging.LoadedImage(img, imaging.ImageInfo(400, 600), 1.0))
    assert page.image.shape == img.shape


@pytest.mark.parametrize("degrees", [-20.0, 7.5])
def test_a_page_turned_level_still_maps_its_boxes_onto_the_photo(degrees):
    # a dark square on a light photo; turned, it is found where the turn put it, and its
    # box there maps back onto where it is in the photo
    photo = np.full((600, 900, 3), 240, np.uint8)
    photo[200:260, 500:560] = 20
    loaded = imaging.LoadedImage(photo, imaging.ImageInfo(900, 600, None, "PNG"), 1.0)
    page = imaging.prepare_page(loaded, find_page=False, crop_to_ink=False)
    turned = imaging.turned(page, degrees)
    assert turned.image.shape[0] > page.image.shape[0] and turned.image.shape[1] > page.image.shape[1]
    ys, xs = np.nonzero(turned.image[:, :, 0] < 128)
    inked = BBox.from_corners(float(xs.min()), float(ys.min()), float(xs.max() + 1), float(ys.max() + 1))
    back = turned.bbox_to_original(inked, 900, 600)
    # the turned square's upright box is larger than the square: it maps back around it
    assert back.x <= 502 and back.y <= 202 and back.x2 >= 558 and back.y2 >= 258
    assert back.x >= 480 and back.y >= 180 and back.x2 <= 580 and back.y2 <= 280
    # turning by 0 changes nothing
    same, m = imaging.turn(page.image, 0.0)
    assert same.shape == page.image.shape and np.allclose(m, np.eye(3))
