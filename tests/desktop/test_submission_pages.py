"""The Submissions screen's pages: read a page at a time, they show every matching visit once,
in the order of the column the manager sorts by."""

from __future__ import annotations

from typing import Any

import pytest

from forms.storage import Store
from reports.queries.submissions import (
    SORTABLE,
    SubmissionFilter,
    SubmissionRow,
    count_submissions,
    list_submissions,
)

PAGE = 37


def sort_value(row: SubmissionRow, key: str) -> Any:
    """The row's value in the sorted column; None where the database holds NULL."""
    value = {
        "visit_at": row.visit_at,
        "location": row.location or None,
        "agent": row.agent or None,
        "form": row.form_title,
        "respondent_kind": row.respondent_kind,
        "status": row.status,
        "score": row.score,
        "band": row.band,
    }[key]
    return value


def expected_order(rows: list[SubmissionRow], key: str, descending: bool) -> list[str]:
    """Rows sorted as the screen promises: NULLs last, ties by id, in the chosen direction."""
    present = [r for r in rows if sort_value(r, key) is not None]
    missing = [r for r in rows if sort_value(r, key) is None]
    present.sort(key=lambda r: (sort_value(r, key), r.id), reverse=descending)
    missing.sort(key=lambda r: r.id, reverse=descending)
    return [r.id for r in present + missing]


@pytest.mark.parametrize(
    "wanted",
    [
        SubmissionFilter(),
        SubmissionFilter(form_key="mystery_shop_empathy", status="final"),
        SubmissionFilter(band="Meets"),
    ],
    ids=["everything", "one-form", "one-band"],
)
def test_pages_show_every_visit_once_in_the_sorted_order(
    sample_store: Store, wanted: SubmissionFilter
) -> None:
    total = count_submissions(sample_store, wanted)
    assert total > 2 * PAGE
    for key in SORTABLE:
        for descending in (True, False):
            pages: list[SubmissionRow] = []
            for offset in range(0, total, PAGE):
                pages += list_submissions(
                    sample_store,
                    wanted,
                    offset=offset,
                    limit=PAGE,
                    order_by=key,
                    descending=descending,
                )
            assert len({r.id for r in pages}) == len(pages) == total
            assert [r.id for r in pages] == expected_order(pages, key, descending), (
                key,
                descending,
            )
