"""The reports screen's choices before a report is written: the default period, and the
customers' e-mail addresses only when the manager ticks them in."""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

import pytest
from PySide6.QtCore import QLocale
from pytestqt.qtbot import QtBot

from desktop.views import reports as reports_view
from desktop.views.reports import ReportsView
from forms.storage import Store
from reports.pdf_process import ReportOrder
from reports.queries.screens import agents, site_list
from tests.conftest import SAMPLE_TODAY


class OrderTaken:
    """Stands in for the job that would write the report: keeps the order it was given."""

    orders: ClassVar[list[ReportOrder]] = []

    def __init__(self, order: ReportOrder, **_options: Any) -> None:
        self.orders.append(order)
        for name in ("progress", "finished", "failed", "cancelled"):
            setattr(self, name, _Signal())

    def start(self) -> None:
        """Nothing is written."""


class _Signal:
    def connect(self, _slot: Any) -> None:
        """No signal is ever sent."""


def reports_screen(qtbot: QtBot, store: Store) -> ReportsView:
    view = ReportsView(store.url, today=SAMPLE_TODAY)
    qtbot.addWidget(view)
    view.populate(site_list(store), agents(store))
    return view


def test_the_default_period_is_the_last_90_days(qtbot: QtBot, sample_store: Store) -> None:
    view = reports_screen(qtbot, sample_store)
    assert view.preset_box.currentText() == "Last 90 days"
    assert view.period() == (date(2026, 4, 2), SAMPLE_TODAY)


@pytest.mark.parametrize("kind", ["location", "agent", "portfolio"])
def test_every_report_with_a_period_starts_on_the_same_last_90_days(
    qtbot: QtBot, sample_store: Store, kind: str
) -> None:
    view = reports_screen(qtbot, sample_store)
    view.select(kind)
    assert view.preset_box.currentText() == "Last 90 days"
    assert view.period() == (date(2026, 4, 2), SAMPLE_TODAY)


def test_emails_go_into_a_location_report_only_when_ticked(
    qtbot: QtBot, sample_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    OrderTaken.orders = []
    monkeypatch.setattr(reports_view, "ReportJob", OrderTaken)
    view = reports_screen(qtbot, sample_store)
    view.select("portfolio")
    assert not view.contacts_box.isEnabled()
    view.select("location", "HPO")
    assert view.contacts_box.isEnabled()
    assert not view.contacts_box.isChecked()
    view.generate()
    view.job = None
    view.contacts_box.setChecked(True)
    view.generate()
    assert [order.with_contacts for order in OrderTaken.orders] == [False, True]
    assert OrderTaken.orders[0].kind == "location"


def test_a_short_year_still_being_typed_is_the_day_the_report_covers(
    qtbot: QtBot, sample_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    OrderTaken.orders = []
    monkeypatch.setattr(reports_view, "ReportJob", OrderTaken)
    before = QLocale()
    QLocale.setDefault(QLocale("en_US"))
    try:
        view = reports_screen(qtbot, sample_store)
        view.select("portfolio")
        view.end_edit.line.clear()
        qtbot.keyClicks(view.end_edit.line, "5/31/26")
        view.generate()  # as Alt+G does, with the focus still in the box
        assert [(order.start, order.end) for order in OrderTaken.orders] == [
            (date(2026, 4, 2), date(2026, 5, 31))
        ]
        view.job = None
        view.start_edit.line.clear()
        qtbot.keyClicks(view.start_edit.line, "not a day")
        view.generate()
        assert len(OrderTaken.orders) == 1  # refused, saying why
        assert "'not a day' is not a date" in view.status.text()
    finally:
        QLocale.setDefault(before)
