"""The "Start from your config" form and the review page (/import/)."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile

from advisor.rules import parse_query

FIXTURES = Path(__file__).parent / "fixtures"
VPC = FIXTURES / "cloudformation" / "fargate-private-vpc.yaml"
SERVICE = FIXTURES / "cloudformation" / "fargate-private-subnet-public-service.json"


def upload(path: Path) -> SimpleUploadedFile:
    return SimpleUploadedFile(path.name, path.read_bytes())


def text_of(response) -> str:
    """The page's words, spaced as a reader sees them."""
    text = " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())
    return re.sub(r" ([;:,.)])", r"\1", text)


def test_the_wizard_first_step_offers_to_start_from_a_config(client):
    page = client.get("/").content.decode()
    assert "Start from your config" in page
    assert 'action="/import/" method="post" enctype="multipart/form-data"' in page
    assert "Start from your config" not in client.get("/?step=network").content.decode()


def test_the_import_page_has_the_form(client):
    response = client.get("/import/")
    assert response.status_code == 200
    assert 'name="file" multiple' in response.content.decode()
    assert 'name="text"' in response.content.decode()


def test_the_review_shows_each_answer_with_its_source_and_continues_the_wizard(client):
    response = client.post("/import/", {"file": [upload(VPC), upload(SERVICE)]})
    assert response.status_code == 200
    text = text_of(response)
    assert "Review what your documents say" in text
    assert "NAT gateway route Yes fargate-private-subnet-public-service.json: " \
        "Resources.Service.Properties.NetworkConfiguration.AwsvpcConfiguration.Subnets[0]; " \
        "fargate-private-vpc.yaml: Resources.PrivateRouteOne.Properties.NatGatewayId" in text
    assert "Secrets encrypted with a customer managed KMS key Not known — not in your documents" \
        in text
    continue_url = unescape(re.search(r'href="(/\?step=[^"]+)"', response.content.decode())[1])
    step, _, query = continue_url.removeprefix("/?").partition("&")
    assert step == "step=network"  # dualstack_account_setting is the first open question
    answers = parse_query(query)
    assert (answers.subnet, answers.nat_gateway, answers.public_ip) == ("private", True, True)


def test_conflicts_inferences_and_diagnoses_are_shown(client):
    response = client.post("/import/", {
        "file": [upload(VPC), upload(SERVICE)],
        "text": (FIXTURES / "errors" / "ecr-api-timeout.txt").read_text(),
    })
    text = text_of(response)
    # A time-out proves no hop, so it disagrees with no document: it lists the hops to check.
    assert "Documents that disagree" not in text
    assert "No network path to the Amazon ECR API (login credentials)" in text
    assert "Likely causes, the likeliest first" in text
    assert "aws ec2 describe-route-tables" in text
    assert "Traffic it concerns: Retrieving Amazon ECR login credentials." in text


def test_a_document_that_cannot_be_read_is_a_400_naming_it(client):
    response = client.post("/import/", {"text": "name: a\nitems: [1, 2\n"})
    assert response.status_code == 400
    text = text_of(response)
    assert "pasted text: Invalid YAML" in text
    assert "Start from your config" in text


def test_nothing_given_is_a_400(client):
    response = client.post("/import/", {})
    assert response.status_code == 400
    assert "No document was given" in text_of(response)


TASK = FIXTURES / "ecs" / "firelens-cloudwatchlogs-task-definition.json"
ERROR = FIXTURES / "errors" / "ecr-api-timeout.txt"


def boxes(response) -> list[str]:
    return [unescape(text) for text in re.findall(
        r'<textarea[^>]*name="text"[^>]*>(.*?)</textarea>', response.content.decode(), re.S)]


def test_a_task_definition_and_an_error_in_one_box_says_to_use_one_box_each(client):
    pasted = TASK.read_text() + "\n" + ERROR.read_text()
    response = client.post("/import/", {"text": pasted})
    assert response.status_code == 400
    text = text_of(response)
    assert "pasted text: Invalid JSON" in text
    assert "Put one document in each box: paste the second into the next box, or upload each " \
        "document as its own file" in text
    assert boxes(response)[0].strip() == pasted.strip()


def test_the_page_keeps_every_pasted_box_on_any_error(client):
    response = client.post("/import/", {"text": ["hello world", "{not json"]})
    assert response.status_code == 400
    assert [box.strip() for box in boxes(response)] == ["hello world", "{not json"]
    assert "What you pasted is still in the boxes below" in text_of(response)


def test_an_error_with_files_says_to_choose_them_again(client):
    response = client.post("/import/", {"file": [upload(VPC)], "text": "name: a\nitems: [1\n"})
    assert response.status_code == 400
    assert "Choose the files again" in text_of(response)
    assert boxes(response)[0].strip() == "name: a\nitems: [1"


def test_one_document_in_each_box_is_read(client):
    response = client.post("/import/", {"text": [TASK.read_text(), ERROR.read_text()]})
    assert response.status_code == 200
    assert "What the error message means" in text_of(response)


def test_plain_text_is_read_as_a_message_and_an_unknown_one_says_so(client):
    response = client.post("/import/", {"text": "hello world, the task stopped"})
    assert response.status_code == 200
    text = text_of(response)
    assert "Not recognised" in text
    assert "Closest known families" in text
    assert "Amazon ECS stopped task errors" in text
    assert "Invalid YAML" not in text
