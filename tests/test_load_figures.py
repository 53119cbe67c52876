"""The figures make load judges the agents' list by (tools/load.py)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))

import load  # noqa: E402


def test_percentile_is_the_nearest_rank():
    assert load.percentile(list(range(1, 101)), 95) == 95
    assert load.percentile([10, 1, 5, 3], 50) == 3
    assert load.percentile([7], 95) == 7
    assert load.percentile([], 95) != load.percentile([], 95)  # nan


def test_p95_ratio_and_the_range_of_its_resamples():
    same = list(range(1, 201))
    ratio, low, high = load.p95_ratio(same, same)
    assert ratio == 1.0
    assert low <= 1.0 <= high

    slower = [2 * value for value in same]
    ratio, low, high = load.p95_ratio(slower, same)
    assert ratio == 2.0
    assert low <= 2.0 <= high
    # The same samples give the same range, run after run.
    assert load.p95_ratio(slower, same) == (ratio, low, high)
    # Few samples, wide range: one run of a handful of requests proves little.
    _ratio, few_low, few_high = load.p95_ratio(slower[::20], same[::20])
    assert few_high - few_low > high - low
