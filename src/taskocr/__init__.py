"""taskocr: photos of handwritten to-do lists in, structured tasks out."""

__version__ = "0.1.0"
