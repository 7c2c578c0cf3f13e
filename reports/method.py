"""The words of the method appendix: how each figure was computed and what was left out.

Each entry can carry the questions its figures are computed over (`lists`), read from the
form catalogue with the same tags the queries select them by, never typed here: the
appendix of a company that edits its forms names its own questions.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from forms.definition.model import FormDefinition
from forms.scoring.points import EMPATHY_TAG
from forms.vocabulary import RespondentKind
from reports.formatting import Formatter
from reports.queries.catalogue import METRIC_TAGS, Catalogue, tag_order
from reports.queries.pulse import FAVOURABLE_SHARE, PULSE_SIGNALS
from reports.settings import ReportSettings


def item(
    term: str, text: str, lists: Sequence[tuple[str, Sequence[str]]] = ()
) -> dict[str, object]:
    """One entry of the appendix; `lists` holds (figure, its questions) pairs, the figure
    named "" when the entry is about one figure only."""
    return {
        "term": term,
        "text": text,
        "lists": [{"name": name, "questions": list(questions)} for name, questions in lists],
    }


def counted_visits(settings: ReportSettings, fmt: Formatter) -> dict[str, object]:
    """Which submissions count."""
    statuses = (
        "accepted by a manager (the setting “count accepted only” is on)"
        if settings.accepted_only
        else "final or accepted (finished, whether or not a manager has reviewed them yet)"
    )
    return item(
        "What is counted",
        f"Submissions whose status is {statuses} and whose visit date falls in the period. "
        "Drafts, visits sent back for revision, rejected and voided visits are left out. "
        "Mystery-shop visits give the scores and behaviours, customer surveys give NPS, "
        f"CSAT and CES. Dates and times are shown in {fmt.time_zone_name()}; months are "
        "calendar months in UTC.",
    )


def visit_score() -> dict[str, object]:
    """How a visit's score and the average score are computed."""
    return item(
        "Score (0–100)",
        "Each scored question earns weight × points out of weight × its highest possible "
        "points. A section scores sum(earned) ÷ sum(possible) × 100; the visit score is the "
        "mean of its section scores weighted by section weight (or the same ratio over all "
        "questions on forms scored flat). Answers marked N/A and questions skipped by the "
        "form's logic or left blank are left out of both the points earned and the points "
        "possible. A visit that fails a critical question scores 0 (its raw score is still "
        "kept). The average score is the mean of the visit scores, every visit weighing the same.",
    )


def empathy_index(questions: Sequence[str]) -> dict[str, object]:
    """How the Empathy Index is computed, listing the questions it is computed over."""
    return item(
        "Empathy Index (0–100)",
        "For each visit, sum(weight × points) ÷ sum(weight × possible) × 100 over the "
        f"questions tagged “{EMPATHY_TAG}”, without the rule for critical failures. The figure "
        "shown is the mean over the visits that have at least one such question counted. "
        "Its questions:",
        [("", questions)],
    )


def difference() -> dict[str, object]:
    """How a difference printed beside two figures is worked out."""
    return item(
        "Differences and changes",
        "A difference printed beside two figures is the first printed figure minus the "
        "second, each rounded to one decimal as printed: it is what you get subtracting "
        "the numbers on the page.",
    )


def band(form: FormDefinition | None) -> dict[str, object]:
    """How the band of an average is named."""
    if form is None or not form.bands:
        return item("Band", "The form defines no bands, so none is shown.")
    ordered = sorted(form.bands, key=lambda b: b.lower, reverse=True)
    parts = [f"{b.name} from {b.lower:g}" for b in ordered]
    return item(
        "Band",
        f"The band of the average score under the bands of “{form.text(form.title)}” "
        f"version {form.version}: " + ", ".join(parts) + " (lower bounds included).",
    )


CAPPED = "an end the formula puts past the scale is printed as the scale's end, marked capped"


def customer_metrics(questions: Mapping[str, Sequence[str]]) -> list[dict[str, object]]:
    """NPS, CSAT and CES; `questions` maps each metric's tag to the questions it reads."""
    return [
        item(
            "NPS (Net Promoter Score, −100 to +100)",
            "% of promoters (9–10) minus % of detractors (0–6) among the valid 0–10 answers "
            "to the questions tagged “nps”. A blank answer is not a detractor: it is left "
            f"out of n. 95% interval: normal approximation; {CAPPED}. Its questions:",
            [("", questions.get("nps", ()))],
        ),
        item(
            "CSAT (top-two box)",
            "% of answers that are 4 or 5 on the 1–5 satisfaction scale (not the mean), to "
            "the questions tagged “csat”. 95% interval: Wilson score interval. Its "
            "questions:",
            [("", questions.get("csat", ()))],
        ),
        item(
            "CES (mean, 1–7)",
            "Mean agreement on the 1–7 scale, higher is easier, with the questions tagged "
            f"“ces”. 95% interval: mean ± t × s ÷ √n; {CAPPED}. Its questions:",
            [("", questions.get("ces", ()))],
        ),
    ]


def behaviours(benchmark: str, questions: Mapping[str, Sequence[str]]) -> dict[str, object]:
    """Behaviour scores and the benchmark; `questions` maps each behaviour's name to the
    questions tagged with it."""
    return item(
        "Behaviour scores",
        "For each behaviour, sum(weight × points) ÷ sum(weight × possible) × 100 over the "
        "counted answers to the questions tagged with it, N/A answers left out; n is the "
        f"number of visits with such an answer. {benchmark} The questions of each "
        "behaviour:",
        list(questions.items()),
    )


def pulse(questions: Mapping[str, Sequence[str]]) -> dict[str, object]:
    """Employee-pulse signals; `questions` maps each signal to the questions tagged with it."""
    share = f"{FAVOURABLE_SHARE * 100:.0f}%"
    return item(
        "Employee pulse (workload, burnout)",
        "% of favourable answers to the pulse questions tagged “workload” or “burnout” "
        "(a negative statement is scored reversed). An answer is favourable when it earns "
        f"at least {share} of its points: agree or strongly agree with a positive "
        "statement, disagree or strongly disagree with a negative one. Pulse answers are "
        "anonymous; n is the number of respondents. The questions of each signal:",
        [(signal.capitalize(), questions.get(signal, ())) for signal in PULSE_SIGNALS],
    )


def low_sample() -> dict[str, object]:
    """The low-sample marker."""
    return item(
        "Low sample (†)",
        "A figure over fewer than 5 responses carries †, and no interval is shown for it.",
    )


def empathy_questions(catalogue: Catalogue) -> list[str]:
    """The questions of the Empathy Index: tagged empathy, on the forms shoppers fill."""
    return catalogue.labels_tagged(EMPATHY_TAG, RespondentKind.SHOPPER)


def metric_questions(catalogue: Catalogue) -> dict[str, list[str]]:
    """The questions of NPS, CSAT and CES: tagged so, on the forms customers fill."""
    return {tag: catalogue.labels_tagged(tag, RespondentKind.CUSTOMER) for tag in METRIC_TAGS}


def behaviour_questions(catalogue: Catalogue) -> dict[str, list[str]]:
    """Each behaviour's name and the questions tagged with it on the forms shoppers fill."""
    found = {
        catalogue.behaviour_label(tag): catalogue.labels_tagged(tag, RespondentKind.SHOPPER)
        for tag in tag_order(catalogue)
    }
    return {name: labels for name, labels in found.items() if labels}


def pulse_questions(catalogue: Catalogue) -> dict[str, list[str]]:
    """The questions of each pulse signal: tagged so, on the forms employees fill."""
    return {
        signal: catalogue.labels_tagged(signal, RespondentKind.EMPLOYEE) for signal in PULSE_SIGNALS
    }
