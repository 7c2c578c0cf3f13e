"""What keeps an anonymous answer (the employee pulse) anonymous, decided once for every
screen, report, export and way in.

Two rules, as employee-survey tools keep them:

- a figure over anonymous answers is shown only for a group of at least
  `ANONYMITY_THRESHOLD` respondents, and a smaller group is never folded into a figure that
  would give it away (a total from which the shown groups can be taken away);
- an anonymous answer is dated to its day, never to its minute: with a site and a minute,
  a manager could tell who answered.
"""

from __future__ import annotations

from datetime import UTC, datetime, time

from forms.vocabulary import RespondentKind, is_anonymous

ANONYMITY_THRESHOLD = 5
"""The fewest respondents of a group whose anonymous answers a figure may show."""

HIDDEN_GROUP_NOTE = f"fewer than {ANONYMITY_THRESHOLD} responses: hidden to keep answers anonymous"
"""What every report and screen prints in place of a figure over too few respondents."""


def shown_to_keep_anonymous(respondents: int) -> bool:
    """Whether a group of this many respondents is large enough for its figures to be shown."""
    return respondents >= ANONYMITY_THRESHOLD


def total_shown_to_keep_anonymous(hidden_respondents: int) -> bool:
    """Whether a total over groups may be shown when the hidden ones among them hold this
    many respondents: the total minus the shown groups is the hidden groups' figure, so it
    may be shown when no group is hidden or the hidden ones together are large enough."""
    return hidden_respondents == 0 or shown_to_keep_anonymous(hidden_respondents)


def day_of(at: datetime) -> datetime:
    """The start (00:00 UTC) of the UTC day of `at`: how an anonymous answer is dated.

    Reports count days and months in UTC, so the day kept is the one every report counts.
    """
    return datetime.combine(at.astimezone(UTC).date(), time.min, UTC)


def recorded_time(at: datetime, *, anonymous: bool) -> datetime:
    """`at` as it is stored: to the day for an anonymous answer, unchanged otherwise."""
    return day_of(at) if anonymous else at


def form_time(at: datetime, kind: str | None) -> datetime:
    """`at` as it is stored for a submission of a form of this kind."""
    return recorded_time(at, anonymous=is_anonymous(kind))


def anonymous_respondent(respondent_kind: str) -> bool:
    """Whether this kind of respondent answers anonymously (the employees of a pulse)."""
    try:
        return RespondentKind(respondent_kind).anonymous
    except ValueError:
        return False
