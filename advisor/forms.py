"""The wizard's forms: one per step, built from the vocabulary in `advisor.rules.answers`.

A step's form shows that step's questions as widgets and carries every other answer along as
a hidden input, so submitting any step sends the whole state as a GET query string. The forms
translate between query strings and widgets and nothing more: the vocabulary's own parser
(`parse_query`) checks the answers, so the wizard names a bad value with the same words as the
API and the command line.

A question is asked only where it matters for the answers so far (`Field.matters`); the
answer to one that does not is put back to its default before anything else reads it, so a
choice made under an earlier answer never travels on once that answer changes (and never
contradicts it).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Layout
from crispy_forms.layout import Field as LayoutField
from django import forms
from django.http import QueryDict
from django.utils.html import format_html
from django.utils.safestring import SafeString

from advisor.links import STEPS, flow
from advisor.presentation import NOT_SURE
from advisor.rules import AnswersError, parse_query
from advisor.rules.answers import (
    DEFAULT_ANSWERS,
    FIELDS,
    FIELDS_BY_NAME,
    INT_MAX,
    PLATFORM_VERSIONS,
    STEP_TITLES,
    UNKNOWN,
    UNKNOWN_PARAM,
    Answers,
    Field,
    Kind,
    Step,
    query_items,
)

NOT_SURE_CHOICE = (UNKNOWN.value, NOT_SURE)
YES_NO = (("true", "Yes"), ("false", "No"))
OPTIONAL_HEADING = "Optional: AWS defaults are assumed unless you change them"

# Questions that matter only for some answers. The stylesheet hides a wrapper with one of these
# classes while the controlling answer makes it irrelevant (with :has(), so it works without
# JavaScript); the value still travels, and the rules ignore it in that case.
SHOWN_WHEN: dict[str, str] = {
    "dualstack_account_setting": "when-ipv6",
    "ipv6_autoassign": "when-ipv6",
    "ipv6_egress": "when-ipv6",
    "target_type": "when-load-balancer",
}


class VocabularyChoiceField(forms.ChoiceField):
    """A choice whose value `parse_query` judges, so the message names the allowed values."""

    def valid_value(self, value: Any) -> bool:
        return True


class VocabularyMultipleChoiceField(forms.MultipleChoiceField):
    def valid_value(self, value: Any) -> bool:
        return True


class OptionAttrsRadioSelect(forms.RadioSelect):
    """Radios with extra attributes per option (the OS each platform version exists for)."""

    def __init__(self, option_attrs: Mapping[str, Mapping[str, str]], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.option_attrs = option_attrs

    def create_option(self, name: str, value: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(name, value, *args, **kwargs)
        option["attrs"].update(self.option_attrs.get(str(value), {}))
        return option


class ListCheckboxes(forms.CheckboxSelectMultiple):
    """Checkboxes for a list field: reads repeated values (as checkboxes send them) and
    comma-separated ones (as permalinks and the hidden inputs carry them)."""

    def value_from_datadict(self, data: Any, files: Any, name: str) -> list[str]:
        values = super().value_from_datadict(data, files, name) or []
        return [item.strip() for value in values for item in value.split(",") if item.strip()]



class NumberOrNotSure(forms.NumberInput):
    """A number input with a "Not sure" checkbox of the same name beside it: checking it sends
    `unknown`, which wins over the number (see `wizard_data`)."""

    def value_from_datadict(self, data: Any, files: Any, name: str) -> str | None:
        values = data.getlist(name) if hasattr(data, "getlist") else [data.get(name)]
        given = [str(value).strip() for value in values if value is not None and str(value).strip()]
        if any(value.lower() == UNKNOWN for value in given):
            return UNKNOWN.value
        return given[0] if given else None

    def render(self, name: str, value: Any, attrs: Any = None,
               renderer: Any = None) -> SafeString:
        unknown = str(value).lower() == UNKNOWN
        number = super().render(name, None if unknown else value, attrs, renderer)
        box_id = f"{(attrs or {}).get('id') or 'id_' + name}_unknown"
        return format_html(
            '<span class="number-or-unknown">{}<span class="form-check not-sure">'
            '<input type="checkbox" class="form-check-input" name="{}" value="{}" id="{}"{}>'
            '<label class="form-check-label" for="{}">{}</label></span></span>',
            number, name, UNKNOWN.value, box_id, " checked" if unknown else "", box_id, NOT_SURE,
        )


def _help(field: Field) -> str:
    return format_html(
        '{} <a href="{}">AWS documentation<span class="visually-hidden"> for {}</span></a>',
        field.help, field.source_url, field.label,
    )


def _choices(field: Field) -> list[tuple[str, str]]:
    """The field's values and "Not sure" (spec section 4: every question offers unknown)."""
    return [(value, field.label_for(value)) for value in field.choices] + [NOT_SURE_CHOICE]


def _platform_version_attrs() -> dict[str, dict[str, str]]:
    """data-os lists the operating systems a version exists for (PLATFORM_VERSIONS)."""
    return {
        version.value: {
            "data-os": " ".join(os.value for os, versions in PLATFORM_VERSIONS.items()
                                if version in versions)
        }
        for version in FIELDS_BY_NAME["platform_version"].enum  # type: ignore[union-attr]
    }


def form_field(field: Field) -> forms.Field:
    """The widget a question is asked with."""
    common: dict[str, Any] = {"label": field.label, "help_text": _help(field), "required": False}
    if field.kind is Kind.BOOL:
        return VocabularyChoiceField(
            choices=[*YES_NO, NOT_SURE_CHOICE], widget=forms.RadioSelect, **common
        )
    if field.kind is Kind.MULTI:
        return VocabularyMultipleChoiceField(
            choices=_choices(field), widget=ListCheckboxes, **common
        )
    if field.kind is Kind.INT:
        return forms.CharField(
            widget=NumberOrNotSure(
                attrs={"min": field.minimum or 0, "max": INT_MAX, "inputmode": "numeric"}
            ),
            **common,
        )
    widget: forms.RadioSelect = forms.RadioSelect()
    if field.name == "platform_version":
        widget = OptionAttrsRadioSelect(_platform_version_attrs())
    return VocabularyChoiceField(choices=_choices(field), widget=widget, **common)


def hidden_field() -> forms.Field:
    return forms.CharField(widget=forms.HiddenInput, required=False)


def wizard_data(params: Mapping[str, Any]) -> QueryDict:
    """A form's data: the given answers over the defaults, list fields comma-joined.

    Bound forms render what their data says, so unanswered questions are filled with their
    defaults here; an empty value means the default, as it does for `parse_query`. A field
    named in `unknown=` (the permalink's form), or given `unknown` among other values (a
    checked "Not sure" beside a number or beside list items), is `unknown`.
    """
    data = QueryDict(mutable=True)
    for name, text in query_items(DEFAULT_ANSWERS):
        data[name] = text
    named_unknown = {
        name.strip()
        for raw in _values(params, UNKNOWN_PARAM)
        for name in raw.split(",")
    }
    for field in FIELDS:
        if field.name in named_unknown:
            data[field.name] = UNKNOWN.value
        if field.name not in params:
            continue
        values = _values(params, field.name)
        items = [item.strip().lower() for value in values for item in value.split(",")]
        if UNKNOWN in items:
            data[field.name] = UNKNOWN.value
        elif field.kind is Kind.MULTI:
            data[field.name] = ",".join(value.strip() for value in values if value.strip())
        elif given := [value for value in values if value.strip()]:
            data.setlist(field.name, given)
    _refine_vpc_dns(data, params)
    for name in dropped(readable_answers(data)):
        data[name] = _DEFAULT_TEXTS[name]
    return data


_DEFAULT_TEXTS = dict(query_items(DEFAULT_ANSWERS))
_DNS_DETAIL = ("dns_support", "dns_hostnames")


def _refine_vpc_dns(data: QueryDict, params: Mapping[str, Any]) -> None:
    """`vpc_dns` summarises the two VPC DNS attributes that `dns_support` and `dns_hostnames`
    give one by one, and the parser rejects the two when they disagree. The form fills every
    question with its default, and a default must not contradict what was given: where only
    the attributes are given and one is off, `vpc_dns` is false too; where `vpc_dns` is false
    and an attribute is not given, that attribute stays unanswered (either may be the one)."""
    def given(name: str) -> bool:
        return any(value.strip() for value in _values(params, name))

    if not given("vpc_dns") and any(data.get(name) == "false" for name in _DNS_DETAIL):
        data["vpc_dns"] = "false"
    if data.get("vpc_dns") == "false":
        for name in _DNS_DETAIL:
            if not given(name) and data.get(name) == "true":
                del data[name]


def readable_answers(data: Mapping[str, Any]) -> Answers:
    """The answers as far as they can be read, to decide which questions matter: when the
    whole does not parse, each field is read alone and one that cannot be is its default."""
    return _read(data)[0]


def _read(data: Mapping[str, Any]) -> tuple[Answers, bool]:
    """`readable_answers`, and whether the whole parsed (the answers are then exactly it)."""
    try:
        return parse_query(data), True
    except AnswersError:
        pass
    values: dict[str, Any] = {}
    for field in FIELDS:
        if field.name in data:
            try:
                one = parse_query({field.name: _values(data, field.name)})
            except AnswersError:
                continue
            values[field.name] = getattr(one, field.name)
    return Answers(**values), False


def dropped(answers: Answers) -> list[str]:
    """The fields answered (not at their default) whose questions do not matter for the
    answers, once those that do not matter are dropped in turn."""
    names: list[str] = []
    while drop := {
        f.name: f.default for f in FIELDS
        if getattr(answers, f.name) != f.default and not f.matters(answers)
    }:
        names += drop
        answers = answers.replace(**drop)
    return names


def relevant(answers: Answers) -> Answers:
    """The answers with every question that does not matter put back to its default."""
    return answers.replace(**{name: FIELDS_BY_NAME[name].default for name in dropped(answers)})


def _alternatives(field: Field, value: Any) -> list[Any]:
    """Other answers to a question, enough to see whether any changes what is asked: each
    choice, each list with one item more or less, and unknown (numbers change nothing)."""
    if field.kind is Kind.INT:
        return []
    if field.kind is Kind.BOOL:
        return [True, False, UNKNOWN]
    assert field.enum is not None
    members = list(field.enum)
    if field.kind is Kind.CHOICE:
        return [*members, UNKNOWN]
    current = frozenset() if value is UNKNOWN else frozenset(value)
    return [current ^ {member} for member in members] + [UNKNOWN]


def _values(params: Mapping[str, Any], name: str) -> list[str]:
    if name not in params:
        return []
    raw = params.getlist(name) if hasattr(params, "getlist") else params[name]
    return [raw] if isinstance(raw, str) else [str(value) for value in raw]


class StepForm(forms.Form):
    """One wizard step: its questions that matter as widgets (the optional ones last, under a
    heading of their own), every other answer as a hidden input."""

    def __init__(
        self, step: Step, params: Mapping[str, Any], marks: Mapping[str, str] | None = None
    ) -> None:
        """`marks`: a note for some questions, by name, shown before their help (the wizard
        marks what an import answered)."""
        super().__init__(data=wizard_data(params))
        self.step = step
        # What the questions shown depend on; the answers proper come from `clean`.
        self.answers_so_far, self._parsed = _read(self.data)
        self.questions = self._in_order(
            [f for f in FIELDS if f.step is step and f.matters(self.answers_so_far)]
        )
        self._answers: Answers | None = None
        asked = {field.name for field in self.questions}
        for field in FIELDS:
            self.fields[field.name] = form_field(field) if field.name in asked else hidden_field()
            if field.name in asked and marks and field.name in marks:
                self.fields[field.name].help_text = format_html(
                    '<span class="provenance">{}</span> {}', marks[field.name],
                    self.fields[field.name].help_text,
                )
        required = [f for f in self.questions if not f.optional]
        optional = [f for f in self.questions if f.optional]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            *(item for field in required for item in self._layout_field(field)),
            *([HTML(format_html('<h3 class="optional-heading">{}</h3>', OPTIONAL_HEADING))]
              if optional else []),
            *(item for field in optional for item in self._layout_field(field)),
            *(LayoutField(field.name) for field in FIELDS if field.name not in asked),
        )

    def _layout_field(self, field: Field) -> list[LayoutField | HTML]:
        classes = [SHOWN_WHEN.get(field.name, "")]
        if field.kind is Kind.BOOL:
            classes.append("yes-no")
        if self._reveals(field):
            classes.append("reveals")
        item = LayoutField(field.name, wrapper_class=" ".join(filter(None, classes)) or None)
        if field.kind is Kind.MULTI:
            # No box ticked sends nothing; an empty value before the boxes sends the empty
            # list, so every answer travels with the others whatever it is.
            return [HTML(format_html('<input type="hidden" name="{}" value="">', field.name)),
                    item]
        return [item]

    def _in_order(self, questions: list[Field]) -> list[Field]:
        """Each question that another on the step brings up right after that one (the EFS
        options after "Amazon EFS volume"), the rest in vocabulary order."""
        now = self.answers_so_far

        def brought_up_by(field: Field) -> Field | None:
            if field.when is None:
                return None
            return next((q for q in reversed(questions) if q is not field and any(
                not field.matters(now.replace(**{q.name: value}))
                for value in _alternatives(q, getattr(now, q.name))
            )), None)

        parents = {field.name: brought_up_by(field) for field in questions}
        ordered: list[Field] = []

        def place(field: Field) -> None:
            ordered.append(field)
            for child in questions:
                if parents[child.name] is field:
                    place(child)

        for field in questions:
            if parents[field.name] is None:
                place(field)
        return ordered

    def _reveals(self, field: Field) -> bool:
        """Whether another answer to this question changes what the wizard asks: the
        questions on this step, or the steps it walks through (with JavaScript, changing it
        re-renders the step)."""
        now = self.answers_so_far
        shown = self._shape(now)
        return any(self._shape(now.replace(**{field.name: value})) != shown
                   for value in _alternatives(field, getattr(now, field.name)))

    def _shape(self, answers: Answers) -> tuple[Any, ...]:
        return (
            tuple(f.name for f in FIELDS if f.step is self.step and f.matters(answers)),
            flow(answers, current=self.step),
        )

    @property
    def title(self) -> str:
        return STEP_TITLES[self.step]

    def clean(self) -> dict[str, Any]:
        if self._parsed:  # the data parsed whole when the form was made: those are the answers
            self._answers = self.answers_so_far
            return self.cleaned_data
        try:
            self._answers = parse_query(self.data)
        except AnswersError as error:
            for name, messages in error.errors.items():
                for message in messages:
                    self.add_error(name if name in self.fields else None, message)
        return self.cleaned_data

    def to_answers(self) -> Answers:
        """The answers, once `is_valid()` has said they are good."""
        if not self.is_valid() or self._answers is None:
            raise ValueError("The form has errors; there are no answers to give.")
        return self._answers

    def error_steps(self) -> list[Step]:
        """The steps whose questions have errors, in wizard order."""
        bad = {FIELDS_BY_NAME[name].step for name in self.errors if name in FIELDS_BY_NAME}
        return [step for step in STEPS if step in bad]

    def error_list(self) -> list[tuple[Field | None, str]]:
        """Every error as (question, message), in wizard order; general ones first."""
        general = [(None, str(message)) for message in self.non_field_errors()]
        return general + [
            (field, str(message))
            for field in FIELDS
            for message in self.errors.get(field.name, [])
        ]
