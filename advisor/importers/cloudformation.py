"""CloudFormation templates (YAML or JSON): ECS resources and the network they run in.

Intrinsic functions are evaluated as far as the template fixes them, and no further:
- `Ref` to a parameter gives the value a parameter file among the documents gives it
  (`parameters.apply`, "parameter X from parameter file F"), else its `Default` (a parameter
  without one stays unresolved), and every answer read through a default says "default of
  parameter X", since a deployment can override it; to a resource, a `ResourceRef` that
  the graph follows; pseudo parameters stay symbolic (`${AWS::Region}` means "the stack's Region").
- `Fn::Sub`, `Fn::Join`, `Fn::Select`, `Fn::Split`, `Fn::FindInMap`, `Fn::If` (with the
  `Conditions` evaluated on parameter defaults) and `Fn::GetAtt` are evaluated.
- `Fn::ImportValue` is matched against the `Outputs.*.Export.Name` of the other templates
  imported at the same time, with pseudo parameters in export names read as wildcards, so a
  service stack and the network stack it imports from combine.

Nested stacks (`AWS::CloudFormation::Stack`, SAM's `AWS::Serverless::Application`) are
followed when the template their `TemplateURL` or `Location` names is among the documents
(matched by file name): the parent's `Parameters` become the child's, and the parent's
`Fn::GetAtt Child.Outputs.X` reads the child's output. Nothing is fetched: a nested stack
whose template was not given is reported.

A service whose tasks are deployed by task sets (`AWS::ECS::TaskSet`, blue/green with an
EXTERNAL or CODE_DEPLOY deployment controller) has its network configuration, platform version
and load balancers on the task sets: they are read there, and the service's own silence about
them is no statement. SAM templates are plain CloudFormation for the ECS resources in them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from advisor.rules.answers import SecretSource

from . import network, service, task_definition, task_detail
from .ecs import STACK_REGION
from .model import Extraction, Level, Notice
from .network import Kind, Res, Route
from .nodes import Node, ResourceRef, Unresolved

KINDS: dict[str, Kind] = {
    "AWS::EC2::VPC": Kind.VPC,
    "AWS::EC2::VPCCidrBlock": Kind.VPC_CIDR,
    "AWS::EC2::Subnet": Kind.SUBNET,
    "AWS::EC2::RouteTable": Kind.ROUTE_TABLE,
    "AWS::EC2::Route": Kind.ROUTE,
    "AWS::EC2::SubnetRouteTableAssociation": Kind.ASSOCIATION,
    "AWS::EC2::InternetGateway": Kind.IGW,
    "AWS::EC2::NatGateway": Kind.NAT,
    "AWS::EC2::EgressOnlyInternetGateway": Kind.EIGW,
    "AWS::EC2::VPNGateway": Kind.VPN_GATEWAY,
    "AWS::EC2::VPCEndpoint": Kind.ENDPOINT,
    "AWS::ElasticLoadBalancingV2::TargetGroup": Kind.TARGET_GROUP,
    "AWS::ElasticLoadBalancingV2::Listener": Kind.LISTENER,
    "AWS::ElasticLoadBalancingV2::ListenerRule": Kind.LISTENER_RULE,
    "AWS::ElasticLoadBalancingV2::LoadBalancer": Kind.LOAD_BALANCER,
    "AWS::ElasticLoadBalancing::LoadBalancer": Kind.CLASSIC_LB,
    "AWS::SecretsManager::Secret": Kind.SECRET,
    "AWS::SSM::Parameter": Kind.SSM_PARAMETER,
    "AWS::ECS::Service": Kind.SERVICE,
    "AWS::ECS::TaskSet": Kind.SERVICE,
    "AWS::ECS::TaskDefinition": Kind.TASK_DEFINITION,
    "AWS::Logs::LogGroup": Kind.LOG_GROUP,
    "AWS::EC2::SecurityGroup": Kind.SECURITY_GROUP,
    "AWS::EC2::SecurityGroupIngress": Kind.SG_INGRESS,
    "AWS::EC2::SecurityGroupEgress": Kind.SG_EGRESS,
    "AWS::EC2::NetworkAcl": Kind.NACL,
    "AWS::EC2::NetworkAclEntry": Kind.NACL_ENTRY,
    "AWS::EC2::SubnetNetworkAclAssociation": Kind.NACL_ASSOCIATION,
    "AWS::EC2::DHCPOptions": Kind.DHCP_OPTIONS,
    "AWS::EC2::VPCDHCPOptionsAssociation": Kind.DHCP_ASSOCIATION,
    "AWS::NetworkFirewall::Firewall": Kind.FIREWALL,
    "AWS::EFS::MountTarget": Kind.EFS_MOUNT_TARGET,
}

_PSEUDO: dict[str, Any] = {
    "AWS::Region": STACK_REGION,
    "AWS::AccountId": "${AWS::AccountId}",
    "AWS::StackName": "${AWS::StackName}",
    "AWS::StackId": "${AWS::StackId}",
    "AWS::Partition": "aws",
    "AWS::URLSuffix": "amazonaws.com",
    "AWS::NoValue": None,
}
_MAX_STEPS = 2_000  # intrinsic evaluations per value; real templates need a handful


@dataclass(frozen=True, slots=True)
class ImportRef:
    """`Fn::ImportValue` of an export name (pseudo parameters left as `${...}`)."""

    name: str


def is_template(value: Any) -> bool:
    return isinstance(value, dict) and isinstance(value.get("Resources"), dict) and (
        "AWSTemplateFormatVersion" in value or any(
            isinstance(r, dict) and isinstance(r.get("Type"), str)
            for r in value["Resources"].values()
        )
    )


class Template:
    """One template: its intrinsic functions evaluated against its own parameters."""

    def __init__(self, document: str, body: dict[str, Any]) -> None:
        self.document = document
        self.body = body
        self.parameters = _mapping(body.get("Parameters"))
        self.mappings = _mapping(body.get("Mappings"))
        self.conditions = _mapping(body.get("Conditions"))
        self.resources = {
            name: res for name, res in _mapping(body.get("Resources")).items()
            if isinstance(res, dict)
        }
        self._condition_values: dict[str, bool | None] = {}
        self._steps = 0
        self._active = 0
        # Set by `link()`: the parent stack's values for parameters, and nested stacks given.
        self.given: dict[str, tuple[Template, Any]] = {}
        # Set by `parameters.apply()`: a parameter file's value (or `Unresolved` for a
        # placeholder) and the file's name.
        self.overrides: dict[str, tuple[Any, str]] = {}
        self.children: dict[str, Template] = {}

    # --- Intrinsic functions ---------------------------------------------------------------

    def resolve(self, value: Any) -> Any:
        """Evaluate `value` if it is an intrinsic function; children are resolved when read."""
        return self._budgeted(self._shallow, value)

    def deep(self, value: Any) -> Any:
        """Fully evaluated: lists and mappings resolved all the way down."""
        return self._budgeted(self._deep, value)

    def text(self, value: Any) -> str | Unresolved:
        text: str | Unresolved = self._budgeted(self._text, value)
        return text

    def _budgeted(self, function: Any, value: Any) -> Any:
        # Each top-level evaluation gets _MAX_STEPS function calls, so a template whose
        # functions refer to each other in a loop ends as "unresolved", not as a hang.
        if self._active == 0:
            self._steps = 0
        self._active += 1
        try:
            return function(value)
        finally:
            self._active -= 1

    def _shallow(self, value: Any) -> Any:
        while (function := _function(value)) is not None:
            self._steps += 1
            if self._steps > _MAX_STEPS:
                return Unresolved("intrinsic functions nested too deeply")
            value = self._call(*function)
        return value

    def _deep(self, value: Any) -> Any:
        value = self._shallow(value)
        if isinstance(value, list):
            return [self._deep(item) for item in value]
        if isinstance(value, dict):
            return {key: self._deep(item) for key, item in value.items()}
        return value

    def _text(self, value: Any) -> str | Unresolved:
        value = self._deep(value)
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, str | int | float):
            return str(value)
        if isinstance(value, ResourceRef):
            return str(value)
        if isinstance(value, Unresolved):
            return value
        return Unresolved("not a string")

    def _call(self, name: str, arg: Any) -> Any:
        handler = getattr(self, "_fn_" + name.replace("Fn::", "").lower(), None)
        if handler is None:
            return Unresolved(f"{name} is not evaluated")
        return handler(arg)

    def _fn_ref(self, name: Any) -> Any:
        if not isinstance(name, str):
            return Unresolved("Ref to a non-name")
        if name in _PSEUDO:
            return _PSEUDO[name]
        if name in self.given:
            parent, expression = self.given[name]
            return parent.deep(expression)
        if name in self.parameters and name in self.overrides:
            return _typed(_mapping(self.parameters[name]), self.overrides[name][0])
        if name in self.parameters:
            spec = _mapping(self.parameters[name])
            if "Default" not in spec:
                return Unresolved(f"parameter {name} has no default", f"${{{name}}}")
            return _typed(spec, spec["Default"])
        if name in self.resources:
            return ResourceRef(name, str(self.resources[name].get("Type", "")), None,
                               self.document)
        return Unresolved(f"Ref to {name}, which the template does not define")

    def _fn_getatt(self, arg: Any) -> Any:
        if isinstance(arg, str):
            arg = arg.split(".", 1)
        if not isinstance(arg, list) or len(arg) != 2 or arg[0] not in self.resources:
            return Unresolved("Fn::GetAtt of something the template does not define")
        attribute = self.text(arg[1])
        child = self.children.get(arg[0])
        if child is not None and isinstance(attribute, str) and attribute.startswith("Outputs."):
            output = _mapping(_mapping(child.body.get("Outputs")).get(attribute[8:]))
            value = output.get("Value")
            joined = value.get("Fn::Join") if isinstance(value, dict) else None
            if isinstance(joined, list) and len(joined) == 2 and joined[0] == ",":
                # A list joined for the output and split again by the parent: keep the items,
                # so references to the child's resources stay followable.
                items = child.deep(joined[1])
                if isinstance(items, list):
                    return items
            listed = _listed_resources(child, value)
            if listed is not None:
                return [child.deep({"Ref": name}) for name in listed]
            if "Value" in output:
                return child.deep(value)
            return Unresolved(f"the nested stack {arg[0]} has no output {attribute[8:]}")
        kind = str(self.resources[arg[0]].get("Type", ""))
        if kind == "AWS::ECR::Repository" and attribute == "RepositoryUri":
            return self._repository_uri(arg[0])
        return ResourceRef(arg[0], kind, str(attribute), self.document)

    def _repository_uri(self, logical_id: str) -> str:
        """A repository the stack creates is private ECR in the stack's account and Region
        (RepositoryUri is `<account>.dkr.ecr.<region>.amazonaws.com/<name>`, CloudFormation's
        AWS::ECR::Repository return values); its name is CloudFormation's when not given."""
        props = _mapping(self.resources[logical_id].get("Properties"))
        name = self.text(props["RepositoryName"]) if "RepositoryName" in props else None
        shown = name if isinstance(name, str) else f"${{{logical_id}}}"
        return f"${{AWS::AccountId}}.dkr.ecr.{STACK_REGION}.amazonaws.com/{shown}"

    def _fn_sub(self, arg: Any) -> Any:
        variables: dict[str, Any] = {}
        if isinstance(arg, list) and len(arg) == 2:
            arg, variables = arg[0], _mapping(arg[1])
        if not isinstance(arg, str):
            return Unresolved("Fn::Sub of a non-string")

        def substitute(match: re.Match[str]) -> str:
            name = match.group(1)
            if name.startswith("!"):
                return "${" + name[1:] + "}"
            if name in variables:
                value = self.text(variables[name])
            elif "." in name or name in self.resources:
                return match.group(0)
            else:
                value = self.text({"Ref": name})
            if isinstance(value, Unresolved):
                return value.text or match.group(0)
            return value

        return re.sub(r"\$\{([^}]*)\}", substitute, arg)

    def _fn_join(self, arg: Any) -> Any:
        if not isinstance(arg, list) or len(arg) != 2:
            return Unresolved("malformed Fn::Join")
        delimiter, items = self.text(arg[0]), self.deep(arg[1])
        if isinstance(delimiter, Unresolved) or not isinstance(items, list):
            return Unresolved("Fn::Join of values the template does not fix")
        parts = [self.text(item) for item in items]
        return delimiter.join(p.text or "${?}" if isinstance(p, Unresolved) else p
                              for p in parts)

    def _fn_select(self, arg: Any) -> Any:
        if not isinstance(arg, list) or len(arg) != 2:
            return Unresolved("malformed Fn::Select")
        index, items = self.text(arg[0]), self.deep(arg[1])
        if isinstance(index, Unresolved) or not index.isdigit() or not isinstance(items, list):
            return Unresolved("Fn::Select of values the template does not fix")
        return items[int(index)] if int(index) < len(items) else Unresolved("index out of range")

    def _fn_split(self, arg: Any) -> Any:
        if not isinstance(arg, list) or len(arg) != 2:
            return Unresolved("malformed Fn::Split")
        if isinstance(items := self.deep(arg[1]), list):
            return items  # a nested stack's joined output, kept as its items
        delimiter, value = self.text(arg[0]), self.text(arg[1])
        if isinstance(delimiter, Unresolved) or isinstance(value, Unresolved) or not delimiter:
            return Unresolved("Fn::Split of values the template does not fix")
        return value.split(delimiter)

    def _fn_findinmap(self, arg: Any) -> Any:
        if not isinstance(arg, list) or len(arg) < 3:
            return Unresolved("malformed Fn::FindInMap")
        keys = [k for k in (self.text(item) for item in arg[:3])
                if not isinstance(k, Unresolved) and "${" not in k]
        if len(keys) < 3:
            return Unresolved("Fn::FindInMap with a key the template does not fix "
                              "(such as the Region)")
        found = _mapping(_mapping(self.mappings.get(keys[0])).get(keys[1])).get(keys[2])
        return found if found is not None else Unresolved(f"no mapping {'/'.join(keys)}")

    def _fn_if(self, arg: Any) -> Any:
        if not isinstance(arg, list) or len(arg) != 3 or not isinstance(arg[0], str):
            return Unresolved("malformed Fn::If")
        chosen = self.condition(arg[0])
        if chosen is None:
            return Unresolved(f"depends on the condition {arg[0]}")
        return arg[1] if chosen else arg[2]

    def _fn_importvalue(self, arg: Any) -> Any:
        name = self.text(arg)
        if isinstance(name, Unresolved):
            return Unresolved(f"Fn::ImportValue of a name the template does not fix ({name})")
        return ImportRef(name)

    def _fn_base64(self, arg: Any) -> Any:
        return self.deep(arg)

    # --- Conditions --------------------------------------------------------------------------

    def condition(self, name: str) -> bool | None:
        if name in self._condition_values:
            return self._condition_values[name]
        self._condition_values[name] = None  # a cycle reads as unknown
        value = self._evaluate(self.conditions.get(name))
        self._condition_values[name] = value
        return value

    def _evaluate(self, expression: Any) -> bool | None:
        if isinstance(expression, bool):
            return expression
        function = _function(expression) if isinstance(expression, dict) else None
        if function is None and isinstance(expression, dict) and "Condition" in expression:
            return self.condition(str(expression["Condition"]))
        if function is None:
            return None
        name, arg = function
        if name == "Fn::Equals" and isinstance(arg, list) and len(arg) == 2:
            left, right = self.text(arg[0]), self.text(arg[1])
            if isinstance(left, Unresolved) or isinstance(right, Unresolved):
                return None
            if "${" in left or "${" in right:
                return None
            return left == right
        if name == "Fn::Not" and isinstance(arg, list) and len(arg) == 1:
            inner = self._evaluate(arg[0])
            return None if inner is None else not inner
        if name in ("Fn::And", "Fn::Or") and isinstance(arg, list):
            values = [self._evaluate(item) for item in arg]
            if name == "Fn::And":
                return False if False in values else (None if None in values else True)
            return True if True in values else (None if None in values else False)
        return None

    def exists(self, logical_id: str) -> bool:
        """False for a resource whose `Condition` is false on the parameter defaults."""
        condition = self.resources[logical_id].get("Condition")
        return not isinstance(condition, str) or self.condition(condition) is not False

    def node(self, value: Any, path: str) -> Node:
        return Node(self.resolve(value), path, self.document, self.resolve, self.explain,
                    self.explain(value))

    def explain(self, value: Any) -> str:
        """"default of parameter X" for a value written as an intrinsic function that reads
        parameters resolved by their Default (or "parameter X from the parent stack")."""
        if _function(value) is None:
            return ""
        names: list[str] = []
        _parameters_in(value, names)
        parts = []
        for name in dict.fromkeys(names):
            if name in self.given:
                parts.append(f"parameter {name}, given by the parent stack")
            elif name in self.parameters and name in self.overrides:
                parts.append(f"parameter {name} from parameter file {self.overrides[name][1]}")
            elif name in self.parameters and "Default" in _mapping(self.parameters[name]):
                parts.append(f"default of parameter {name} (a deployment can override it)")
        return "; ".join(parts)

    def exports(self) -> list[tuple[re.Pattern[str], str, Any]]:
        out = []
        for name, output in _mapping(self.body.get("Outputs")).items():
            export = _mapping(_mapping(output).get("Export"))
            if "Name" not in export:
                continue
            text = self.text(export["Name"])
            if isinstance(text, Unresolved):
                continue
            pattern = re.compile(
                ".+".join(re.escape(part) for part in re.split(r"\$\{[^}]*\}", text))
            )
            out.append((pattern, f"Outputs.{name}.Value", _mapping(output).get("Value")))
        return out


def _typed(spec: dict[str, Any], value: Any) -> Any:
    """A parameter's value (its Default or a file's) as its type reads it: list types split
    at commas."""
    kind = str(spec.get("Type", ""))
    if (kind.startswith("List<") or kind == "CommaDelimitedList") and isinstance(value, str):
        return [item.strip() for item in value.split(",") if item.strip()]
    return value


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _parameters_in(value: Any, names: list[str]) -> None:
    """The names a value's `Ref`s and `Fn::Sub`s read (parameters among them)."""
    if isinstance(value, list):
        for item in value:
            _parameters_in(item, names)
    elif isinstance(value, dict):
        for key, item in value.items():
            if key == "Ref" and isinstance(item, str):
                names.append(item)
            elif key == "Fn::Sub":
                text = item[0] if isinstance(item, list) and item else item
                if isinstance(text, str):
                    names += [n for n in re.findall(r"\$\{([^}!.]+)\}", text)
                              if not n.startswith("AWS::")]
                if isinstance(item, list) and len(item) == 2:
                    _parameters_in(item[1], names)
            else:
                _parameters_in(item, names)


_NESTED = {"AWS::CloudFormation::Stack": ("TemplateURL", "Parameters"),
           "AWS::Serverless::Application": ("Location", "Parameters")}


def link(templates: list[Template]) -> Extraction:
    """Connect each nested stack to its template when that template is among the documents
    (by file name); report the others."""
    by_name: dict[str, list[Template]] = {}
    for template in templates:
        by_name.setdefault(_file_name(template.document), []).append(template)
    notices = []
    for template in templates:
        for logical_id, body in template.resources.items():
            keys = _NESTED.get(str(body.get("Type", "")))
            if keys is None:
                continue
            props = _mapping(body.get("Properties"))
            where = template.node(body, f"Resources.{logical_id}").origin()
            url = template.text(props.get(keys[0]))
            wanted = _file_name(url) if isinstance(url, str) else ""
            found = [t for t in by_name.get(wanted, []) if t is not template]
            if len(found) == 1 and not found[0].given:
                child = found[0]
                template.children[logical_id] = child
                for name, expression in _mapping(props.get(keys[1])).items():
                    child.given[name] = (template, expression)
                notices.append(Notice(Level.INFO, f"{logical_id} is a nested stack whose "
                                      f"template {child.document} is among the documents: read "
                                      "with the parameters it is given here.", where))
                continue
            shown = url if isinstance(url, str) else "a location the template does not fix"
            notices.append(Notice(
                Level.INFO, f"{logical_id} is a nested stack ({shown}); its template is not "
                "among the documents, so its resources and outputs are not known. Add it "
                f"(as {wanted or 'its file'}) to have them read.", where,
            ))
    return Extraction(notices=tuple(notices))


def _listed_resources(child: Template, value: Any) -> list[str] | None:
    """`!Sub '${SubnetA},${SubnetB}'`: an output that lists the child's own resources, as the
    parent's List parameter reads it; the names, or None for any other output."""
    text = value.get("Fn::Sub") if isinstance(value, dict) and len(value) == 1 else None
    if not isinstance(text, str):
        return None
    names = [re.fullmatch(r"\s*\$\{([A-Za-z0-9]+)\}\s*", part) for part in text.split(",")]
    if not all(m is not None and m.group(1) in child.resources for m in names):
        return None
    return [m.group(1) for m in names if m is not None]


def _file_name(location: str) -> str:
    return location.replace("\\", "/").split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]


def _function(value: Any) -> tuple[str, Any] | None:
    if isinstance(value, dict) and len(value) == 1:
        (name, arg), = value.items()
        if name == "Ref" or (isinstance(name, str) and name.startswith("Fn::")):
            return name, arg
    return None


class Workspace:
    """All the templates of one import, as one graph (see `network.Graph`)."""

    def __init__(self, templates: list[Template]) -> None:
        self.templates = {t.document: t for t in templates}
        self._resources: dict[tuple[str, str], Res] = {}
        for template in templates:
            for logical_id, body in template.resources.items():
                kind = KINDS.get(str(body.get("Type", "")))
                if kind is None or not template.exists(logical_id):
                    continue
                props = template.node(_mapping(body.get("Properties")),
                                      f"Resources.{logical_id}.Properties")
                self._resources[(template.document, logical_id)] = Res(
                    kind, logical_id, str(body.get("Type")), props
                )
        self._exports = [
            (pattern, template, path, value)
            for template in templates for pattern, path, value in template.exports()
        ]
        self._routes: dict[int, list[Route]] | None = None

    def all(self) -> list[Res]:
        return list(self._resources.values())

    def of_kind(self, kind: Kind) -> list[Res]:
        return [res for res in self._resources.values() if res.kind is kind]

    def follow(self, node: Node | None, owner: Res | None = None) -> list[Res] | None:
        if node is None:
            return None
        return self._follow(node.value, node.document, 0)

    def _follow(self, value: Any, document: str, depth: int) -> list[Res] | None:
        if depth > 8:
            return None
        if _function(value) is not None and document in self.templates:
            value = self.templates[document].deep(value)
        if isinstance(value, ResourceRef):
            found = self._resources.get((value.document or document, value.logical_id))
            return [found] if found else []
        if isinstance(value, ImportRef):
            matches = [(t, v) for pattern, t, _, v in self._exports
                       if pattern.fullmatch(value.name) and t.document != document]
            if len(matches) != 1:
                return []
            template, exported = matches[0]
            return self._follow(template.deep(exported), template.document, depth + 1)
        if isinstance(value, list):
            out: list[Res] = []
            for item in value:
                within = self.templates.get(document)
                resolved = within.deep(item) if within else item
                out += self._follow(resolved, document, depth + 1) or []
            return out
        if isinstance(value, Unresolved):
            return None
        return []

    def routes(self, table: Res) -> list[Route]:
        if self._routes is None:
            self._routes = {}
            for route in self.of_kind(Kind.ROUTE):
                destination = route.props.get("DestinationCidrBlock",
                                              "DestinationIpv6CidrBlock")
                if destination is None or destination.text() is None:
                    continue
                target, label, node = network.route_target(self, route.props, route)
                entry = Route(destination.text() or "", target, label,
                              node.origin(f"{destination.text()} → {label}"))
                for owner in self.follow(route.props.get("RouteTableId"), route) or []:
                    self._routes.setdefault(id(owner), []).append(entry)
        return self._routes.get(id(table), [])

    def main_route_table(self, vpc: Res | None) -> Res | None:
        return None  # CloudFormation cannot change a VPC's main route table


def extract(templates: list[Template]) -> Extraction:
    """Claims from the templates; the network is read across all of them."""
    out = link(templates)
    workspace = Workspace(templates)
    services: list[service.ServiceRefs] = []
    task_sets = [res for res in workspace.all() if res.type == "AWS::ECS::TaskSet"]
    for res in workspace.all():
        if res.kind is Kind.TASK_DEFINITION:
            out += task_definition.extract(
                res.props,
                region=task_definition.TaskRegion(STACK_REGION, "the stack's Region"),
                secret_ref_kind=_secret_kind,
                account=(task_detail.STACK_ACCOUNT, "the stack's account"),
                log_group=network.log_group_lookup(workspace),
            )
        elif res.type == "AWS::ECS::TaskSet":
            extraction, refs = service.extract(res.props, part=service.Part.TASK_SET)
            out += extraction
            services.append(refs)
        elif res.kind is Kind.SERVICE:
            external = _deployed_by_task_sets(workspace, res, task_sets)
            extraction, refs = service.extract(
                res.props, part=service.Part.SETTINGS if external else service.Part.ALL)
            out += extraction
            if not external:
                services.append(refs)
    return out + network.claims(workspace, services)


def _deployed_by_task_sets(workspace: Workspace, res: Res, task_sets: list[Res]) -> bool:
    """An EXTERNAL or CODE_DEPLOY deployment controller, or a task set of this service."""
    controller = res.props.get("DeploymentController")
    kind = controller.get("Type") if controller else None
    if kind is not None and (kind.text() or "").upper() in ("EXTERNAL", "CODE_DEPLOY"):
        return True
    return any(res in (workspace.follow(t.props.get("Service"), t) or ()) for t in task_sets)


def _secret_kind(ref: ResourceRef) -> SecretSource | None:
    if ref.type == "AWS::SecretsManager::Secret":
        return SecretSource.SECRETSMANAGER
    if ref.type == "AWS::SSM::Parameter":
        return SecretSource.SSM
    return None
