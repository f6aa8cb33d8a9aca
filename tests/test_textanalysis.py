import pytest

from samhandling.portfolio.textanalysis import analyse, query_terms, tokens


def _matches(query: str, document: str) -> bool:
    doc = set(tokens(document))
    return all(set(alternatives) & doc for alternatives in query_terms(query))


@pytest.mark.parametrize(
    "a,b",
    [
        ("bredband", "bredbandet"),
        ("bredband", "bredbands"),
        ("bredbandet", "bredbands"),
        ("bredbandets", "bredband"),
        ("kompetens", "kompetensen"),
        ("land", "landet"),
        ("företag", "företagen"),
    ],
)
def test_inflections_find_each_other(a, b):
    assert _matches(a, f"Projektet bygger ut {b} i regionen")
    assert _matches(b, f"Projektet bygger ut {a} i regionen")


def test_unrelated_words_do_not_match():
    assert not _matches("bredband", "Projektet stärker kompetensen i vården")


def test_function_words_are_dropped():
    assert analyse("och i att det") == ""
    assert analyse("Projektet och företagen") == analyse("projektet företagen")


def test_analyse_piece_by_piece_equals_the_whole_text_analysed():
    """analyse() looks up whitespace-separated pieces in a cache: the result must be the plain analysis."""
    text = (
        "Bredbandet,Kompetensen\tför FÖRETAGEN i\u00a0Umeå–Skellefteå (2014–2020): 3D-skrivare, "
        '"innovation"\nåtervinning/cirkulär  ekonomi… och i att Éclair ÅÄÖ-projektet!'
    )
    for _ in range(2):  # the second time from the cache
        assert analyse(text) == " ".join(tokens(text))
    assert analyse("") == analyse(None) == ""


def test_every_stem_variant_begins_its_word():
    """Highlighting stems only the words that begin with a query stem (`matching_spans`): right only while
    every variant of a word begins it. Checked on every word of the real project lists (three languages)."""
    from django.conf import settings

    from samhandling.portfolio.textanalysis import variants, words

    lists = sorted((settings.SHARED_DIR / "data" / "open").glob("*"))
    if not lists:
        pytest.skip("shared/data/open is not here")
    seen = {w for path in lists for w in words(path.read_text(encoding="utf-8", errors="replace"))}
    assert len(seen) > 10_000
    assert [(w, v) for w in seen for v in variants(w) if not w.startswith(v)] == []


def test_matching_spans_are_the_words_a_query_stem_is_a_variant_of_in_any_case():
    from samhandling.portfolio.textanalysis import matching_spans, query_terms, variants, word_starts, words

    text = "BREDBANDET når bredbandsnätet; Bredband i glesbygd, bredbandets och i IT-bredband"
    stems = frozenset(v for group in query_terms("bredband") for v in group)
    found = [text[s:e] for s, e in matching_spans(text, stems)]
    assert found == ["BREDBANDET", "Bredband", "bredbandets", "bredband"]
    # the same words as analysing every word of the text would mark
    every = [w for w in text.replace(";", " ").replace(",", " ").replace("-", " ").split() if w.lower() in words(w)]
    assert found == [w for w in every if stems.intersection(variants(w.lower()))]
    assert matching_spans(text, frozenset()) == []
    assert matching_spans("och i att", frozenset({"och", "att"})) == []  # function words are never marked
    assert word_starts("Ett, två  tre") == [0, 5, 10]


def test_a_word_is_made_of_the_characters_the_case_blind_class_matches():
    """textanalysis spells its word class out instead of matching with re.IGNORECASE: every code point is a
    word character under the one exactly when it is under the other."""
    import re
    import sys

    from samhandling.portfolio.textanalysis import _WORD

    case_blind = re.compile("[0-9a-zåäöéüæø]", re.IGNORECASE)
    spelled = "".join(chr(c) for c in range(sys.maxunicode + 1) if _WORD.fullmatch(chr(c)))
    assert spelled == "".join(chr(c) for c in range(sys.maxunicode + 1) if case_blind.fullmatch(chr(c)))


@pytest.mark.parametrize("q", ["bredband", "kompetens utveckling", "innovation företag", "ar", "e"])
def test_matching_spans_mark_the_words_analysing_every_word_would(q):
    """On the real project lists' texts (three languages), for queries whose stems also occur inside words."""
    from django.conf import settings

    from samhandling.portfolio.textanalysis import _WORD, MAX_WORD, STOPWORDS, matching_spans, query_terms, variants

    lists = sorted((settings.SHARED_DIR / "data" / "open").glob("*"))
    if not lists:
        pytest.skip("shared/data/open is not here")
    text = "\n".join(path.read_text(encoding="utf-8", errors="replace")[:400_000] for path in lists)
    stems = frozenset(v for group in query_terms(q) for v in group) or frozenset({q})
    every = [
        found.span()
        for found in _WORD.finditer(text)
        if (w := found.group().lower()) not in STOPWORDS and len(w) > 1 and stems.intersection(variants(w[:MAX_WORD]))
    ]
    assert matching_spans(text, stems) == every
