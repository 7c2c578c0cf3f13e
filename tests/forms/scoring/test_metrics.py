"""NPS, CSAT and CES over many answers, checked against figures worked out by hand."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import pytest

from forms.scoring.metrics import (
    LOW_SAMPLE_THRESHOLD,
    MetricResult,
    ces,
    csat,
    nps,
    scale_value,
    t_quantile_975,
)


def test_nps_counts_valid_answers_only_and_blank_is_not_a_detractor() -> None:
    # Valid: 10, 9, 9 (promoters), 8, 7 (passives), 6, 0 (detractors) -> n = 7.
    # Left out: None, "", "11" (off the scale), "abc", 5.5 (not a whole answer).
    # NPS = (3 - 2) / 7 * 100 = 14.29. Counting the 5 left-out answers as detractors
    # would give (3 - 7) / 12 * 100 = -33.33.
    # Interval: p_p = 3/7, p_d = 2/7, var = (5/7 - (1/7)^2) / 7 = 0.099125,
    # half width = 1.96 * sqrt(0.099125) * 100 = 61.71 -> [-47.42, 75.99].
    result = nps([10, 9, 9, 8, 7, 6, 0, None, "", "11", "abc", 5.5])
    assert result.method == "NPS"
    assert result.n == 7
    assert result.value == pytest.approx(14.2857, abs=1e-4)
    assert result.detail == {"promoters": 3, "passives": 2, "detractors": 2, "excluded": 5}
    assert result.ci_low == pytest.approx(-47.42, abs=0.01)
    assert result.ci_high == pytest.approx(75.99, abs=0.01)
    assert not result.low_sample


def test_nps_reads_choice_names_and_whole_floats() -> None:
    # "10", " 9", 9.0 promoters; "6" detractor -> (3 - 1) / 4 * 100 = 50.
    result = nps(["10", " 9", 9.0, "6", True])
    assert result.n == 4
    assert result.value == pytest.approx(50.0)


def test_nps_interval_is_clipped_to_the_scale() -> None:
    # 9 promoters, 1 detractor: NPS 80, var = (1.0 - 0.8^2) / 10 = 0.036,
    # half width = 1.96 * 0.1897 * 100 = 37.19 -> [42.81, 117.19], clipped to 100.
    result = nps([10] * 9 + [3])
    assert result.value == pytest.approx(80.0)
    assert result.ci_low == pytest.approx(42.81, abs=0.01)
    assert result.ci_high == 100.0


def test_csat_is_the_top_two_box_not_the_mean() -> None:
    # 4, 4, 4, 4, 1: four of five are 4 or 5 -> CSAT 80 %, though the mean is only 3.4
    # (68 % of the scale). Wilson, z = 1.96, p = 0.8, n = 5:
    # centre = (0.8 + 3.8415/10) / (1 + 3.8415/5) = 0.66966,
    # half = 1.96 * sqrt(0.16/5 + 3.8415/100) / 1.76829 = 0.29412 -> [37.55, 96.38].
    result = csat([4, 4, 4, 4, 1])
    assert result.method == "CSAT (top-two box)"
    assert result.value == pytest.approx(80.0)
    assert result.detail["top_two"] == 4
    assert result.detail["mean"] == pytest.approx(3.4)
    assert result.ci_low == pytest.approx(37.55, abs=0.01)
    assert result.ci_high == pytest.approx(96.38, abs=0.01)


def test_csat_leaves_out_answers_off_the_1_to_5_scale() -> None:
    # 0, 6, "" and None are not satisfaction answers: 5, "3" -> 1 of 2 = 50 %.
    result = csat([0, 6, "", None, 5, "3"])
    assert result.n == 2
    assert result.value == pytest.approx(50.0)
    assert result.detail["excluded"] == 4


def test_ces_is_the_mean_with_a_t_interval() -> None:
    # 7, 6, 5, 5, 4, 3: mean 30 / 6 = 5.0; squared deviations 4+1+0+0+1+4 = 10,
    # s = sqrt(10 / 5) = 1.4142; t(0.975, 5) = 2.571; half = 2.571 * 1.4142 / sqrt(6) = 1.4844
    # -> [3.52, 6.48]. Four answers of 5 or more agree the issue was easy to handle.
    result = ces([7, 6, 5, 5, 4, "3", 8, None])
    assert result.method == "CES (mean, 1-7)"
    assert result.n == 6
    assert result.value == pytest.approx(5.0)
    assert result.ci_low == pytest.approx(3.5156, abs=1e-3)
    assert result.ci_high == pytest.approx(6.4844, abs=1e-3)
    assert result.detail["agree"] == 4
    assert result.detail["excluded"] == 2


def test_ces_interval_is_clipped_to_seven() -> None:
    # 7, 7, 7, 7, 6: mean 6.8, s = sqrt(0.8 / 4) = 0.4472, t(0.975, 4) = 2.776,
    # half = 2.776 * 0.4472 / sqrt(5) = 0.5552 -> [6.24, 7.36], clipped to 7.
    result = ces([7, 7, 7, 7, 6])
    assert result.ci_low == pytest.approx(6.2448, abs=1e-4)
    assert result.ci_high == 7.0


def test_ces_uses_the_normal_quantile_above_30_answers() -> None:
    # 1, 7 twenty times each: mean 4, s = sqrt(40 * 9 / 39) = 3.0382,
    # half = 1.96 * 3.0382 / sqrt(40) = 0.9416 -> [3.06, 4.94].
    result = ces([1, 7] * 20)
    assert result.ci_low == pytest.approx(3.0585, abs=1e-3)
    assert result.ci_high == pytest.approx(4.9415, abs=1e-3)
    assert t_quantile_975(29) == pytest.approx(2.045)
    assert t_quantile_975(30) == pytest.approx(1.96, abs=1e-3)


@pytest.mark.parametrize("metric", [nps, csat, ces])
def test_fewer_than_five_answers_are_marked_low_sample_without_interval(
    metric: Callable[[Iterable[object]], MetricResult],
) -> None:
    few = metric([5, 4, 5, 4])
    assert few.n == LOW_SAMPLE_THRESHOLD - 1 == 4
    assert few.low_sample
    assert few.value is not None
    assert (few.ci_low, few.ci_high) == (None, None)
    enough = metric([5, 4, 5, 4, 3])
    assert not enough.low_sample
    assert enough.ci_low is not None
    assert enough.ci_high is not None
    assert enough.value is not None
    assert enough.ci_low <= enough.value <= enough.ci_high
    nothing = metric([None, ""])
    assert (nothing.n, nothing.value, nothing.low_sample) == (0, None, True)


def test_scale_value_accepts_stored_spellings_only() -> None:
    assert [scale_value(v, 0, 10) for v in (7, "7", " 7 ", 7.0, "07")] == [7] * 5
    assert [scale_value(v, 0, 10) for v in (7.5, "7.0", "-1", 11, True, "", None, [7])] == [
        None
    ] * 8
