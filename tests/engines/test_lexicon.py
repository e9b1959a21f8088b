"""The beam decoder's languages: which are asked for, which a page is written in, and what
reading with a language's words changes. Real wordfreq lists and a real KenLM model."""

import pytest

from taskocr.config import Settings
from taskocr.engines import lexicon
from taskocr.errors import ConfigError

from test_ctc_decode import LABELS, text_frames

pytest.importorskip("wordfreq", reason="the beam decoder's extra is not installed")
pytest.importorskip("pyctcdecode", reason="the beam decoder's extra is not installed")

ENGLISH = frozenset("call the bank about loan buy milk and bread book dentist send invoice to".split())


def test_english_and_the_page_language_by_default():
    assert Settings.from_env({}).ppocr.languages == ("en", "auto")
    assert Settings.from_env({"TASKOCR_LANGUAGES": "auto"}).ppocr.languages == ("en", "auto")
    assert Settings.from_env({"TASKOCR_LANGUAGES": " EN, de ,de"}).ppocr.languages == ("en", "de")
    assert lexicon.fixed(("en", "auto")) == ("en",)


@pytest.mark.parametrize("value", ["xx", "en,klingon", ",", ""])
def test_an_unknown_language_is_a_config_error(value):
    with pytest.raises(ConfigError, match="TASKOCR_LANGUAGES"):
        Settings.from_env({"TASKOCR_LANGUAGES": value})


def test_a_german_list_is_found_german_even_misread():
    page = ["Kihlschrank putzen", "Nach Wohnungen suchen", "Brief senden", "Telekom kündigen",
            "Steuererklärung", "Flug eintragen"]
    assert lexicon.detect(page, ENGLISH) == "de"


def test_a_german_list_misread_past_its_words_is_found_german_by_its_letters():
    # one word in six is an exact German word: too few for the word count, not for the letters
    page = ["Fahrerlaubnls umtauschn", "Telekon kundigan", "Stenererklärnng machen", "Wanderstocke zurüch",
            "Generalvolmacht ausdrucka", "Diagnose ubersetzn"]
    unknown = {t.lower() for line in page for t in lexicon._TOKEN.findall(line)} - ENGLISH
    assert sum(t in lexicon.words("de") for t in unknown) < lexicon.MIN_WORDS
    assert lexicon.by_letters(page, lexicon.AUTO_CANDIDATES) == "de"
    assert lexicon.detect(page, ENGLISH) == "de"


def test_an_english_list_misread_stays_english_by_its_letters():
    from taskocr.engines.ctc_decode import _kenlm_model

    _, _, known = _kenlm_model()
    page = ["Fah stul", "Beet", "celefy", "Picele -Jar", "Sugal", "Flong", "Icc pops", "Fomatoe", "eys-18ct",
            "Fewear", "bedtarither", "Chicten bust"]
    assert lexicon.by_letters(page, lexicon.AUTO_CANDIDATES) is None
    assert lexicon.detect(page, known) is None


def test_every_language_a_page_can_be_read_in_can_be_asked_for_by_letters():
    # py3langid calls Norwegian Bokmål "no": it is left out of the choice, not an error
    assert lexicon.by_letters(["Handle melk og brød", "Ringe tannlegen"], lexicon.OTHER_LANGUAGES) in (
        None, *lexicon.OTHER_LANGUAGES)


def test_without_py3langid_only_the_words_tell(monkeypatch, request):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "py3langid" else real(name, *a))
    lexicon._identifier.cache_clear()
    request.addfinalizer(lexicon._identifier.cache_clear)
    assert lexicon.by_letters(["Fahrerlaubnls umtauschn", "Telekon kundigan", "Generalvolmacht ausdrucka"],
                              lexicon.AUTO_CANDIDATES) is None


def test_a_spanish_log_is_found_spanish():
    page = ["Estudiar para el examen", "Terminar libro de Oscar", "Pagar choque", "Cortarme el cabello"]
    assert lexicon.detect(page, ENGLISH) == "es"


def test_an_english_page_with_a_foreign_word_or_misreadings_stays_english():
    from taskocr.engines.ctc_decode import _kenlm_model

    _, _, known = _kenlm_model()
    page = ["Call the bank about the loan", "Buy milk and bread", "Book the dentist", "Send the invoice",
            "Coffee with Marta at the café", "Plan trip to Nice", "Rewrite toolsday w/css grid", "xqz"]
    assert lexicon.detect(page, known) is None
    assert lexicon.detect([], known) is None
    # one German word among English ones is a name or a loan word, not a German page
    assert lexicon.detect(page + ["Kindergarten"], known) is None


def test_a_language_adds_its_words_to_the_decoder():
    from taskocr.engines.ctc_decode import BeamDecoder

    # the recogniser leans to "Wohnungun"; "Wohnungen" is in reach of its second choice
    probs = text_frames("Nach Wohnungun suchen", **{"12": {"u": 0.6, "e": 0.4}})
    english = BeamDecoder(LABELS)
    german = BeamDecoder(LABELS, ("en", "de"))
    assert "wohnungen" not in english.known and "wohnungen" in german.known
    assert "Wohnungen" not in english.decode(probs).text
    assert german.decode(probs).text == "Nach Wohnungen suchen"
    assert german.known_share("Nach Wohnungen suchen") == 1.0


def test_a_lexicon_of_one_other_language_alone():
    from taskocr.engines.ctc_decode import BeamDecoder

    german = BeamDecoder(LABELS, ("de",))
    assert "wohnungen" in german.known and "approval" not in german.known
    probs = text_frames("Nach Wohnungun suchen", **{"12": {"u": 0.6, "e": 0.4}})
    assert german.decode(probs).text == "Nach Wohnungen suchen"


def test_without_wordfreq_only_english_is_available(monkeypatch, request):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "wordfreq" else real(name, *a))
    # looked up once per process: forgotten before and after this test
    lexicon._have_wordfreq.cache_clear()
    request.addfinalizer(lexicon._have_wordfreq.cache_clear)
    assert lexicon.unavailable_reason(("en", "auto")) is None
    assert "wordfreq" in lexicon.unavailable_reason(("en", "de"))
    assert lexicon.detect(["Kühlschrank putzen", "Wohnungen suchen"], ENGLISH) is None


def test_names_on_a_page_do_not_make_it_another_language():
    # "Aykut", "Hasan", "Elif" are Turkish words too; a roster's names are known words
    from taskocr.engines.ctc_decode import _kenlm_model

    _, _, known = _kenlm_model()
    page = ["TODO List", "Get approval Aykut", "Convert to tasks (Hasan)", "Call Elif", "Book the room"]
    names = {"aykut", "hasan", "elif"}
    assert lexicon.detect(page, known | names) is None
    assert lexicon.detect(page, known, names=names) is None
    assert lexicon.detect(page, known) == "tr"  # without the roster, three Turkish words
    assert lexicon.detect(page + ["Toplantı notları", "Raporu gönder", "Müşteriyi ara"], known, names=names) == "tr"


def test_a_page_read_without_english_can_turn_out_english():
    from taskocr.engines.ctc_decode import _kenlm_model

    assert lexicon.candidates(("en", "auto")) == lexicon.AUTO_CANDIDATES
    assert lexicon.candidates(("de", "auto"))[0] == "en" and "de" not in lexicon.candidates(("de", "auto"))
    assert lexicon.candidates(("en", "de")) == ()
    _, _, german = _kenlm_model(("de",))
    page = ["Call the bank about the loan", "Buy milk and bread", "Book the dentist", "Send the invoice"]
    assert lexicon.detect(page, german, lexicon.candidates(("de", "auto"))) == "en"
    assert lexicon.detect(page, german, ()) is None
