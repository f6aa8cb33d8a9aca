"""Swedish text analysis shared by search, classification and matching: one analyser, used everywhere.

Words are folded to lower case, split on anything that is not a letter or digit, stripped of common
Swedish function words and reduced with the Snowball Swedish stemmer. Snowball alone splits some
inflections apart (bredband → bredband but bredbandet → bredb; kompetens → kompet but kompetensen →
kompetens), so each word also yields the stem of the word without its definite or genitive ending.
A text is indexed with all of its words' variants and a query word matches when any variant does:
"bredband", "bredbandet" and "bredbands" find each other.
"""

import re
from functools import lru_cache

import snowballstemmer

# A word's characters: digits and these letters in either case, with the characters that fold to them (İ, ı, ſ,
# the Kelvin and ångström signs), spelled out: the same class as `[0-9a-zåäöéüæø]` under re.IGNORECASE (a test
# holds them equal), which matched a third slower and compiled far slower.
_LETTER = "0-9a-zåäöéüæøA-ZÅÄÖÉÜÆØ\u0130\u0131\u017f\u212a\u212b"
_WORD = re.compile(f"[{_LETTER}]+")
_IN_WORD = re.compile(f"[{_LETTER}]").match

STOPWORDS = frozenset(
    """och i att det som en på är av för med till den har de inte om ett han men var jag sig från vi så kan
    man när år säger hon under också efter eller nu sin där vid mot ska skall hade dess detta dessa vara
    blir bli blev har haft hos inom genom samt även andra annat mer mest mycket många alla hela sina sitt
    deras vars vilka vilket vilken också bland samma utan över då ut upp in här redan ännu både än enligt
    the of and to in for on with a an is are be by""".split()
)


@lru_cache(maxsize=1)
def _stemmer():
    return snowballstemmer.stemmer("swedish")


_ENDINGS = ("ets", "ens", "et", "en", "s")


@lru_cache(maxsize=200_000)
def variants(word: str) -> tuple[str, ...]:
    """The stem of a lower-case word, and the stem of the word without a definite/genitive ending."""
    stemmer = _stemmer()
    first = stemmer.stemWord(word)
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 4:
            second = stemmer.stemWord(word[: -len(ending)])
            return (first,) if second == first else (first, second)
    return (first,)


MAX_WORD = 48  # longer "words" (a pasted hash, a million a's) are cut: no token can be larger than this


def words(text: str) -> list[str]:
    """Lower-case content words of a text, in order, each cut to MAX_WORD characters."""
    return [w[:MAX_WORD] for w in _WORD.findall((text or "").lower()) if w not in STOPWORDS and len(w) > 1]


def word_starts(text: str) -> list[int]:
    """Where each word of a text begins (function words included): a snippet is so many words a reader sees."""
    return [found.start() for found in _WORD.finditer(text)]


def matching_spans(text: str, stems: frozenset[str]) -> list[tuple[int, int]]:
    """(start, end) of each content word of a text with a stem variant among `stems`: the words to highlight.

    The Swedish stemmer only removes endings, so each variant of a word begins it: only the words that begin
    with a stem can match, and one regular expression finds them. Analysing every word of a page's names and
    summaries took a tenth of a new search."""
    if not stems:
        return []
    spans = []
    for found in _stem_starts(stems).finditer(text):
        start = found.start()
        if start and _IN_WORD(text, start - 1):  # within a word: a stem begins the words it matches
            continue
        word = _WORD.match(text, start)
        lower = word.group().lower()
        if lower not in STOPWORDS and len(lower) > 1 and stems.intersection(variants(lower[:MAX_WORD])):
            spans.append(word.span())
    return spans


@lru_cache(maxsize=1024)
def _stem_starts(stems: frozenset[str]) -> re.Pattern:
    """Where one of the stems occurs, in any case (`Bredbandet` for bredband). Whether it begins a word is
    asked of each occurrence instead of in the pattern: a look-behind for a letter took two thirds of the
    pattern's compiling, which every new search does."""
    alternatives = "|".join(re.escape(stem) for stem in sorted(stems, key=len, reverse=True))
    return re.compile(alternatives, re.IGNORECASE)


def query_terms(text: str) -> list[tuple[str, ...]]:
    """One tuple of alternative stems per query word: a document matches the word when it has any of them."""
    return [variants(w) for w in words(text)]


def tokens(text: str) -> list[str]:
    """Every stem variant of every content word, in order: what an index or vectoriser is fed."""
    return [v for w in words(text) for v in variants(w)]


class _AnalysedTokens(dict):
    """The analysis of each whitespace-separated piece of text (`Bredbandet,` → `bredband bredb`), kept.

    No word spans whitespace, so analysing a text piece by piece gives exactly `" ".join(tokens(text))`;
    but splitting on whitespace and looking each piece up is done in C, where the regular expression, the
    stop-word test and the stemmer cost microseconds a word. Indexing a million project texts meets the same
    few ten thousand pieces over and over. Emptied when it grows past TOKEN_CACHE_SIZE (names, numbers…).
    """

    def __missing__(self, piece: str) -> str:
        if len(piece) > CACHED_PIECE_LENGTH:  # rare, and would hold its whole length in the cache
            return " ".join(tokens(piece))
        if len(self) >= TOKEN_CACHE_SIZE:
            self.clear()
        analysed = self[piece] = " ".join(tokens(piece))
        return analysed


TOKEN_CACHE_SIZE = 500_000
CACHED_PIECE_LENGTH = 100
_analysed = _AnalysedTokens()


def analyse(text: str) -> str:
    """The stemmed words joined by spaces: what goes into a full-text index or a vectoriser."""
    return " ".join(filter(None, map(_analysed.__getitem__, (text or "").split())))
