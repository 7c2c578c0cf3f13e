"""The manager's settings, as one typed and validated model: what Administration -> Settings
shows and saves, what every report reads. Saved in one transaction, all or nothing, so a
wrong value never leaves half the settings changed.

Stored in the Setting table, one row per key (an empty value is not stored). Babel is
imported only to check a locale, when one is given.
"""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from forms.errors import RapportError
from forms.vocabulary import COUNT_ACCEPTED_ONLY, counted_statuses, is_yes

_HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class SettingsError(RapportError):
    """A setting's value is wrong; the message names the setting and how to fix it."""


class ManagerSettings(BaseModel):
    """Everything a manager sets for the whole database."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    company_name: str = Field("", max_length=200, title="Company name")
    brand_colour: str = Field("", title="Brand colour")
    logo: str = Field("", title="Logo")
    locale: str = Field("", title="Locale")
    time_zone: str = Field("", title="Time zone")
    count_accepted_only: bool = Field(False, title="Count accepted visits only")

    @field_validator("company_name")
    @classmethod
    def _one_line(cls, value: str) -> str:
        value = value.strip()
        if _CONTROL.search(value):
            raise ValueError("use letters, digits and punctuation only, on one line")
        return value

    @field_validator("brand_colour")
    @classmethod
    def _colour(cls, value: str) -> str:
        value = value.strip()
        if value and not _HEX_COLOUR.match(value):
            raise ValueError(f"'{value}' is not like #1a2b3c: write # and six hex digits")
        return value

    @field_validator("locale")
    @classmethod
    def _locale(cls, value: str) -> str:
        value = value.strip()
        if value:
            from babel import Locale, UnknownLocaleError

            try:
                Locale.parse(value.replace("-", "_"))
            except (UnknownLocaleError, ValueError):
                raise ValueError(
                    f"'{value}' is unknown: use a language and region such as en_US or fr_FR"
                ) from None
        return value

    @field_validator("time_zone")
    @classmethod
    def _time_zone(cls, value: str) -> str:
        value = value.strip()
        if value and value.upper() != "UTC":
            try:
                ZoneInfo(value)
            except (ZoneInfoNotFoundError, ValueError):
                raise ValueError(
                    f"'{value}' is unknown: use an IANA name such as America/New_York or UTC"
                ) from None
        return value

    @property
    def counted_statuses(self) -> tuple[str, ...]:
        """The statuses every figure, screen and export counts under these settings."""
        return counted_statuses(self.count_accepted_only)

    def stored_values(self) -> dict[str, str]:
        """The Setting rows these settings are saved as ("" removes a row)."""
        values = self.model_dump()
        values[COUNT_ACCEPTED_ONLY] = "yes" if self.count_accepted_only else ""
        return {key: str(value) for key, value in values.items()}

    @classmethod
    def from_stored(cls, rows: dict[str, str]) -> ManagerSettings:
        """The settings from stored rows; a stored value that is no longer valid falls back
        to its default, so one bad row never stops the app or a report."""
        fields: dict[str, object] = {}
        for name in cls.model_fields:
            if name in rows:
                fields[name] = is_yes(rows[name]) if name == COUNT_ACCEPTED_ONLY else rows[name]
        try:
            return cls.model_validate(fields)
        except ValidationError as error:
            broken = {str(problem["loc"][0]) for problem in error.errors()}
            return cls.model_validate({k: v for k, v in fields.items() if k not in broken})

    @classmethod
    def checked(cls, **values: object) -> ManagerSettings:
        """Settings as a manager typed them; SettingsError names the first wrong one."""
        try:
            return cls.model_validate(values)
        except ValidationError as error:
            problem = error.errors()[0]
            name = str(problem["loc"][0]) if problem["loc"] else ""
            field = cls.model_fields.get(name)
            title = field.title if field is not None and field.title else name
            message = str(problem["msg"]).removeprefix("Value error, ")
            raise SettingsError(f"{title}: {message}") from None


SETTING_KEYS = tuple(ManagerSettings.model_fields)
"""The Setting rows that hold the manager's settings."""
