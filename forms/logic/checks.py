"""What a form looks like given some answers: relevance, calculations, constraints, choices.

`compile_form` parses every expression of a form once and checks it against the form
(unknown questions, unknown functions, circular logic), so that a broken form is reported
when it is loaded, not while someone fills it. `CompiledForm.evaluate` then applies the
logic to a set of answers the way ODK does: answers of questions hidden by logic are dropped.
"""

from __future__ import annotations

import datetime as dt
import difflib
import itertools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from forms.definition.memo import FormMemo
from forms.definition.model import (
    ANSWERED_TYPES,
    Choice,
    FormDefinition,
    Group,
    Question,
    pick_text,
)
from forms.errors import ExpressionError, FormDefinitionError
from forms.logic.expressions import EvaluationContext, Expression, is_empty, parse, to_boolean

_QUESTION_COLUMNS = ("relevant", "calculation", "constraint", "choice_filter")


@dataclass(frozen=True)
class _Node:
    """A question or group with its parsed logic."""

    item: Question | Group
    parent: str | None
    """The name of the group the item is directly inside."""
    expressions: dict[str, Expression]
    """Column name (relevant, calculation, constraint, choice_filter) -> parsed expression."""

    @property
    def question(self) -> Question | None:
        return self.item if isinstance(self.item, Question) else None


@dataclass(frozen=True)
class FormState:
    """The form as a respondent sees it after some answers."""

    relevant: dict[str, bool]
    """Every question and group name -> whether it is shown."""
    values: dict[str, object]
    """Answers of relevant questions and computed calculations, in dependency order."""
    constraint_errors: dict[str, str]
    """Question name -> the message of the constraint its answer breaks."""
    missing_required: list[str]
    """Relevant required questions without an answer, in form order."""
    _form: CompiledForm = field(repr=False, compare=False)
    _today: dt.date | None = field(repr=False, compare=False)
    _missing: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Every question on a page asks whether it is missing: not a search of the list each.
        object.__setattr__(self, "_missing", frozenset(self.missing_required))

    def is_missing(self, question_name: str) -> bool:
        """Whether the question is relevant, required and not answered."""
        return question_name in self._missing

    def visible_choices(self, question_name: str) -> tuple[Choice, ...]:
        """The choices of a select question that its choice_filter lets through."""
        return self._form.visible_choices(question_name, self.values, today=self._today)


class CompiledForm:
    """A form with its expressions parsed and checked; build it with `compile_form`."""

    def __init__(self, form: FormDefinition, nodes: dict[str, _Node], order: list[str]) -> None:
        self.form = form
        self._nodes = nodes
        self._order = order  # dependencies before the items that use them

    def evaluate(self, answers: Mapping[str, object], *, today: dt.date | None = None) -> FormState:
        """Relevance, values, broken constraints and missing required answers for `answers`."""
        relevant: dict[str, bool] = {}
        values: dict[str, object] = {}
        for name in self._order:
            node = self._nodes[name]
            shown = node.parent is None or relevant[node.parent]
            condition = node.expressions.get("relevant")
            if shown and condition is not None:
                context = EvaluationContext(values=values, today=today)
                shown = to_boolean(condition.evaluate(context))
            relevant[name] = shown
            question = node.question
            if not shown or question is None:
                continue  # ODK drops the answers of questions that logic hides
            calculation = node.expressions.get("calculation")
            if calculation is not None:
                # `.` in a calculation is its earlier value, which once() keeps
                context = EvaluationContext(values=values, current=answers.get(name), today=today)
                values[name] = calculation.evaluate(context)
            elif question.type in ANSWERED_TYPES and not is_empty(answers.get(name)):
                values[name] = answers[name]
        errors: dict[str, str] = {}
        missing: list[str] = []
        for name, node in self._nodes.items():
            question = node.question
            if question is None or not relevant[name]:
                continue
            if name in values and question.type != "calculate":
                error = self._broken_constraint(node, values[name], values, today)
                if error is not None:
                    errors[name] = error
            answerable = question.type in ANSWERED_TYPES
            if question.required and answerable and is_empty(values.get(name)):
                missing.append(name)
        shown_in_form_order = {name: relevant[name] for name in self._nodes}
        return FormState(shown_in_form_order, values, errors, missing, self, today)

    def constraint_error(
        self,
        question_name: str,
        value: object,
        answers: Mapping[str, object],
        *,
        today: dt.date | None = None,
    ) -> str | None:
        """The constraint message if `value` is not allowed for the question, else None.

        `answers` are the other answers of the submission; they feed calculations and
        the ${...} references of the constraint.
        """
        node = self._question_node(question_name)
        if "constraint" not in node.expressions or is_empty(value):
            return None
        state = self.evaluate({**answers, question_name: value}, today=today)
        return self._broken_constraint(node, value, {**state.values, question_name: value}, today)

    def visible_choices(
        self, question_name: str, values: Mapping[str, object], *, today: dt.date | None = None
    ) -> tuple[Choice, ...]:
        """The choices of a select question that pass its choice_filter given `values`."""
        node = self._question_node(question_name)
        assert node.question is not None  # _question_node only returns questions
        choices = self.form.choices(node.question)
        choice_filter = node.expressions.get("choice_filter")
        if choice_filter is None:
            return choices
        return tuple(
            choice
            for choice in choices
            if to_boolean(
                choice_filter.evaluate(
                    EvaluationContext(values=values, today=today, columns=self._columns(choice))
                )
            )
        )

    def _columns(self, choice: Choice) -> dict[str, object]:
        label = pick_text(choice.label, self.form.default_language)
        return {**choice.extra, "name": choice.name, "label": label}

    def _question_node(self, name: str) -> _Node:
        node = self._nodes.get(name)
        if node is None or node.question is None:
            raise KeyError(f"the form '{self.form.key}' has no question named '{name}'")
        return node

    def _broken_constraint(
        self, node: _Node, value: object, values: Mapping[str, object], today: dt.date | None
    ) -> str | None:
        constraint = node.expressions.get("constraint")
        if constraint is None or node.question is None:
            return None
        context = EvaluationContext(values=values, current=value, today=today)
        if to_boolean(constraint.evaluate(context)):
            return None
        message = pick_text(node.question.constraint_message, self.form.default_language)
        return message or f"This answer is not allowed: {constraint.source}"


def compile_form(form: FormDefinition, *, source: str = "") -> CompiledForm:
    """Parse and check every relevant, calculation, constraint and choice_filter of `form`.

    FormDefinitionError names the question and the column: a parse error, a reference to a
    question the form does not have, an unknown choice column, or logic that goes in a circle.
    """
    nodes: dict[str, _Node] = {}
    for item, parent in _walk(form.children, None):
        if item.name in nodes:
            raise FormDefinitionError(
                f"the name '{item.name}' is used twice; give each question and group its own name",
                source=source,
                question=item.name,
            )
        nodes[item.name] = _Node(item, parent, _parse_columns(item, source))
    columns_of_lists: dict[str, frozenset[str]] = {}
    for node in nodes.values():
        _check_names(form, node, nodes, columns_of_lists, source)
    return CompiledForm(form, nodes, _dependency_order(nodes, source))


_compiled: FormMemo[CompiledForm] = FormMemo(lambda form: compile_form(form, source=form.key))


def compiled_form(form: FormDefinition) -> CompiledForm:
    """`compile_form(form)`, done once per form: a stored form is checked when it is first
    filled, scored or finalized in a process, not again at every Finalize."""
    return _compiled.get(form)


def _walk(
    items: tuple[Question | Group, ...], parent: str | None
) -> Iterator[tuple[Question | Group, str | None]]:
    for item in items:
        yield item, parent
        if isinstance(item, Group):
            yield from _walk(item.children, item.name)


def _parse_columns(item: Question | Group, source: str) -> dict[str, Expression]:
    columns = ("relevant",) if isinstance(item, Group) else _QUESTION_COLUMNS
    parsed: dict[str, Expression] = {}
    for column in columns:
        text = getattr(item, column)
        if text is None or not text.strip():
            continue
        try:
            parsed[column] = parse(text, allow_columns=column == "choice_filter")
        except ExpressionError as error:
            message = f"{column}: {error}"
            raise FormDefinitionError(message, source=source, question=item.name) from None
    return parsed


def _check_names(
    form: FormDefinition,
    node: _Node,
    nodes: dict[str, _Node],
    columns_of_lists: dict[str, frozenset[str]],
    source: str,
) -> None:
    """Every ${name} of the item names a question of the form, every bare name in a
    choice_filter a column of its choice list. `columns_of_lists` remembers the columns of
    each list checked, so that a list shared by many questions is read once."""

    def fail(column: str, message: str) -> FormDefinitionError:
        return FormDefinitionError(f"{column}: {message}", source=source, question=node.item.name)

    for column, expression in node.expressions.items():
        for name in sorted(expression.references()):
            if name not in nodes:
                raise fail(column, f"unknown question '${{{name}}}'{_did_you_mean(name, nodes)}")
            if nodes[name].question is None:
                raise fail(column, f"'${{{name}}}' is a group; refer to a question inside it")
        if node.question is not None and column == "choice_filter":
            list_name = node.question.list_name or ""
            known = columns_of_lists.get(list_name)
            if known is None:
                choices = form.choices(node.question)
                known = frozenset({"name", "label"}.union(*(choice.extra for choice in choices)))
                columns_of_lists[list_name] = known
            for name in sorted(expression.columns() - known):
                listed = ", ".join(sorted(known))
                message = (
                    f"the choice list '{node.question.list_name}' has no column '{name}' "
                    f"(its columns: {listed}); write ${{{name}}} for the answer to a question"
                )
                raise fail(column, message)


def _did_you_mean(name: str, nodes: dict[str, _Node]) -> str:
    """` (did you mean '${close}'?)` for the question name closest to `name`, or ''.

    Only worked out for a reference that is wrong: comparing a name with every question of
    a large form is slow, and a form without mistakes never needs it.
    """
    question_names = [other for other, node in nodes.items() if node.question is not None]
    close = difflib.get_close_matches(name, question_names, n=1)
    return f" (did you mean '${{{close[0]}}}'?)" if close else ""


def _dependencies(node: _Node) -> dict[str, str]:
    """Names this item's relevance and value depend on -> the column that says so."""
    found: dict[str, str] = {}
    for column in ("calculation", "relevant"):
        expression = node.expressions.get(column)
        if expression is not None:
            found.update(dict.fromkeys(expression.references(), column))
    if node.parent is not None:
        found[node.parent] = "group"
    return found


def _dependency_order(nodes: dict[str, _Node], source: str) -> list[str]:
    """Items ordered so each comes after what it depends on, in form order where free.

    An iterative depth-first search: a long chain of calculations cannot exhaust the stack.
    """
    position = {name: index for index, name in enumerate(nodes)}
    edges = {
        name: sorted(_dependencies(node).items(), key=lambda edge: position[edge[0]])
        for name, node in nodes.items()
    }
    order: list[str] = []
    done: set[str] = set()
    for root in nodes:
        if root in done:
            continue
        path = [root]
        # The same names as `path`: a chain of thousands of calculations makes the path as
        # long, and looking a name up in the list at every step made the search quadratic.
        on_path = {root}
        pending = [iter(edges[root])]
        while pending:
            for dependency, _ in pending[-1]:
                if dependency in on_path:
                    cycle = [*path[path.index(dependency) :], dependency]
                    raise _cycle_error(cycle, edges, source)
                if dependency not in done:
                    path.append(dependency)
                    on_path.add(dependency)
                    pending.append(iter(edges[dependency]))
                    break
            else:
                pending.pop()
                finished = path.pop()
                on_path.discard(finished)
                done.add(finished)
                order.append(finished)
    return order


def _cycle_error(
    cycle: list[str], edges: dict[str, list[tuple[str, str]]], source: str
) -> FormDefinitionError:
    steps: list[str] = []
    for name, dependency in itertools.pairwise(cycle):
        column = dict(edges[name])[dependency]
        if column == "group":
            steps.append(f"'${{{name}}}' is inside the group '${{{dependency}}}'")
        else:
            steps.append(f"the {column} of '${{{name}}}' uses '${{{dependency}}}'")
    first_column = dict(edges[cycle[0]])[cycle[1]]
    column = "relevant" if first_column == "group" else first_column
    chain = " -> ".join(f"${{{name}}}" for name in cycle)
    message = (
        f"circular logic {chain}: {'; '.join(steps)}. "
        "Change one of these so that no value depends on itself."
    )
    return FormDefinitionError(f"{column}: {message}", source=source, question=cycle[0])
