"""Smart-specialisation areas and themes from the secretariat's editable word lists.

A keyword line matches when every one of its words occurs in the text (any stem variant, via the shared
analyser). Confidence grows with the number of distinct keywords found: 1 − ½ⁿ. Where the secretariat has
decided labels for an area or theme (at least MIN_EXAMPLES projects), the text's similarity to those
projects is blended in, so the labelled data sharpens what the word lists start.
"""

from dataclasses import dataclass

from . import textanalysis

MIN_EXAMPLES = 3


@dataclass(frozen=True)
class Match:
    target: object  # SmartSpecialisationArea or Theme
    confidence: float
    terms: list[str]


def keyword_lines(target) -> list[tuple[str, list[tuple[str, ...]]]]:
    lines = [line.strip() for line in (target.keywords or "").splitlines() if line.strip()]
    return [(line, textanalysis.query_terms(line)) for line in lines]


def _compile(targets):
    return [(t, keyword_lines(t)) for t in targets]


def match_text(text: str, compiled, examples: dict | None = None) -> list[Match]:
    """Areas or themes a text belongs to, with confidence and the keywords found."""
    present = set(textanalysis.tokens(text))
    matches = []
    for target, lines in compiled:
        hits = [line for line, terms in lines if terms and all(set(alts) & present for alts in terms)]
        confidence = 1 - 0.5 ** len(hits) if hits else 0.0
        similarity = (examples or {}).get(target.pk)
        if similarity is not None:
            confidence = (confidence + similarity(present)) / 2 if hits else similarity(present) / 2
        if confidence >= 0.25:
            matches.append(Match(target, round(confidence, 3), hits))
    return sorted(matches, key=lambda m: -m.confidence)


def learned_examples(kind: str) -> dict:
    """For each area/theme with enough decided labels: a similarity to its projects' vocabulary (0–1)."""
    from collections import Counter

    from .models import ProjectLabel

    field = "area_id" if kind == ProjectLabel.Kind.AREA else "theme_id"
    vocab: dict[int, Counter] = {}
    counts: Counter = Counter()
    decided = ProjectLabel.objects.decided().filter(kind=kind).select_related("project")
    for label in decided:
        key = getattr(label, field)
        counts[key] += 1
        vocab.setdefault(key, Counter()).update(
            set(textanalysis.tokens(f"{label.project.name} {label.project.summary}"))
        )
    result = {}
    for key, counter in vocab.items():
        if counts[key] < MIN_EXAMPLES:
            continue
        common = {t for t, c in counter.items() if c * 2 >= counts[key]}  # stems in at least half its projects
        if common:
            result[key] = lambda present, common=common: len(common & present) / len(common)
    return result
