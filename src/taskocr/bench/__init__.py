"""The recognition benchmark: synthetic handwritten-list photos with ground truth, and scorers.

fonts (pinned @fontsource handwriting fonts) → vocab/content (what a page says + truth) →
page (handwriting on paper) → photo (desk, perspective, light, noise, JPEG+EXIF) → render →
dataset; accuracy/scoring and speed run the real pipeline over the set. See bench/README.md.
Nothing here is imported by the library itself.
"""
