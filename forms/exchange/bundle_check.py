"""Check a bundle's insides before anything is written: every reference resolves inside the
bundle, every form definition and file matches its sha256, every submission its content hash.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable

from pydantic import ValidationError

from forms.authoring.loader import rebuild_form
from forms.definition.model import FormDefinition
from forms.errors import FormDefinitionError
from forms.exchange.bundle_model import Bundle, BundleSubmission
from forms.exchange.common import ExchangeError
from forms.storage.values import content_hash, item_names


def _duplicates(values: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    twice: list[str] = []
    for value in values:
        if value in seen:
            twice.append(value)
        seen.add(value)
    return twice


def _check_forms(bundle: Bundle, source: str) -> dict[str, FormDefinition]:
    forms: dict[str, FormDefinition] = {}
    versions: dict[tuple[str, str], str] = {}
    for record in bundle.forms:
        what = f"{source}: form '{record.key}' version {record.version}"
        if hashlib.sha256(record.definition.encode("utf-8")).hexdigest() != record.sha256:
            raise ExchangeError(
                f"{what}: its definition does not match its sha256; it was changed after the "
                "bundle was made"
            )
        try:
            definition = FormDefinition.from_json(record.definition)
        except ValidationError as error:
            first = error.errors()[0]
            place = ".".join(str(part) for part in first["loc"]) or "the top"
            raise ExchangeError(
                f"{what}: its definition is not a valid form (at {place}: {first['msg']}); "
                "it was changed after the bundle was made"
            ) from None
        except FormDefinitionError as error:  # a form beyond forms.definition.limits
            raise ExchangeError(f"{what}: {error.message}") from None
        try:
            # Rapport stores only forms it could have read from a file: a definition edited
            # by hand (an expression that does not parse, a list it lacks, groups nested 25
            # deep) would break every report, export and sync that reads it later.
            rebuild_form(definition, source="")
        except FormDefinitionError as error:
            raise ExchangeError(
                f"{what}: its definition is not a form Rapport can use ({error}); it was "
                "changed after the bundle was made"
            ) from None
        if (definition.key, definition.version) != (record.key, record.version):
            raise ExchangeError(
                f"{what}: its definition says '{definition.key}' version {definition.version}"
            )
        other = versions.setdefault((record.key, record.version), record.sha256)
        if other != record.sha256:
            raise ExchangeError(f"{what} appears twice with different contents")
        forms[record.sha256] = definition
    return forms


def _check_reference_data(bundle: Bundle, source: str, forms: dict[str, FormDefinition]) -> None:
    for kind, names in (
        ("location code", [r.code for r in bundle.locations]),
        ("agent code", [r.code for r in bundle.agents]),
        ("person", [r.name for r in bundle.people]),
        ("submission", [r.id for r in bundle.submissions]),
        ("assignment", [str(r.ref) for r in bundle.assignments]),
    ):
        twice = _duplicates(names)
        if twice:
            raise ExchangeError(f"{source}: {kind} {twice[0]} appears twice")
    locations = {r.code for r in bundle.locations}
    agents = {r.code for r in bundle.agents}
    people = {r.name for r in bundle.people}
    for agent in bundle.agents:
        if agent.location not in locations:
            raise ExchangeError(
                f"{source}: agent {agent.code} belongs to location {agent.location}, which the "
                "bundle does not hold"
            )
    for task in bundle.assignments:
        _refers(source, f"assignment {task.ref}", "location", task.location, locations)
        _refers(source, f"assignment {task.ref}", "agent", task.agent, agents)
        _refers(source, f"assignment {task.ref}", "form", task.form, set(forms))
        _refers(source, f"assignment {task.ref}", "shopper", task.shopper, people)


def _refers(source: str, what: str, kind: str, value: str | None, known: set[str]) -> None:
    if value is not None and value not in known:
        raise ExchangeError(f"{source}: {what} refers to {kind} {value}, which the bundle lacks")


def _check_submission(
    bundle: Bundle,
    source: str,
    record: BundleSubmission,
    forms: dict[str, FormDefinition],
    refs: dict[str, set[str]],
) -> None:
    what = f"submission {record.id}"
    try:
        uuid.UUID(record.id)
    except ValueError:
        raise ExchangeError(f"{source}: {what}: its id is not a UUID") from None
    _refers(source, what, "form", record.form, set(forms))
    _refers(source, what, "location", record.location, refs["locations"])
    _refers(source, what, "agent", record.agent, refs["agents"])
    _refers(source, what, "respondent", record.respondent, refs["people"])
    assignment = None if record.assignment is None else str(record.assignment)
    _refers(source, what, "assignment", assignment, refs["assignments"])
    names = item_names(forms[record.form].children)
    questions = [answer.question for answer in record.answers]
    for question in questions:
        if question not in names:
            raise ExchangeError(
                f"{source}: {what} answers '{question}', which its form does not ask"
            )
    if _duplicates(questions):
        raise ExchangeError(f"{source}: {what} answers '{_duplicates(questions)[0]}' twice")
    for attachment in record.attachments:
        if attachment.sha256 not in bundle.blobs:
            raise ExchangeError(
                f"{source}: {what} has the file {attachment.filename}, whose bytes are not in "
                "the bundle"
            )
    expected = content_hash(
        record.form,
        {a.question: a.value for a in record.answers if a.value is not None},
        {a.question: a.comment for a in record.answers if a.comment},
        [a.sha256 for a in record.attachments],
    )
    if expected != record.content_hash:
        raise ExchangeError(
            f"{source}: {what} does not match its content hash: its answers, comments or files "
            "were changed after it was finalized"
        )


def check_bundle(bundle: Bundle, source: str) -> dict[str, FormDefinition]:
    """Raise ExchangeError (naming `source`) unless the bundle is whole and unchanged.

    Returns the bundle's form definitions by sha256.
    """
    for sha256, data in bundle.blobs.items():
        if hashlib.sha256(data).hexdigest() != sha256:
            raise ExchangeError(f"{source}: the file {sha256} does not match its sha256")
    forms = _check_forms(bundle, source)
    _check_reference_data(bundle, source, forms)
    refs = {
        "locations": {r.code for r in bundle.locations},
        "agents": {r.code for r in bundle.agents},
        "people": {r.name for r in bundle.people},
        "assignments": {str(r.ref) for r in bundle.assignments},
    }
    for record in bundle.submissions:
        _check_submission(bundle, source, record, forms, refs)
    return forms
