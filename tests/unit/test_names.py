"""First names for pages read without a roster (``extract.names``)."""

import importlib

from taskocr.extract import names


def test_first_names_of_the_read_languages_and_not_ordinary_words():
    assert {"viktor", "felix", "amara", "hasan", "aykut", "fatima", "sven", "lucas"} <= names.first_names()
    assert not {"france", "deli", "see", "home", "ticket", "bank"} & names.first_names()
    assert names.is_first_name(" Viktor ") and not names.is_first_name("Nice")


def test_without_faker_no_name_is_known(monkeypatch):
    real = importlib.import_module

    def missing(name, *args):
        if name.startswith("faker"):
            raise ImportError(name)
        return real(name, *args)

    names.first_names.cache_clear()
    monkeypatch.setattr(importlib, "import_module", missing)
    try:
        assert names.first_names() == frozenset() and not names.is_first_name("Tom")
    finally:
        names.first_names.cache_clear()
