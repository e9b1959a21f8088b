"""Hostile and broken files, made in memory: each one a way an upload can be wrong."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

from PIL import Image

from support import render_list

BOMB = 60_000  # pixels per side claimed by the bomb headers: 3.6 gigapixels


def photo() -> bytes:
    return render_list()


def _image(mode_fn, fmt: str, **save) -> bytes:
    img = mode_fn(Image.open(io.BytesIO(photo())))
    buf = io.BytesIO()
    img.save(buf, fmt, **save)
    return buf.getvalue()


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_bomb() -> bytes:
    ihdr = struct.pack(">IIBBBBB", BOMB, BOMB, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\0" * 1024)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", idat) + _chunk(b"IEND", b"")


def tiff_bomb() -> bytes:
    entries = [  # tag, type (3 short, 4 long), count, value
        (256, 4, 1, BOMB), (257, 4, 1, BOMB), (258, 3, 1, 8), (259, 3, 1, 1), (262, 3, 1, 1),
        (273, 4, 1, 8 + 2 + 12 * 9 + 4), (277, 3, 1, 1), (278, 4, 1, BOMB), (279, 4, 1, 16),
    ]
    ifd = struct.pack("<H", len(entries)) + b"".join(
        struct.pack("<HHI", tag, typ, count) + (struct.pack("<HH", value, 0) if typ == 3 else struct.pack("<I", value))
        for tag, typ, count, value in entries
    ) + struct.pack("<I", 0)
    return b"II*\x00" + struct.pack("<I", 8) + ifd + b"\0" * 16


def gif_bomb() -> bytes:
    screen = struct.pack("<HHBBB", BOMB, BOMB, 0, 0, 0)
    image = b"\x2c" + struct.pack("<HHHHB", 0, 0, BOMB, BOMB, 0)
    return b"GIF89a" + screen + image + b"\x02\x02\x44\x01\x00" + b"\x3b"


def webp_bomb() -> bytes:
    vp8x = b"\0\0\0\0" + (BOMB - 1).to_bytes(3, "little") + (BOMB - 1).to_bytes(3, "little")
    body = b"WEBP" + b"VP8X" + struct.pack("<I", len(vp8x)) + vp8x
    return b"RIFF" + struct.pack("<I", len(body)) + body


def truncated_jpeg() -> bytes:
    data = photo()
    return data[: len(data) // 3]


def zip_file() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("list.jpg", photo())
    return buf.getvalue()


def pdf_pages(pages: int) -> bytes:
    first = Image.open(io.BytesIO(photo())).convert("RGB")
    rest = [Image.new("RGB", (60, 60), "white") for _ in range(pages - 1)]
    buf = io.BytesIO()
    first.save(buf, "PDF", save_all=True, append_images=rest, resolution=100)
    return buf.getvalue()


def _pdf(objs: list[bytes], trailer: bytes = b"") -> bytes:
    out = b"%PDF-1.4\n"
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R " % (len(objs) + 1) + trailer
    return out + b">>\nstartxref\n%d\n%%%%EOF\n" % xref


def pdf_no_pages() -> bytes:
    return _pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"])


def pdf_encrypted() -> bytes:
    """A PDF whose trailer names a password-protected standard security handler."""
    return _pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
        b"<< /Filter /Standard /V 2 /R 3 /Length 128 /P -3904 /O <" + b"11" * 32 + b"> /U <" + b"22" * 32 + b"> >>",
    ], b"/Encrypt 4 0 R /ID [<" + b"ab" * 16 + b"> <" + b"ab" * 16 + b">] ")


def heic_without_image() -> bytes:
    ftyp = b"ftypheic" + b"\0\0\0\0" + b"mif1heic"
    return struct.pack(">I", 8 + len(ftyp) - 4) + ftyp


def cmyk_jpeg() -> bytes:
    return _image(lambda im: im.convert("CMYK"), "JPEG", quality=90)


def png16() -> bytes:
    return _image(lambda im: im.convert("I;16"), "PNG")


def png_alpha() -> bytes:
    def alpha(im):
        im = im.convert("RGBA")
        im.putalpha(200)
        return im

    return _image(alpha, "PNG")


def png_palette() -> bytes:
    return _image(lambda im: im.convert("P", palette=Image.Palette.ADAPTIVE, colors=64), "PNG")


def gif_animated() -> bytes:
    img = Image.open(io.BytesIO(photo())).convert("P", palette=Image.Palette.ADAPTIVE)
    buf = io.BytesIO()
    img.save(buf, "GIF", save_all=True, append_images=[img.rotate(180)], duration=200, loop=0)
    return buf.getvalue()


def tiff_pages() -> bytes:
    img = Image.open(io.BytesIO(photo())).convert("RGB")
    buf = io.BytesIO()
    img.save(buf, "TIFF", save_all=True, append_images=[img.rotate(90, expand=True)], compression="tiff_deflate")
    return buf.getvalue()


def jpeg_bad_orientation() -> bytes:
    img = Image.open(io.BytesIO(photo()))
    exif = img.getexif()
    exif[0x0112] = 99  # not one of the eight orientations
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=90, exif=exif.tobytes())
    return buf.getvalue()


TEXT = b"Buy milk\nCall Ana\n" * 20
HTML = b"<!doctype html><html><body><script>alert(1)</script>Buy milk</body></html>"
SVG = (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="60000" height="60000">'
       b'<text x="10" y="20">Buy milk</text></svg>')
