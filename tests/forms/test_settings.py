"""The manager's settings: one typed model, checked before anything is saved, saved whole."""

from __future__ import annotations

import pytest

from forms.settings import ManagerSettings, SettingsError
from forms.storage import Store


def test_settings_are_saved_whole_and_read_back(store: Store) -> None:
    chosen = ManagerSettings.checked(
        company_name="  Brightwell Facility Services ",
        brand_colour="#1a2b3c",
        locale="fr_FR",
        time_zone="Europe/Paris",
        count_accepted_only=True,
    )
    store.save_manager_settings(chosen)
    assert store.manager_settings() == chosen
    assert store.manager_settings().company_name == "Brightwell Facility Services"
    assert store.counted_statuses() == ("accepted",)
    store.save_manager_settings(ManagerSettings())
    assert store.manager_settings() == ManagerSettings()
    assert store.counted_statuses() == ("final", "accepted")


@pytest.mark.parametrize(
    ("field", "value", "says"),
    [
        ("brand_colour", "blue", "Brand colour: 'blue' is not like #1a2b3c"),
        ("locale", "xx_YY", "Locale: 'xx_YY' is unknown"),
        ("time_zone", "Mars/Olympus", "Time zone: 'Mars/Olympus' is unknown"),
        ("company_name", "Bright\nwell", "Company name: use letters"),
        ("company_name", "x" * 201, "Company name: String should have at most 200 characters"),
    ],
)
def test_a_wrong_value_is_named_and_nothing_is_saved(
    store: Store, field: str, value: str, says: str
) -> None:
    store.save_manager_settings(ManagerSettings.checked(company_name="Before"))
    with pytest.raises(SettingsError) as caught:
        ManagerSettings.checked(**{"company_name": "After", field: value})
    assert str(caught.value).startswith(says)
    assert store.manager_settings().company_name == "Before"


def test_a_stored_value_no_longer_valid_falls_back_to_its_default(store: Store) -> None:
    store.set_setting("brand_colour", "not a colour")
    store.set_setting("company_name", "Brightwell")
    settings = store.manager_settings()
    assert (settings.brand_colour, settings.company_name) == ("", "Brightwell")
