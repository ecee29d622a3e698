"""The network diagram of a result: inline SVG drawn on the server, no chart library.

`render_diagram(result)` returns one `<svg>` (a SafeString) for the result page, styled only by
classes from `static/css/diagram.css` (strict CSP: no `style` attributes, no `<style>`).

The picture is a routing map read top to bottom, laid out for a phone first (viewBox 360 units
wide, so 13-unit text stays about 12 px at 390 px):

- the VPC, with the task ENI in its subnet and, above it, the load balancer if there is one;
- one horizontal line per *branch* of a flow: from the ENI's trunk, through its hop (a VPC
  endpoint, the NAT gateway, the internet gateway or egress-only internet gateway on the VPC's
  edge), to the service on the right, or to a destination inside the VPC (EFS);
- on Linux platform version 1.3.0, a second section outside the VPC for the Fargate-owned ENI;
- gateways and endpoints that exist but carry none of these flows, with a note;
- a legend.

A flow (one used row of `result.traffic`) is one `<g class="dg-flow dg-flow--<status>">` with a
`<title>`; most flows have one branch, image pull from ECR has two (registry and S3 layers),
secrets one per store. Status is shown three ways, never by colour alone: the dash pattern, the
icon at the line's end (check, cross, slashed circle) and a word.

Which hop a branch takes mirrors `evaluate()`: the rows carry the status and the path in words,
not the hop, so this module repeats the routing model of pass 1 of `advisor/rules/evaluate.py`
(an internet path first, else usable VPC endpoints, else no route). tests/test_diagram.py checks
the two agree with the rows' path texts across many configurations.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeString, mark_safe

from .rules.answers import (
    OS,
    Answers,
    Endpoint,
    IPMode,
    IPv6Egress,
    LoadBalancer,
    LogDriver,
    PlatformVersion,
    Registry,
    SecretSource,
    Subnet,
)
from .rules.knowledge import (
    ECR_AUTH_ENDPOINTS,
    ENDPOINT_SERVED_REGISTRIES,
    ENDPOINTS,
    IMAGE_PULL_ENDPOINTS,
    LOG_DRIVER_ENDPOINTS,
    SECRET_ENDPOINTS,
)
from .rules.result import ENI, Action, Result, Status, TrafficRow

# --- What to draw --------------------------------------------------------------------------


class Hop(StrEnum):
    """How a branch leaves the ENI that carries it."""

    ENDPOINT = "endpoint"
    NAT = "nat"  # NAT gateway, then the internet gateway
    IGW = "igw"
    EIGW = "eigw"
    VPC = "vpc"  # the destination is inside the VPC
    NO_ROUTE = "none"
    FARGATE = "fargate"  # the Fargate-owned ENI, over the AWS network


@dataclass(frozen=True, slots=True)
class Service:
    short: str  # fits the box on a phone
    title: str  # for the hover title and the description


@dataclass(frozen=True, slots=True)
class Branch:
    """One line: a flow's way to one service."""

    row: TrafficRow
    service: Service
    hop: Hop
    endpoint: Endpoint | None = None


FLOW_NAMES: dict[Action, str] = {
    Action.ECR_AUTH: "ECR login",
    Action.IMAGE_PULL: "Image pull",
    Action.LOG_DRIVER: "Log driver",
    Action.FIRELENS: "FireLens",
    Action.SECRETS: "Secrets",
    Action.EFS: "EFS",
    Action.APPLICATION: "App traffic",
}

STATUS_WORDS: dict[Status, str] = {
    Status.OK: "OK",
    Status.BLOCKED: "Blocked",
    Status.UNSUPPORTED: "Unsupported",
}

LEGEND: tuple[tuple[Status, str], ...] = (
    (Status.OK, "OK: a path reaches the service"),
    (Status.BLOCKED, "Blocked: no path reaches it"),
    (Status.UNSUPPORTED, "Unsupported on this platform"),
)

# stroke-dasharray per status: the line's pattern carries the status without colour.
DASHES: dict[Status, str | None] = {
    Status.OK: None,
    Status.BLOCKED: "8 5",
    Status.UNSUPPORTED: "1 5",
}

ECR_API = Service("ECR API", "Amazon ECR API")
ECR_API_OTHER = Service("ECR API, other Region", "the Amazon ECR API in another Region")
ECR_REGISTRY = Service("ECR registry", "the Amazon ECR registry (image manifests)")
S3_LAYERS = Service("S3 (image layers)", "Amazon S3 (image layers)")
CLOUDWATCH_LOGS = Service("CloudWatch Logs", "CloudWatch Logs")
FIRELENS_DESTINATION = Service("FireLens destination", "the FireLens destination")
SPLUNK = Service("Splunk", "Splunk")
LOG_DESTINATION = Service("Log destination", "the log destination")
SECRET_SERVICES: dict[SecretSource, Service] = {
    SecretSource.SECRETSMANAGER: Service("Secrets Manager", "AWS Secrets Manager"),
    SecretSource.SSM: Service("SSM Parameter Store", "SSM Parameter Store"),
}
EFS_TARGET = Service("EFS mount target", "the EFS mount target")
DESTINATIONS_OUT = Service("Your destinations", "your application's destinations")
DESTINATIONS_IN = Service("App destinations", "your application's destinations inside the VPC")
REGISTRY_SERVICES: dict[Registry, Service] = {
    Registry.ECR_OTHER_REGION: Service("ECR, other Region", "Amazon ECR in another Region"),
    Registry.ECR_PUBLIC: Service("ECR Public", "Amazon ECR Public (public.ecr.aws)"),
    Registry.DOCKER_HUB: Service("Docker Hub", "Docker Hub"),
    Registry.OTHER_PUBLIC: Service("Public registry", "a public registry"),
    Registry.PRIVATE_REGISTRY: Service("Private registry", "your private registry"),
}
IMAGE_PULL_SERVICES: dict[Endpoint, Service] = {
    Endpoint.ECR_DKR: ECR_REGISTRY,
    Endpoint.S3: S3_LAYERS,
}

LB_NAMES: dict[LoadBalancer, tuple[str, str]] = {
    LoadBalancer.ALB: ("ALB", "an Application Load Balancer"),
    LoadBalancer.NLB: ("NLB", "a Network Load Balancer"),
    LoadBalancer.CLB: ("CLB", "a Classic Load Balancer"),
    LoadBalancer.GWLB: ("GWLB", "a Gateway Load Balancer"),
}

IP_MODE_NAMES: dict[IPMode, str] = {
    IPMode.IPV4: "IPv4",
    IPMode.DUALSTACK: "dual-stack",
    IPMode.IPV6_ONLY: "IPv6 only",
}


GATEWAY_NAMES: dict[Hop, tuple[str, str]] = {
    Hop.IGW: ("IGW", "the internet gateway"),
    Hop.EIGW: ("EIGW", "the egress-only internet gateway"),
}


def endpoint_short(endpoint: Endpoint) -> str:
    """`ecr.api`, `s3`, ...: the end of the endpoint's service name."""
    return ENDPOINTS[endpoint].service_name.split(".", 3)[3]


def endpoint_phrase(endpoint: Endpoint) -> str:
    kind = "gateway endpoint" if ENDPOINTS[endpoint].type == "gateway" else "VPC endpoint"
    return f"the {endpoint_short(endpoint)} {kind}"


def internet_hop(a: Answers) -> Hop | None:
    """The task ENI's way to the internet, as evaluate() works it out, or None."""
    if a.ip_mode is IPMode.IPV6_ONLY:
        if a.ipv6_egress is IPv6Egress.IGW:
            return Hop.IGW
        if a.ipv6_egress is IPv6Egress.EGRESS_ONLY_IGW:
            return Hop.EIGW
        return Hop.NAT if a.nat_gateway else None
    if a.subnet is Subnet.PUBLIC and a.public_ip:
        return Hop.IGW
    if a.subnet is Subnet.PRIVATE and a.nat_gateway:
        return Hop.NAT
    return None


def endpoint_usable(a: Answers, endpoint: Endpoint) -> bool:
    """Present, and for interface endpoints reachable by name (VPC DNS and private DNS)."""
    if endpoint not in a.endpoints:
        return False
    return ENDPOINTS[endpoint].type == "gateway" or (a.vpc_dns and a.endpoint_private_dns)


def _targets(a: Answers, action: Action) -> tuple[tuple[Service, Endpoint | None], ...]:
    """The services a flow goes to, each with the VPC endpoint that can serve it."""
    ecr_endpoints = a.registry in ENDPOINT_SERVED_REGISTRIES
    if action is Action.ECR_AUTH:
        if a.registry is Registry.ECR_OTHER_REGION:
            return ((ECR_API_OTHER, None),)
        return ((ECR_API, ECR_AUTH_ENDPOINTS[0] if ecr_endpoints else None),)
    if action is Action.IMAGE_PULL:
        if ecr_endpoints:
            return tuple((IMAGE_PULL_SERVICES[e], e) for e in IMAGE_PULL_ENDPOINTS)
        return ((REGISTRY_SERVICES[a.registry], None),)
    if action is Action.LOG_DRIVER:
        if a.log_driver is LogDriver.AWSLOGS:
            return ((CLOUDWATCH_LOGS, LOG_DRIVER_ENDPOINTS[LogDriver.AWSLOGS][0]),)
        return ((SPLUNK if a.log_driver is LogDriver.SPLUNK else LOG_DESTINATION, None),)
    if action is Action.FIRELENS:
        # evaluate() lets the logs endpoint serve FireLens (its CloudWatch Logs output).
        return ((FIRELENS_DESTINATION, LOG_DRIVER_ENDPOINTS[LogDriver.AWSLOGS][0]),)
    if action is Action.SECRETS:
        sources = set(a.secrets)
        if a.registry is Registry.PRIVATE_REGISTRY or not sources:
            sources.add(SecretSource.SECRETSMANAGER)
        return tuple(
            (SECRET_SERVICES[s], SECRET_ENDPOINTS[s]) for s in SecretSource if s in sources
        )
    if action is Action.EFS:
        return ((EFS_TARGET, None),)
    return ((DESTINATIONS_OUT, None),)


def branches(result: Result) -> tuple[Branch, ...]:
    """Every line to draw, in traffic-table order; rows that are not used have none."""
    a = result.answers
    internet = internet_hop(a)
    # No ECR endpoint is documented to serve IPv6-only tasks (evaluate: ecr_ipv6_endpoints).
    ecr_capable = a.ip_mode is not IPMode.IPV6_ONLY
    out: list[Branch] = []
    for row in result.traffic:
        if row.status is Status.NOT_USED:
            continue
        if row.action is Action.APPLICATION:
            if internet is None:
                out.append(Branch(row, DESTINATIONS_IN, Hop.VPC))
            else:
                out.append(Branch(row, DESTINATIONS_OUT, internet))
            continue
        for service, endpoint in _targets(a, row.action):
            out.append(Branch(row, service, _hop(a, row, internet, endpoint, ecr_capable),
                              endpoint))
    return tuple(out)


def _hop(a: Answers, row: TrafficRow, internet: Hop | None, endpoint: Endpoint | None,
         ecr_capable: bool) -> Hop:
    if row.eni is ENI.FARGATE_OWNED:
        return Hop.FARGATE
    if row.action is Action.EFS:
        return Hop.VPC
    if row.status is Status.UNSUPPORTED:
        return Hop.NO_ROUTE
    # A usable endpoint takes its service's traffic even beside an internet path (private DNS,
    # and the S3 gateway endpoint's more specific route), as evaluate()'s _reach says.
    capable = ecr_capable or row.action not in (Action.ECR_AUTH, Action.IMAGE_PULL)
    if endpoint is not None and capable and endpoint_usable(a, endpoint):
        return Hop.ENDPOINT
    if internet is not None:
        return internet
    return Hop.NO_ROUTE


# --- Geometry (viewBox units; 360 wide) ----------------------------------------------------

WIDTH = 360
VPC_X0, VPC_X1 = 4, 160  # the VPC's right edge is where gateways sit
TRUNK_X = 18
HOP_X0, HOP_X1 = 28, 134
GW_X0, GW_X1 = 142, 178
ICON_X, ICON_R = 188, 7.5
SVC_X0, SVC_X1 = 198, 356
INNER_ICON_X, INNER_X0, INNER_X1 = 31, 42, 156  # a destination inside the VPC
PAD = 5  # text inside a box
ROW = 48  # pitch of the branch rows
BOX_H = 40
FONT = 13
LINE_GAP = 16  # between the two text lines of a box

# Rough advance widths (in em) of DejaVu Sans, the widest font a reader is likely to have, to
# squeeze a label into its box (textLength) rather than let it overflow on a phone.
_NARROW = set("fijlrt.,:;'|!()[] -")
_WIDE = set("ABCDEFGHKMNOQRSUVWXYZmw")


def _text_width(text: str, size: float, bold: bool = False) -> float:
    em = sum(0.34 if c in _NARROW else 0.74 if c in _WIDE else 0.6 for c in text)
    return em * size * (1.12 if bold else 1.0)


# --- SVG building --------------------------------------------------------------------------


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _el(tag: str, attrs: dict[str, object] | None = None, *children: object) -> SafeString:
    """One element. Attribute values and text children are escaped; SafeStrings are not."""
    parts = [tag]
    for name, value in (attrs or {}).items():
        if value is None:
            continue
        text = _num(value) if isinstance(value, float) else str(value)
        parts.append(f'{name}="{escape(text)}"')
    head = " ".join(parts)
    if not children:
        return mark_safe(f"<{head}/>")
    inner = "".join(str(conditional_escape(child)) for child in children)
    return mark_safe(f"<{head}>{inner}</{tag}>")


def _join(parts: Iterable[SafeString]) -> SafeString:
    return mark_safe("".join(parts))


def _text(x: float, y: float, parts: Sequence[tuple[str, str]], *, width: float,
          anchor: str = "start", size: float = FONT) -> SafeString:
    """A line of text made of (text, class) runs, squeezed to `width` if it would overflow."""
    attrs: dict[str, object] = {"x": float(x), "y": float(y), "class": "dg-text"}
    if anchor != "start":
        attrs["text-anchor"] = anchor
    if sum(_text_width(text, size, "strong" in cls) for text, cls in parts) > width:
        attrs["textLength"] = float(width)
        attrs["lengthAdjust"] = "spacingAndGlyphs"
    runs = [_el("tspan", {"class": cls} if cls else None, text) for text, cls in parts]
    return _el("text", attrs, *runs)


def _box(x0: float, y0: float, x1: float, y1: float, cls: str,
         lines: Sequence[Sequence[tuple[str, str]]], *, anchor: str = "middle",
         title: str | None = None) -> SafeString:
    """A rounded box with one or two lines of text, centred vertically."""
    pad = PAD
    children: list[SafeString] = []
    if title:
        children.append(_el("title", None, title))
    children.append(_el("rect", {
        "x": float(x0), "y": float(y0), "width": float(x1 - x0), "height": float(y1 - y0),
        "rx": 5, "class": "dg-box", "fill": "none", "stroke": "currentColor",
    }))
    mid = (y0 + y1) / 2
    first = mid - (len(lines) - 1) * LINE_GAP / 2 + 4.5
    tx = (x0 + x1) / 2 if anchor == "middle" else x0 + pad
    for i, parts in enumerate(lines):
        children.append(_text(tx, first + i * LINE_GAP, parts, width=x1 - x0 - 2 * pad,
                              anchor=anchor))
    return _el("g", {"class": cls}, *children)


def _icon(x: float, y: float, status: Status) -> SafeString:
    glyph = {
        Status.OK: "M-3.6 0.2 L-1.1 2.8 L3.8 -2.6",
        Status.BLOCKED: "M-3 -3 L3 3 M3 -3 L-3 3",
        Status.UNSUPPORTED: "M-5.2 5.2 L5.2 -5.2",
    }[status]
    return _el(
        "g", {"class": "dg-icon", "transform": f"translate({_num(x)} {_num(y)})"},
        _el("circle", {"r": ICON_R, "class": "dg-icon-disc", "fill": "currentColor"}),
        _el("path", {"d": glyph, "class": "dg-icon-glyph", "fill": "none", "stroke": "white",
                     "stroke-width": 2}),
    )


def _line(points: Sequence[tuple[float, float]], status: Status, cls: str = "dg-line",
          hop: Hop | None = None) -> SafeString:
    d = "M" + " L".join(f"{_num(x)} {_num(y)}" for x, y in points)
    return _el("path", {
        "d": d, "class": cls, "fill": "none", "stroke": "currentColor",
        "stroke-dasharray": DASHES[status], "data-hop": hop.value if hop else None,
    })


def _service_lines(branch: Branch, with_flow: bool = True) -> list[list[tuple[str, str]]]:
    """The service's name, then the status word (and which flow, where it is not obvious)."""
    status = [(STATUS_WORDS[branch.row.status], "dg-status dg-strong")]
    if with_flow:
        status.append((" · " + FLOW_NAMES[branch.row.action], "dg-muted"))
    return [[(branch.service.short, "dg-service")], status]


# --- Layout --------------------------------------------------------------------------------

_HOP_ORDER = (Hop.VPC, Hop.ENDPOINT, Hop.NAT, Hop.IGW, Hop.EIGW, Hop.NO_ROUTE)


@dataclass(frozen=True, slots=True)
class _Idle:
    """A gateway or endpoint that exists but carries none of the drawn flows."""

    column: str  # "hop" or "gateway"
    label: str
    sub: str
    title: str
    note: str


def _idle_items(result: Result, drawn: Sequence[Branch]) -> list[_Idle]:
    a = result.answers
    hops = {b.hop for b in drawn}
    used_endpoints = {b.endpoint for b in drawn if b.hop is Hop.ENDPOINT}
    items: list[_Idle] = []
    if has_nat(a) and Hop.NAT not in hops:
        items.append(_Idle("hop", "NAT gateway", "", "NAT gateway", "No flow uses it"))
    if has_igw(a) and not hops & {Hop.IGW, Hop.NAT}:
        note = "Task has no public IP" if a.subnet is Subnet.PUBLIC else "No flow uses it"
        items.append(_Idle("gateway", "IGW", "", "Internet gateway", note))
    if has_eigw(a) and Hop.EIGW not in hops:
        items.append(_Idle("gateway", "EIGW", "", "Egress-only internet gateway",
                           "No flow uses it"))
    for endpoint in Endpoint:
        if endpoint not in a.endpoints or endpoint in used_endpoints:
            continue
        if not endpoint_usable(a, endpoint):
            note = "Unusable: no private DNS" if a.vpc_dns else "Unusable: VPC DNS off"
        else:
            note = "Not on these paths"
        kind = "gateway endpoint" if ENDPOINTS[endpoint].type == "gateway" else "endpoint"
        items.append(_Idle("hop", endpoint_short(endpoint), kind,
                           f"{ENDPOINTS[endpoint].title} {kind}: {note.lower()}", note))
    return items


def has_nat(a: Answers) -> bool:
    return a.nat_gateway and (a.subnet is Subnet.PRIVATE or a.ip_mode is IPMode.IPV6_ONLY)


def has_igw(a: Answers) -> bool:
    ipv6_igw = a.ip_mode is not IPMode.IPV4 and a.ipv6_egress is IPv6Egress.IGW
    return a.subnet is Subnet.PUBLIC or has_nat(a) or ipv6_igw


def has_eigw(a: Answers) -> bool:
    return a.ip_mode is not IPMode.IPV4 and a.ipv6_egress is IPv6Egress.EGRESS_ONLY_IGW


def _sorted_for_layout(drawn: Iterable[Branch]) -> list[Branch]:
    """Group rows by hop so a shared NAT or internet gateway spans adjacent rows."""
    indexed = list(enumerate(drawn))
    indexed.sort(key=lambda item: (_HOP_ORDER.index(item[1].hop), item[0]))
    return [branch for _, branch in indexed]


def _span(rows: dict[int, float], indexes: Iterable[int]) -> tuple[float, float] | None:
    ys = [rows[i] for i in indexes]
    if not ys:
        return None
    return min(ys) - BOX_H / 2, max(ys) + BOX_H / 2


class _Canvas:
    """Collects the layers of the picture; later layers draw over earlier ones."""

    def __init__(self, result: Result) -> None:
        self.result = result
        self.unsupported = (
            "not on Windows" if result.platform.os is OS.WINDOWS else "needs 1.4.0"
        )
        self.areas: list[SafeString] = []
        self.trunks: list[SafeString] = []
        self.flows: dict[Action, list[SafeString]] = {
            row.action: [] for row in result.traffic if row.status is not Status.NOT_USED
        }
        self.boxes: list[SafeString] = []
        self.notes: list[SafeString] = []


def render_diagram(result: Result, id_prefix: str = "dg") -> SafeString:
    """The diagram of `result` as one accessible `<svg>` element."""
    drawn = branches(result)
    canvas = _Canvas(result)
    bottom = _draw_vpc(canvas, [b for b in drawn if b.hop is not Hop.FARGATE])
    if has_fargate_owned_eni(result):
        bottom = _draw_outside(canvas, [b for b in drawn if b.hop is Hop.FARGATE], bottom)
    legend, height = _legend(bottom + 16)
    flows = [
        _el(
            "g",
            {"class": f"dg-flow dg-flow--{row.status.value}", "data-action": row.action.value,
             "data-status": row.status.value},
            _el("title", None, _flow_title(row, [b for b in drawn if b.row is row])),
            *canvas.flows[row.action],
        )
        for row in result.traffic
        if row.status is not Status.NOT_USED
    ]
    title, desc = _summary(result, drawn)
    return _el(
        "svg",
        {
            "xmlns": "http://www.w3.org/2000/svg", "class": "dg",
            "viewBox": f"0 0 {WIDTH} {_num(height)}", "width": WIDTH, "height": _num(height),
            "role": "img", "aria-labelledby": f"{id_prefix}-title {id_prefix}-desc",
            "font-size": FONT,
        },
        _el("title", {"id": f"{id_prefix}-title"}, title),
        _el("desc", {"id": f"{id_prefix}-desc"}, desc),
        _join(canvas.areas), _join(canvas.trunks), _join(flows), _join(canvas.boxes),
        _join(canvas.notes), legend,
    )


def has_fargate_owned_eni(result: Result) -> bool:
    """Linux platform version 1.3.0 gives the task a second, Fargate-owned ENI."""
    return any(row.eni is ENI.FARGATE_OWNED for row in result.traffic) or (
        result.platform.os is OS.LINUX
        and result.platform.platform_version is PlatformVersion.V1_3_0
    )


def _draw_vpc(canvas: _Canvas, task: Sequence[Branch]) -> float:
    """The VPC: load balancer, subnet and task ENI, the branches, what carries nothing."""
    a = canvas.result.answers
    vpc_top = 8.0
    eni_x0, eni_x1 = TRUNK_X - 4, VPC_X1 - 10
    y = vpc_top + 28
    if a.load_balancer is not LoadBalancer.NONE:
        short, name = LB_NAMES[a.load_balancer]
        canvas.boxes.append(_box(
            eni_x0, y, eni_x1, y + BOX_H, "dg-node dg-node--lb",
            [[("Load balancer", "dg-strong")],
             [(f"{short} · target type {a.target_type.value}", "dg-muted")]],
            title=f"{_capital(name)} in front of the task",
        ))
        lb_bottom = y + BOX_H
        y += BOX_H + 16
    subnet_top = y
    eni_top, eni_bottom = subnet_top + 24, subnet_top + 24 + BOX_H
    app = next((r for r in canvas.result.traffic if r.action is Action.APPLICATION), None)
    if a.load_balancer is not LoadBalancer.NONE and app is not None and app.action in canvas.flows:
        x = (eni_x0 + eni_x1) / 2
        canvas.flows[app.action].append(_line(
            [(x, lb_bottom), (x, eni_top)], app.status, "dg-line dg-line--inbound"
        ))
    canvas.boxes.append(_box(
        eni_x0, eni_top, eni_x1, eni_bottom, "dg-node dg-node--eni",
        [[("Task ENI", "dg-strong")], [(_eni_note(a), "dg-muted")]],
        title="The task ENI, in your subnet",
    ))
    subnet_bottom = eni_bottom + 8
    subnet_label = "Public subnet" if a.subnet is Subnet.PUBLIC else "Private subnet"
    canvas.areas.append(_area(VPC_X0 + 4, subnet_top, VPC_X1 - 4, subnet_bottom, "dg-subnet",
                              [(subnet_label, "dg-area-label")]))

    y = subnet_bottom + 8
    ordered = _sorted_for_layout(task)
    centres = {i: y + ROW / 2 + i * ROW for i in range(len(ordered))}
    for i, branch in enumerate(ordered):
        _draw_branch(canvas, branch, centres[i])
    y += ROW * len(ordered)
    _draw_shared_hops(canvas, ordered, centres)
    for item in _idle_items(canvas.result, task):
        _draw_idle(canvas, item, y + ROW / 2)
        y += ROW
    if ordered:
        canvas.trunks.append(_trunk(eni_bottom, centres[len(ordered) - 1]))
    vpc_bottom = y + 6
    canvas.areas.insert(0, _area(VPC_X0, vpc_top, VPC_X1, vpc_bottom, "dg-vpc",
                                 [("Your VPC", "dg-strong"),
                                  (" · " + IP_MODE_NAMES[a.ip_mode], "dg-muted")]))
    outward = [centres[i] for i, b in enumerate(ordered) if b.hop is not Hop.VPC]
    if outward:
        canvas.notes.append(_text(SVC_X0 + PAD, outward[0] - BOX_H / 2 - 8,
                                  [("Goes to", "dg-area-label")], width=SVC_X1 - SVC_X0))
    return vpc_bottom


def _draw_outside(canvas: _Canvas, fargate: Sequence[Branch], top: float) -> float:
    """Platform version 1.3.0: the Fargate-owned ENI and its branches, outside the VPC."""
    top += 14
    eni_top = top + 26
    canvas.boxes.append(_box(
        TRUNK_X - 4, eni_top, VPC_X1 - 10, eni_top + BOX_H, "dg-node dg-node--eni",
        [[("Fargate-owned ENI", "dg-strong")], [("platform version 1.3.0", "dg-muted")]],
        title="The Fargate-owned ENI, outside your VPC (not in your VPC flow logs)",
    ))
    y = eni_top + BOX_H + 8
    centres = [y + ROW / 2 + i * ROW for i in range(len(fargate))]
    for branch, centre in zip(fargate, centres, strict=True):
        _draw_branch(canvas, branch, centre)
    if centres:
        canvas.trunks.append(_trunk(eni_top + BOX_H, centres[-1]))
    else:
        canvas.notes.append(_text(SVC_X0, eni_top + 24, [("Nothing here uses it", "dg-note")],
                                  width=SVC_X1 - SVC_X0))
    bottom = y + ROW * len(fargate) + 6
    canvas.areas.append(_area(VPC_X0, top, VPC_X1, bottom, "dg-outside",
                              [("Outside your VPC", "dg-area-label")], dashed=True))
    return bottom


def _eni_note(a: Answers) -> str:
    if a.ip_mode is IPMode.IPV6_ONLY:
        return "IPv6 only"
    if a.subnet is Subnet.PUBLIC and a.public_ip:
        return "with a public IP"
    return "private IP only"


def _area(x0: float, y0: float, x1: float, y1: float, cls: str,
          label: Sequence[tuple[str, str]], *, dashed: bool = False) -> SafeString:
    return _el(
        "g", {"class": cls},
        _el("rect", {"x": float(x0), "y": float(y0), "width": float(x1 - x0),
                     "height": float(y1 - y0), "rx": 8, "class": "dg-area", "fill": "none",
                     "stroke": "currentColor", "stroke-dasharray": "6 4" if dashed else None}),
        _text(x0 + 8, y0 + 18, label, width=x1 - x0 - 16),
    )


def _trunk(top: float, bottom: float) -> SafeString:
    return _el("path", {"d": f"M{_num(TRUNK_X)} {_num(top)} L{_num(TRUNK_X)} {_num(bottom)}",
                        "class": "dg-trunk", "fill": "none", "stroke": "currentColor"})


def _draw_branch(canvas: _Canvas, branch: Branch, y: float) -> None:
    status = branch.row.status
    parts = canvas.flows[branch.row.action]
    parts.append(_el("circle", {"cx": TRUNK_X, "cy": float(y), "r": 3, "class": "dg-junction",
                                "fill": "currentColor"}))
    if branch.hop is Hop.VPC:
        # Inside the VPC the box is narrow, and its name already says which flow it is.
        parts.append(_line([(TRUNK_X, y), (INNER_ICON_X - ICON_R, y)], status, hop=branch.hop))
        parts.append(_icon(INNER_ICON_X, y, status))
        parts.append(_box(INNER_X0, y - BOX_H / 2, INNER_X1, y + BOX_H / 2,
                          "dg-node dg-node--service", _service_lines(branch, with_flow=False),
                          anchor="start"))
        return
    parts.append(_line([(TRUNK_X, y), (ICON_X - ICON_R, y)], status, hop=branch.hop))
    parts.append(_icon(ICON_X, y, status))
    parts.append(_box(SVC_X0, y - BOX_H / 2, SVC_X1, y + BOX_H / 2, "dg-node dg-node--service",
                      _service_lines(branch), anchor="start"))
    hop_mid = (HOP_X0 + HOP_X1) / 2
    note = ""
    if branch.hop is Hop.NO_ROUTE:
        note = "no route" if status is Status.BLOCKED else canvas.unsupported
    elif branch.hop is Hop.FARGATE:
        note = "AWS network"
    if note:
        canvas.notes.append(_text(hop_mid, y - 6, [(note, "dg-note")],
                                  width=HOP_X1 - HOP_X0, anchor="middle"))
    if branch.hop is Hop.ENDPOINT and branch.endpoint is not None:
        kind = "gateway endpoint" if ENDPOINTS[branch.endpoint].type == "gateway" else "endpoint"
        canvas.boxes.append(_box(
            HOP_X0, y - BOX_H / 2, HOP_X1, y + BOX_H / 2, "dg-node dg-node--endpoint",
            [[(endpoint_short(branch.endpoint), "dg-service")], [(kind, "dg-muted")]],
            title=f"{ENDPOINTS[branch.endpoint].title} {kind}",
        ))


def _draw_shared_hops(canvas: _Canvas, ordered: Sequence[Branch],
                      centres: dict[int, float]) -> None:
    """NAT and gateways are one box each, spanning the rows that pass through them."""
    by_hop = {hop: [i for i, b in enumerate(ordered) if b.hop is hop] for hop in Hop}
    nat = _span(centres, by_hop[Hop.NAT])
    if nat:
        canvas.boxes.append(_box(HOP_X0, nat[0], HOP_X1, nat[1], "dg-node dg-node--nat",
                                 [[("NAT gateway", "dg-strong")]], title="NAT gateway"))
    through = {Hop.IGW: by_hop[Hop.NAT] + by_hop[Hop.IGW], Hop.EIGW: by_hop[Hop.EIGW]}
    for hop, members in through.items():
        span = _span(centres, members)
        if span:
            short, title = GATEWAY_NAMES[hop]
            canvas.boxes.append(_box(GW_X0, span[0], GW_X1, span[1], "dg-node dg-node--gateway",
                                     [[(short, "dg-strong")]], title=_capital(title[4:])))


def _draw_idle(canvas: _Canvas, item: _Idle, y: float) -> None:
    x0, x1 = (HOP_X0, HOP_X1) if item.column == "hop" else (GW_X0, GW_X1)
    lines = [[(item.label, "dg-service" if item.sub else "dg-strong")]]
    if item.sub:
        lines.append([(item.sub, "dg-muted")])
    canvas.boxes.append(_box(x0, y - BOX_H / 2, x1, y + BOX_H / 2, "dg-node dg-node--idle", lines,
                             title=item.title))
    canvas.notes.append(_text(SVC_X0, y + 4.5, [(item.note, "dg-note")], width=SVC_X1 - SVC_X0))


def _legend(top: float) -> tuple[SafeString, float]:
    entries = []
    for i, (status, words) in enumerate(LEGEND):
        y = top + 12 + i * 24
        entries.append(_el(
            "g", {"class": f"dg-legend-entry dg-flow--{status.value}"},
            _line([(8, y), (44, y)], status),
            _icon(52, y, status),
            _text(66, y + 4.5, [(words, "")], width=WIDTH - 70),
        ))
    return _el("g", {"class": "dg-legend"}, *entries), top + 12 + len(LEGEND) * 24 - 4


# --- Words ---------------------------------------------------------------------------------


def _route_phrase(branch: Branch) -> str:
    hop = branch.hop
    if hop is Hop.ENDPOINT and branch.endpoint is not None:
        way = f"through {endpoint_phrase(branch.endpoint)}"
    elif hop is Hop.NAT:
        way = "through the NAT gateway and the internet gateway"
    elif hop in GATEWAY_NAMES:
        way = f"through {GATEWAY_NAMES[hop][1]}"
    elif hop is Hop.VPC:
        way = "inside the VPC"
    elif hop is Hop.FARGATE:
        way = "over the AWS network"
    elif branch.row.status is Status.UNSUPPORTED:
        way = "(not available on this platform)"
    else:
        way = "with no route"
    if branch.service.title.endswith(way):  # "destinations inside the VPC" says it already
        return f"to {branch.service.title}"
    return f"to {branch.service.title} {way}"


def _flow_sentence(row: TrafficRow, flow_branches: Sequence[Branch]) -> str:
    eni = "the Fargate-owned ENI" if row.eni is ENI.FARGATE_OWNED else "the task ENI"
    routes = "; and ".join(_route_phrase(b) for b in flow_branches)
    return f"{row.label}: {STATUS_WORDS[row.status].lower()}, from {eni} {routes}."


def _flow_title(row: TrafficRow, flow_branches: Sequence[Branch]) -> str:
    sentence = _flow_sentence(row, flow_branches)
    return f"{sentence} {row.path}" if row.path else sentence


def _summary(result: Result, drawn: Sequence[Branch]) -> tuple[str, str]:
    a = result.answers
    rows = [r for r in result.traffic if r.status is not Status.NOT_USED]
    counts = [f"{sum(r.status is s for r in rows)} {STATUS_WORDS[s].lower()}"
              for s in STATUS_WORDS if any(r.status is s for r in rows)]
    title = f"Network diagram: {len(rows)} traffic flows, {', '.join(counts)}"
    subnet = "public" if a.subnet is Subnet.PUBLIC else "private"
    sentences = [f"Your VPC ({IP_MODE_NAMES[a.ip_mode]}): the task ENI is in a {subnet} "
                 f"subnet, {_eni_note(a)}."]
    present = []
    if has_nat(a):
        present.append("a NAT gateway")
    if has_igw(a):
        present.append("an internet gateway")
    if has_eigw(a):
        present.append("an egress-only internet gateway")
    endpoints = [endpoint_short(e) + (" (gateway)" if ENDPOINTS[e].type == "gateway" else "")
                 for e in Endpoint if e in a.endpoints]
    if endpoints:
        present.append("VPC endpoints " + ", ".join(endpoints))
    sentences.append(f"The VPC has {_and(present)}." if present
                     else "The VPC has no gateways and no VPC endpoints.")
    if a.load_balancer is not LoadBalancer.NONE:
        sentences.append(f"{_capital(LB_NAMES[a.load_balancer][1])} sends traffic to the "
                         "task ENI.")
    if has_fargate_owned_eni(result):
        sentences.append("On platform version 1.3.0 a Fargate-owned ENI outside your VPC also "
                         "carries traffic.")
    for row in rows:
        sentences.append(_flow_sentence(row, [b for b in drawn if b.row is row]))
    return title, " ".join(sentences)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _and(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
