import pytest

from samhandling.portfolio.textanalysis import analyse, query_terms, tokens


def _matches(query: str, document: str) -> bool:
    doc = set(tokens(document))
    return all(set(alternatives) & doc for alternatives in query_terms(query))


@pytest.mark.parametrize("a,b", [
    ("bredband", "bredbandet"), ("bredband", "bredbands"), ("bredbandet", "bredbands"), ("bredbandets", "bredband"),
    ("kompetens", "kompetensen"), ("land", "landet"), ("företag", "företagen"),
])
def test_inflections_find_each_other(a, b):
    assert _matches(a, f"Projektet bygger ut {b} i regionen")
    assert _matches(b, f"Projektet bygger ut {a} i regionen")


def test_unrelated_words_do_not_match():
    assert not _matches("bredband", "Projektet stärker kompetensen i vården")


def test_function_words_are_dropped():
    assert analyse("och i att det") == ""
    assert analyse("Projektet och företagen") == analyse("projektet företagen")
