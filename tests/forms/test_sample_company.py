"""The sample company a new manager first sees: its shoppers' comments agree with their ratings."""

from __future__ import annotations

from datetime import date

from forms.authoring.loader import load_builtin_forms
from forms.logic.checks import compiled_form
from forms.sample.company import SHOPPER_COMMENTS_GOOD, SHOPPER_COMMENTS_POOR, sample_plan


def test_a_shoppers_comment_praises_a_full_rating_and_names_the_problem_of_a_lost_point() -> None:
    forms = {form.kind: form for form in load_builtin_forms() if form.kind is not None}
    plan = sample_plan(forms, today=date(2026, 6, 30))
    form = forms["mystery_shop"]
    praised = complained = 0
    for visit in plan.submissions:
        if visit.form_key != form.key:
            continue
        relevant = compiled_form(form).evaluate(visit.answers).relevant
        for section in form.sections():
            lost = []
            for question in section.questions:
                choice = {c.name: c for c in form.choices(question)}.get(
                    str(visit.answers.get(question.name))
                )
                most = max((c.points for c in form.choices(question) if c.points), default=None)
                if choice is None or choice.points is None or not relevant[question.name]:
                    continue
                lost.append(most is not None and choice.points < most)
            said = {visit.answers.get(q.name) for q in section.questions} - {None}
            if lost and any(lost):
                assert not said & set(SHOPPER_COMMENTS_GOOD), (visit.id, section.name)
                complained += bool(said & set(SHOPPER_COMMENTS_POOR))
            elif lost:
                assert not said & set(SHOPPER_COMMENTS_POOR), (visit.id, section.name)
                praised += bool(said & set(SHOPPER_COMMENTS_GOOD))
    assert praised > 50
    assert complained > 50
