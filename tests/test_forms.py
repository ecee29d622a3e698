"""The wizard's step forms: questions from the vocabulary, answers through `parse_query`."""

from __future__ import annotations

import re
from html import escape
from urllib.parse import parse_qs

import pytest
from crispy_forms.utils import render_crispy_form
from django.http import QueryDict

from advisor.forms import SHOWN_WHEN, StepForm, wizard_data
from advisor.links import STEPS
from advisor.rules import AnswersError, parse_query
from advisor.rules.answers import (
    DEFAULT_ANSWERS,
    FIELDS,
    FIELDS_BY_NAME,
    PLATFORM_VERSIONS,
    Kind,
    Step,
    query_items,
    to_query,
)


def form_for(step: Step, query: str = "") -> StepForm:
    return StepForm(step, QueryDict(query))


# Answers under which every question matters (each is asked only where it does).
EVERY_QUESTION = {
    "ip_mode": "ipv6_only", "nat_gateway": "true", "endpoints": "ecr_api,s3", "efs": "true",
    "ecs_exec": "true", "secrets": "ssm", "load_balancer": "alb", "egress_via": "firewall",
    "service_discovery": "cloud_map", "ecr_account": "other",
    "secrets_location": "other_account",
}
EVERY_QUESTION_QUERY = "&".join(f"{name}={value}" for name, value in EVERY_QUESTION.items())


def asking(field, query: str = "") -> StepForm:
    """The form of a question's step, under answers that make it matter, its own left as
    `query` says."""
    context = "&".join(f"{n}={v}" for n, v in EVERY_QUESTION.items() if n != field.name)
    return form_for(field.step, "&".join(filter(None, [context, query])))


def rendered(form: StepForm) -> str:
    return render_crispy_form(form)


@pytest.mark.parametrize("step", STEPS, ids=lambda s: s.value)
@pytest.mark.parametrize("query", ["", EVERY_QUESTION_QUERY], ids=["defaults", "every_question"])
def test_each_step_asks_its_questions_that_matter_and_carries_the_others_hidden(
    step: Step, query: str
) -> None:
    form = form_for(step, query)
    answers = parse_query(query)
    visible = {f.name for f in form.visible_fields()}
    hidden = {f.name for f in form.hidden_fields()}
    assert visible == {f.name for f in FIELDS if f.step is step and f.matters(answers)}
    assert hidden == {f.name for f in FIELDS} - visible


def test_with_every_condition_met_each_step_asks_all_its_questions() -> None:
    asked = {f.name for step in STEPS for f in form_for(step, EVERY_QUESTION_QUERY).questions}
    assert asked == {f.name for f in FIELDS}


@pytest.mark.parametrize("step", STEPS, ids=lambda s: s.value)
def test_submitting_any_step_unchanged_sends_every_answer_as_it_was(step: Step) -> None:
    query = "subnet=public&public_ip=true&endpoints=ecr_api,s3&secrets=ssm&load_balancer=alb"
    html = rendered(form_for(step, query))
    sent = QueryDict(mutable=True)
    for name, value in re.findall(r'<input type="hidden" name="(\w+)"(?: value="([^"]*)")?', html):
        sent.appendlist(name, value)
    for name, value in re.findall(r'name="(\w+)" value="([^"]*)"[^>]*\bchecked\b', html):
        sent.appendlist(name, value)
    for name in re.findall(r'<input type="number" name="(\w+)"', html):
        sent.appendlist(name, re.search(rf'name="{name}" value="(\d+)"', html).group(1))
    assert set(sent) == {f.name for f in FIELDS}
    assert parse_query(sent) == parse_query(query)


@pytest.mark.parametrize(
    "field", [f for f in FIELDS if f.kind in (Kind.CHOICE, Kind.BOOL, Kind.MULTI)],
    ids=lambda f: f.name,
)
def test_every_choice_question_is_a_fieldset_with_a_legend(field) -> None:
    html = rendered(asking(field))
    block = html[html.index(f'id="div_id_{field.name}"'):]
    block = block[:block.index("</fieldset>")]
    assert "<fieldset" in block
    assert re.search(r"<legend[^>]*>\s*" + re.escape(escape(field.label)), block)


@pytest.mark.parametrize("field", [f for f in FIELDS if f.kind is Kind.BOOL], ids=lambda f: f.name)
def test_booleans_are_yes_no_radios_so_false_can_be_sent(field) -> None:
    html = rendered(asking(field))
    assert re.search(rf'type="radio"[^>]*name="{field.name}" value="true"', html)
    assert re.search(rf'type="radio"[^>]*name="{field.name}" value="false"', html)
    default = "true" if field.default else "false"
    assert re.search(rf'name="{field.name}" value="{default}"[^>]*checked', html)


@pytest.mark.parametrize("field", [f for f in FIELDS if f.kind is Kind.MULTI], ids=lambda f: f.name)
def test_list_questions_are_checkbox_groups_of_every_allowed_value(field) -> None:
    html = rendered(asking(field))
    values = re.findall(rf'type="checkbox"[^>]*name="{field.name}" value="([^"]+)"', html)
    assert values == [*field.choices, "unknown"]


def _not_sure_option(html: str, name: str) -> re.Match[str] | None:
    """The "Not sure" input of a question and its label (radio, or checkbox for lists and
    numbers)."""
    return re.search(
        rf'type="(?:radio|checkbox)"[^>]*name="{name}" value="unknown"[^>]*id="([^"]+)"', html
    )


@pytest.mark.parametrize("field", FIELDS, ids=lambda f: f.name)
def test_every_question_offers_not_sure_with_its_own_label(field) -> None:
    html = rendered(asking(field))
    option = _not_sure_option(html, field.name)
    assert option, f"{field.name} has no Not sure option"
    assert re.search(rf'<label[^>]*for="{option.group(1)}"[^>]*>\s*Not sure\s*</label>', html)


@pytest.mark.parametrize("field", FIELDS, ids=lambda f: f.name)
def test_not_sure_is_checked_when_the_answer_is_unknown_in_either_form(field) -> None:
    for query in (f"{field.name}=unknown", f"unknown={field.name}"):
        form = asking(field, query)
        html = rendered(form)
        assert re.search(rf'name="{field.name}" value="unknown"[^>]*checked', html), query
        assert form.to_answers().unknown == (field.name,)


@pytest.mark.parametrize(
    "query",
    ["endpoints=ecr_api&endpoints=unknown", "subnet_count=3&subnet_count=unknown",
     "subnet_count=&subnet_count=unknown"],
    ids=["list_with_not_sure", "number_with_not_sure", "empty_number_with_not_sure"],
)
def test_a_checked_not_sure_wins_over_the_values_beside_it(query: str) -> None:
    name = query.split("=")[0]
    form = form_for(FIELDS_BY_NAME[name].step, query)
    assert form.to_answers().unknown == (name,)
    assert to_query(form.to_answers()) == f"unknown={name}"


@pytest.mark.parametrize(
    "query",
    ["endpoints=ecr_api&endpoints=s3", "endpoints=ecr_api,s3", "endpoints=s3,ecr_api"],
    ids=["repeated", "comma_separated", "any_order"],
)
def test_list_checkboxes_read_repeated_and_comma_separated_values(query: str) -> None:
    form = form_for(Step.ENDPOINTS, query)
    assert form["endpoints"].value() in (["ecr_api", "s3"], ["s3", "ecr_api"])
    assert form.to_answers().endpoints == parse_query("endpoints=ecr_api,s3").endpoints


def test_every_question_links_its_aws_source_and_explains_itself() -> None:
    for step in STEPS:
        html = rendered(form_for(step, EVERY_QUESTION_QUERY))
        for field in (f for f in FIELDS if f.step is step):
            assert f'href="{field.source_url}"' in html
            assert f'id="id_{field.name}_helptext"' in html


def test_platform_versions_say_which_operating_systems_they_exist_for() -> None:
    html = rendered(form_for(Step.PLATFORM))
    for version in FIELDS_BY_NAME["platform_version"].choices:
        option = rf'name="platform_version" value="{re.escape(version)}"[^>]*data-os="([^"]+)"'
        match = re.search(option, html)
        assert match, version
        assert set(match.group(1).split()) == {
            os.value for os, versions in PLATFORM_VERSIONS.items() if version in versions
        }


@pytest.mark.parametrize("name", sorted(SHOWN_WHEN), ids=str)
def test_questions_that_matter_only_sometimes_are_marked_for_the_stylesheet(name: str) -> None:
    html = rendered(form_for(FIELDS_BY_NAME[name].step))
    assert re.search(rf'id="div_id_{name}" class="[^"]*\b{SHOWN_WHEN[name]}\b', html)


@pytest.mark.parametrize(
    "query",
    ["", "subnet=public&public_ip=true", "os=windows&platform_version=1.0.0&efs=true",
     "endpoints=ecr_api,ecr_dkr,s3,logs&vpc_dns=false&subnet_count=17&security_group_count=0",
     "ip_mode=ipv6_only&ipv6_egress=egress_only_igw&load_balancer=nlb&target_type=instance"],
    ids=["defaults", "public", "windows", "endpoints_and_counts", "ipv6_and_nlb"],
)
def test_the_form_gives_the_answers_parse_query_gives(query: str) -> None:
    for step in STEPS:
        assert form_for(step, query).to_answers() == parse_query(query)


def test_unanswered_questions_show_their_defaults_and_empty_values_mean_default() -> None:
    data = wizard_data(QueryDict("subnet=&public_ip=true"))
    defaults = dict(query_items(DEFAULT_ANSWERS))
    assert data["subnet"] == defaults["subnet"]
    assert data["public_ip"] == "true"
    assert data["os"] == defaults["os"]


def test_unknown_parameters_are_ignored_like_tracking_parameters() -> None:
    form = form_for(Step.PLATFORM, "utm_source=wiki&subnet=public")
    assert form.to_answers() == DEFAULT_ANSWERS.replace(subnet=parse_query("subnet=public").subnet)


@pytest.mark.parametrize(
    ("query", "field", "words"),
    [
        ("os=macos", "os", ["macos", "linux, windows"]),
        ("public_ip=maybe", "public_ip", ["maybe", "true, false"]),
        ("registry=quay", "registry", ["quay", "docker_hub"]),
        ("endpoints=ecr_api,sqs", "endpoints", ["sqs", "ecr_api, ecr_dkr, s3"]),
        ("subnet_count=0", "subnet_count", ["0", "1 to 1000"]),
        ("os=windows&platform_version=1.4.0", "platform_version", ["1.4.0", "latest, 1.0.0"]),
    ],
    ids=["unknown_os", "bad_boolean", "unknown_registry", "unknown_endpoint",
         "too_few_subnets", "version_missing_for_os"],
)
def test_a_bad_value_is_an_error_on_its_field_naming_the_allowed_values(
    query: str, field: str, words: list[str]
) -> None:
    form = form_for(FIELDS_BY_NAME[field].step, query)
    assert not form.is_valid()
    assert list(form.errors) == [field]
    message = " ".join(form.errors[field])
    for word in words:
        assert word in message
    with pytest.raises(ValueError):
        form.to_answers()


def test_a_bad_field_on_another_step_is_named_with_its_step() -> None:
    form = form_for(Step.PLATFORM, "registry=quay&log_driver=syslog")
    assert not form.is_valid()
    assert form.error_steps() == [Step.IMAGE, Step.FEATURES]
    assert [field.name for field, _ in form.error_list()] == ["registry", "log_driver"]


def test_a_bad_value_is_marked_on_the_step_that_asks_it() -> None:
    html = rendered(form_for(Step.IMAGE, "registry=quay"))
    assert 'id="id_registry_error"' in html
    assert re.search(r'name="registry"[^>]*aria-invalid="true"', html)


def test_hidden_inputs_carry_lists_comma_separated_in_one_value() -> None:
    html = rendered(form_for(Step.PLATFORM, "endpoints=s3&endpoints=ecr_api"))
    value = re.search(r'type="hidden" name="endpoints" value="([^"]*)"', html).group(1)
    assert parse_query(parse_qs(f"endpoints={value}")).endpoints == parse_query(
        "endpoints=ecr_api,s3").endpoints
    assert to_query(form_for(Step.PLATFORM, f"endpoints={value}").to_answers()) == (
        "endpoints=ecr_api,s3")


# --- Questions asked only where they matter ---------------------------------------------------


@pytest.mark.parametrize(
    ("query", "dropped"),
    [
        ("nat_gateway=false&egress_via=firewall", {"egress_via"}),
        ("nat_gateway=true&subnet=public&egress_via=firewall&egress_allowlist=missing",
         {"egress_via", "egress_allowlist"}),
        ("efs=false&efs_sg=blocks&efs_iam=true", {"efs_sg", "efs_iam"}),
        ("load_balancer=none&lb_ingress=blocks", {"lb_ingress"}),
        ("ip_mode=ipv4&dns64=false", {"dns64"}),
        ("endpoints=&endpoint_sg=blocks&endpoint_policy=denies_needed",
         {"endpoint_sg", "endpoint_policy"}),
        ("registry=docker_hub&ecr_account=other&ecr_repository_policy=missing",
         {"ecr_account", "ecr_repository_policy"}),
    ],
    ids=["no_nat_egress_via", "chain_of_two", "efs_off", "no_load_balancer", "ipv4_dns64",
         "no_endpoints", "not_ecr"],
)
def test_answers_to_questions_that_no_longer_matter_are_not_carried_forward(
    query: str, dropped: set[str]
) -> None:
    data = wizard_data(QueryDict(query))
    defaults = dict(query_items(DEFAULT_ANSWERS))
    for name in dropped:
        assert data[name] == defaults[name], name
    for step in STEPS:
        form = form_for(step, query)
        assert form.is_valid(), form.errors  # no contradiction left for the parser to reject
        answers = form.to_answers()
        assert not {f"{name}=" for name in dropped} & set(to_query(answers).split("&"))
        for name in dropped:
            assert getattr(answers, name) == FIELDS_BY_NAME[name].default
    kept = {name for name in QueryDict(query) if name not in dropped}
    assert all(data[name] == QueryDict(query)[name] for name in kept if QueryDict(query)[name])


def test_a_question_that_still_matters_keeps_its_answer() -> None:
    form = form_for(Step.SECURITY, "nat_gateway=true&egress_via=firewall&egress_allowlist=missing")
    answers = form.to_answers()
    assert (answers.egress_via, answers.egress_allowlist) == ("firewall", "missing")


def test_turning_a_vpc_dns_attribute_off_later_turns_the_summary_off_too() -> None:
    answers = form_for(Step.SECURITY, "dns_support=false").to_answers()
    assert (answers.vpc_dns, answers.dns_support, answers.dns_hostnames) == (False, False, True)


def test_with_vpc_dns_off_the_attributes_stay_unanswered_rather_than_contradict_it() -> None:
    form = form_for(Step.SECURITY, "vpc_dns=false")
    assert form.is_valid(), form.errors
    html = rendered(form)
    for name in ("dns_support", "dns_hostnames"):
        assert not re.search(rf'name="{name}" value="(?:true|false)"[^>]*checked', html)


@pytest.mark.parametrize(
    ("step", "query", "questions"),
    [
        (Step.FEATURES, "", ["log_driver", "secrets", "cmk", "efs", "ecs_exec"]),
        # A question an answer brings up comes right after it.
        (Step.FEATURES, "efs=true", ["log_driver", "secrets", "cmk", "efs", "efs_sg",
                                     "efs_mount_targets", "efs_iam", "efs_access_point",
                                     "efs_transit_encryption", "ecs_exec"]),
        (Step.NETWORK, "ip_mode=ipv6_only", ["subnet", "public_ip", "nat_gateway", "ip_mode",
                                             "dns64", "dualstack_account_setting",
                                             "ipv6_autoassign", "ipv6_egress", "vpc_dns"]),
        (Step.LOAD_BALANCER, "load_balancer=alb", ["load_balancer", "lb_ingress", "lb_azs",
                                                   "target_type", "subnet_count",
                                                   "security_group_count"]),
        (Step.SECURITY, "endpoints=s3", ["endpoint_policy", "s3_endpoint_routes", "task_egress",
                                         "nacl", "dns_support", "dns_hostnames", "dns_resolver",
                                         "free_addresses"]),
    ],
    ids=["features", "features_with_efs", "ipv6_only_dns64", "load_balancer", "s3_endpoint"],
)
def test_a_step_asks_the_questions_its_answers_make_matter(
    step: Step, query: str, questions: list[str]
) -> None:
    assert [f.name for f in form_for(step, query).questions] == questions


def test_optional_questions_come_last_under_their_own_heading() -> None:
    form = form_for(Step.SECURITY, "endpoints=ecr_api")
    html = rendered(form)
    heading = re.search(r'<h3 class="optional-heading">([^<]+)</h3>', html)
    assert heading
    assert heading.group(1) == "Optional: AWS defaults are assumed unless you change them"
    for field in form.questions:
        place = html.index(f'id="div_id_{field.name}"')
        assert (place > heading.start()) is field.optional, field.name
    assert "optional-heading" not in rendered(form_for(Step.FEATURES, "efs=true"))


@pytest.mark.parametrize(
    ("step", "query", "reveal"),
    [
        (Step.NETWORK, "", {"ip_mode"}),
        (Step.ENDPOINTS, "", {"endpoints"}),
        (Step.FEATURES, "", {"efs", "ecs_exec"}),
        (Step.LOAD_BALANCER, "", {"load_balancer"}),
        (Step.SECURITY, "nat_gateway=true&endpoints=s3", {"egress_via"}),
    ],
    ids=["network", "endpoints", "features", "load_balancer", "security"],
)
def test_questions_whose_answer_changes_what_is_asked_are_marked_to_re_render_the_step(
    step: Step, query: str, reveal: set[str]
) -> None:
    html = rendered(form_for(step, query))
    marked = set(re.findall(r'id="div_id_(\w+)" class="[^"]*\breveals\b', html))
    assert marked == reveal


@pytest.mark.parametrize(
    "query",
    [
        "step=network&subnet=moon&public_ip=maybe",  # wrong answers on the step shown
        "step=platform&subnet=moon",  # one on another step
        "step=features&ecs_exec=true&exec_logging=a&exec_logging=b",  # one given twice
    ],
)
def test_a_step_with_wrong_answers_reuses_only_what_renders_the_same(
        client, monkeypatch, query: str) -> None:
    """`{% step_fields %}` reuses each field's HTML on a 400 too, except the fields that are
    wrong (their HTML holds the error): the page is the one crispy-forms renders alone."""
    from advisor.templatetags import advisor_extras

    client.get("/", QUERY_STRING=query)  # the reused HTML, made
    reused = client.get("/", QUERY_STRING=query)
    with monkeypatch.context() as patch:
        patch.setattr(advisor_extras._ReusedField, "render", advisor_extras.LayoutField.render)
        alone = client.get("/", QUERY_STRING=query)
    assert reused.status_code == alone.status_code == 400
    assert reused.content == alone.content
    assert b'class="invalid-feedback"' in reused.content


def test_a_value_given_twice_wrongly_gets_the_same_message_whatever_the_order() -> None:
    """The first wrong value in sorted order is named, so every worker (each with its own
    string hashing) answers one URL with the same page."""
    messages = []
    for query in ("subnet=moon&subnet=mars", "subnet=mars&subnet=moon"):
        with pytest.raises(AnswersError) as caught:
            parse_query(query)
        messages.append(caught.value.errors["subnet"][0])
    assert messages[0] == messages[1]
    assert messages[0].startswith("'mars' is not an allowed value")
