"""Terraform source (`.tf`, `.tf.json`, `.tfvars`) read as a `network.Graph`.

All `.tf` files given together are one root module. Each resource block is evaluated
(`tf_eval`) into its instances: one, or one per `count` index or `for_each` key when those are
known. A block whose `count` or `for_each` is not known may or may not exist, so it is left
out and every field it could decide is left unknown, with a note. Calls of the public modules
in `tf_modules.MODULES` become the resources those modules create from their inputs; any
other module is opaque.

The graph is the plan reader's (`terraform.Plan`), with references (`tf_eval.Ref`) followed
to the instances they name instead of IDs, so subnets, route tables, gateways, endpoints
and load balancers are read by the same code as in a plan, and an omitted argument takes the
provider's default, as it does in CloudFormation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from . import tf_modules
from .hcl import Block
from .model import Claim, Extraction, Level, Notice, Origin
from .network import Kind, Res
from .nodes import Node, ResourceRef, Unresolved, join
from .terraform import KINDS, Instance, Plan
from .tf_eval import Evaluator, JsonText, Ref, Scope, apply_steps, unknown
from .tf_eval import Instance as Value

# The fields each kind of resource can decide: when such a resource may or may not exist
# (count or for_each not known), these stay unknown.
_SG = ("task_egress", "endpoint_sg", "efs_sg", "lb_ingress")
_INGRESS = ("endpoint_sg", "efs_sg", "lb_ingress")
_LB = ("load_balancer", "lb_ingress", "lb_azs")
_DECIDES: dict[Kind, tuple[str, ...]] = {
    Kind.SUBNET: ("subnet", "nat_gateway", "ip_mode", "ipv6_autoassign", "ipv6_egress",
                  "dns64", "egress_via", "nacl", "lb_azs", "efs_mount_targets", *_INGRESS),
    Kind.ROUTE_TABLE: ("subnet", "nat_gateway", "ipv6_egress", "endpoints", "egress_via",
                       "s3_endpoint_routes"),
    Kind.ROUTE: ("subnet", "nat_gateway", "ipv6_egress", "egress_via"),
    Kind.ASSOCIATION: ("subnet", "nat_gateway", "ipv6_egress", "egress_via",
                       "s3_endpoint_routes"),
    Kind.NAT: ("subnet", "nat_gateway", "egress_via"),
    Kind.IGW: ("subnet", "nat_gateway"),
    Kind.ENDPOINT: ("endpoints", "endpoint_private_dns", "endpoint_sg", "endpoint_policy",
                    "endpoint_ip_type", "endpoints_in", "s3_endpoint_routes"),
    Kind.ENDPOINT_ROUTE: ("s3_endpoint_routes",),
    Kind.VPC: ("vpc_dns", "endpoints", "dns_support", "dns_hostnames", "dns_resolver", "nacl",
               "endpoints_in", *_INGRESS),
    Kind.SERVICE: ("public_ip", "subnet_count", "security_group_count", "platform_version",
                   "ecs_exec", "load_balancer", "target_type", "subnet", "nat_gateway",
                   "service_discovery", "nacl", "lb_azs", "efs_mount_targets", *_SG),
    Kind.TASK_DEFINITION: ("os", "arch", "registry", "log_driver", "secrets", "efs", "nacl"),
    Kind.TARGET_GROUP: ("target_type", *_LB),
    Kind.LISTENER: _LB,
    Kind.LOAD_BALANCER: _LB,
    Kind.SECURITY_GROUP: _SG,
    Kind.SG_INGRESS: _INGRESS,
    Kind.SG_EGRESS: ("task_egress",),
    Kind.SG_RULE: _SG,
    # An ACL's entries, and which subnets it has; EFS adds 2049 to what it must allow.
    Kind.NACL: ("nacl",),
    Kind.NACL_ENTRY: ("nacl",),
    Kind.NACL_ASSOCIATION: ("nacl",),
    Kind.DHCP_OPTIONS: ("dns_resolver",),
    Kind.DHCP_ASSOCIATION: ("dns_resolver",),
    Kind.EFS_MOUNT_TARGET: ("efs_sg", "efs_mount_targets", "nacl"),
}


@dataclass
class Uncertain:
    address: str
    kind: Kind
    why: str
    origin: Origin


class Config:
    """The documents' blocks, and the values of variables, locals and resources."""

    def __init__(self, blocks: list[Block], tfvars: list[Block], files: dict[str, str]) -> None:
        self.blocks = blocks
        self.evaluator = Evaluator(files)
        self.variables = {b.labels[0]: b for b in blocks if b.type == "variable" and b.labels}
        self.tfvars: dict[str, tuple[Any, str]] = {}
        for block in tfvars:
            for name, expr in block.attrs.items():
                self.tfvars[name] = (expr, block.document)
        self.locals: dict[str, tuple[Any, Block]] = {}
        for block in blocks:
            if block.type == "locals":
                for name, expr in block.attrs.items():
                    self.locals[name] = (expr, block)
        self._local_values: dict[str, tuple[Any, frozenset[str]]] = {}
        self._evaluating: set[str] = set()
        self.resources: dict[tuple[str, str], list[Value]] = {}
        self.modules = {b.labels[0]: b for b in blocks if b.type == "module" and b.labels}
        self.module_values: dict[str, tf_modules.ModuleResult | None] = {}
        self.scope = Scope(self._root)

    # --- names ----------------------------------------------------------------------------

    def _root(self, root: str, steps: list[Any], evaluator: Evaluator) -> Any:
        if root == "var" and steps and steps[0][0] == "attr":
            return apply_steps(self.variable(steps[0][1]), steps[1:])
        if root == "local" and steps and steps[0][0] == "attr":
            return apply_steps(self.local(steps[0][1]), steps[1:])
        if root == "data":
            name = ".".join(str(s[1]) for s in steps[:2])
            return unknown(f"data.{name} is a data source, read from the account when "
                           "Terraform runs", f"${{data.{name}}}")
        if root == "module" and len(steps) >= 2:
            return apply_steps(self.module_output(str(steps[0][1]), str(steps[1][1])),
                               steps[2:])
        if root == "path":
            return "."
        if root in ("count", "each", "self"):
            return unknown(f"{root}.* outside a resource with {root}")
        if root == "terraform":
            return unknown("terraform.workspace is chosen when Terraform runs")
        if "_" in root and steps and steps[0][0] == "attr":
            return apply_steps(self.resource_value(root, str(steps[0][1])), steps[1:])
        return unknown(f"{root} is not something the documents define")

    def provider_region(self) -> str | None:
        for block in self.blocks:
            if block.type == "provider" and block.labels == ("aws",) and "alias" not in \
                    block.attrs and "region" in block.attrs:
                value = self.evaluator.eval(block.attrs["region"], self.scope)
                return value if isinstance(value, str) else None
        return None

    def variable(self, name: str) -> Any:
        if name in self.tfvars:
            expr, document = self.tfvars[name]
            self.evaluator.used.add(f"value of `{name}` in {document}")
            return self.evaluator.eval(expr, Scope(_no_names))
        block = self.variables.get(name)
        if block is None:
            return unknown(f"variable `{name}` is not declared in the documents",
                           f"${{var.{name}}}")
        if "default" not in block.attrs:
            return unknown(f"variable `{name}` has no default and no .tfvars value among the "
                           "documents", f"${{var.{name}}}")
        self.evaluator.used.add(f"default of variable `{name}`")
        return self.evaluator.eval(block.attrs["default"], Scope(_no_names))

    def local(self, name: str) -> Any:
        if name in self._local_values:
            value, used = self._local_values[name]
            self.evaluator.used |= used
            return value
        if name not in self.locals or name in self._evaluating:
            return unknown(f"local.{name} is not defined in the documents", f"${{local.{name}}}")
        self._evaluating.add(name)
        outer, self.evaluator.used = self.evaluator.used, set()
        value = self.evaluator.eval(self.locals[name][0], self.scope)
        used = frozenset(self.evaluator.used)
        self.evaluator.used = outer | used
        self._evaluating.discard(name)
        self._local_values[name] = (value, used)
        return value

    def resource_value(self, rtype: str, name: str) -> Any:
        instances = self.resources.get((rtype, name))
        if instances is None:
            return unknown(f"{rtype}.{name} is not a resource the documents create (or its "
                           "count is not known)", f"${{{rtype}.{name}}}")
        if len(instances) == 1 and instances[0].key is None:
            return instances[0]
        if all(isinstance(i.key, int) for i in instances):
            return list(instances)
        return {str(i.key): i for i in instances}

    def module_output(self, name: str, output: str) -> Any:
        result = self.module_values.get(name)
        if result is None:
            block = self.modules.get(name)
            source = self.evaluator.eval(block.attrs.get("source"), self.scope) if block else None
            return unknown(f"output {output} of module `{name}` ({source or 'not declared'}), "
                           "whose code is not among the documents",
                           f"${{module.{name}.{output}}}")
        return result.outputs.get(output, unknown(
            f"output {output} of module `{name}` ({result.source}) is not one the advisor "
            "reads", f"${{module.{name}.{output}}}"))


def _no_names(root: str, steps: list[Any], evaluator: Evaluator) -> Any:
    return unknown(f"{root} in a variable's default")


class Source(Plan):
    """Terraform source as a graph: `terraform.Plan` with references instead of IDs."""

    def __init__(self, documents: list[tuple[str, list[Block]]], tfvars: list[Block],
                 files: dict[str, str]) -> None:
        self.document = documents[0][0] if documents else ""
        self.body = {}
        self.configuration = {}
        self.instances = []
        self._by_id = {}
        self._by_res = {}
        self._by_name = {}
        self._routes = None
        blocks = [b for _, group in documents for b in group]
        self.config = Config(blocks, tfvars, files)
        self.uncertain: list[Uncertain] = []
        self.notices: list[Notice] = []
        self.used: dict[str, set[str]] = {}  # Node path prefix -> variable defaults used
        self.by_field: dict[str, set[str]] = {}  # what decides a field by its presence
        self._by_key: dict[tuple[str, str, str, Any], Instance] = {}
        self._expand([b for b in blocks if b.type == "resource" and len(b.labels) == 2])
        modules = sorted(self.config.modules.items(), key=lambda item: tf_modules.handler(
            str(self.config.evaluator.eval(item[1].attrs.get("source"), self.config.scope)))
            is None)  # the modules the advisor knows first: others may be given their outputs
        for name, block in modules:
            self._module(name, block)
        self._evaluate()

    # --- building -------------------------------------------------------------------------

    def _expand(self, blocks: list[Block]) -> None:
        """Each resource block's instance keys, from a known count or for_each."""
        self._pending: list[tuple[Block, Value, dict[str, Any]]] = []
        for block in blocks:
            rtype, name = block.labels
            keys = self._instance_keys(block)
            if isinstance(keys, Unresolved):
                kind = KINDS.get(rtype)
                if kind is not None:
                    self.uncertain.append(Uncertain(
                        f"{rtype}.{name}", kind, keys.reason,
                        Origin(block.document, f"resource.{rtype}.{name}", f"line {block.line}")))
                continue
            values = []
            for key, names in keys:
                value = Value("", rtype, name, key)
                values.append(value)
                self._pending.append((block, value, names))
            self.config.resources[(rtype, name)] = values

    def _instance_keys(self, block: Block) -> list[tuple[Any, dict[str, Any]]] | Unresolved:
        outer, self.config.evaluator.used = self.config.evaluator.used, set()
        try:
            return self._keys(block)
        finally:
            if self.config.evaluator.used:
                self.used.setdefault(f"resource.{block.labels[0]}.{block.labels[1]}" + _WHOLE,
                                     set()).update(self.config.evaluator.used)
                kind = KINDS.get(block.labels[0])
                for name in _DECIDES.get(kind, ()) if kind else ():  # present, or not
                    self.by_field.setdefault(name, set()).update(self.config.evaluator.used)
            self.config.evaluator.used = outer

    def _keys(self, block: Block) -> list[tuple[Any, dict[str, Any]]] | Unresolved:
        evaluate = self.config.evaluator.eval
        if "count" in block.attrs:
            count = evaluate(block.attrs["count"], self.config.scope)
            if isinstance(count, bool) or not isinstance(count, int | float):
                return Unresolved(f"it may or may not exist: its count is not known ({count})")
            return [(i, {"count": {"index": i}}) for i in range(int(count))]
        if "for_each" in block.attrs:
            each = evaluate(block.attrs["for_each"], self.config.scope)
            if isinstance(each, list) and all(isinstance(k, str) for k in each):
                each = {k: k for k in each}
            if not isinstance(each, dict):
                return Unresolved(f"its for_each is not known ({each})")
            return [(k, {"each": {"key": k, "value": v}}) for k, v in each.items()]
        return [(None, {})]

    def _evaluate(self) -> None:
        for block, value, names in self._pending:
            rtype, name = block.labels
            scope = self.config.scope.with_names(names)
            address = f"{rtype}.{name}" + ("" if value.key is None else f"[{value.key!r}]"
                                           .replace("'", '"'))
            path = f"resource.{rtype}.{name}" + ("" if value.key is None else
                                                  f"[{value.key!r}]".replace("'", '"'))
            props = self._block_values(block, scope, path)
            value.attrs.update({k: v for k, v in props.items() if not isinstance(v, Unresolved)})
            if rtype == "aws_vpc_endpoint":
                props["service_name"] = _service_name(props.get("service_name"))
            self._add(rtype, name, value.key, "", props, address, path, block.document)

    def _block_values(self, block: Block, scope: Scope, path: str) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, expr in block.attrs.items():
            if key in ("count", "for_each", "depends_on", "lifecycle", "provider"):
                continue
            outer, self.config.evaluator.used = self.config.evaluator.used, set()
            out[key] = _finish(self.config.evaluator.eval(expr, scope))
            if self.config.evaluator.used:
                self.used.setdefault(join(path, key), set()).update(self.config.evaluator.used)
            self.config.evaluator.used = outer | self.config.evaluator.used
        for nested in block.blocks:
            if nested.type == "dynamic" and nested.labels:
                out[nested.labels[0]] = self._dynamic(nested, scope, join(path, nested.labels[0]))
            elif nested.type not in ("lifecycle", "timeouts", "provisioner", "connection"):
                items = out.setdefault(nested.type, [])
                if isinstance(items, list):
                    items.append(self._block_values(nested, scope,
                                                    join(join(path, nested.type), len(items))))
        return out

    def _dynamic(self, block: Block, scope: Scope, path: str) -> Any:
        each = self.config.evaluator.eval(block.attrs.get("for_each"), scope)
        iterator = block.labels[0]
        if "iterator" in block.attrs:
            iterator = str(block.attrs["iterator"])
        if isinstance(each, list):
            each = dict(enumerate(each))
        if not isinstance(each, dict):
            return unknown(f"a dynamic block over a collection that is not known ({each})")
        content = next((b for b in block.blocks if b.type == "content"), None)
        if content is None:
            return []
        return [self._block_values(content, scope.with_names({iterator: {"key": k, "value": v}}),
                                   join(path, i))
                for i, (k, v) in enumerate(each.items())]

    def _add(self, rtype: str, name: str, key: Any, module: str, props: dict[str, Any],
             address: str, path: str, document: str) -> Res:
        kind = KINDS.get(rtype)
        res = Res(kind or Kind.VPC, address, rtype, Node(props, path, document),
                  main=rtype == "aws_default_route_table")
        instance = Instance(res, module, rtype, name, key, "managed")
        self.instances.append(instance)
        self._by_res[id(res)] = instance
        self._by_key[(module, rtype, name, key)] = instance
        self._by_name.setdefault((module, rtype, name), []).append(instance)
        return res

    def _module(self, name: str, block: Block) -> None:
        scope = self.config.scope
        source = self.config.evaluator.eval(block.attrs.get("source"), scope)
        handler = tf_modules.handler(source if isinstance(source, str) else "")
        origin = Origin(block.document, f"module.{name}", f"line {block.line}")
        if handler is None:
            self._opaque(name, block, origin)
            self.notices.append(Notice(
                Level.INFO, f"Module `{name}` ({source}) is not one whose inputs the advisor "
                "knows, and its code is not among the documents, so what it creates is not "
                "known.", origin))
            self.config.module_values[name] = None
            return
        for key in ("count", "for_each"):
            if key in block.attrs:
                self.notices.append(Notice(Level.INFO, f"Module `{name}` uses {key}, which the "
                                           "advisor does not expand.", origin))
                return
        inputs: dict[str, Any] = {}
        for key, expr in block.attrs.items():
            outer, self.config.evaluator.used = self.config.evaluator.used, set()
            inputs[key] = _finish(self.config.evaluator.eval(expr, scope))
            if self.config.evaluator.used:
                self.used.setdefault(join(f"module.{name}", key), set()).update(
                    self.config.evaluator.used)
                for field_name in tf_modules.INPUT_FIELDS.get(key, ()):
                    self.by_field.setdefault(field_name, set()).update(
                        self.config.evaluator.used)
            self.config.evaluator.used = outer | self.config.evaluator.used
        result = handler(tf_modules.Call(name, str(source), inputs, block.document,
                                         block.line, self._module_add))
        self.config.module_values[name] = result
        self.notices += result.notices

    def _opaque(self, name: str, block: Block, origin: Origin) -> None:
        """A module whose code is not here may create VPC endpoints in a VPC it is given."""
        for key, expr in block.attrs.items():
            value = self.config.evaluator.eval(expr, self.config.scope)
            refs = [v for v in (value if isinstance(value, list) else [value])
                    if isinstance(v, Ref)]
            if any(t[1] == "aws_vpc" for r in refs for t in r.targets):
                self.uncertain.append(Uncertain(
                    f"module.{name}", Kind.ENDPOINT, f"module `{name}` is given the VPC "
                    f"({key}) and its code, which may create VPC endpoints, is not here",
                    origin))
                return

    def _module_add(self, module: str, rtype: str, name: str, key: Any,
                    props: dict[str, Any], path: str, document: str) -> Ref:
        address = f"{module}.{rtype}.{name}" + ("" if key is None else f"[{key!r}]")
        if rtype == "aws_vpc_endpoint":
            props["service_name"] = _service_name(props.get("service_name"))
        self._add(rtype, name, key, module, props, address.replace("'", '"'), path, document)
        return Ref(f"{address}, known after apply", f"${{{address}.id}}",
                   ((module, rtype, name, key),), "id")

    # --- network.Graph --------------------------------------------------------------------

    def _follow(self, value: Any, owner: Res | None, main: bool = True) -> list[Res] | None:
        if isinstance(value, Value):
            value = value.ref("id")
        if isinstance(value, Ref):
            out: list[Res] = []
            for module, rtype, name, key in value.targets:
                instance = self._by_key.get((module, rtype, name, key))
                found = [instance] if instance else [
                    i for i in self._by_name.get((module, rtype, name), []) if key is None]
                if not found:
                    return None
                out += [i.res for i in self._main_table_of(found, value.attr)] if main else \
                    [i.res for i in found]
            return out
        if isinstance(value, Unresolved):
            return None
        return super()._follow(value, owner, main)

    def main_route_table(self, vpc: Res | None) -> Res | None:
        return super().main_route_table(vpc)

    # --- what is uncertain ----------------------------------------------------------------

    def blocked_fields(self) -> dict[str, Uncertain]:
        out: dict[str, Uncertain] = {}
        for item in self.uncertain:
            for name in _DECIDES.get(item.kind, ()):
                out.setdefault(name, item)
        return out


def _finish(value: Any) -> Any:
    """A resource instance used as a whole value is a reference to it; a reference to a
    secret or parameter says which kind of store it is (`ResourceRef`)."""
    if isinstance(value, Value):
        return value.ref("id")
    if isinstance(value, Ref) and len(value.targets) == 1 and value.targets[0][1].startswith(
            ("aws_secretsmanager_secret", "aws_ssm_parameter")):
        _, rtype, name, _ = value.targets[0]
        return ResourceRef(f"{rtype}.{name}", rtype, value.attr)
    if isinstance(value, list):
        return [_finish(v) for v in value]
    if isinstance(value, dict):
        return {k: _finish(v) for k, v in value.items()}
    if isinstance(value, JsonText):
        return JsonText(value.reason, value.text, _finish(value.structure))
    return value


_WHOLE = " (count or for_each)"  # a record about the instances, not one attribute
_REGION_PART = re.compile(r"^((?:cn\.)?com\.amazonaws\.)[^.]*\$\{[^}]*\}[^.]*(\..+)$")


def _service_name(value: Any) -> Any:
    """`com.amazonaws.${var.region}.ecr.api`: the Region does not matter for which service it
    is, so the name is read with a placeholder Region."""
    if isinstance(value, Unresolved) and value.text:
        match = _REGION_PART.match(value.text)
        if match and "${" not in match.group(2):
            return f"{match.group(1)}region{match.group(2)}"
    return value


def provenance(extraction: Extraction, used: dict[str, set[str]],
               by_field: dict[str, set[str]]) -> Extraction:
    """Each claim whose value rests on a variable's default or a .tfvars value says so: by
    the place it was read, or, for what a resource's count or a module's input decides
    (a NAT route there or not), by its field."""
    claims: list[Claim] = []
    for claim in extraction.claims:
        notes: set[str] = set(by_field.get(claim.field, ()))
        for origin in claim.origins:
            for path, sources in used.items():
                whole = path.endswith(_WHOLE)
                path = path.removesuffix(_WHOLE)
                if origin.path == path or origin.path.startswith(
                        (path + ".", path + "[") if whole else path + "["):
                    notes |= sources
        if notes:
            extra = "; ".join(sorted(notes))
            note = f"{claim.note}; from the {extra}" if claim.note else f"from the {extra}"
            if any(n.startswith("default") for n in notes):
                note += " (a default: a .tfvars file or -var can override it)"
            claim = Claim(claim.field, claim.value, claim.origins, note, claim.inferred,
                          claim.pattern, claim.suggested, claim.includes, claim.excludes)
        claims.append(claim)
    return Extraction(tuple(claims), extraction.notices, extraction.diagnoses)


def extract(documents: list[tuple[str, list[Block]]], tfvars: list[Block],
            files: dict[str, str]) -> Extraction:
    """The answers Terraform source gives; what rests on an uncertain resource is dropped."""
    from .terraform import extract_graph

    source = Source(documents, tfvars, files)
    region = source.config.provider_region()
    extraction = provenance(extract_graph(source, region), source.used, source.by_field)
    blocked = source.blocked_fields()
    claims = tuple(c for c in extraction.claims if c.field not in blocked)
    notices = list(source.notices)
    for item in {id(u): u for u in blocked.values()}.values():
        fields = sorted(f for f, u in blocked.items() if u is item)
        notices.append(Notice(Level.INFO, f"{item.address}: {item.why}, which only Terraform "
                              f"knows when it runs. {', '.join(fields)} are left unknown.",
                              item.origin))
    return Extraction(claims, extraction.notices + tuple(notices), extraction.diagnoses)
