"""Home and the location report are one read model: for every site and period, and with the
"accepted only" setting on or off, Home shows the numbers the location report prints."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from forms.exchange.spreadsheet_export import forms_with_data, submission_sheet
from forms.storage import Store
from forms.storage.tables import Location, Submission
from reports.kit import ReportKit
from reports.location import location_context
from reports.queries import Period, find_location
from reports.queries.screens import LocationOverview, location_overview
from reports.queries.submissions import COUNTED_IN_REPORTS, SubmissionFilter, count_submissions

PERIODS = (Period(date(2026, 4, 1), date(2026, 6, 30)), Period(date(2026, 3, 1), date(2026, 3, 31)))


def accept_every_other_visit(store: Store) -> None:
    with store.reading() as session:
        finals = list(
            session.scalars(
                select(Submission.id).where(Submission.status == "final").order_by(Submission.id)
            )
        )
    for submission_id in finals[::2]:
        store.review(submission_id, actor="manager", decision="accepted")


def shown_on_home(row: LocationOverview) -> dict[str, str]:
    """The figures as the home screen's columns print them."""
    return {
        "Empathy Index": "–" if row.empathy_index is None else f"{row.empathy_index:.1f}",
        "Average score": "–" if row.score is None else f"{row.score:.1f}",
        "NPS": "–" if row.nps is None else f"{row.nps:+.0f}".replace("+0", "0"),
        "visits": str(row.visits),
    }


def printed_in_report(store: Store, code: str, period: Period) -> dict[str, str]:
    context = location_context(ReportKit.load(store), find_location(store, code), period)
    if "kpi_tiles" not in context:  # nothing counted: the short report
        return {"Empathy Index": "–", "Average score": "–", "NPS": "–", "visits": "0"}
    tiles = {tile["label"]: tile for tile in context["kpi_tiles"]}
    visits = tiles["Average score"]["note"].split("n = ")[1].split(" ")[0]
    return {
        "Empathy Index": tiles["Empathy Index"]["value"],
        "Average score": tiles["Average score"]["value"],
        "NPS": tiles["NPS"]["value"].replace("−", "-"),
        "visits": visits,
    }


@pytest.mark.parametrize("accepted_only", [False, True])
def test_home_shows_what_the_location_report_prints_for_every_site(
    sample_store: Store, accepted_only: bool
) -> None:
    accept_every_other_visit(sample_store)
    sample_store.set_setting("count_accepted_only", "yes" if accepted_only else "no")
    with sample_store.reading() as session:
        codes = list(session.scalars(select(Location.code)))
    assert len(codes) == 8
    for period in PERIODS:
        home = {row.code: row for row in location_overview(sample_store, period=period)}
        for code in codes:
            assert shown_on_home(home[code]) == printed_in_report(sample_store, code, period), (
                code,
                period,
            )


@pytest.mark.parametrize("accepted_only", [False, True])
def test_submissions_and_exports_count_the_visits_the_location_report_counts(
    sample_store: Store, accepted_only: bool
) -> None:
    accept_every_other_visit(sample_store)
    sample_store.set_setting("count_accepted_only", "yes" if accepted_only else "no")
    with sample_store.reading() as session:
        sites = list(session.execute(select(Location.id, Location.code)))
    for period in PERIODS:
        exported: dict[str, int] = {}
        for form_key in forms_with_data(sample_store, period):
            sheet = submission_sheet(sample_store, form_key, period=period)
            code, kind = (
                sheet.headers.index("location_code"),
                sheet.headers.index("respondent_kind"),
            )
            for row in sheet.rows:
                if row[kind] == "shopper":
                    exported[str(row[code])] = exported.get(str(row[code]), 0) + 1
        for site_id, code in sites:
            # What the Submissions screen shows with "Counted in reports" and "Shopper".
            listed = count_submissions(
                sample_store,
                SubmissionFilter(
                    location_id=site_id,
                    start=period.start,
                    end=period.end,
                    status=COUNTED_IN_REPORTS,
                    respondent_kind="shopper",
                ),
            )
            printed = int(printed_in_report(sample_store, code, period)["visits"])
            assert listed == printed == exported.get(code, 0), (code, period)
