"""Subcommands of `rapport`. Each module has `register(subparsers, common)`.

A handler receives the parsed arguments and returns an exit code; bad input is raised
as forms.errors.RapportError and becomes exit code 2 with its message.
"""

from __future__ import annotations

from types import ModuleType

from desktop.commands import (
    data_command,
    demo_command,
    forms_command,
    kiosk_command,
    report_command,
)

ALL: tuple[ModuleType, ...] = (
    demo_command,
    forms_command,
    report_command,
    data_command,
    kiosk_command,
)
