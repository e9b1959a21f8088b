"""Whether a word is someone's first name, for pages read without a roster.

Brackets, a bare dash and an ``@`` standing apart also hold other things in ordinary writing
("Plan trip to Nice (France)", "Lunch - Deli", "film @ home"); with a roster only the people on
it are assignees there. Without one, a first name is: the names come from Faker's person data
for the languages the decoder reads (about 6,600 names; nothing is generated or downloaded).
"""

from __future__ import annotations

import importlib
from functools import lru_cache

# Faker's locales for English and the languages a page may be read in (engines.lexicon)
_LOCALES = ("en_US", "en_GB", "en_IN", "de_DE", "fr_FR", "es_ES", "it_IT", "nl_NL", "pt_PT", "pt_BR",
            "sv_SE", "da_DK", "no_NO", "fi_FI", "pl_PL", "tr_TR")
_ATTRIBUTES = ("first_names", "first_names_male", "first_names_female", "first_names_nonbinary")


@lru_cache(maxsize=1)
def first_names() -> frozenset[str]:
    """Lower-case first names; empty when Faker is not installed (then no name is known)."""
    names: set[str] = set()
    for locale in _LOCALES:
        try:
            provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        except ImportError:
            continue
        for attribute in _ATTRIBUTES:
            names.update(n.lower() for n in getattr(provider, attribute, ()) or ())
    return frozenset(n for n in names if n.isalpha())


def is_first_name(word: str) -> bool:
    return word.strip().lower() in first_names()
