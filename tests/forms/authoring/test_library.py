"""The built-in forms: they load, measure what they promise, and survive export and re-import."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from forms.authoring.loader import LIBRARY, load_builtin_forms, load_form, save_form
from forms.definition.model import Choice, FormDefinition, Group, Item, LocalText, Question
from forms.logic.checks import compile_form
from forms.scoring.points import score_submission

ENGLISH = "English (en)"
SPANISH = "Español (es)"

# form key -> (kind, scoring, band names from the top, languages)
EXPECTED = {
    "mystery_shop_empathy": ("mystery_shop", "sections", ("Exceeds", "Meets", "Below"), ()),
    "customer_survey": ("customer_survey", "flat", (), (ENGLISH, SPANISH)),
    "employee_pulse": ("employee_pulse", "flat", (), ()),
    "site_inspection": ("inspection", "sections", ("Pass", "Attention", "Fail"), ()),
}

MYSTERY_SHOP_BEHAVIOURS = (
    "greeting",
    "listening",
    "acknowledging",
    "personalisation",
    "root_cause",
    "de_escalation",
    "clear_communication",
    "flexibility",
    "resolution",
    "follow_through",
)


@pytest.fixture(scope="module")
def builtin() -> dict[str, FormDefinition]:
    return {form.key: form for form in load_builtin_forms()}


def scored_choices(form: FormDefinition, question: Question) -> list[Choice]:
    return [c for c in form.choices(question) if c.points is not None and not c.not_applicable]


def best_answers(form: FormDefinition) -> dict[str, str]:
    """For every scored question, the choice with the most points."""
    answers: dict[str, str] = {}
    for question in form.questions():
        choices = scored_choices(form, question)
        if choices:
            answers[question.name] = max(choices, key=lambda c: c.points or 0.0).name
    return answers


def groups(items: tuple[Item, ...]) -> list[Group]:
    found: list[Group] = []
    for item in items:
        if isinstance(item, Group):
            found += [item, *groups(item.children)]
    return found


def behaviour_questions(form: FormDefinition) -> list[Question]:
    """Questions that rate an empathy behaviour on anchored levels."""
    return [q for q in form.questions() if "empathy" in q.tags and q.type == "select_one"]


# --- every form ---------------------------------------------------------------------------


def test_every_builtin_form_loads_with_its_kind_scoring_bands_and_languages(
    builtin: dict[str, FormDefinition],
) -> None:
    assert set(builtin) == set(EXPECTED)
    for key, (kind, scoring, bands, languages) in EXPECTED.items():
        form = builtin[key]
        assert (form.kind, form.scoring) == (kind, scoring), key
        assert tuple(b.name for b in sorted(form.bands, key=lambda b: -b.lower)) == bands, key
        assert form.languages == languages, key
        assert form.default_language == (ENGLISH if languages else None), key


def test_each_library_file_loads_on_its_own() -> None:
    paths = sorted(LIBRARY.glob("*.yaml"))
    assert [p.stem for p in paths] == sorted(EXPECTED)
    for path in paths:
        assert load_form(path).key == path.stem


@pytest.mark.parametrize("key", sorted(EXPECTED))
@pytest.mark.parametrize("suffix", [".xlsx", ".yaml"])
def test_builtin_form_exports_and_loads_back_unchanged(
    builtin: dict[str, FormDefinition], tmp_path: Path, key: str, suffix: str
) -> None:
    path = tmp_path / f"{key}{suffix}"
    save_form(builtin[key], path)
    again = load_form(path)
    assert again == builtin[key]
    assert again.sha256() == builtin[key].sha256()


def test_names_are_snake_case_and_every_question_has_a_label(
    builtin: dict[str, FormDefinition],
) -> None:
    for form in builtin.values():
        items: list[Question | Group] = [*form.questions(), *groups(form.children)]
        for item in items:
            assert re.fullmatch(r"[a-z][a-z0-9]*(_[a-z0-9]+)*", item.name), (form.key, item.name)
            assert form.text(item.label).strip(), (form.key, item.name)


def test_best_answers_count_every_scored_question_and_score_full_marks(
    builtin: dict[str, FormDefinition],
) -> None:
    # Answers that show every conditional question: a phone call with a hold, an upset
    # shopper, a staff request seen during the inspection.
    reveal = {"channel": "phone", "hold_or_transfer": "hold", "acted_upset": "yes"}
    reveal["request_observed"] = "yes"
    for form in builtin.values():
        answers = best_answers(form)
        shown = {k: v for k, v in reveal.items() if k in {q.name for q in form.questions()}}
        result = score_submission(form, {**answers, **shown})
        assert {i.name for i in result.items if i.status == "counted"} == set(answers), form.key
        assert result.overall == pytest.approx(100.0), form.key
        assert not result.critical_failure, form.key


@pytest.mark.parametrize("key", ["mystery_shop_empathy", "site_inspection"])
def test_behaviour_questions_describe_every_level_and_carry_a_coaching_tip(
    builtin: dict[str, FormDefinition], key: str
) -> None:
    form = builtin[key]
    rated = behaviour_questions(form)
    assert len(rated) >= 4
    for question in rated:
        levels = scored_choices(form, question)
        assert sorted(c.points or 0.0 for c in levels) == [1, 2, 3, 4, 5], question.name
        anchors = [form.text(c.label) for c in levels]
        # An anchor describes what was seen or heard, not a bare "Good" or "Poor".
        assert all(len(anchor.split()) >= 6 for anchor in anchors), (question.name, anchors)
        assert len(set(anchors)) == 5, question.name
        assert form.text(question.hint).strip(), question.name
        assert len(form.text(question.coaching).split()) >= 8, question.name


# --- mystery shop -------------------------------------------------------------------------


def test_mystery_shop_has_a_weighted_section_per_empathy_behaviour(
    builtin: dict[str, FormDefinition],
) -> None:
    form = builtin["mystery_shop_empathy"]
    sections = {s.name: s for s in form.sections()}
    assert [s.name for s in form.sections()] == ["visit", *MYSTERY_SHOP_BEHAVIOURS, "closing"]
    for behaviour in MYSTERY_SHOP_BEHAVIOURS:
        questions = sections[behaviour].questions
        rated = [q for q in questions if {"empathy", behaviour} <= set(q.tags)]
        assert rated, f"no question tagged 'empathy {behaviour}' in section {behaviour}"
        comments = [q for q in questions if q.type == "text" and not q.required]
        assert comments, f"section {behaviour} has no optional comment"
        assert sections[behaviour].weight >= 1
    assert any(s.weight > 1 for s in sections.values())


def test_mystery_shop_visit_details_are_not_scored(builtin: dict[str, FormDefinition]) -> None:
    form = builtin["mystery_shop_empathy"]
    visit = next(s for s in form.sections() if s.name == "visit")
    assert {q.name for q in visit.questions} >= {"channel", "scenario", "wait_minutes"}
    assert [c.name for c in form.choices(form.question("channel"))] == [
        "phone",
        "in_person",
        "email",
        "chat",
    ]
    assert all(not scored_choices(form, q) for q in visit.questions)


def test_mystery_shop_wait_time_must_be_0_to_240_minutes(
    builtin: dict[str, FormDefinition],
) -> None:
    compiled = compile_form(builtin["mystery_shop_empathy"])
    for allowed in (0, 15, 240):
        assert compiled.constraint_error("wait_minutes", allowed, {}) is None
    for refused in (-1, 241):
        message = compiled.constraint_error("wait_minutes", refused, {})
        assert message is not None
        assert "240" in message


def test_mystery_shop_critical_items_fail_the_visit(builtin: dict[str, FormDefinition]) -> None:
    form = builtin["mystery_shop_empathy"]
    critical = [q for q in form.questions() if q.critical]
    assert {q.name for q in critical} >= {"dismissed_customer", "hazard_left_unattended"}
    good = best_answers(form)
    for question in critical:
        failing = next(c for c in form.choices(question) if c.points == 0)
        result = score_submission(form, {**good, question.name: failing.name})
        assert result.critical_failure, question.name
        assert result.overall == 0
        assert result.raw_score is not None
        assert result.raw_score > 90


def test_mystery_shop_hold_questions_appear_only_for_phone_calls(
    builtin: dict[str, FormDefinition],
) -> None:
    compiled = compile_form(builtin["mystery_shop_empathy"])
    for channel in ("in_person", "email", "chat"):
        shown = compiled.evaluate({"channel": channel}).relevant
        assert not shown["hold_or_transfer"], channel
        assert not shown["hold_courtesy"], channel
    phone = compiled.evaluate({"channel": "phone"}).relevant
    assert phone["hold_or_transfer"]
    assert not compiled.evaluate({"channel": "phone", "hold_or_transfer": "none"}).relevant[
        "hold_courtesy"
    ]
    held = compiled.evaluate({"channel": "phone", "hold_or_transfer": "hold"})
    assert held.relevant["hold_courtesy"]
    assert "hold_courtesy" in held.missing_required


def test_mystery_shop_calming_is_rated_only_when_the_shopper_acted_upset(
    builtin: dict[str, FormDefinition],
) -> None:
    form = builtin["mystery_shop_empathy"]
    compiled = compile_form(form)
    assert compiled.evaluate({"acted_upset": "yes"}).relevant["calming_rating"]
    assert not compiled.evaluate({"acted_upset": "no"}).relevant["calming_rating"]
    # A calm visit is scored without the calming question, not marked down for it.
    calm = {**best_answers(form), "acted_upset": "no", "calming_rating": "1"}
    assert score_submission(form, calm).overall == pytest.approx(100.0)


def test_mystery_shop_not_applicable_leaves_a_behaviour_out_of_the_score(
    builtin: dict[str, FormDefinition],
) -> None:
    form = builtin["mystery_shop_empathy"]
    optional = [
        q for q in behaviour_questions(form) if any(c.not_applicable for c in form.choices(q))
    ]
    assert {q.name for q in optional} >= {"flexibility_rating", "follow_through_rating"}
    answers = {**best_answers(form), "flexibility_rating": "na"}
    section = next(s for s in score_submission(form, answers).sections if s.name == "flexibility")
    assert section.score is None


def test_mystery_shop_ends_with_an_overall_comment_and_an_optional_photo(
    builtin: dict[str, FormDefinition],
) -> None:
    last = builtin["mystery_shop_empathy"].questions()[-2:]
    assert [(q.type, q.required) for q in last] == [("text", False), ("image", False)]


# --- customer survey ----------------------------------------------------------------------


def survey_texts(form: FormDefinition) -> list[tuple[str, LocalText]]:
    texts: list[tuple[str, LocalText]] = [("form_title", form.title)]
    for q in form.questions():
        for column in ("label", "hint", "constraint_message", "required_message"):
            value: LocalText = getattr(q, column)
            if value:
                texts.append((f"{q.name}.{column}", value))
    for list_name, choices in form.choice_lists.items():
        if list_name != "nps_0_10":
            texts += [(f"{list_name}.{c.name}", c.label) for c in choices]
    return texts


def test_customer_survey_reads_in_english_and_spanish_everywhere(
    builtin: dict[str, FormDefinition],
) -> None:
    form = builtin["customer_survey"]
    # The 0-10 recommendation scale is labelled with bare numbers, the same in any language.
    nps_labels = [form.text(c.label) for c in form.choice_lists["nps_0_10"]]
    assert nps_labels == [str(n) for n in range(11)]
    for where, text in survey_texts(form):
        assert set(text) == {ENGLISH, SPANISH}, where
        assert text[ENGLISH].strip(), where
        assert text[SPANISH].strip(), where
        if len(text[ENGLISH].split()) > 3:
            assert text[ENGLISH] != text[SPANISH], f"{where} is not translated"
    for question in form.questions():
        # One question per kiosk screen: a label must fit at a glance.
        assert len(form.text(question.label, SPANISH).split()) <= 14, question.name


def test_customer_survey_measures_csat_nps_and_ces_on_their_standard_scales(
    builtin: dict[str, FormDefinition],
) -> None:
    form = builtin["customer_survey"]
    scales = {"csat": [str(n) for n in range(1, 6)], "nps": [str(n) for n in range(11)]}
    scales["ces"] = [str(n) for n in range(1, 8)]
    for tag, names in scales.items():
        (question,) = [q for q in form.questions() if tag in q.tags]
        assert [c.name for c in form.choices(question)] == names, tag
    effort = next(q for q in form.questions() if "ces" in q.tags)
    assert "easy" in form.text(effort.label, ENGLISH)


def test_customer_survey_scores_only_the_three_empathy_items(
    builtin: dict[str, FormDefinition],
) -> None:
    form = builtin["customer_survey"]
    scored = {q.name for q in form.questions() if scored_choices(form, q)}
    tagged = {q.name for q in form.questions() if "empathy" in q.tags}
    assert scored == tagged == {"felt_heard", "felt_understood", "felt_valued"}
    answers = {"felt_heard": "5", "felt_understood": "3", "felt_valued": "1", "csat": "5"}
    result = score_submission(form, answers)
    assert result.overall == pytest.approx(9 / 15 * 100)
    assert result.empathy_index == pytest.approx(result.overall)


def test_customer_survey_asks_for_an_email_only_with_consent_and_checks_it(
    builtin: dict[str, FormDefinition],
) -> None:
    compiled = compile_form(builtin["customer_survey"])
    assert not compiled.evaluate({}).relevant["contact_email"]
    assert not compiled.evaluate({"contact_consent": "no"}).relevant["contact_email"]
    assert compiled.evaluate({"contact_consent": "yes"}).relevant["contact_email"]
    consent = {"contact_consent": "yes"}
    assert compiled.constraint_error("contact_email", "ana.perez@example.com", consent) is None
    for wrong in ("ana.perez", "ana@example", "ana perez@example.com", "@example.com"):
        message = compiled.constraint_error("contact_email", wrong, consent)
        assert message is not None, wrong
        assert "name@example.com" in message


# --- employee pulse -----------------------------------------------------------------------


def test_employee_pulse_says_it_is_anonymous_before_the_first_question(
    builtin: dict[str, FormDefinition],
) -> None:
    form = builtin["employee_pulse"]
    first = form.questions()[0]
    assert first.type == "note"
    assert "anonymous" in form.text(first.label).lower()
    assert not any(q.required for q in form.questions())


def test_employee_pulse_higher_scores_mean_a_healthier_team(
    builtin: dict[str, FormDefinition],
) -> None:
    form = builtin["employee_pulse"]
    tags = {tag for q in form.questions() for tag in q.tags}
    assert tags >= {"workload", "training", "support", "burnout"}
    drained = form.question("feeling_drained")
    agreeing = {c.name: c.points for c in form.choices(drained)}
    assert agreeing["strongly_agree"] == 1
    assert agreeing["strongly_disagree"] == 5
    workload = {c.name: c.points for c in form.choices(form.question("workload_manageable"))}
    assert workload["strongly_agree"] == 5
    assert workload["strongly_disagree"] == 1
    exhausted = score_submission(form, {"feeling_drained": "strongly_agree"}).overall
    rested = score_submission(form, {"feeling_drained": "strongly_disagree"}).overall
    assert exhausted == pytest.approx(20.0)
    assert rested == pytest.approx(100.0)
    assert form.question("what_would_help").type == "text"


# --- site inspection ----------------------------------------------------------------------

INSPECTION_AREAS = (
    "entrance_lobby",
    "restrooms",
    "break_room",
    "offices",
    "floors",
    "waste_recycling",
    "supplies_stocked",
)


def test_site_inspection_asks_for_a_photo_of_each_failed_area(
    builtin: dict[str, FormDefinition],
) -> None:
    form = builtin["site_inspection"]
    compiled = compile_form(form)
    for area in INSPECTION_AREAS:
        points = {c.name: c for c in form.choices(form.question(area))}
        assert (points["pass"].points, points["fail"].points) == (1, 0), area
        assert points["na"].not_applicable, area
        photo = form.question(f"{area}_photo")
        assert (photo.type, photo.required) == ("image", False)
        assert compiled.evaluate({area: "fail"}).relevant[photo.name], area
        assert not compiled.evaluate({area: "pass"}).relevant[photo.name], area


def test_site_inspection_fails_on_an_unmarked_hazard(builtin: dict[str, FormDefinition]) -> None:
    form = builtin["site_inspection"]
    assert form.question("unmarked_hazard").critical
    result = score_submission(form, {**best_answers(form), "unmarked_hazard": "yes"})
    assert result.critical_failure
    assert result.overall == 0
    assert result.band == "Fail"


def test_site_inspection_rates_staff_only_when_a_request_was_seen(
    builtin: dict[str, FormDefinition],
) -> None:
    form = builtin["site_inspection"]
    contact = next(s for s in form.sections() if s.name == "customer_contact")
    rated = behaviour_questions(form)
    assert {tag for q in rated for tag in q.tags} >= {
        "greeting",
        "listening",
        "acknowledging",
        "follow_through",
    }
    assert all(q in contact.questions for q in rated)
    answers = {**best_answers(form), "request_observed": "no", "staff_greeting": "1"}
    result = score_submission(form, answers)
    section = next(s for s in result.sections if s.name == "customer_contact")
    assert section.score is None
    assert result.overall == pytest.approx(100.0)
