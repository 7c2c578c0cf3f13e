"""Administration as a manager uses it, and the guided first start."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QByteArray, QSettings
from pytestqt.qtbot import QtBot

from desktop.main_window import MainWindow
from desktop.views import files
from desktop.views.admin_settings import DATABASE_SETTING
from desktop.views.first_start import needs_first_start
from forms.storage import Store
from reports.queries.screens import agents, assignments, location_overview, site_list
from reports.settings import report_settings

BROKEN_FORM = """
settings: {form_id: broken, version: "1", form_title: Broken}
survey:
  - {type: select_one nowhere, name: q1, label: A question}
"""
GOOD_FORM = """
settings: {form_id: lobby_check, version: "1", form_title: Lobby check, kind: inspection}
survey:
  - {type: select_one yes_no, name: clean, label: "Is the lobby clean?", required: yes}
choices:
  yes_no:
    - {name: "yes", label: "Yes", points: 1}
    - {name: "no", label: "No", points: 0}
"""


@pytest.fixture
def window(qtbot: QtBot, store: Store) -> MainWindow:
    shown = MainWindow(store, actor="manager")
    qtbot.addWidget(shown)
    with qtbot.waitSignal(shown.forms_ready):
        shown.show()
    shown.show_admin()
    return shown


def test_a_site_is_added_edited_and_deactivated(qtbot: QtBot, window: MainWindow) -> None:
    sites = window.admin.sites
    sites.add_location()
    dialog = sites.dialog
    assert dialog is not None
    qtbot.keyClicks(dialog.edits["code"], "DEP")
    qtbot.keyClicks(dialog.edits["name"], "Riverside Depot")
    dialog.try_save()
    assert [(r.code, r.name) for r in location_overview(window.store)] == [
        ("DEP", "Riverside Depot")
    ]
    sites.add_location()
    again = sites.dialog
    assert again is not None
    again.edits["code"].setText("dep")
    again.edits["name"].setText("Another")
    again.try_save()
    assert again.isVisible()
    assert "exists" in again.message.text()
    again.reject()

    sites.locations.selectRow(0)
    sites.edit_location()
    edit = sites.dialog
    assert edit is not None
    assert edit.edits["code"].isReadOnly()
    edit.edits["city"].setText("Leeds")
    edit.try_save()
    assert location_overview(window.store)[0].city == "Leeds"
    sites.toggle_location()
    assert not location_overview(window.store)[0].active
    assert sites.toggle_location_button.text() == "&Reactivate"


def site_zones(store: Store) -> dict[str, str]:
    return {site.code: site.time_zone for site in site_list(store)}


def test_a_sites_time_zone_is_chosen_searched_and_cleared_in_its_dialog(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        "desktop.views.admin_people.QTimeZone.systemTimeZoneId",
        lambda: QByteArray(b"America/Chicago"),
    )
    sites = window.admin.sites
    sites.add_location()
    dialog = sites.dialog
    assert dialog is not None
    assert dialog.time_zone_box is not None
    # A new site starts with this computer's zone.
    assert dialog.time_zone_box.currentText() == "America/Chicago"
    dialog.edits["code"].setText("HPO")
    dialog.edits["name"].setText("Harbor Point Offices")
    dialog.edits["city"].setText("Baltimore")
    # Any part of a name finds it, whatever its case.
    completer = dialog.time_zone_box.completer()
    completer.setCompletionPrefix("new_y")
    found = completer.completionModel()
    assert [found.index(row, 0).data() for row in range(found.rowCount())] == ["America/New_York"]
    dialog.time_zone_box.setEditText(completer.currentCompletion())
    dialog.try_save()
    assert not dialog.isVisible()
    assert site_zones(window.store) == {"HPO": "America/New_York"}

    sites.locations.selectRow(0)
    sites.edit_location()
    edit = sites.dialog
    assert edit is not None
    assert edit.time_zone_box is not None
    assert edit.time_zone_box.currentText() == "America/New_York"
    edit.time_zone_box.setEditText("Eastern")
    edit.try_save()
    assert edit.isVisible()
    assert "time zone 'Eastern' is unknown" in edit.message.text()
    assert "America/New_York" in edit.message.text()
    assert site_zones(window.store) == {"HPO": "America/New_York"}
    # Left empty: the site's reports use the report setting's zone.
    edit.time_zone_box.setEditText("")
    edit.try_save()
    assert not edit.isVisible()
    assert site_zones(window.store) == {"HPO": ""}


def test_an_agent_is_added_and_deactivated(qtbot: QtBot, window: MainWindow) -> None:
    window.store.upsert_location("DEP", "Riverside Depot")
    sites = window.admin.sites
    sites.refresh()
    sites.add_agent()
    dialog = sites.dialog
    assert dialog is not None
    dialog.edits["code"].setText("DEP-1")
    dialog.edits["name"].setText("Maria Alvarez")
    dialog.try_save()
    assert [a.name for a in agents(window.store)] == ["Maria Alvarez"]
    sites.agents.selectRow(0)
    sites.toggle_agent()
    assert agents(window.store) == []
    assert [a.active for a in agents(window.store, active_only=False)] == [False]


def test_sites_are_imported_from_csv(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "sites.csv"
    source.write_text(
        "location_code,location_name,city,agent_code,agent_name\n"
        "HPO,Harbor Point Offices,Baltimore,HPO-1,Linh Tran\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(files, "choose_open_file", lambda *args: source)
    monkeypatch.setattr("desktop.views.admin_people.QMessageBox.information", lambda *a: None)
    window.admin.sites.import_csv()
    assert window.admin.sites.location_model.rowCount() == 1
    assert [a.name for a in agents(window.store)] == ["Linh Tran"]


def test_a_broken_form_is_refused_with_its_problem_and_a_good_one_is_stored(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    forms = window.admin.forms
    before = forms.model.rowCount()
    broken = tmp_path / "broken.yaml"
    broken.write_text(BROKEN_FORM, encoding="utf-8")
    forms.import_form(broken)
    qtbot.waitUntil(lambda: forms.import_button.isEnabled())
    assert "The form was not imported" in forms.message.text()
    assert "broken.yaml" in forms.message.text()
    assert "nowhere" in forms.message.text()
    assert forms.model.rowCount() == before

    good = tmp_path / "lobby.yaml"
    good.write_text(GOOD_FORM, encoding="utf-8")
    forms.import_form(good)
    qtbot.waitUntil(lambda: forms.model.rowCount() == before + 1)
    assert "Lobby check" in forms.message.text()
    row = next(
        r for r in range(forms.proxy.rowCount()) if forms.proxy.index(r, 0).data() == "Lobby check"
    )
    forms.table.selectRow(row)
    forms.preview_selected()
    preview = forms.preview
    assert preview is not None
    assert preview.view.question_widgets["clean"].label.text().count("Is the lobby clean?") == 1
    preview.close()


def test_an_assignment_is_added_for_a_shopper(qtbot: QtBot, window: MainWindow) -> None:
    window.store.upsert_location("DEP", "Riverside Depot")
    tab = window.admin.assignments
    tab.refresh()
    tab.shopper.setText("Ana")
    qtbot.keyClicks(tab.scenario, "Ask for the restroom to be restocked")
    tab.add()
    rows = assignments(window.store, shopper="Ana")
    assert [(r.location_name, r.scenario, r.shopper) for r in rows] == [
        ("Riverside Depot", "Ask for the restroom to be restocked", "Ana")
    ]
    assert tab.model.rowCount() == 1


def test_report_settings_are_checked_then_saved(qtbot: QtBot, window: MainWindow) -> None:
    tab = window.admin.settings
    tab.company.setText("Brightwell Facility Services")
    tab.colour.setText("teal")
    tab.save()
    assert "#1a2b3c" in tab.message.text()
    assert report_settings(window.store).company == "Rapport"
    tab.colour.setText("#2a9d8f")
    tab.locale_edit.setText("es_US")
    tab.accepted_only.setChecked(True)
    tab.save()
    settings = report_settings(window.store)
    assert settings.company == "Brightwell Facility Services"
    assert settings.locale == "es_US"
    assert settings.accepted_only


def test_backup_runs_in_the_background_and_writes_a_database(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window.store.upsert_location("DEP", "Riverside Depot")
    target = tmp_path / "copy.db"
    monkeypatch.setattr(files, "choose_save_file", lambda *args: target)
    data = window.admin.data
    with qtbot.waitSignal(data.done, timeout=10_000):
        data.backup()
        assert not data.backup_button.isEnabled()  # busy while the copy runs
    assert data.message.text() == f"Backed up to {target}."
    copy = Store.open(f"sqlite:///{target}", create=False)
    try:
        assert [r.code for r in location_overview(copy)] == ["DEP"]
    finally:
        copy.close()


def test_the_database_for_the_next_start_is_remembered(qtbot: QtBot, window: MainWindow) -> None:
    data = window.admin.data
    data.next_database.setText("/srv/rapport/team.db")
    data.use_next()
    assert QSettings().value(DATABASE_SETTING) == "/srv/rapport/team.db"
    data.next_database.clear()
    data.use_next()  # Qt keeps one settings file per process: leave it as it was
    assert not QSettings().value(DATABASE_SETTING)


def test_first_start_creates_the_company_and_its_first_site(
    qtbot: QtBot, window: MainWindow
) -> None:
    assert needs_first_start(window.store)
    window.first_start()
    dialog = window.first_start_dialog
    assert dialog is not None
    dialog.create_company()
    assert "company's name" in dialog.message.text()
    dialog.company.setText("Brightwell Facility Services")
    dialog.site_code.setText("HQ")
    dialog.site_name.setText("Head office")
    dialog.create_company()
    assert not dialog.isVisible()
    assert not needs_first_start(window.store)
    assert report_settings(window.store).company == "Brightwell Facility Services"
    qtbot.waitUntil(lambda: window.home.model.rowCount() == 1)


def test_first_start_can_load_the_sample_data(qtbot: QtBot, window: MainWindow) -> None:
    window.first_start()
    dialog = window.first_start_dialog
    assert dialog is not None
    with qtbot.waitSignal(dialog.ready, timeout=60_000):
        dialog.load_sample()
    qtbot.waitUntil(lambda: window.home.model.rowCount() == 8, timeout=10_000)
