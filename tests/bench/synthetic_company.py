"""The plan of a synthetic national facility-services company: sites, agents and visits.

Each site is drawn from its own random stream (seed and site number), so a site has
exactly the same agents and submissions in a database of 10,000 submissions as in one of
150,000: a bigger database only adds sites. That is what lets the benchmark compare one
location's report on both and attribute the difference to the size of the database.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

MONTHS = 36
MEAN_SUBMISSIONS_PER_SITE = 750
"""Three years of a site: about 21 submissions a month."""
MEAN_AGENTS_PER_SITE = 10
FORM_MIX = (
    # Mystery shops dominate a program this size; customers, staff and inspectors add the rest.
    ("mystery_shop_empathy", 0.86),
    ("customer_survey", 0.07),
    ("employee_pulse", 0.035),
    ("site_inspection", 0.035),
)
RESPONDENT_KIND = {
    "mystery_shop_empathy": "shopper",
    "customer_survey": "customer",
    "employee_pulse": "employee",
    "site_inspection": "inspector",
}
CHANNEL_MIX = (("phone", 0.30), ("in_person", 0.45), ("email", 0.10), ("chat", 0.15))
SHOPPERS = 150

PLACES = (
    "Harbor Point", "Riverside", "North Terminal", "Westlake", "Greenview", "Civic Center",
    "Lakeside", "St. Rita's", "Oak Ridge", "Maple Court", "Union Square", "Bayfront",
    "Summit", "Cedar Hill", "Pinecrest", "Eastgate", "Meridian", "Stonebridge", "Fairview",
    "Northfield",
)  # fmt: skip
KINDS = (
    "Offices", "Medical Plaza", "Mall", "Community College", "Tower", "Business Park",
    "Hospital Annex", "Logistics Hub", "Public Library", "Airport Concourse", "Stadium",
    "Research Campus",
)  # fmt: skip
CITIES = (
    "Baltimore", "Richmond", "Pittsburgh", "Columbus", "Raleigh", "Hartford", "Cleveland",
    "Scranton", "Atlanta", "Denver", "Phoenix", "Seattle", "Portland", "Austin", "Dallas",
    "Houston", "Chicago", "Detroit", "Boston", "Newark", "Tampa", "Orlando", "Nashville",
    "Memphis", "Omaha", "Tucson", "Sacramento", "San Jose", "Milwaukee", "Minneapolis",
)  # fmt: skip
FIRST_NAMES = (
    "Maria", "James", "Linh", "Daniel", "Aisha", "Tomás", "Grace", "Samuel", "Priya", "Kevin",
    "Sofia", "Marcus", "Hannah", "Jorge", "Emily", "Andre", "Fatima", "Ryan", "Ana", "Derek",
    "Yuki", "Olivia", "Ibrahim", "Chloe", "Luis", "Naomi", "Victor", "Rachel", "Omar",
    "Brenda", "Patrick", "Mei", "Carlos", "Jasmine", "Stefan", "Leah", "Mohammed", "Tara",
    "Ethan", "Rosa",
)  # fmt: skip
LAST_NAMES = (
    "Alvarez", "Okafor", "Tran", "Brooks", "Rahman", "Herrera", "Whitfield", "Mensah",
    "Natarajan", "O'Brien", "Rossi", "Bell", "Kowalski", "Castillo", "Chen", "Dupont",
    "Yusuf", "Gallagher", "Pereira", "Simmons", "Tanaka", "Grant", "Haddad", "Martin",
    "Romero", "Fischer", "Nguyen", "Adler", "Said", "Lewis", "Doyle", "Lin", "Vega", "Reid",
    "Novak", "Goldberg", "Ali", "Singh", "Walsh", "Jimenez", "Kim", "Patel", "Costa", "Silva",
    "Moreau", "Berg", "Kaur", "Ortiz", "Byrne", "Sato",
)  # fmt: skip


@dataclass(frozen=True)
class AgentProfile:
    """One agent of a site and the months (0..MONTHS) they worked there."""

    code: str
    name: str
    skill: float
    first_month: int
    last_month: int

    @property
    def active(self) -> bool:
        """Still employed at the end of the three years."""
        return self.last_month >= MONTHS - 1


@dataclass(frozen=True)
class SiteProfile:
    """A client site: how big it is, how well it does, and how that changes."""

    index: int
    code: str
    name: str
    city: str
    size: float
    """Share of an average site's volume (mean 1)."""
    quality: float
    trend: float
    """Change of quality per year."""
    seasonality: float
    agents: tuple[AgentProfile, ...]


@dataclass(frozen=True)
class PlannedSubmission:
    """A submission to write: who, where, when and how good; details come from `seed`."""

    visit_at: datetime
    site: int
    form_key: str
    agent: int | None
    """Index into the site's agents (mystery shops only)."""
    shopper: int | None
    channel: str | None
    quality: float
    status: str
    seed: int


def month_start(end: date, month: int) -> date:
    """The first day of month `month` (0 = the oldest of the MONTHS ending with `end`)."""
    back = MONTHS - 1 - month
    year, month_index = divmod(end.year * 12 + end.month - 1 - back, 12)
    return date(year, month_index + 1, 1)


def site_profile(seed: int, index: int) -> SiteProfile:
    """Site number `index` of the company drawn from `seed` (the same in every size)."""
    rng = random.Random(f"{seed}:site:{index}")
    sigma = 0.4
    size = rng.lognormvariate(-sigma * sigma / 2, sigma)
    quality = min(0.92, max(0.3, rng.gauss(0.66, 0.1)))
    code = f"S{index + 1:03d}"
    name = f"{PLACES[index % len(PLACES)]} {KINDS[(index // len(PLACES)) % len(KINDS)]}"
    if index >= len(PLACES) * len(KINDS):
        name += f" {index // (len(PLACES) * len(KINDS)) + 1}"
    agents = []
    count = max(3, min(30, round(MEAN_AGENTS_PER_SITE * size * rng.gauss(1.0, 0.1))))
    for number in range(count):
        first = 0 if rng.random() < 0.75 else rng.randint(1, MONTHS - 6)
        last = MONTHS - 1 if rng.random() < 0.85 else rng.randint(first + 4, MONTHS - 2)
        agents.append(
            AgentProfile(
                code=f"{code}-{number + 1:02d}",
                name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                skill=min(1.0, max(0.05, rng.gauss(quality, 0.09))),
                first_month=first,
                last_month=last,
            )
        )
    return SiteProfile(
        index=index,
        code=code,
        name=name,
        city=CITIES[rng.randrange(len(CITIES))],
        size=size,
        quality=quality,
        trend=rng.gauss(0.0, 0.04),
        seasonality=rng.uniform(0.02, 0.07),
        agents=tuple(agents),
    )


def _season(month: int, seasonality: float) -> float:
    # Winter (flu season, snow and salt in the lobbies) and the summer holidays cost quality.
    if month in (12, 1, 2):
        return -seasonality
    if month in (7, 8):
        return -seasonality / 2
    return 0.0


def _status(visit_at: datetime, end: date, kind: str, rng: random.Random) -> str:
    age_days = (end - visit_at.date()).days
    draw = rng.random()
    if age_days < 14 and kind == "mystery_shop_empathy" and draw < 0.05:
        return "draft"
    if age_days < 45:
        order = (("final", 0.77), ("accepted", 0.2), ("rejected", 0.02), ("void", 0.01))
    else:
        order = (("accepted", 0.91), ("final", 0.05), ("rejected", 0.025), ("void", 0.015))
    draw = rng.random()
    for status, share in order:
        if draw < share:
            return status
        draw -= share
    return order[0][0]


def plan_site(site: SiteProfile, seed: int, end: date) -> list[PlannedSubmission]:
    """Every submission of one site over the MONTHS ending with `end`."""
    rng = random.Random(f"{seed}:visits:{site.index}")
    kinds = [key for key, _ in FORM_MIX]
    kind_weights = [share for _, share in FORM_MIX]
    channels = [name for name, _ in CHANNEL_MIX]
    channel_weights = [share for _, share in CHANNEL_MIX]
    planned: list[PlannedSubmission] = []
    per_month = MEAN_SUBMISSIONS_PER_SITE / MONTHS * site.size
    for month in range(MONTHS):
        first_day = month_start(end, month)
        days = (month_start(end, month + 1) - first_day).days if month < MONTHS - 1 else end.day
        # Programs grow a little, and fewer visits are booked in August and December.
        volume = per_month * (0.85 + 0.3 * month / MONTHS)
        volume *= 0.8 if first_day.month in (8, 12) else 1.0
        volume *= days / 30.4
        count = max(0, round(rng.gauss(volume, volume**0.5)))
        working = [i for i, a in enumerate(site.agents) if a.first_month <= month <= a.last_month]
        years = month / 12
        for _ in range(count):
            kind = rng.choices(kinds, kind_weights)[0]
            day = first_day + timedelta(days=rng.randrange(days))
            visit_at = datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(
                hours=rng.randint(7, 18), minutes=rng.randrange(0, 60, 5)
            )
            quality = site.quality + site.trend * years + _season(day.month, site.seasonality)
            agent = None
            shopper = None
            channel = None
            if kind == "mystery_shop_empathy":
                agent = rng.choice(working or list(range(len(site.agents))))
                quality = 0.4 * quality + 0.6 * site.agents[agent].skill
                shopper = rng.randrange(SHOPPERS)
                channel = rng.choices(channels, channel_weights)[0]
            quality = min(1.0, max(0.0, quality + rng.gauss(0.0, 0.07)))
            planned.append(
                PlannedSubmission(
                    visit_at=visit_at,
                    site=site.index,
                    form_key=kind,
                    agent=agent,
                    shopper=shopper,
                    channel=channel,
                    quality=quality,
                    status=_status(visit_at, end, kind, rng),
                    seed=rng.getrandbits(64),
                )
            )
    return planned


def plan_company(
    seed: int, end: date, submissions: int
) -> tuple[list[SiteProfile], list[PlannedSubmission]]:
    """Sites (in order) until about `submissions` are planned, and their submissions by time."""
    sites: list[SiteProfile] = []
    planned: list[PlannedSubmission] = []
    while len(planned) < submissions * 0.98:
        site = site_profile(seed, len(sites))
        sites.append(site)
        planned.extend(plan_site(site, seed, end))
    planned.sort(key=lambda p: (p.visit_at, p.site, p.seed))
    return sites, planned
