"""The image formats taskocr reads, named once for the decoder, the command line and the service."""

# Pillow decoders tried, by Pillow's format name (a JPEG with a camera preview still opens, as
# MPO); a PDF's first page is rendered apart (pypdfium2).
PILLOW_FORMATS = ("JPEG", "PNG", "WEBP", "TIFF", "HEIF", "AVIF", "GIF", "BMP")
READABLE = "JPEG, PNG, WebP, TIFF, HEIC/HEIF, AVIF, GIF, BMP or PDF"
