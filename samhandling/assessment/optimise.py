"""Exact prioritisation: a 0/1 integer programme solved with HiGHS through scipy.optimize.milp.

Choose x_i ∈ {0, 1} for each eligible application i to maximise Σ q_i·x_i (its assessed quality) subject to
Σ a_i·x_i ≤ B_j for each objective j (the call's amount for it), where a_i is the amount applied for. The
relative MIP gap is set to zero so HiGHS proves optimality rather than stopping at a good solution. Amounts
are whole kronor or öre, which a double holds exactly far beyond any call's size; quality is counted in
hundredths of a point (criterion means are kept to two decimals), which keeps the objective integral.
"""

from dataclasses import dataclass
from decimal import Decimal

import numpy as np

METHOD = (
    "Heltalsoptimering (0/1) med HiGHS via scipy.optimize.milp; "
    "maximerar summan av bedömd kvalitet inom varje måls belopp"
)


@dataclass(frozen=True)
class Candidate:
    key: object
    group: object
    amount: Decimal
    quality: float


def optimal(candidates: list[Candidate], budgets: dict) -> set:
    """Keys of the set with the highest total quality that fits every group's budget.

    Each application draws on one objective only, so the programme splits into one knapsack per objective;
    solving them one by one gives the same optimum and lets HiGHS prove each much faster.
    """
    chosen = set()
    for group, budget in budgets.items():
        items = [c for c in candidates if c.group == group and 0 < c.amount <= budget and c.quality > 0]
        if items:
            chosen |= _knapsack(items, budget)
    return chosen


def _knapsack(items: list[Candidate], budget) -> set:
    from scipy.optimize import Bounds, LinearConstraint, milp  # a fraction of a second to import: when solving

    result = milp(
        c=-np.array([round(c.quality * 100) for c in items], dtype=float),
        constraints=LinearConstraint(np.array([[float(c.amount) for c in items]]), -np.inf, float(budget)),
        integrality=np.ones(len(items)),
        bounds=Bounds(0, 1),
        options={"mip_rel_gap": 0},
    )
    if result.x is None:
        raise RuntimeError(f"Optimeringen gav ingen lösning: {result.message}")
    return {c.key for c, x in zip(items, result.x) if x > 0.5}


def greedy(candidates: list[Candidate], budgets: dict) -> set:
    """Baseline: take applications in order of quality while they fit their objective's remaining budget."""
    left = {g: Decimal(b) for g, b in budgets.items()}
    chosen = set()
    for c in sorted(candidates, key=lambda c: -c.quality):
        if c.group in left and c.quality > 0 and c.amount <= left[c.group]:
            left[c.group] -= c.amount
            chosen.add(c.key)
    return chosen
