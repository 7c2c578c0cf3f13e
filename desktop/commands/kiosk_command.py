"""`rapport kiosk --location CODE [--form KEY]`: start straight into kiosk mode.

For a kiosk laptop that restarts on its own (a desktop shortcut, a start-up entry): the
customer survey fills the screen at once, and the manager PIN is still needed to leave it.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from desktop.commands.common import open_store
from forms.errors import RapportError

if TYPE_CHECKING:
    from desktop.kiosk_flow import KioskSetup
    from forms.storage import Store

DEFAULT_KIOSK_FORM = "customer_survey"


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    """Add `kiosk`."""
    kiosk = subparsers.add_parser(
        "kiosk",
        parents=[common],
        help="start straight into kiosk mode: the customer survey full screen at one site",
        description="Start Rapport in kiosk mode: the survey fills the screen, one question "
        "per screen, and only the manager PIN (set in Administration -> Settings) leaves it.",
    )
    kiosk.add_argument(
        "--location", required=True, metavar="CODE", help="the code of the site the kiosk is at"
    )
    kiosk.add_argument(
        "--form",
        default=DEFAULT_KIOSK_FORM,
        metavar="KEY",
        help=f"the key of the form to ask (default: {DEFAULT_KIOSK_FORM}); its latest version",
    )
    kiosk.set_defaults(handler=run_kiosk)


def _listed(names: list[str]) -> str:
    shown = ", ".join(names[:20])
    return shown + (f" and {len(names) - 20} more" if len(names) > 20 else "")


def kiosk_setup(store: Store, location_code: str, form_key: str) -> KioskSetup:
    """The kiosk's survey and site from their codes, or an error listing the codes there are."""
    from desktop.kiosk_flow import KioskSetup, kiosk_refusal
    from forms.storage.kiosk_pin import has_kiosk_pin
    from reports.queries.screens import site_list

    sites = site_list(store, include_inactive=False)
    location = next((site for site in sites if site.code == location_code.strip()), None)
    if location is None:
        if not sites:
            raise RapportError(
                f"--location {location_code}: there are no active locations yet; add one in "
                "Administration -> Sites (or run `rapport demo`)"
            )
        raise RapportError(
            f"--location {location_code}: there is no active location with that code; use one "
            "of " + _listed([f"{site.code} ({site.name})" for site in sites])
        )
    form_id = store.latest_form_version(form_key.strip())
    if form_id is None:
        keys = sorted({info.key for info in store.list_forms()})
        raise RapportError(
            f"--form {form_key}: there is no form with that key; use one of "
            + (_listed(keys) if keys else "(none: import a form first)")
        )
    refusal = kiosk_refusal(store.form_definition(form_id))
    if refusal is not None:
        raise RapportError(f"--form {form_key}: {refusal}")
    if not has_kiosk_pin(store):
        raise RapportError(
            "no manager PIN is set, so kiosk mode could never be left: set one in "
            "Administration -> Settings (Set the kiosk PIN…), then start the kiosk again"
        )
    return KioskSetup(form_id, location.id)


def run_kiosk(args: argparse.Namespace) -> int:
    """Check the codes, then run the kiosk until the manager PIN ends it (then the app)."""
    from desktop.app import NO_DISPLAY_MESSAGE, has_display

    store = open_store(args)
    try:
        setup = kiosk_setup(store, args.location, args.form)
        if not has_display():
            print(NO_DISPLAY_MESSAGE, file=sys.stderr)
            return 2
        from desktop.app import run_kiosk_app

        return run_kiosk_app(store, setup)
    finally:
        store.close()
