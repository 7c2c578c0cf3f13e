"""Realistic sample data: a janitorial company, its client sites, agents and a year of visits.

`rapport demo` and the app's guided start use it so a manager can see every screen and
report before entering real data. It is reproducible (a fixed seed) and idempotent:
submissions get UUIDs derived from their place in the plan, so loading twice adds nothing.
Answers are generated from the form definitions themselves, so the sample follows the
built-in forms as they change.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING

from forms.definition.model import FormDefinition, Question

if TYPE_CHECKING:
    from forms.storage import Store

COMPANY = "Brightwell Facility Services"
SAMPLE_NAMESPACE = uuid.UUID("6f1c7a52-2b7e-4d0a-9d43-1b8f0f9a5c11")

SITES: tuple[tuple[str, str, str, float], ...] = (
    # code, name, city, how well the site's team does (0 weak .. 1 strong)
    ("HPO", "Harbor Point Offices", "Baltimore", 0.82),
    ("RMP", "Riverside Medical Plaza", "Richmond", 0.74),
    ("NTC", "North Terminal Concourse", "Pittsburgh", 0.48),
    ("WLC", "Westlake Community College", "Columbus", 0.66),
    ("GVM", "Greenview Mall", "Raleigh", 0.57),
    ("CST", "Civic Center Tower", "Hartford", 0.88),
    ("LBD", "Lakeside Business District", "Cleveland", 0.61),
    ("SRH", "St. Rita's Hospital Annex", "Scranton", 0.71),
)
SITE_TIME_ZONE = "America/New_York"
"""Every sample site's clock: all its cities are on the US east coast."""

AGENT_NAMES: tuple[str, ...] = (
    "Maria Alvarez",
    "James Okafor",
    "Linh Tran",
    "Daniel Brooks",
    "Aisha Rahman",
    "Tomás Herrera",
    "Grace Whitfield",
    "Samuel Mensah",
    "Priya Natarajan",
    "Kevin O'Brien",
    "Sofia Rossi",
    "Marcus Bell",
    "Hannah Kowalski",
    "Jorge Castillo",
    "Emily Chen",
    "Andre Dupont",
    "Fatima Yusuf",
    "Ryan Gallagher",
    "Ana Pereira",
    "Derek Simmons",
    "Yuki Tanaka",
    "Olivia Grant",
    "Ibrahim Haddad",
    "Chloe Martin",
    "Luis Romero",
    "Naomi Fischer",
    "Victor Nguyen",
    "Rachel Adler",
    "Omar Said",
    "Brenda Lewis",
    "Patrick Doyle",
    "Mei Lin",
    "Carlos Vega",
    "Jasmine Reid",
    "Stefan Novak",
    "Leah Goldberg",
    "Mohammed Ali",
    "Tara Singh",
    "Ethan Walsh",
    "Rosa Jimenez",
)

SCENARIOS: tuple[str, ...] = (
    "Report that the second-floor restroom has no soap and an overflowing bin.",
    "Complain about a coffee spill in the lobby left for over an hour.",
    "Ask why our meeting room was not cleaned before an early client visit.",
    "Report a strong odour near the staff kitchen and ask when it will be dealt with.",
)
SHOPPER_COMMENTS_GOOD: tuple[str, ...] = (
    "She let me explain the whole problem with the restroom before saying anything, then "
    "repeated it back to check she had it right.",
    "He apologised for the spill in the lobby without making excuses and had someone there "
    "within ten minutes.",
    "Used my name throughout the call and remembered I had reported the same issue last month.",
    "Asked when the bins were last emptied and found out the evening crew had been short-staffed.",
    "Told me exactly who would come, when, and that she would call me back once it was done. "
    "She did.",
    "I played an upset tenant and he stayed calm, acknowledged it was frustrating and did not "
    "argue.",
    "Offered to schedule an extra clean before our board meeting even though it was outside "
    "the usual rota.",
)
SHOPPER_COMMENTS_POOR: tuple[str, ...] = (
    "Interrupted me twice and started reading the cleaning schedule before I had finished.",
    "Said the restroom 'was done this morning' as if I had not seen it myself.",
    "No apology and no name; I had to ask what would happen next.",
    "Quoted the contract scope instead of looking at the spill. Nobody came while I waited.",
    "Sounded rushed and closed the chat after the first answer.",
    "Promised a call back that never came.",
)
CUSTOMER_COMMENTS: tuple[str, ...] = (
    "The lady at the front desk really listened and sorted it out quickly.",
    "Restrooms on the 3rd floor are much better since I complained. Thank you!",
    "Nobody seemed to know who to call about the broken soap dispenser.",
    "Friendly staff, but the kitchen is still sticky in the afternoon.",
    "Felt like they actually cared about the mess in the lobby.",
    "I had to report the same leak three times.",
    "Quick response and they kept me informed. Great service.",
    "The cleaner apologised and fixed it right away, very kind.",
    "",
    "",
)
EMPLOYEE_COMMENTS: tuple[str, ...] = (
    "More time between rounds so we can actually talk to people.",
    "Refresher training on handling angry tenants would help the new starters.",
    "Evening shift is short two people most weeks.",
    "My supervisor backs me up, that makes a big difference.",
    "",
)


@dataclass(frozen=True)
class SampleAgent:
    code: str
    name: str
    location_code: str
    skill: float


@dataclass(frozen=True)
class SampleSubmission:
    """One finished submission to load: who, where, when, and its answers."""

    id: str
    form_key: str
    location_code: str
    agent_code: str | None
    channel: str | None
    visit_at: datetime
    answers: dict[str, object]
    comments: dict[str, str] = field(default_factory=dict)
    language: str | None = None


@dataclass(frozen=True)
class SamplePlan:
    """Everything `rapport demo` loads."""

    company: str
    sites: tuple[tuple[str, str, str], ...]
    agents: tuple[SampleAgent, ...]
    submissions: tuple[SampleSubmission, ...]


def sample_plan(
    forms: dict[str, FormDefinition], *, today: date | None = None, seed: int = 7
) -> SamplePlan:
    """The sample company with twelve months of visits, surveys and pulse answers.

    `forms` maps a form kind (mystery_shop, customer_survey, employee_pulse) to its definition.
    """
    rng = random.Random(seed)
    end = today or date.today()
    agents: list[SampleAgent] = []
    names = iter(AGENT_NAMES)
    for code, _name, _city, level in SITES:
        for index in range(rng.randint(3, 6)):
            skill = min(1.0, max(0.05, rng.gauss(level, 0.12)))
            agents.append(SampleAgent(f"{code}-{index + 1:02d}", next(names), code, skill))
    submissions = list(_plan_submissions(forms, agents, end, rng))
    return SamplePlan(
        company=COMPANY,
        sites=tuple((code, name, city) for code, name, city, _ in SITES),
        agents=tuple(agents),
        submissions=tuple(submissions),
    )


def _plan_submissions(
    forms: dict[str, FormDefinition], agents: list[SampleAgent], end: date, rng: random.Random
) -> Iterator[SampleSubmission]:
    start = end - timedelta(days=365)
    for code, _name, _city, level in SITES:
        team = [a for a in agents if a.location_code == code]
        for month in range(12):
            month_start = start + timedelta(days=30 * month)
            # Sites improve a little over the year, with a dip in the winter months.
            trend = 0.04 * month / 11 - (0.05 if month_start.month in (12, 1, 2) else 0.0)
            plans: list[tuple[str, int]] = [
                ("mystery_shop", rng.randint(2, 4)),
                ("customer_survey", rng.randint(5, 9)),
                ("employee_pulse", 1 if month % 3 == 0 else 0),
            ]
            for kind, count in plans:
                form = forms.get(kind)
                if form is None:
                    continue
                for number in range(count):
                    agent = rng.choice(team)
                    when = datetime.combine(
                        month_start + timedelta(days=rng.randint(0, 29)),
                        datetime.min.time(),
                        UTC,
                    ) + timedelta(hours=rng.randint(8, 17), minutes=rng.choice((0, 15, 30, 45)))
                    if when.date() > end:
                        continue
                    quality = min(1.0, max(0.0, (agent.skill + level) / 2 + trend))
                    key = f"{code}/{kind}/{month}/{number}"
                    yield _sample_submission(form, kind, key, code, agent, when, quality, rng)


def _sample_submission(
    form: FormDefinition,
    kind: str,
    key: str,
    location_code: str,
    agent: SampleAgent,
    when: datetime,
    quality: float,
    rng: random.Random,
) -> SampleSubmission:
    answers: dict[str, object] = {}
    language = None
    if kind == "customer_survey" and len(form.languages) > 1 and rng.random() < 0.2:
        language = form.languages[1]
    channel = rng.choice(("phone", "in_person", "in_person", "email", "chat"))
    for question in form.questions():
        value = _sample_answer(form, question, quality, kind, channel, rng)
        if value is not None:
            answers[question.name] = value
    if kind == "mystery_shop":
        _comments_follow_ratings(form, answers)
    return SampleSubmission(
        id=str(uuid.uuid5(SAMPLE_NAMESPACE, key)),
        form_key=form.key,
        location_code=location_code,
        agent_code=agent.code if kind == "mystery_shop" else None,
        channel=channel if kind == "mystery_shop" else None,
        visit_at=when,
        answers=answers,
        language=language,
    )


def _sample_answer(
    form: FormDefinition,
    question: Question,
    quality: float,
    kind: str,
    channel: str,
    rng: random.Random,
) -> object | None:
    choices = form.choices(question)
    if question.type == "select_one" and choices:
        names = {c.name for c in choices}
        if "channel" in question.name and channel in names:
            return channel
        scored = [c for c in choices if c.points is not None and not c.not_applicable]
        if not scored:
            numeric = sorted((c.name for c in choices if c.name.isdigit()), key=int)
            if numeric:
                spread = len(numeric) - 1
                position = _clamp(round(rng.gauss(quality * spread * 1.05, spread / 6)), 0, spread)
                return numeric[position]
            if set(names) >= {"yes", "no"}:
                return "yes" if rng.random() < 0.6 else "no"
            return rng.choice(choices).name
        na = [c for c in choices if c.not_applicable]
        if na and rng.random() < 0.06:
            return na[0].name
        ranked = sorted(scored, key=lambda c: c.points or 0.0)
        if question.critical:
            # Critical failures are rare and happen where service is weakest.
            fail = rng.random() < 0.04 * (1.2 - quality)
            return ranked[0].name if fail else ranked[-1].name
        position = _clamp(round(rng.gauss(quality * (len(ranked) - 1), 0.9)), 0, len(ranked) - 1)
        return ranked[position].name
    if question.type == "select_multiple" and choices:
        picked = [c.name for c in choices if rng.random() < 0.3]
        return picked or None
    if question.type == "range":
        low = question.parameters.get("start", 1.0)
        high = question.parameters.get("end", 5.0)
        value = low + quality * (high - low) + rng.gauss(0, (high - low) / 6)
        return int(_clamp(round(value), int(low), int(high)))
    if question.type == "integer":
        return rng.randint(0, 12) if "wait" in question.name else None
    if question.type == "text":
        if "email" in question.name or "contact" in question.name:
            return None
        if "scenario" in question.name:
            return rng.choice(SCENARIOS)
        return _sample_comment(kind, quality, rng)
    return None


def _sample_comment(kind: str, quality: float, rng: random.Random) -> str | None:
    if kind == "mystery_shop":
        bank = SHOPPER_COMMENTS_GOOD if rng.random() < quality else SHOPPER_COMMENTS_POOR
    elif kind == "customer_survey":
        bank = CUSTOMER_COMMENTS
    else:
        bank = EMPLOYEE_COMMENTS
    if rng.random() < 0.5:
        return None
    return rng.choice(bank) or None


def _comments_follow_ratings(form: FormDefinition, answers: dict[str, object]) -> None:
    """Make each shopper comment agree with the ratings of its own section: praise where
    the agent earned every point, a problem where they lost points.

    A real shopper writes about what they rated, and the coaching card quotes the comments
    of sections that lost points as the agent's weak spots. The comment is swapped for one
    of the other kind in place, so the sample's visits, dates and ratings stay as drawn.
    """
    from forms.logic.checks import compiled_form

    relevant = compiled_form(form).evaluate(answers).relevant
    for section in form.sections():
        lost: list[bool] = []
        for question in section.questions:
            choices = {c.name: c for c in form.choices(question)}
            scored = [c.points for c in choices.values() if c.points is not None]
            chosen = choices.get(str(answers.get(question.name)))
            if not scored or chosen is None or not relevant.get(question.name, True):
                continue
            if chosen.points is not None and not chosen.not_applicable:
                lost.append(chosen.points < max(scored))
        if not lost:
            continue
        wanted, other = (
            (SHOPPER_COMMENTS_POOR, SHOPPER_COMMENTS_GOOD)
            if any(lost)
            else (SHOPPER_COMMENTS_GOOD, SHOPPER_COMMENTS_POOR)
        )
        for question in section.questions:
            text = answers.get(question.name)
            if isinstance(text, str) and text in other:
                answers[question.name] = wanted[other.index(text) % len(wanted)]


def _clamp(value: int, low: int, high: int) -> int:
    return max(low, min(high, value))


@dataclass(frozen=True)
class SampleLoadReport:
    """What loading the sample data did."""

    locations: int
    agents: int
    added: int
    already_there: int


def load_sample_data(store: Store, *, today: date | None = None) -> SampleLoadReport:
    """Load the sample company into the store; loading it again adds nothing."""
    from forms.authoring.builtin import install_builtin_forms
    from forms.storage.recording import FinishedSubmission, record_finished_submissions

    version_ids = install_builtin_forms(store)
    by_kind: dict[str, FormDefinition] = {}
    version_of: dict[str, int] = {}
    for version_id in version_ids:
        form = store.form_definition(version_id)
        if form.kind is not None:
            by_kind.setdefault(form.kind, form)
            version_of.setdefault(form.key, version_id)
    end = today or date.today()
    plan = sample_plan(by_kind, today=end)
    if not store.setting("company_name"):
        store.set_setting("company_name", plan.company)
    location_ids = {
        code: store.upsert_location(code, name, city, SITE_TIME_ZONE)
        for code, name, city in plan.sites
    }
    agent_ids = {a.code: store.upsert_agent(a.code, a.name, a.location_code) for a in plan.agents}
    added = record_finished_submissions(
        store,
        (
            FinishedSubmission(
                id=sample.id,
                form_version_id=version_of[sample.form_key],
                answers=sample.answers,
                visit_at=sample.visit_at,
                location_id=location_ids[sample.location_code],
                agent_id=agent_ids[sample.agent_code] if sample.agent_code else None,
                channel=sample.channel,
                language=sample.language,
            )
            for sample in plan.submissions
        ),
        actor="sample data",
        today=end,
    )
    return SampleLoadReport(
        locations=len(location_ids),
        agents=len(agent_ids),
        added=added,
        already_there=len(plan.submissions) - added,
    )
