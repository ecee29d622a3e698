"""Bad input gets a designed answer: syntax errors with line and column, limits, safe YAML."""

from __future__ import annotations

from pathlib import Path

import pytest

from advisor.importers import MAX_DOCUMENTS, Document, DocumentError, import_documents
from advisor.importers.loading import MAX_BYTES, MAX_DEPTH, load_yaml

FIXTURES = Path(__file__).parent / "fixtures"


def error_of(*documents: Document) -> dict[str, list[str]]:
    with pytest.raises(DocumentError) as raised:
        import_documents(list(documents))
    return raised.value.errors


def message_of(name: str, content: str | bytes) -> str:
    errors = error_of(Document(name, content))
    assert list(errors) == [name]
    return " ".join(errors[name])


def test_real_document_with_a_missing_comma_names_line_and_column():
    # The AWS CLI's own example output for describe-task-definition lacks a comma.
    path = FIXTURES / "ecs" / "aws-cli-describe-task-definition-output-invalid.json"
    message = message_of("describe.json", path.read_bytes())
    assert "Invalid JSON at line 89, column 13" in message
    assert "',' delimiter" in message


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("Resources:\n  Service:\n    Type: [AWS::ECS::Service\n", "line 4"),
        ("Resources:\n  Service:\n  - Type: x\n    Properties: {\n", "line"),
        ("key: value\n  bad indentation: here\n", "line 2, column"),
    ],
    ids=["unclosed-flow-sequence", "unclosed-mapping", "bad-indentation"],
)
def test_invalid_yaml_names_line_and_column(text, where):
    message = message_of("template.yaml", text)
    assert "Invalid YAML" in message
    assert where in message


def test_size_limit_is_named_in_the_message():
    message = message_of("big.json", b"{" + b" " * MAX_BYTES + b"}")
    assert "the limit is 1 MB (1,048,576 bytes)" in message
    assert f"{MAX_BYTES + 2:,} bytes" in message


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "The document is empty."),
        ("   \n\t", "The document is empty."),
        (b"\xff\xfe\x00junk", "not UTF-8 text"),
    ],
    ids=["empty-bytes", "whitespace", "not-utf8"],
)
def test_unreadable_documents(content, expected):
    assert expected in message_of("doc", content)


@pytest.mark.parametrize(
    ("content", "found"),
    [
        ('{"Version": "2012-10-17", "Statement": []}', "the keys Version, Statement"),
        ("[1, 2, 3]", "a list of 3 items"),
        ("name: my-app\nreplicas: 3\n", "the keys name, replicas"),
    ],
    ids=["iam-policy", "list-of-numbers", "other-yaml"],
)
def test_unrecognised_document_says_what_was_expected(content, found):
    message = message_of("thing", content)
    assert message.startswith("Unrecognised document.")
    assert found in message
    for kind in ("task definition", "create-service", "CloudFormation template",
                 "terraform show -json", "error message"):
        assert kind in message


def test_billion_laughs_is_refused():
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in range(1, 10):
        previous = f"*a{level - 1}"
        lines.append(f"a{level}: &a{level} [{', '.join([previous] * 9)}]")
    message = message_of("laughs.yaml", "\n".join(lines) + "\n")
    assert "aliases" in message
    assert "200,000 values" in message


def test_aliases_within_the_bound_are_read():
    value = load_yaml("ok.yaml", "base: &base {a: 1}\nfirst: *base\nsecond: {<<: *base, b: 2}\n")
    assert value == {"base": {"a": 1}, "first": {"a": 1}, "second": {"a": 1, "b": 2}}


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("deep.yaml", "key: " + "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5) + "\n"),
        ("deep.json", "[" * 100_000 + "]" * 100_000),
        ("deep-but-short.json", '{"a":' * (MAX_DEPTH + 5) + "1" + "}" * (MAX_DEPTH + 5)),
    ],
    ids=["yaml", "json-past-the-recursion-limit", "json-past-the-depth-bound"],
)
def test_deep_nesting_is_refused(name, content):
    assert f"nested more than {MAX_DEPTH} levels deep" in message_of(name, content)


def test_yaml_python_tags_are_never_constructed(tmp_path):
    target = tmp_path / "created-by-yaml"
    document = f"Resources: !!python/object/apply:os.makedirs ['{target}']\n"
    message = message_of("evil.yaml", document)
    assert "Invalid YAML at line 1" in message
    assert "python/object/apply" in message
    assert not target.exists()


def test_a_yaml_stream_of_several_documents_is_refused():
    message = message_of("two.yaml", "Resources: {}\n---\nResources: {}\n")
    assert "expected a single document" in message


def test_cloudformation_short_tags_become_intrinsic_functions():
    template = load_yaml("t.yaml", """
AWSTemplateFormatVersion: 2010-09-09
Resources:
  X:
    Properties:
      A: !Ref Param
      B: !Sub "com.amazonaws.${AWS::Region}.ecr.api"
      C: !GetAtt Vpc.CidrBlock
      D: !Join ["", [a, !Ref B]]
      E: !If [IsProd, !Select [0, !Split [",", "x,y"]], !Ref AWS::NoValue]
      F: !FindInMap [Map, !Ref AWS::Region, Key]
      G: !ImportValue network:VpcId
      H: !Equals [!Ref Env, prod]
      I: !Condition IsProd
""")
    props = template["Resources"]["X"]["Properties"]
    assert template["AWSTemplateFormatVersion"] == "2010-09-09"
    assert props["A"] == {"Ref": "Param"}
    assert props["B"] == {"Fn::Sub": "com.amazonaws.${AWS::Region}.ecr.api"}
    assert props["C"] == {"Fn::GetAtt": ["Vpc", "CidrBlock"]}
    assert props["D"] == {"Fn::Join": ["", ["a", {"Ref": "B"}]]}
    assert props["E"] == {"Fn::If": ["IsProd", {"Fn::Select": [0, {"Fn::Split": [",", "x,y"]}]},
                                     {"Ref": "AWS::NoValue"}]}
    assert props["F"] == {"Fn::FindInMap": ["Map", {"Ref": "AWS::Region"}, "Key"]}
    assert props["G"] == {"Fn::ImportValue": "network:VpcId"}
    assert props["H"] == {"Fn::Equals": [{"Ref": "Env"}, "prod"]}
    assert props["I"] == {"Condition": "IsProd"}


def test_every_bad_document_is_reported_at_once():
    errors = error_of(
        Document("one.json", "{"),
        Document("two.yaml", "a: [\n"),
        Document("ok.json", '{"containerDefinitions": [{"name": "a", "image": "nginx"}]}'),
    )
    assert set(errors) == {"one.json", "two.yaml"}


@pytest.mark.parametrize(
    ("documents", "expected"),
    [
        ([], "No document was given."),
        ([Document(f"d{i}", "x") for i in range(MAX_DOCUMENTS + 1)],
         f"{MAX_DOCUMENTS + 1} documents were given; the limit is {MAX_DOCUMENTS}."),
    ],
    ids=["none", "too-many"],
)
def test_document_count_is_bounded(documents, expected):
    assert expected in " ".join(error_of(*documents)["documents"])


def test_same_names_are_kept_apart():
    task = '{"containerDefinitions": [{"name": "a", "image": "nginx"}]}'
    result = import_documents([Document("task.json", task), Document("task.json", task)])
    assert [d.name for d in result.documents] == ["task.json", "task.json (2)"]


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("task.json", '{"family": "t",\n "containerDefinitions": [{"name": "a",\n'
         ' "image": "nginx",\n "image": "busybox"}]}',
         "The key 'image' is given twice in one mapping, at line 4 (it is also at line 3)"),
        ("task.json", '{"networkMode": "awsvpc", "networkMode": "bridge", '
         '"containerDefinitions": []}', "The key 'networkMode' is given twice in one mapping, "
         "on line 1"),
        ("template.yaml", "Resources:\n  Service:\n    Type: AWS::ECS::Service\n"
         "    Properties:\n      LaunchType: FARGATE\n      LaunchType: EC2\n",
         "The key 'LaunchType' is given twice in one mapping, at line 6 (it is also at line 5)"),
        ("template.yaml", "Resources:\n  Task:\n    Type: AWS::ECS::TaskDefinition\n"
         "    Properties:\n      Cpu: !Sub\n        - '${X}'\n        - {X: 1, X: 2}\n",
         "The key 'X' is given twice in one mapping, on line 7"),
    ],
    ids=["json-nested", "json-one-line", "yaml", "yaml-inside-a-tag"],
)
def test_a_key_given_twice_is_an_error_naming_the_key_and_its_lines(name, text, expected):
    assert expected in " ".join(error_of(Document(name, text))[name])


def test_merge_keys_may_be_overridden_and_keys_may_repeat_in_other_mappings():
    value = load_yaml("d", "base: &b\n  image: a\nweb:\n  <<: *b\n  image: b\nworker:\n"
                      "  image: c\n")
    assert value["web"] == {"image": "b"} and value["worker"] == {"image": "c"}


def test_pasted_messages_with_a_repeated_prefix_are_still_messages():
    result = import_documents([Document("pasted", "Error: one thing\nError: another\n")])
    assert [d.kind for d in result.documents] == ["error_message"]
