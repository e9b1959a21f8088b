"""The recognition benchmark, kept in the checkout (not in the installed package).

fonts (pinned @fontsource handwriting fonts) → vocab/content (what a page says + truth) →
page (handwriting on paper) → photo (desk, perspective, light, noise, JPEG+EXIF) → render →
dataset; accuracy/scoring, speed and load run the real pipeline and service over the set.
Run it from the checkout's root as ``python -m bench VERB``; see bench/README.md.
"""
