"""Prioritisation within budget as a table: which applications the optimiser proposes for each objective's amount.

Each row: candidates as (key, objective, amount, quality), the amount per objective, the keys that must be chosen.
"""

from decimal import Decimal

import pytest

from samhandling.assessment.optimise import Candidate, optimal


def _candidates(rows):
    return [Candidate(key, group, Decimal(amount), quality) for key, group, amount, quality in rows]


@pytest.mark.parametrize(
    ("rows", "budgets", "chosen"),
    [
        pytest.param([("a", 1, 1000, 4.0)], {1: 1000}, {"a"}, id="fits exactly"),
        pytest.param([("a", 1, "1000.01", 4.0)], {1: 1000}, set(), id="one öre over the amount"),
        pytest.param([("a", 1, 1000, 0.0)], {1: 1000}, set(), id="no assessed quality"),
        pytest.param([("a", 1, 0, 4.0)], {1: 1000}, set(), id="applies for nothing"),
        pytest.param([("a", 2, 100, 4.0)], {1: 1000}, set(), id="objective not in the call"),
        pytest.param(
            [("a", 1, 600, 5.0), ("b", 1, 500, 4.0), ("c", 1, 500, 4.0)],
            {1: 1000},
            {"b", "c"},
            id="two good ones beat the single best",
        ),
        pytest.param(
            [("a", 1, 600, 5.0), ("b", 1, 500, 4.0), ("c", 1, 500, 4.0)],
            {1: 1099},
            {"b", "c"},
            id="best plus one does not fit",
        ),
        pytest.param(
            [("a", 1, 600, 5.0), ("b", 1, 500, 4.0)],
            {1: 1100},
            {"a", "b"},
            id="both fit exactly",
        ),
        pytest.param(
            [("a", 1, 900, 3.0), ("b", 2, 900, 3.0)],
            {1: 1000, 2: 800},
            {"a"},
            id="each objective has its own amount",
        ),
        pytest.param(
            [("a", 1, 500, 3.0), ("b", 1, 500, 3.0), ("c", 2, 500, 2.0)],
            {1: 1000, 2: 1000},
            {"a", "b", "c"},
            id="room left on one objective is not moved to another",
        ),
    ],
)
def test_prioritisation_within_budget(rows, budgets, chosen):
    candidates = _candidates(rows)
    assert optimal(candidates, budgets) == chosen
    spent = {g: sum(c.amount for c in candidates if c.key in chosen and c.group == g) for g in budgets}
    assert all(spent[g] <= budgets[g] for g in budgets)
