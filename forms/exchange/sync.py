"""Sync a laptop with its team's server (PostgreSQL): push finalized work, pull what to do.

Push sends this database's finalized submissions (touched since the last push to that
server) as a bundle merged into the server; pull brings every form, location, agent and
assignment from the server as a bundle merged here, the server's names winning. Each
direction is one transaction on the side that receives it, and both merges are idempotent:
a sync cut off between or during the two leaves each side whole, and running it again
completes it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy.engine import make_url

from forms.exchange.bundle_collect import collect_reference_data, collect_submissions
from forms.exchange.bundle_merge import ImportReport, import_bundle
from forms.exchange.common import ExchangeError, read_time_setting
from forms.storage.urls import shown_url
from forms.storage.values import utc_now

if TYPE_CHECKING:
    from forms.storage import Store

LAST_PUSH_SETTING = "exchange.last_push_at."
"""Setting key prefix; followed by a digest of the server's URL (without its password)."""


@dataclass(frozen=True)
class SyncReport:
    """What a sync changed: on the server (push) and here (pull)."""

    pushed: ImportReport
    pulled: ImportReport


def _push_key(server: Store) -> str:
    plain = make_url(server.url).set(password=None).render_as_string(hide_password=False)
    return LAST_PUSH_SETTING + hashlib.sha256(plain.encode("utf-8")).hexdigest()[:16]


def push(local: Store, server: Store, *, actor: str) -> ImportReport:
    """Merge this database's finalized submissions, touched since the last push, into the
    server in one server transaction; then remember the push here."""
    started = utc_now()
    since = read_time_setting(local, _push_key(server))
    bundle = collect_submissions(local, since=since)
    report = import_bundle(
        server, bundle, actor=actor, source=f"pushing to {shown_url(server.url)}"
    )
    if bundle.submissions:
        # Only once the server has committed: if this is lost, the next push resends (no
        # harm). After an empty push the old mark still holds, and nothing here changes.
        local.set_setting(_push_key(server), started.isoformat())
    return report


def pull(server: Store, local: Store, *, actor: str) -> ImportReport:
    """Merge the server's forms, locations, agents and assignments here, in one transaction."""
    bundle = collect_reference_data(server)
    return import_bundle(
        local,
        bundle,
        actor=actor,
        source=f"pulling from {shown_url(server.url)}",
        update_reference_data=True,
    )


def sync_with_server(local: Store, server: Store, *, actor: str) -> SyncReport:
    """Push, then pull. Raises ExchangeError when the two sides disagree (see the message)."""
    if make_url(local.url) == make_url(server.url):
        raise ExchangeError(
            f"{shown_url(server.url)} is this database itself: give the team server's URL"
        )
    pushed = push(local, server, actor=actor)
    pulled = pull(server, local, actor=actor)
    return SyncReport(pushed=pushed, pulled=pulled)
