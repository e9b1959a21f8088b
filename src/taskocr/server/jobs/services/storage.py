"""Where uploaded images live: Django's default storage (local disk or S3), by job."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from taskocr.errors import TaskOCRError, UnsupportedFormat
from taskocr.formats import READABLE

# (magic test, extension, content type); enough to refuse non-images at the door. The
# worker's full decode is the real check: a corrupt file that passes here fails the job.
_ISO_BRANDS = {b"heic", b"heix", b"hevc", b"heim", b"heis", b"mif1", b"msf1", b"avif"}


def sniff(data: bytes) -> tuple[str, str]:
    head = data[:32]
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg", "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png", "image/png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp", "image/webp"
    if head[4:8] == b"ftyp" and head[8:12] in _ISO_BRANDS:
        return ("avif", "image/avif") if head[8:12] == b"avif" else ("heic", "image/heic")
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "tiff", "image/tiff"
    if head.startswith(b"%PDF-"):
        return "pdf", "application/pdf"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif", "image/gif"
    if head[:2] == b"BM":
        return "bmp", "image/bmp"
    raise UnsupportedFormat(f"the upload is not an image this service reads ({READABLE})")


def image_name(owner_id: int, job_id, ext: str) -> str:
    return f"images/{owner_id}/{job_id}.{ext}"


class StorageUnavailable(TaskOCRError):
    """The disk or bucket refused a write (full, read-only, unreachable): answered 503."""

    code = "storage_unavailable"
    transient = True


def save(name: str, data: bytes) -> str:
    """Store the bytes; returns the name the storage actually used."""
    try:
        return default_storage.save(name, ContentFile(data))
    except Exception as exc:  # the cause goes to the log, not to the client (it may name paths)
        raise StorageUnavailable(f"the image could not be stored ({type(exc).__name__}); try again later") from exc


def load(name: str) -> bytes:
    with default_storage.open(name, "rb") as f:
        return f.read()


def open_stream(name: str):
    return default_storage.open(name, "rb")


def delete(name: str) -> None:
    if name:
        default_storage.delete(name)


def check() -> None:
    """Raise if the storage cannot be reached (health endpoint)."""
    default_storage.exists("health-check-probe")
