"""Benchmark: exact prioritisation of 2 000 applications over 6 objectives, against a greedy ranking.

BENCH_PRIORITISATION_N scales the number of applications (default 2000).
"""

import os
import random
import time
from decimal import Decimal

from samhandling.assessment.optimise import Candidate, greedy, optimal

N = int(os.environ.get("BENCH_PRIORITISATION_N", "2000"))
OBJECTIVES = ["1.1", "1.3", "1.7", "2.6", "A.1", "A.2"]


def main():
    rng = random.Random(2026)
    candidates = [
        Candidate(i, rng.choice(OBJECTIVES), Decimal(rng.randint(4, 120) * 25_000), round(rng.uniform(5, 25), 2))
        for i in range(N)
    ]
    demand = {g: sum(c.amount for c in candidates if c.group == g) for g in OBJECTIVES}
    budgets = {g: (d * Decimal("0.3")).quantize(Decimal(1)) for g, d in demand.items()}

    start = time.perf_counter()
    baseline_set = greedy(candidates, budgets)
    greedy_seconds = time.perf_counter() - start
    start = time.perf_counter()
    chosen = optimal(candidates, budgets)
    seconds = time.perf_counter() - start

    for g, b in budgets.items():
        assert sum(c.amount for c in candidates if c.key in chosen and c.group == g) <= b
    quality = sum(c.quality for c in candidates if c.key in chosen)
    baseline = sum(c.quality for c in candidates if c.key in baseline_set)
    ok_time = "PASS" if seconds < 2 else "FAIL"
    ok_quality = "PASS" if quality >= baseline - 1e-9 else "FAIL"
    print(
        f"BENCH prioritisation_time value={seconds:.4f} unit=s baseline={greedy_seconds:.4f} "
        f"ratio={seconds / max(greedy_seconds, 1e-9):.2f} goal=<2s_for_{N}_applications_6_objectives {ok_time}"
    )
    print(
        f"BENCH prioritisation_quality value={quality:.2f} unit=points baseline={baseline:.2f} "
        f"ratio={quality / baseline:.4f} goal=>=greedy_ranking {ok_quality}"
    )


if __name__ == "__main__":
    main()
