"""Highlighted names and snippets for search results, marked with the same Swedish analyser as the index.

The full-text index holds stems, so the database's own snippet functions would show stems; here a word of
the raw text is marked when one of its stem variants is a query stem, and everything else is escaped.
"""

from html import escape  # the five characters Django's escape does, without its lazy-string wrapper

from django.utils.safestring import SafeString, mark_safe

from samhandling.portfolio.textanalysis import matching_spans, query_terms, word_starts

SNIPPET_WORDS = 40
LEAD_WORDS = 8


def query_stems(q: str) -> frozenset[str]:
    return frozenset(v for group in query_terms(q) for v in group)


def highlight(text: str, stems: frozenset[str], *, snippet: bool = False) -> SafeString:
    """The text (or a snippet of it: SNIPPET_WORDS words from a few before the first match) escaped, with
    matching words in <mark>."""
    text = text or ""
    spans = matching_spans(text, stems)
    start, end = 0, len(text)
    if snippet:
        starts = word_starts(text)
        if len(starts) > SNIPPET_WORDS:
            first = starts.index(spans[0][0]) if spans else 0
            lo = max(0, min(first - LEAD_WORDS, len(starts) - SNIPPET_WORDS))
            hi = lo + SNIPPET_WORDS
            start = starts[lo] if lo else 0
            end = starts[hi] if hi < len(starts) else len(text)
    out, at = [], start
    for s, e in spans:
        if s < start or e > end:
            continue
        out.append(escape(text[at:s]))
        out.append(f"<mark>{escape(text[s:e])}</mark>")
        at = e
    out.append(escape(text[at:end]))
    body = "".join(out).strip()
    return mark_safe(("… " if start else "") + body + (" …" if end < len(text) else ""))
