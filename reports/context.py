"""Pieces every report's template context is made of: plain dicts of strings and numbers.

Report modules turn query results into these; templates then only print them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any

from forms.scoring.metrics import MetricResult
from reports.formatting import MISSING, Formatter, cut_comment, named_reference
from reports.images import photo_data_url
from reports.queries.catalogue import Catalogue
from reports.queries.common import LOW_SAMPLE, LOW_SAMPLE_MARK, Period, low_sample
from reports.queries.customers import Verbatim
from reports.queries.visits import Photo
from reports.settings import ReportSettings

LOW_NOTE = f"{LOW_SAMPLE_MARK} low sample"
"""What a figure's n says after it when the figure carries the low-sample marker."""


def period_text(period: Period, fmt: Formatter) -> str:
    """The period as the cover and header print it."""
    if period.start and period.end:
        return f"{fmt.day(period.start)} – {fmt.day(period.end)}"
    if period.start:
        return f"from {fmt.day(period.start)}"
    if period.end:
        return f"up to {fmt.day(period.end)}"
    return "all time"


def base_context(
    settings: ReportSettings,
    fmt: Formatter,
    *,
    kind: str,
    title: str,
    period: Period | None,
    kicker: str,
    heading: str,
    lines: Sequence[str],
    now: datetime | None = None,
) -> dict[str, Any]:
    """What base.html needs: language, branding, running header, cover band."""
    shown_period = period_text(period, fmt) if period is not None else ""
    return {
        "language": fmt.language,
        "paper": fmt.paper,
        "kind": kind,
        "title": title,
        "company": settings.company,
        "brand_colour": settings.brand_colour,
        "period_text": shown_period,
        "generated_text": fmt.day_time(now or datetime.now(UTC)),
        "cover_band": {
            "company": settings.company,
            "logo": settings.logo,
            "kicker": kicker,
            "heading": heading,
            "lines": [line for line in lines if line],
        },
    }


def n_text(n: int, fmt: Formatter, what: str = "response") -> str:
    """'n = 34 visits' (`what` is the singular: "visit"), with the low-sample note under
    five (none is not a low sample: no figure is shown over it)."""
    text = f"n = {fmt.counted(n, what)}"
    return f"{text} · {LOW_NOTE}" if low_sample(n) else text


def chart_label(label: str, n: int) -> str:
    """A chart's label (a month, a behaviour) with the low-sample marker when its point or
    bar is over a low sample, as a table's figure carries it."""
    return f"{label} {LOW_SAMPLE_MARK}" if low_sample(n) else label


def month_ticks(months: Sequence[date], counts: Sequence[int], fmt: Formatter) -> list[str]:
    """A trend chart's month labels: the year on the first and on every January, so that no
    tick is ambiguous, and the low-sample marker on a month over a low sample."""
    return [
        chart_label(fmt.short_month(month, with_year=index == 0), n)
        for index, (month, n) in enumerate(zip(months, counts, strict=True))
    ]


def chart_low_note(counts: Sequence[int], what: str = "visits") -> str:
    """The trend caption's note on the marked months and on the gaps of its lines."""
    notes = []
    if any(low_sample(n) for n in counts):
        notes.append(
            f"{LOW_SAMPLE_MARK} after a month: 1 to {LOW_SAMPLE - 1} {what}, a low sample."
        )
    if any(n == 0 for n in counts):
        notes.append("A month with none has no point, and the line breaks there.")
    return "".join(f" {note}" for note in notes)


def tile(label: str, value: str, note: str, *, low: bool = False, sub: str = "") -> dict[str, Any]:
    """One KPI tile (a report may add its `change` against the previous period)."""
    return {"label": label, "value": value, "note": note, "low": low, "sub": sub, "change": None}


def metric_value(result: MetricResult, fmt: Formatter) -> str:
    """NPS signed (+12), CSAT as a percentage, CES with one decimal."""
    if result.method == "NPS":
        return fmt.signed(result.value)
    if result.method.startswith("CSAT"):
        return fmt.percent(result.value)
    return fmt.number(result.value, 1)


def metric_interval(result: MetricResult, fmt: Formatter) -> str:
    """'95% CI 4 to 30' in the metric's own units, or '' when n is too small. An end the
    formula put past the scale is printed as the scale's end and said to be capped there."""
    if result.ci_low is None or result.ci_high is None:
        return ""
    if result.method == "NPS":
        low, high = fmt.signed(result.ci_low), fmt.signed(result.ci_high)
    elif result.method.startswith("CSAT"):
        low, high = fmt.percent(result.ci_low), fmt.percent(result.ci_high)
    else:
        low, high = fmt.number(result.ci_low, 1), fmt.number(result.ci_high, 1)
    text = f"95% CI {low} to {high}"
    capped_low, capped_high = result.ci_capped
    if capped_low and capped_high:
        return f"{text} (capped at both ends of the scale)"
    if capped_low or capped_high:
        end = low if capped_low else high
        return f"{text} (capped at {end}, the end of the scale)"
    return text


def metric_tile(label: str, result: MetricResult, fmt: Formatter) -> dict[str, Any]:
    """A tile for NPS, CSAT or CES with its n, interval and low-sample marker."""
    parts = [n_text(result.n, fmt, "answer")]
    interval = metric_interval(result, fmt)
    if interval:
        parts.append(interval)
    return tile(
        label,
        metric_value(result, fmt),
        " · ".join(parts),
        low=result.low_sample and result.n > 0,
        # "NPS" under "NPS" says nothing: the method is shown when it tells more (top-two box).
        sub=result.method if result.method != label else "",
    )


def score_text(value: float | None, fmt: Formatter) -> str:
    """A 0..100 score with one decimal."""
    return fmt.number(value, 1)


def change_text(now: float | None, before: float | None, fmt: Formatter) -> tuple[str, str]:
    """The change between two scores printed with one decimal, as text, and 'up', 'down' or
    '' for its direction. Every difference a report prints beside two figures comes from
    here: it is the printed figures subtracted (`Formatter.difference`)."""
    delta = fmt.difference(now, before, 1)
    if delta is None:
        return MISSING, ""
    direction = "up" if delta > 0 else "down" if delta < 0 else ""
    return fmt.signed(delta, 1), direction


def month_axis(period: Period, months_with_data: Sequence[str]) -> list[date]:
    """First days of the months a trend chart shows: the period's, else those with data."""
    if period.start and period.end:
        first, last = period.start.replace(day=1), period.end.replace(day=1)
    elif months_with_data:
        first = date.fromisoformat(months_with_data[0] + "-01")
        last = date.fromisoformat(months_with_data[-1] + "-01")
        if period.start:
            first = period.start.replace(day=1)
        if period.end:
            last = period.end.replace(day=1)
    else:
        return []
    months: list[date] = []
    current = first
    while current <= last and len(months) < 36:
        months.append(current)
        current = date(current.year + current.month // 12, current.month % 12 + 1, 1)
    return months


def month_key_of(day: date) -> str:
    """The 'YYYY-MM' key of a month, as queries group them."""
    return f"{day.year:04d}-{day.month:02d}"


def cut_note(submission_id: str, respondent_kind: str) -> str:
    """What a summary report prints beside a comment it cut: where the whole text is."""
    return (
        f"cut short: the whole comment is in the report of "
        f"{named_reference(submission_id, respondent_kind)}"
    )


def quote(
    text: str, submission_id: str, meta: list[str], respondent_kind: str = "shopper"
) -> dict[str, str]:
    """One comment as the quotes partial prints it in a summary report: cut to a readable
    length (reports.formatting.cut_comment), its facts, and the visit or survey it comes
    from, whose own report holds the whole text."""
    shown, cut = cut_comment(text)
    where = (
        cut_note(submission_id, respondent_kind)
        if cut
        else named_reference(submission_id, respondent_kind)
    )
    return {"text": shown, "meta": " · ".join([*meta, where])}


def quote_items(
    found: Sequence[Verbatim], fmt: Formatter, respondent_kind: str, *, with_agent: bool = False
) -> list[dict[str, str]]:
    """Verbatims of one kind of respondent as the quotes partial prints them: text, then
    date, question and the visit or survey."""
    items = []
    for verbatim in found:
        meta = [fmt.day(verbatim.visit_at), verbatim.question]
        if with_agent and verbatim.agent:
            meta.insert(1, verbatim.agent)
        items.append(quote(verbatim.text, verbatim.submission_id, meta, respondent_kind))
    return items


def photo_items(
    found: Sequence[Photo], fmt: Formatter, catalogue: Catalogue | None
) -> list[dict[str, Any]]:
    """Photos re-encoded and inlined, each with a caption saying where and when."""
    items = []
    for photo in found:
        facts = (
            catalogue.facts(photo.form_version_id, photo.question)
            if catalogue is not None and photo.question
            else None
        )
        caption = [fmt.day(photo.visit_at)]
        if photo.agent:
            caption.append(photo.agent)
        caption.append(facts.label if facts is not None else photo.filename)
        items.append({"src": photo_data_url(photo.data), "caption": " · ".join(caption)})
    return items


def sample_row(figure: str, n: int, note: str, fmt: Formatter) -> dict[str, Any]:
    """A row of the method appendix's sample-size table."""
    return {"figure": figure, "n": fmt.count(n), "note": note, "low": low_sample(n)}
