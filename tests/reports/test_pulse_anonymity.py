"""The employee pulse is anonymous in every report: its figures are shown for groups of at
least five employees only, never in a total that gives a smaller group away, its % and n
count the same employees, and no report shows one pulse response on its own."""

from __future__ import annotations

import html
import re
import uuid
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from desktop.cli import main
from forms.anonymity import ANONYMITY_THRESHOLD, HIDDEN_GROUP_NOTE
from forms.sample.company import EMPLOYEE_COMMENTS
from forms.scoring.metrics import LOW_SAMPLE_MARK
from forms.storage import Store
from forms.storage.recording import FinishedSubmission, record_finished_submissions
from reports.kit import ReportKit
from reports.queries import Period
from reports.queries.common import find_location
from reports.render import ReportError
from reports.writer import ReportRequest, report_html, write_report
from tests.conftest import SAMPLE_TODAY
from tests.reports.expected import COUNTED, in_period, query
from tests.reports.test_tagged_figures import tagged

YEAR = Period(date(2025, 7, 1), SAMPLE_TODAY)
QUARTER = Period(date(2026, 4, 1), SAMPLE_TODAY)
HIDDEN = HIDDEN_GROUP_NOTE[0].upper() + HIDDEN_GROUP_NOTE[1:]


def pulse_section(text: str) -> str:
    """The portfolio's pulse table, as its PDF's text reads."""
    return text[text.index("Employee pulse beside empathy") : text.index("n = employees who")]


def pulse_cells(section: str, name: str) -> list[str]:
    """The words of a pulse-table row after the location's name and its Empathy Index (with
    its low-sample marker, if any)."""
    words = section[section.index(name) + len(name) :].split()[1:]
    return words[1:] if words[0] == LOW_SAMPLE_MARK else words


def respondent_figures(db: Path, tag: str, period: Period) -> dict[object, tuple[int, int]]:
    """Location id -> (favourable respondents, respondents) of one signal, in plain SQL: a
    respondent is favourable when their answers to the tag's questions earn 80 % together."""
    questions = tagged(db, "employee_pulse")[tag]
    assert period.start is not None
    assert period.end is not None
    period_sql, params = in_period(period.start, period.end)
    marks = ",".join("?" * len(questions))
    rows = query(
        db,
        "SELECT location_id, sum(earned >= 0.8 * possible), count(*) FROM ("
        "SELECT s.location_id, s.id, sum(a.points) AS earned, sum(a.possible) AS possible "
        "FROM answer a JOIN submission s ON s.id = a.submission_id "
        f"WHERE {COUNTED} AND s.respondent_kind = 'employee' AND {period_sql} "
        f"AND a.question IN ({marks}) AND a.not_applicable = 0 AND a.points IS NOT NULL "
        "AND a.possible > 0 AND s.location_id IS NOT NULL GROUP BY s.id) GROUP BY location_id",
        [*params, *questions],
    )
    return {location: (int(favourable), int(count)) for location, favourable, count in rows}


def add_pulses(store: Store, code: str, answers: list[dict[str, object]], day: date) -> list[str]:
    """Employees of a location answer the pulse on `day` (at 14:37, as a kiosk would send)."""
    form_id = store.latest_form_version("employee_pulse")
    assert form_id is not None
    location = find_location(store, code).id
    ids = [str(uuid.uuid4()) for _ in answers]
    record_finished_submissions(
        store,
        [
            FinishedSubmission(
                id=submission_id,
                form_version_id=form_id,
                answers=given,
                visit_at=datetime(day.year, day.month, day.day, 14, 37, tzinfo=UTC),
                location_id=location,
            )
            for submission_id, given in zip(ids, answers, strict=True)
        ],
        actor="test",
    )
    return ids


def portfolio_text(store: Store, period: Period, out: Path) -> str:
    from tests.reports.conftest import pdf_text

    write_report(store, ReportRequest("portfolio", period=period), pdf=out)
    return pdf_text(out)


def test_no_pulse_group_of_fewer_than_five_appears_in_any_report_of_the_sample_company(
    sample_store: Store, db_path: Path, tmp_path: Path
) -> None:
    names = dict(query(db_path, "SELECT id, name FROM location"))
    for period in (QUARTER, YEAR):
        text = portfolio_text(sample_store, period, tmp_path / "portfolio.pdf")
        section = pulse_section(text)
        for tag in ("workload", "burnout"):
            figures = respondent_figures(db_path, tag, period)
            # The sample company's sites have a few pulse answers each: every one is hidden.
            assert figures
            assert all(count < ANONYMITY_THRESHOLD for _, count in figures.values())
            everyone = sum(count for _, count in figures.values())
            assert everyone >= ANONYMITY_THRESHOLD
        for name in names.values():
            row = " ".join(pulse_cells(section, name))
            assert row.startswith(HIDDEN), (name, row)
        # All locations together: enough employees, and the hidden ones are many enough
        # that no site's answers follow from the total.
        total = pulse_cells(section, "All locations")
        for tag, position in (("workload", 0), ("burnout", 2)):
            figures = respondent_figures(db_path, tag, period)
            favourable = sum(f for f, _ in figures.values())
            respondents = sum(count for _, count in figures.values())
            assert total[position : position + 2] == [
                f"{round(favourable / respondents * 100)}%",
                str(respondents),
            ]
    # No location or agent report says anything of the pulse, not even its comments.
    kit = ReportKit.load(sample_store)
    subjects = [("location", code) for (code,) in query(db_path, "SELECT code FROM location")]
    subjects += [("agent", code) for (code,) in query(db_path, "SELECT code FROM agent")[:6]]
    for kind, subject in subjects:
        page = html.unescape(report_html(kit, ReportRequest(kind, subject, YEAR)))
        for comment in filter(None, EMPLOYEE_COMMENTS):
            assert comment not in page
        assert "pulse" not in re.sub(r"<[^>]+>", " ", page).lower()


def test_a_location_shows_its_pulse_once_five_employees_answered_and_the_rest_stay_hidden(
    sample_store: Store, db_path: Path, tmp_path: Path
) -> None:
    before = respondent_figures(db_path, "workload", QUARTER)
    hpo, cst = (find_location(sample_store, code) for code in ("HPO", "CST"))
    already = before.get(hpo.id, (0, 0))[1]
    # Each employee answers the two workload questions; some agree with one and are neutral
    # on the other (5 + 3 of 10 points: favourable together, one of two answers alone).
    mixed = {"workload_manageable": "strongly_agree", "time_to_listen": "neutral"}
    steady = {"workload_manageable": "agree", "time_to_listen": "agree"}
    answers = [mixed if index % 2 else steady for index in range(ANONYMITY_THRESHOLD - already)]
    add_pulses(sample_store, "HPO", answers, date(2026, 5, 12))

    section = pulse_section(portfolio_text(sample_store, QUARTER, tmp_path / "p.pdf"))

    favourable, respondents = respondent_figures(db_path, "workload", QUARTER)[hpo.id]
    assert respondents == ANONYMITY_THRESHOLD
    row = pulse_cells(section, hpo.name)
    # The % is of the same employees its n counts (not of their answers).
    assert row[:2] == [f"{round(favourable / respondents * 100)}%", str(respondents)]
    assert " ".join(pulse_cells(section, cst.name)).startswith(HIDDEN)


def test_the_all_locations_pulse_is_hidden_when_it_would_give_a_small_group_away(
    sample_store: Store, db_path: Path, tmp_path: Path
) -> None:
    # Only two sites answered in May: five employees at one, two at the other.
    answer = {"workload_manageable": "agree", "feeling_drained": "disagree"}
    add_pulses(sample_store, "HPO", [answer] * ANONYMITY_THRESHOLD, date(2026, 5, 12))
    add_pulses(sample_store, "CST", [answer] * 2, date(2026, 5, 13))
    may = Period(date(2026, 5, 1), date(2026, 5, 31))
    counts = respondent_figures(db_path, "workload", may)
    assert sorted(count for _, count in counts.values()) == [2, ANONYMITY_THRESHOLD]

    section = pulse_section(portfolio_text(sample_store, may, tmp_path / "may.pdf"))

    assert pulse_cells(section, "Harbor Point Offices")[:2] == ["100%", str(ANONYMITY_THRESHOLD)]
    assert " ".join(pulse_cells(section, "Civic Center Tower")).startswith(HIDDEN)
    # The total less Harbor Point would be Civic Center's two employees.
    assert " ".join(pulse_cells(section, "All locations")).startswith(HIDDEN)
    assert "2 employees" not in section


def test_the_method_appendix_states_the_anonymity_rule(sample_store: Store, tmp_path: Path) -> None:
    text = portfolio_text(sample_store, QUARTER, tmp_path / "p.pdf")
    appendix = text[text.index("How these figures were computed") :]
    assert "Anonymity of the employee pulse" in appendix
    assert f"at least {ANONYMITY_THRESHOLD} employees" in appendix
    assert HIDDEN_GROUP_NOTE in appendix
    assert "dated to its day" in appendix
    assert "the % and the n count the same people" in appendix


def test_the_visit_report_of_a_pulse_response_is_refused(
    sample_store: Store, db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (pulse,) = query(
        db_path, "SELECT id FROM submission WHERE respondent_kind = 'employee' LIMIT 1"
    )[0]
    with pytest.raises(ReportError, match="anonymous"):
        report_html(ReportKit.load(sample_store), ReportRequest("visit", pulse))
    out = tmp_path / "pulse.pdf"
    capsys.readouterr()

    code = main(["report", "visit", pulse[:8], "--db", sample_store.url, "-o", str(out)])

    assert code == 2
    error = capsys.readouterr().err
    assert "employee-pulse response" in error
    assert "anonymous" in error
    assert not out.exists()
    # A mystery-shop visit still has its report.
    (visit,) = query(db_path, "SELECT id FROM submission WHERE respondent_kind = 'shopper'")[0]
    assert main(["report", "visit", visit, "--db", sample_store.url, "-o", str(out)]) == 0
