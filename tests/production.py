"""The production configuration, read from the files that define it, for the tests that check
it: the Dockerfile (the image's environment, start command and health check) and the
CloudFormation template in deploy/ (the environment the service runs with); and the server
started from them (`production_server`, behind the `server` fixture in tests/conftest.py).

The tests start the advisor with exactly these values, so the image, the template and the
checks cannot drift apart.
"""

from __future__ import annotations

import http.client
import json
import re
import shlex
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent
DOCKERFILE = REPO / "Dockerfile"
TEMPLATE = REPO / "deploy" / "advisor.yaml"
VENV_BIN = Path(sys.executable).parent

# The parameters a deployment would pass (the others have defaults in the template).
EXAMPLE_PARAMETERS = {
    "DomainName": "advisor.example.com",
    "CertificateArn": "arn:aws:acm:eu-west-1:123456789012:certificate/0000",
    "CdnCertificateArn": "arn:aws:acm:us-east-1:123456789012:certificate/1111",
    "ImageTag": "1.0.0",
}


# --- Dockerfile -------------------------------------------------------------------------------


def _instructions(text: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, continuation lines joined, comments dropped."""
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    joined = re.sub(r"\\\n", " ", "\n".join(lines))
    return [
        (parts[0].upper(), parts[1].strip() if len(parts) > 1 else "")
        for line in joined.splitlines()
        if (parts := line.strip().split(None, 1))
    ]


@cache
def final_stage() -> tuple[tuple[str, str], ...]:
    """The instructions after the last FROM: what the running image is made of."""
    instructions = _instructions(DOCKERFILE.read_text())
    last_from = max(i for i, (name, _) in enumerate(instructions) if name == "FROM")
    return tuple(instructions[last_from + 1:])


def image_env() -> dict[str, str]:
    """The final stage's ENV values (PATH aside: the tests use the virtualenv's)."""
    env = {}
    for name, args in final_stage():
        if name == "ENV":
            for pair in shlex.split(args):
                key, _, value = pair.partition("=")
                env[key] = value
    env.pop("PATH", None)
    return env


def image_json_command(instruction: str) -> list[str]:
    """CMD, or HEALTHCHECK's CMD, in exec (JSON) form."""
    for name, args in final_stage():
        if name == instruction:
            return json.loads(args[args.index("CMD ") + 4:] if name == "HEALTHCHECK" else args)
    raise LookupError(f"no {instruction} in the Dockerfile's final stage")


def image_workdir() -> str:
    return [args for name, args in final_stage() if name == "WORKDIR"][-1]


# --- CloudFormation ---------------------------------------------------------------------------


class TemplateLoader(yaml.SafeLoader):
    """YAML with CloudFormation's short tags: `!Ref X` reads as `{"Ref": "X"}`, `!Sub s` as
    `{"Fn::Sub": s}`, and so on."""


def _function(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> dict[str, Any]:
    if isinstance(node, yaml.ScalarNode):
        value: Any = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)
    if suffix == "Ref":
        return {"Ref": value}
    if suffix == "GetAtt" and isinstance(value, str):
        value = value.split(".", 1)
    return {f"Fn::{suffix}": value}


TemplateLoader.add_multi_constructor("!", _function)


@cache
def template() -> dict[str, Any]:
    return yaml.load(TEMPLATE.read_text(), Loader=TemplateLoader)  # a SafeLoader, with tags


def parameters() -> dict[str, str]:
    """Every parameter's value: the example ones, else the template's default."""
    values = {
        name: str(spec["Default"])
        for name, spec in template()["Parameters"].items()
        if "Default" in spec
    }
    return {**values, **EXAMPLE_PARAMETERS, "AWS::Region": "eu-west-1"}


def resolve(value: Any) -> str:
    """A container environment value: a string, a parameter's `Ref`, or a `Sub` of them."""
    if isinstance(value, str):
        return value
    if "Ref" in value:
        return parameters()[value["Ref"]]
    if "Fn::Sub" in value:
        return re.sub(r"\$\{([\w:]+)\}", lambda m: parameters()[m.group(1)], value["Fn::Sub"])
    raise ValueError(f"cannot resolve {value!r} without deploying")


def resources(kind: str) -> dict[str, dict[str, Any]]:
    return {
        name: resource.get("Properties", {})
        for name, resource in template()["Resources"].items()
        if resource["Type"] == kind
    }


def container() -> dict[str, Any]:
    (task,) = resources("AWS::ECS::TaskDefinition").values()
    (advisor,) = task["ContainerDefinitions"]
    return advisor


def deployed_only(value: Any) -> bool:
    """A value that names a resource the stack creates (the ElastiCache endpoint): it exists
    only once deployed, so here the advisor runs without it (its embedded default)."""
    return isinstance(value, dict) and "Fn::Sub" in value and "." in value["Fn::Sub"].split(
        "${", 1)[-1].split("}", 1)[0]


def template_env() -> dict[str, str]:
    """The environment the template gives the advisor's container (secrets and values that
    only exist once deployed aside)."""
    return {item["Name"]: resolve(item["Value"]) for item in container()["Environment"]
            if not deployed_only(item["Value"])}


# --- Both -------------------------------------------------------------------------------------


def production_env(home: Path, **overrides: str) -> dict[str, str]:
    """What the deployed container's process sees: the image's ENV, the template's
    environment, a secret key as Secrets Manager would inject it; then `overrides`.

    Nothing is inherited from the test run (its DJANGO_SETTINGS_MODULE is the tests').
    """
    return {
        "PATH": f"{VENV_BIN}:/usr/local/bin:/usr/bin:/bin",
        "HOME": str(home),
        "LANG": "C.UTF-8",
        **image_env(),
        **template_env(),
        "DJANGO_SECRET_KEY": "production-like-" + "0123456789abcdef" * 4,
        **overrides,
    }


# --- The server, started the production way ---------------------------------------------------

START_TIMEOUT = 60  # seconds; a bound on the readiness loop, not a wait
HOST = template_env()["DJANGO_ALLOWED_HOSTS"]
VIA_LOAD_BALANCER = {"Host": HOST, "X-Forwarded-Proto": "https"}  # as the ALB forwards


@dataclass
class Server:
    port: int
    process: subprocess.Popen[bytes]
    log: Path
    static_root: Path
    env: dict[str, str]

    def get(self, path: str, headers: dict[str, str] | None = None) -> http.client.HTTPResponse:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        response.body = response.read()  # type: ignore[attr-defined]
        connection.close()
        return response

    def log_lines(self) -> list[str]:
        return self.log.read_text().splitlines()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def image_command() -> list[str]:
    """The image's CMD; its first word found on the PATH the image sets (the virtualenv)."""
    command = image_json_command("CMD")
    return [str(VENV_BIN / command[0]), *command[1:]]


def wait_until_ready(server: Server) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        try:
            if server.get("/healthz").status == 200:
                return
        except OSError:
            pass
        try:  # the pause between attempts, which also notices a server that gave up
            server.process.wait(timeout=0.1)
        except subprocess.TimeoutExpired:
            continue
        pytest.fail(f"gunicorn exited with {server.process.returncode}:\n{server.log.read_text()}")
    pytest.fail(f"gunicorn did not answer /healthz in {START_TIMEOUT} s:\n{server.log.read_text()}")


@contextmanager
def production_server(home: Path, static_root: Path, **overrides: str) -> Iterator[Server]:
    """The container's start, run here: collectstatic as the image build runs it, then the
    Dockerfile's CMD from the repository (the image's WORKDIR) with `production_env` plus
    `overrides`, on loopback and a free port. Stopped on exit."""
    port = free_port()
    env = production_env(home, HOST="127.0.0.1", PORT=str(port),
                         DJANGO_STATIC_ROOT=str(static_root), **overrides)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=REPO, env=env, check=True, timeout=300,
    )
    log = home / "stdout.log"
    assert image_workdir() == "/app"  # the repository stands in for the image's /app
    with log.open("wb") as output:
        process = subprocess.Popen(image_command(), cwd=REPO, env=env, stdout=output,
                                   stderr=subprocess.STDOUT)
    running = Server(port, process, log, static_root, env)
    try:
        wait_until_ready(running)
        yield running
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
