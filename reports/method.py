"""The words of the method appendix: how each figure was computed and what was left out.

Each entry can carry the questions its figures are computed over (`lists`), read from the
form catalogue with the same tags the queries select them by, never typed here: the
appendix of a company that edits its forms names its own questions.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from forms.anonymity import ANONYMITY_THRESHOLD, HIDDEN_GROUP_NOTE
from forms.definition.model import FormDefinition
from forms.scoring.metrics import LOW_SAMPLE_MARK, LOW_SAMPLE_THRESHOLD
from forms.scoring.points import EMPATHY_TAG
from forms.vocabulary import RespondentKind
from reports.formatting import QUOTE_CHARS, Formatter
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


def visit_score(*, one_visit: bool = False) -> dict[str, object]:
    """How a visit's score and the average score are computed (`one_visit`: the visit
    report, which has no average)."""
    average = (
        ""
        if one_visit
        else " The average score is the mean of the visit scores, every visit weighing the same."
    )
    return item(
        "Score (0–100)",
        "Each scored question earns weight × points out of weight × its highest possible "
        "points. A section scores sum(earned) ÷ sum(possible) × 100; the visit score is the "
        "mean of its section scores weighted by section weight (or the same ratio over all "
        "questions on forms scored flat). Answers marked N/A and questions skipped by the "
        "form's logic or left blank are left out of both the points earned and the points "
        "possible. A visit that fails a critical question scores 0 (its raw score is still "
        "kept)." + average,
    )


def empathy_index(questions: Sequence[str], *, one_visit: bool = False) -> dict[str, object]:
    """How the Empathy Index is computed, listing the questions it is computed over
    (`one_visit`: the visit report, which shows the visit's own)."""
    shown = (
        "No figure is shown when none of them was counted."
        if one_visit
        else "The figure shown is the mean over the visits that have at least one such "
        "question counted."
    )
    return item(
        "Empathy Index (0–100)",
        ("For this visit" if one_visit else "For each visit")
        + ", sum(weight × points) ÷ sum(weight × possible) × 100 over the "
        f"questions tagged “{EMPATHY_TAG}”, without the rule for critical failures. {shown} "
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


def band(form: FormDefinition | None, of: str = "the average score") -> dict[str, object]:
    """How the band of a score (`of`: the average score, or the visit's score) is named."""
    if form is None or not form.bands:
        return item("Band", "The form defines no bands, so none is shown.")
    ordered = sorted(form.bands, key=lambda b: b.lower, reverse=True)
    parts = [f"{b.name} from {b.lower:g}" for b in ordered]
    return item(
        "Band",
        f"The band of {of} under the bands of “{form.text(form.title)}” "
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


def customer_feelings(questions: Sequence[str], agree_share: float) -> dict[str, object]:
    """How customers felt treated; `questions` are the statements, `agree_share` the share of
    its points an answer earns when the customer agrees."""
    return item(
        "How customers felt (heard, understood, valued)",
        "For each statement, the % of customers' answers that agree with it: answers earning "
        f"at least {agree_share * 100:.0f}% of the statement's points (agree or strongly "
        "agree, 4 or 5 on the 1–5 agreement scale), over the customer-survey questions "
        f"tagged “{EMPATHY_TAG}”. Answers marked N/A or left blank are left out of n. These "
        "answers are not part of the mystery-shop Empathy Index. The statements:",
        [("", questions)],
    )


def callbacks(
    consent: str, email: str, low_nps: int, low_csat: int, listed: int
) -> dict[str, object]:
    """Who is on the callback list, and where their contact details are."""
    return item(
        "Customers to call back",
        f"Customer surveys of the period that answered yes to the question “{consent}” and "
        f"gave a low score: an NPS answer of {low_nps} or less (a "
        f"detractor) or a CSAT answer of {low_csat} or less (dissatisfied). The newest "
        f"{listed} are listed, with their date, scores and comment. The e-mail address (the "
        f"answer to “{email}”) is printed only in a report written with contacts (the "
        "Reports screen's “Include customers' e-mail addresses”, or --with-contacts on the "
        "command line); other reports say whether one is on file in Rapport.",
    )


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
        "% of the employees who answered the pulse questions tagged “workload” or “burnout” "
        "(a negative statement is scored reversed) whose answers are favourable: together "
        f"they earn at least {share} of their points (agree or strongly agree with a "
        "positive statement, disagree or strongly disagree with a negative one). n is the "
        "number of those employees, so the % and the n count the same people. The "
        "questions of each signal:",
        [(signal.capitalize(), questions.get(signal, ())) for signal in PULSE_SIGNALS],
    )


def pulse_anonymity() -> dict[str, object]:
    """The rule that keeps pulse answers anonymous, from its one definition."""
    threshold = ANONYMITY_THRESHOLD
    return item(
        "Anonymity of the employee pulse",
        "Pulse answers are anonymous: no name, agent or channel is kept with them, and each "
        "is dated to its day (in UTC), never to its time. A pulse figure is shown only for a "
        f"group of at least {threshold} employees; a smaller group reads “{HIDDEN_GROUP_NOTE}”, "
        "and so does a location where nobody answered, so the report never tells one "
        "employee's answer apart from nobody's. The all-locations figure is hidden too when "
        f"the hidden locations hold between 1 and {threshold - 1} employees together, since "
        "taking the shown locations away from it would give their answers away. A single "
        "pulse answer is never printed on its own: the visit report refuses it.",
    )


def low_sample() -> dict[str, object]:
    """The low-sample marker."""
    return item(
        f"Low sample ({LOW_SAMPLE_MARK})",
        f"A figure over fewer than {LOW_SAMPLE_THRESHOLD} responses carries "
        f"{LOW_SAMPLE_MARK}, and no interval is shown for it; so does the month of a trend "
        f"chart with fewer than {LOW_SAMPLE_THRESHOLD} visits, after its name.",
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


def cut_comments(fmt: Formatter) -> str:
    """How a summary report prints a long comment (reports.formatting.cut_comment)."""
    return (
        f"Line breaks are printed as spaces, and a comment longer than "
        f"{fmt.count(QUOTE_CHARS)} characters is cut short at a word, ending with “…”. Each "
        "comment names where it comes from: a mystery shop as “visit” and a customer survey "
        "as “survey”, each with its reference (such as visit 93f4ff9c). The report of that "
        "visit or survey prints it whole: search its reference on the Submissions "
        "screen, or give it to `rapport report visit`."
    )


def pulse_questions(catalogue: Catalogue) -> dict[str, list[str]]:
    """The questions of each pulse signal: tagged so, on the forms employees fill."""
    return {
        signal: catalogue.labels_tagged(signal, RespondentKind.EMPLOYEE) for signal in PULSE_SIGNALS
    }
