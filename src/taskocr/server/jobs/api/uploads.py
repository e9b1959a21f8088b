"""Upload size limits that hold while the body streams in, before it is all read.

With a Content-Length the view answers 413 from the header alone. A chunked body has
none; ``chunked_bodies`` lets it through to Django with a cap, and ``LimitedUploadHandler``
stops the upload as soon as the file passes the limit, so an endless body costs at most
the limit in temporary disk and no more than a chunk in memory.
"""

from __future__ import annotations

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler

from taskocr.errors import ImageTooLarge

FRAMING = 64 * 1024  # room for the multipart boundaries and the small form fields
CHUNKED = "taskocr.chunked"


def max_body() -> int:
    return settings.CORE.limits.max_file_bytes + FRAMING


class LimitedUploadHandler(FileUploadHandler):
    """First in the handler list: counts each file's bytes and refuses past the limit."""

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        limit = settings.CORE.limits.max_file_bytes
        if self.received > limit:
            raise ImageTooLarge(f"the upload is larger than the limit of {limit} bytes")
        return raw_data

    def file_complete(self, file_size):
        return None  # the next handlers store the file


def chunked_bodies(app):
    """WSGI wrapper: Django reads a body without Content-Length as empty. When the server
    has de-chunked the body (``wsgi.input_terminated``), give Django a length cap instead."""

    def wrapped(environ, start_response):
        chunked = "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()
        if chunked and not environ.get("CONTENT_LENGTH") and environ.get("wsgi.input_terminated"):
            environ["CONTENT_LENGTH"] = str(max_body() + 1)
            environ[CHUNKED] = True
        return app(environ, start_response)

    return wrapped
