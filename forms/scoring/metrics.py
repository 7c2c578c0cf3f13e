"""Customer metrics over many answers: NPS, CSAT (top-two box) and CES (mean, 1-7).

Each figure comes with its n, a low-sample marker (fewer than 5 responses) and a 95 %
interval once n allows it, so that reports can say exactly how it was computed.
Answers that are blank or outside the scale are left out of n (a blank is not a detractor).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field

LOW_SAMPLE_THRESHOLD = 5
"""Figures over fewer responses than this carry a low-sample marker and no interval."""

LOW_SAMPLE_MARK = "†"
"""The one low-sample marker, printed after such a figure in every report, chart and screen."""

_Z_95 = 1.959963984540054
"""The 0.975 quantile of the standard normal distribution."""

# t(0.975, df) for df = 1..29 (n up to 30); beyond, the normal quantile is within 4 %.
_T_975 = (
    12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
    2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
    2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045,
)  # fmt: skip


@dataclass(frozen=True)
class MetricResult:
    """One customer metric over a set of answers."""

    method: str
    """How the figure was computed, as reports label it: "NPS", "CSAT (top-two box)", ..."""
    value: float | None
    """None when no answer was valid."""
    n: int
    """Valid answers counted."""
    low_sample: bool
    """n < LOW_SAMPLE_THRESHOLD: show the figure with a low-sample marker."""
    ci_low: float | None
    ci_high: float | None
    """95 % interval, clipped to the scale; None below LOW_SAMPLE_THRESHOLD answers."""
    detail: dict[str, float | int] = field(default_factory=dict)
    """Counts behind the figure (promoters, top_two, ...) and `excluded`: invalid answers."""
    ci_capped: tuple[bool, bool] = (False, False)
    """Whether the interval's low and high ends went past the scale and were clipped to it
    (the printed end is then the scale's end, not what the formula gave)."""


def scale_value(value: object, low: int, high: int) -> int | None:
    """`value` as a whole number on the scale low..high, or None if it is not one.

    Accepts integers, whole floats (7.0) and digit strings ("7"), as answers are stored.
    """
    number: int
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        if not value.is_integer():
            return None
        number = int(value)
    elif isinstance(value, str):
        text = value.strip()
        if not (text.isascii() and text.isdigit()):
            return None
        number = int(text)
    else:
        return None
    return number if low <= number <= high else None


def _valid(values: Iterable[object], low: int, high: int) -> tuple[list[int], int]:
    valid: list[int] = []
    excluded = 0
    for value in values:
        number = scale_value(value, low, high)
        if number is None:
            excluded += 1
        else:
            valid.append(number)
    return valid, excluded


def _clip(value: float, low: float, high: float) -> float:
    return min(high, max(low, value))


_ROUNDING = 1e-9
"""How far past the scale an interval's end may be from float rounding alone (a Wilson
interval reaches exactly 100 % when every answer is favourable: that is not a cap)."""


def _capped(low: float, high: float, scale_low: float, scale_high: float) -> tuple[bool, bool]:
    return low < scale_low - _ROUNDING, high > scale_high + _ROUNDING


def nps(values: Iterable[object]) -> MetricResult:
    """Net Promoter Score: % promoters (9-10) minus % detractors (0-6), -100..+100.

    Only whole answers 0..10 count; the interval is the normal approximation with
    variance (p_promoters + p_detractors - (p_promoters - p_detractors)^2) / n.
    """
    valid, excluded = _valid(values, 0, 10)
    n = len(valid)
    promoters = sum(1 for v in valid if v >= 9)
    detractors = sum(1 for v in valid if v <= 6)
    detail: dict[str, float | int] = {
        "promoters": promoters,
        "passives": n - promoters - detractors,
        "detractors": detractors,
        "excluded": excluded,
    }
    if n == 0:
        return MetricResult("NPS", None, 0, True, None, None, detail)
    p_promoters, p_detractors = promoters / n, detractors / n
    value = (p_promoters - p_detractors) * 100.0
    ci_low = ci_high = None
    capped = (False, False)
    if n >= LOW_SAMPLE_THRESHOLD:
        variance = (p_promoters + p_detractors - (p_promoters - p_detractors) ** 2) / n
        half = _Z_95 * math.sqrt(max(variance, 0.0)) * 100.0
        capped = _capped(value - half, value + half, -100.0, 100.0)
        ci_low, ci_high = _clip(value - half, -100.0, 100.0), _clip(value + half, -100.0, 100.0)
    return MetricResult("NPS", value, n, n < LOW_SAMPLE_THRESHOLD, ci_low, ci_high, detail, capped)


def csat(values: Iterable[object]) -> MetricResult:
    """Customer satisfaction: % of 4 or 5 answers on the 1-5 scale (top-two box, not the mean).

    The interval is the Wilson score interval. `detail["mean"]` is given for comparison only.
    """
    valid, excluded = _valid(values, 1, 5)
    n = len(valid)
    top_two = sum(1 for v in valid if v >= 4)
    detail: dict[str, float | int] = {"top_two": top_two, "excluded": excluded}
    if n == 0:
        return MetricResult("CSAT (top-two box)", None, 0, True, None, None, detail)
    detail["mean"] = sum(valid) / n
    share = top_two / n
    ci_low = ci_high = None
    capped = (False, False)
    if n >= LOW_SAMPLE_THRESHOLD:
        z2 = _Z_95**2
        denominator = 1 + z2 / n
        centre = (share + z2 / (2 * n)) / denominator
        half = _Z_95 * math.sqrt(share * (1 - share) / n + z2 / (4 * n * n)) / denominator
        capped = _capped((centre - half) * 100.0, (centre + half) * 100.0, 0.0, 100.0)
        ci_low = _clip((centre - half) * 100.0, 0.0, 100.0)
        ci_high = _clip((centre + half) * 100.0, 0.0, 100.0)
    return MetricResult(
        "CSAT (top-two box)",
        share * 100.0,
        n,
        n < LOW_SAMPLE_THRESHOLD,
        ci_low,
        ci_high,
        detail,
        capped,
    )


def t_quantile_975(degrees_of_freedom: int) -> float:
    """t(0.975, df) from a table up to df = 29, the normal quantile beyond (n > 30)."""
    if degrees_of_freedom < 1:
        raise ValueError(f"degrees of freedom must be at least 1, got {degrees_of_freedom}")
    if degrees_of_freedom <= 29:
        return _T_975[degrees_of_freedom - 1]
    return _Z_95


def ces(values: Iterable[object]) -> MetricResult:
    """Customer effort: mean agreement on the 1-7 scale ("made it easy to handle my issue").

    The interval is mean ± t(0.975, n-1)·s/√n, clipped to 1..7. `detail["agree"]` counts 5-7.
    """
    valid, excluded = _valid(values, 1, 7)
    n = len(valid)
    detail: dict[str, float | int] = {
        "agree": sum(1 for v in valid if v >= 5),
        "excluded": excluded,
    }
    if n == 0:
        return MetricResult("CES (mean, 1-7)", None, 0, True, None, None, detail)
    mean = sum(valid) / n
    ci_low = ci_high = None
    capped = (False, False)
    if n >= 2:
        sd = math.sqrt(sum((v - mean) ** 2 for v in valid) / (n - 1))
        detail["sd"] = sd
        if n >= LOW_SAMPLE_THRESHOLD:
            half = t_quantile_975(n - 1) * sd / math.sqrt(n)
            capped = _capped(mean - half, mean + half, 1.0, 7.0)
            ci_low, ci_high = _clip(mean - half, 1.0, 7.0), _clip(mean + half, 1.0, 7.0)
    return MetricResult(
        "CES (mean, 1-7)", mean, n, n < LOW_SAMPLE_THRESHOLD, ci_low, ci_high, detail, capped
    )
