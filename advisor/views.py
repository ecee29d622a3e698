"""The browser-facing views: thin, typed functions that parse, call evaluate() and render.

Every answer lives in the query string (GET forms, no cookies, no sessions), so every wizard
step and every result is a URL, and the URL the browser shows is always the canonical one.
With htmx a step swaps in place and the response names the URL to push; without JavaScript
the same forms load whole pages and a redirect tidies the URL. Each view decides once, from
`request.htmx`, whether to send a page or a partial, and says so with `Vary: HX-Request`.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any
from urllib.parse import parse_qs, urlsplit

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect, push_url, replace_url
from django_htmx.middleware import HtmxDetails

from advisor import report
from advisor.caching import cacheable_result
from advisor.diagram import render_diagram
from advisor.forms import StepForm, readable_answers, relevant, wizard_data
from advisor.links import (
    CHECK_STEPS,
    NO_NAVIGATION,
    STEPS,
    Navigation,
    flow,
    result_url,
    wizard_url,
)
from advisor.presentation import (
    COMMAND_TITLES,
    NOT_SURE,
    SEVERITY_WORDS,
    STATUS_WORDS,
    TOO_WIDE_TEXT,
    too_wide_words,
)
from advisor.rules import (
    RULES_VERSION,
    AnswersError,
    Result,
    TooManyUnknowns,
    evaluate,
    parse_query,
    permalink,
    to_query,
)
from advisor.rules.answers import (
    FIELDS,
    FIELDS_BY_NAME,
    STEP_TITLES,
    UNKNOWN,
    Answers,
    Kind,
    Step,
    query_items,
)
from advisor.rules.fixes import policy_document, trust_policy
from advisor.rules.knowledge import (
    COLUMN_TITLES,
    ENI_TITLES,
    ROLE_TITLES,
    TRAFFIC_TABLE,
    Column,
    column_for,
)
from advisor.rules.result import CommandKind, Finding

RESULT = "result"  # the `step` value of "See the result" buttons
CHECKS = "checks"  # the `step` value of the "More checks" button: the optional checks' steps
ASKED = "asked"  # the questions a submitted step showed (a hidden input; never in an address)
REFRESH = "refresh"  # a step re-rendered in place because an answer changed what it asks
MORE_CHECKS = "More checks: security groups, network ACLs, DNS, registries, secrets and logs"


class HtmxHttpRequest(HttpRequest):
    """A request that went through django-htmx's middleware (every request here does)."""

    htmx: HtmxDetails



def _wants_partial(request: HtmxHttpRequest) -> bool:
    return bool(request.htmx) and not request.htmx.history_restore_request


def _same_query(request: HtmxHttpRequest, url: str) -> bool:
    """Whether the request already asks for `url`'s query (compared parsed, not as text)."""
    wanted = QueryDict(urlsplit(url).query)
    return sorted(request.GET.lists()) == sorted(wanted.lists())


def _step(name: str | None) -> Step:
    """The step a `step` value names; anything else (an old or hand-edited link) is step 1."""
    try:
        return Step(name or STEPS[0])
    except ValueError:
        return STEPS[0]


def _raw_query(params: QueryDict) -> str:
    """The answers as given, for links out of a page whose answers have errors."""
    kept = params.copy()
    for key in ("step", ASKED, REFRESH):
        kept.pop(key, None)
    for key in Navigation.PARAMS:
        kept.pop(key, None)
    return kept.urlencode(safe=",")


@dataclass(frozen=True, slots=True)
class ProgressItem:
    number: int
    title: str
    url: str
    current: bool
    has_error: bool


def _wizard_context(
    form: StepForm, query: str, answers: Answers | None, nav: Navigation = NO_NAVIGATION
) -> dict[str, Any]:
    step = form.step
    steps = flow(relevant(form.answers_so_far), nav, step)
    index = steps.index(step)
    error_steps = form.error_steps()
    later = [s for s in steps[index + 1:] if s not in nav.skip]
    earlier = [s for s in steps[:index] if s not in nav.skip]
    following = later[0] if later else None
    preceding = earlier[-1] if earlier else None
    more = not nav.more and following is None and not form.errors
    return {
        "rules_version": RULES_VERSION,
        "form": form,
        "step": step,
        "number": index + 1,
        "total": len(steps),
        "previous": preceding,
        "next": following,
        "next_title": STEP_TITLES[following] if following else "",
        "previous_title": STEP_TITLES[preceding] if preceding else "",
        "navigation": nav.items(),
        "asked": ",".join(field.name for field in form.questions),
        "has_optional": any(field.optional for field in form.questions),
        "skipped": [STEP_TITLES[s] for s in nav.skip],
        "progress": _progress(step, query, steps, error_steps, nav),
        "errors": [
            (field, message, wizard_url(field.step, query) if field else "",
             STEP_TITLES[field.step] if field else "")
            for field, message in form.error_list()
        ],
        **_summary(answers),
        "result_url": result_url(answers) if answers else "",
        "offer_more_checks": more,
        "more_checks": MORE_CHECKS,
    }


def _summary(answers: Answers | None) -> dict[str, Any]:
    """The live verdict, or why there is none: answers not valid yet, or too wide to decide."""
    if answers is None:
        return {"summary": None}
    try:
        return {"summary": evaluate(answers).verdict}
    except TooManyUnknowns as error:
        return {"summary": None, "summary_errors": [("", [too_wide_words(error)])]}


def _more_checks_url(query: str, nav: Navigation = NO_NAVIGATION) -> str:
    """The first step of the optional checks, with all of them brought into the flow."""
    return wizard_url(CHECK_STEPS[0], query, Navigation(nav.skip, nav.imported, nav.inferred,
                                                        more=True))


def _progress(
    step: Step, query: str, steps: Sequence[Step], error_steps: Sequence[Step] = (),
    nav: Navigation = NO_NAVIGATION,
) -> list[ProgressItem]:
    return [
        ProgressItem(n, STEP_TITLES[s], wizard_url(s, query, nav), s is step, s in error_steps)
        for n, s in enumerate(steps, start=1)
    ]


def _destination(target: Step, answers: Answers, params: QueryDict, nav: Navigation) -> Step:
    """Where Next or Back leads, given the questions the submitted step showed (`asked=`):
    back to that step when its answers now ask more there (so that, without JavaScript, a
    question an answer brings up is seen), and never past a step that its answers brought
    into the flow (a Next button named the step that followed before)."""
    asked = {name for value in params.getlist(ASKED) for name in value.split(",")}
    shown = [FIELDS_BY_NAME[name] for name in asked if name in FIELDS_BY_NAME]
    if not shown:
        return target
    submitted = shown[0].step
    if any(f.step is submitted and f.name not in asked and f.matters(answers) for f in FIELDS):
        return submitted
    steps = [s for s in flow(answers, nav, submitted) if s not in nav.skip or s is submitted]
    after = steps[steps.index(submitted) + 1:]
    if after and STEPS.index(target) > STEPS.index(after[0]):
        return after[0]
    return target


def _invalid_answers(request: HtmxHttpRequest, step: Step) -> HttpResponse:
    """Bad or stale values: the wizard at the first step with a wrong field, marked, as a 400."""
    form = StepForm(step, request.GET)
    form.is_valid()
    if (bad := form.error_steps()) and bad[0] is not step:
        form = StepForm(bad[0], request.GET)
        form.is_valid()
    context = _wizard_context(form, _raw_query(request.GET), None)
    template = "wizard.html#swap" if _wants_partial(request) else "wizard.html"
    return render(request, template, context, status=400)


def _too_many_unknowns(request: HtmxHttpRequest, answers: Answers,
                       error: TooManyUnknowns) -> HttpResponse:
    """Answers too wide to decide: the wizard at the first question to answer, as a 400,
    every answer kept and each question that would narrow the search linked."""
    named = [FIELDS_BY_NAME[name] for name in error.fields]
    form = StepForm(named[0].step if named else STEPS[0], request.GET)
    form.is_valid()
    query = to_query(answers)
    context = _wizard_context(form, query, None)
    context.update(
        summary_errors=[("", [too_wide_words(error)])],
        error_title="Too much is unknown to decide",
        error_intro=f"Nothing was evaluated. {TOO_WIDE_TEXT} Answer one or more of these "
                    "questions to narrow the search; every other answer is kept.",
        errors=[(field, f"{NOT_SURE} now", wizard_url(field.step, query),
                 STEP_TITLES[field.step]) for field in named],
    )
    template = "wizard.html#swap" if _wants_partial(request) else "wizard.html"
    return render(request, template, context, status=400)


@require_safe
@cacheable_result
@vary_on_headers("HX-Request")
def wizard(request: HtmxHttpRequest) -> HttpResponse:
    """One step of the wizard. `step` names the step to show, or `result` to finish."""
    target = request.GET.get("step")
    step = _step(target)
    nav = Navigation.from_params(request.GET)
    if target == CHECKS:
        step, nav = CHECK_STEPS[0], dataclasses.replace(nav, more=True)
    form = StepForm(step, request.GET, marks=nav.marks())
    if not form.is_valid():
        return _invalid_answers(request, step)
    answers = form.to_answers()
    partial = _wants_partial(request)
    if target == RESULT:
        url = result_url(answers)
        return HttpResponseClientRedirect(url) if partial else redirect(url)
    if (destination := _destination(step, answers, request.GET, nav)) is not step:
        step = destination
        form = StepForm(step, request.GET, marks=nav.marks())
        form.is_valid()
    canonical = wizard_url(step, to_query(answers), nav)
    if not partial and not _same_query(request, canonical):
        return redirect(canonical)
    context = _wizard_context(form, to_query(answers), answers, nav)
    if partial:
        response = render(request, "wizard.html#swap", context)
        # A step re-rendered in place is the same page: its address is replaced, not pushed.
        if REFRESH in request.GET:
            return replace_url(response, canonical)
        return push_url(response, canonical)
    return render(request, "wizard.html", context)


def _current_step(request: HtmxHttpRequest) -> Step | None:
    """The step on screen, from the page address htmx sends along (HX-Current-URL); None when
    that header is not a URL (`http://[::1`), which no browser sends."""
    try:
        query = urlsplit(request.htmx.current_url or "").query
    except ValueError:
        return None
    return _step(parse_qs(query).get("step", [None])[-1])


@require_safe
@vary_on_headers("HX-Request")
def wizard_summary(request: HtmxHttpRequest) -> HttpResponse:
    """The live verdict for the answers on screen, sent as they change (an htmx partial).

    It also refreshes the progress links, so they carry the new answers, and replaces the
    address with the step's canonical URL, so a reload keeps what was just chosen.
    """
    if not request.htmx:
        return redirect(wizard_url(STEPS[0], _raw_query(request.GET)))
    step = _current_step(request)
    if step is None:
        return HttpResponse("The HX-Current-URL header is not a valid URL.\n", status=400,
                            content_type="text/plain; charset=utf-8")
    nav = Navigation.from_params(request.GET)
    data = wizard_data(request.GET)  # the answers the step would send: none that do not matter
    try:
        answers = parse_query(data)
    except AnswersError as error:
        steps = flow(relevant(readable_answers(data)), nav, step)
        context: dict[str, Any] = {
            "summary": None,
            "summary_errors": [
                (FIELDS_BY_NAME[name].label if name in FIELDS_BY_NAME else "", messages)
                for name, messages in error.errors.items()
            ],
            "progress": _progress(step, _raw_query(request.GET), steps, nav=nav),
            "total": len(steps),
            "number": steps.index(step) + 1,
        }
        return render(request, "wizard.html#summary_swap", context)
    query = to_query(answers)
    steps = flow(answers, nav, step)
    context = {
        **_summary(answers),
        "result_url": result_url(answers),
        "progress": _progress(step, query, steps, nav=nav),
        "total": len(steps),
        "number": steps.index(step) + 1,
    }
    response = render(request, "wizard.html#summary_swap", context)
    return replace_url(response, wizard_url(step, query, nav))


# --- The result page -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ComparisonRow:
    label: str
    role: str
    cells: tuple[tuple[Column, str], ...]


@dataclass(frozen=True, slots=True)
class AnswerRow:
    label: str
    value: str


@dataclass(frozen=True, slots=True)
class AnswerGroup:
    """One wizard step's answers, with the address that reopens that step."""

    title: str
    url: str
    rows: list[AnswerRow]


@cache
def _comparison() -> tuple[ComparisonRow, ...]:
    """The AWS page's traffic table, all three platform columns."""
    return tuple(
        ComparisonRow(
            fact.label, ROLE_TITLES[fact.role],
            tuple((column, ENI_TITLES[fact.eni[column]]) for column in Column),
        )
        for fact in TRAFFIC_TABLE
    )


def _answer_groups(answers: Answers) -> list[AnswerGroup]:
    texts = dict(query_items(answers))
    query = to_query(answers)
    groups = []
    for step in STEPS:
        rows = []
        # What the wizard asks for these answers; an optional check only where it was changed.
        for field in (f for f in FIELDS if f.step is step and f.matters(answers)
                      and (not f.optional or getattr(answers, f.name) != f.default)):
            value = texts[field.name]
            if value is UNKNOWN:
                shown = NOT_SURE
            elif field.kind is Kind.MULTI:
                shown = ", ".join(field.label_for(v) for v in value.split(",") if v) or "None"
            elif field.kind is Kind.BOOL:
                shown = "Yes" if value == "true" else "No"
            else:
                shown = field.label_for(value)
            rows.append(AnswerRow(field.label, shown))
        if rows:
            groups.append(AnswerGroup(STEP_TITLES[step], wizard_url(step, query), rows))
    return groups


def _commands_by_kind(finding: Finding) -> list[tuple[str, str, list[tuple[str, str]]]]:
    """(kind, title, [(text, name)]) in the order aws-cli, cloudformation, terraform, for the
    kinds present. With several texts of a kind, each is named for screen readers and copy
    buttons: by its opening comment (such as "Option 2 (instead of option 1): a NAT gateway",
    when they are alternatives), else "part N"."""
    groups = []
    for kind in CommandKind:
        texts = [c.text for c in finding.commands if c.kind is kind]
        if texts:
            named = [(text, _part_name(text, n) if len(texts) > 1 else "")
                     for n, text in enumerate(texts, start=1)]
            groups.append((kind.value, COMMAND_TITLES[kind], named))
    return groups


_OPENING_COMMENT = re.compile(r"\s*(?:#|//)\s*(\S.*)")


def _part_name(text: str, n: int) -> str:
    """A command text's own first-line comment, else its place."""
    first = text.lstrip("\n").split("\n", 1)[0]
    match = _OPENING_COMMENT.fullmatch(first)
    return match.group(1).strip().rstrip(".:") if match else f"part {n}"


def result_context(request: HttpRequest, result: Result) -> dict[str, Any]:
    """Everything the result page's sections need; the embed renders a subset of them."""
    findings = report.ordered_findings(result)
    numbers = {finding.id: n for n, finding in enumerate(findings, start=1)}
    query = to_query(result.answers)
    link = request.build_absolute_uri(result.permalink)
    sources = list({s.url: s for f in findings for s in f.sources}.values())
    fix = report.top_fix(result)
    return {
        "rules_version": result.rules_version,
        "result": result,
        "verdict": result.verdict,
        "top_fix": fix,
        "top_fix_url": f"#finding-{fix.finding.id}" if fix else "",
        "witness_text": report.witness_text(result),
        "witness_url": result.verdict.witness.permalink if result.verdict.witness else "",
        "requirement_groups": report.requirement_groups(result),
        "requirement_state_words": report.REQUIREMENT_STATE_TEXT,
        "finding_numbers": numbers,
        "finding_base": "",
        "traffic": [
            (row, [(fid, numbers[fid]) for fid in row.findings if fid in numbers])
            for row in result.traffic
        ],
        "status_words": STATUS_WORDS,
        "severity_words": SEVERITY_WORDS,
        "action_labels": {fact.action: fact.label for fact in TRAFFIC_TABLE},
        "eni_titles": ENI_TITLES,
        "role_titles": ROLE_TITLES,
        "column": column_for(result.platform.os, result.platform.platform_version),
        "column_titles": COLUMN_TITLES,
        "column_list": list(COLUMN_TITLES.items()),
        "comparison": _comparison(),
        "diagram": render_diagram(result),
        "roles": [
            (
                role,
                json.dumps(trust_policy(role.trust_principal), indent=2),
                json.dumps(policy_document(role.permissions), indent=2) if role.permissions else "",
            )
            for role in result.roles
        ],
        "endpoints": result.endpoints,
        "findings": [(n, finding, _commands_by_kind(finding)) for n, finding in
                     enumerate(findings, start=1)],
        "sources": sources,
        "answer_groups": _answer_groups(result.answers),
        "change_url": wizard_url(STEPS[0], query),
        "more_checks_url": _more_checks_url(query),
        "more_checks": MORE_CHECKS,
        "permalink": link,
        "markdown_url": reverse("result-markdown") + (f"?{query}" if query else ""),
        "json_url": reverse("api-evaluate") + (f"?{query}" if query else ""),
    }


def _parse_or_400(request: HtmxHttpRequest) -> Answers | HttpResponse:
    try:
        return parse_query(request.GET)
    except AnswersError:
        return _invalid_answers(request, STEPS[0])


@require_safe
@cacheable_result
def result(request: HtmxHttpRequest) -> HttpResponse:
    """The result page. Its URL is the permalink, so any other spelling redirects to it."""
    answers = _parse_or_400(request)
    if isinstance(answers, HttpResponse):
        return answers
    canonical = permalink(answers)
    if not _same_query(request, canonical):
        return redirect(canonical)
    try:
        evaluation = evaluate(answers)
    except TooManyUnknowns as error:
        return _too_many_unknowns(request, answers, error)
    return render(request, "result.html", result_context(request, evaluation))


@require_safe
@cacheable_result
def result_markdown(request: HtmxHttpRequest) -> HttpResponse:
    """The result as a Markdown file, for a ticket or a wiki page."""
    answers = _parse_or_400(request)
    if isinstance(answers, HttpResponse):
        return answers
    try:
        evaluation = evaluate(answers)
    except TooManyUnknowns as error:
        return _too_many_unknowns(request, answers, error)
    text = report.render_markdown(evaluation, base_url=request.build_absolute_uri("/"))
    response = HttpResponse(text, content_type="text/markdown; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="fargate-networking-advice.md"'
    return response
