"""Highlighted names and snippets for search results, marked with the same Swedish analyser as the index.

The full-text index holds stems, so the database's own snippet functions would show stems; here the raw
text is split into words, a word is marked when one of its stem variants is a query stem, and everything
else is escaped.
"""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from samhandling.portfolio.textanalysis import query_terms, word_spans

SNIPPET_WORDS = 40
LEAD_WORDS = 8


def query_stems(q: str) -> frozenset[str]:
    return frozenset(v for group in query_terms(q) for v in group)


def highlight(text: str, stems: frozenset[str], *, snippet: bool = False) -> SafeString:
    """The text (or a snippet of it around the first match) escaped, with matching words in <mark>."""
    text = text or ""
    spans = list(word_spans(text, among=tuple(stems)))
    start, end = 0, len(text)
    if snippet and len(spans) > SNIPPET_WORDS:
        first = next((i for i, s in enumerate(spans) if stems.intersection(s[2])), 0)
        lo = max(0, min(first - LEAD_WORDS, len(spans) - SNIPPET_WORDS))
        start = 0 if lo == 0 else spans[lo][0]
        hi = lo + SNIPPET_WORDS
        end = len(text) if hi >= len(spans) else spans[hi][0]
    out, at = [], start
    for s, e, stem_variants in spans:
        if s < start or e > end or not stems.intersection(stem_variants):
            continue
        out.append(escape(text[at:s]))
        out.append(f"<mark>{escape(text[s:e])}</mark>")
        at = e
    out.append(escape(text[at:end]))
    body = "".join(out).strip()
    return mark_safe(("… " if start else "") + body + (" …" if end < len(text) else ""))
