"""The network diagram of a result: inline SVG drawn on the server, no chart library.

`render_diagram(result)` returns one `<svg>` (a SafeString) for the result page, styled only by
classes from `static/css/diagram.css` (strict CSP: no `style` attributes, no `<style>`).

It draws each traffic row's `route` (`advisor/rules/paths.py`: an ordered tuple of hops, each
saying whether the traffic gets past it) and decides nothing about routing itself: which hops
exist, which a flow takes and where it stops are all read off the routes. The answers only
label what the routes do not name (the subnet, the ENI's address) and show what exists but
carries no flow.

The picture is a routing map read top to bottom, laid out for a phone first (viewBox 360 units
wide, so 13-unit text stays about 12 px at 390 px):

- the VPC, with the task ENI in its subnet and, above it, the load balancer if a route starts
  there;
- one horizontal line per *branch*: a route leaves its ENI by one hop (a VPC endpoint, a mount
  target, the NAT gateway, the internet gateway or egress-only internet gateway on the VPC's
  edge, or no route), so a route that names several (`ecr.dkr + s3`, or endpoints and the NAT
  gateway for the rest) is one line per hop, each ending at the route's service; a route with
  no hop between its ENI and its service stays inside the VPC;
- on Linux platform version 1.3.0, a second section outside the VPC for the Fargate-owned ENI;
- gateways and endpoints that exist but no route takes, with a note;
- a legend.

A flow (one used row of `result.traffic`) is one `<g class="dg-flow dg-flow--<status>">` with a
`<title>`; each branch inside it is a `<g class="dg-branch dg-flow--<state>">`, its state read
off its own hops: a hop with `passes=False` stops it there (the cross is drawn at that hop and
the line ends), `passes=None` or a `depends` row make it depends. Status is shown three ways,
never by colour alone: the dash pattern, the icon (check, cross, question mark, slashed circle)
and a word. Every hop of a route is a node with `data-hop` (its kind) and `data-name`.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from django.utils.safestring import SafeData, SafeString, mark_safe

from .presentation import STATUS_WORDS
from .rules.answers import (
    OS,
    UNKNOWN,
    Answers,
    Endpoint,
    IPMode,
    IPv6Egress,
    LoadBalancer,
    PlatformVersion,
    Subnet,
    Unknown,
)
from .rules.knowledge import ENDPOINTS, PRIVATE_DNS_ENDPOINT_TYPES
from .rules.result import ENI, Action, Hop, HopKind, Result, Status, TrafficRow

# --- What to draw --------------------------------------------------------------------------

FLOW_NAMES: dict[Action, str] = {
    Action.ECR_AUTH: "ECR login",
    Action.IMAGE_PULL: "Image pull",
    Action.LOG_DRIVER: "Log driver",
    Action.FIRELENS: "FireLens",
    Action.SECRETS: "Secrets",
    Action.EFS: "EFS",
    Action.APPLICATION: "App traffic",
}


LEGEND: tuple[tuple[Status, str], ...] = (
    (Status.OK, "OK: a path reaches the service"),
    (Status.BLOCKED, "Blocked: it stops at the cross"),
    (Status.DEPENDS, "Depends on the unknown answers"),
    (Status.UNSUPPORTED, "Unsupported on this platform"),
)

# stroke-dasharray per status: the line's pattern carries the status without colour.
DASHES: dict[Status, str | None] = {
    Status.OK: None,
    Status.BLOCKED: "8 5",
    Status.DEPENDS: "12 4 2 4",
    Status.UNSUPPORTED: "1 5",
}

ENIS = frozenset({HopKind.TASK_ENI, HopKind.FARGATE_ENI})
# Filters on the way: they do not take the traffic anywhere, they let it past or stop it.
FILTER_KINDS = (HopKind.DNS, HopKind.SECURITY_GROUP, HopKind.NETWORK_ACL, HopKind.FIREWALL)
ENDPOINT_KINDS = frozenset({HopKind.INTERFACE_ENDPOINT, HopKind.GATEWAY_ENDPOINT})
INTERNET_KINDS = frozenset({HopKind.NAT_GATEWAY, HopKind.INTERNET_GATEWAY,
                            HopKind.EGRESS_ONLY_IGW})

# What a hop's box says, by kind; its full name is the box's <title>.
KIND_LABELS: dict[HopKind, str] = {
    HopKind.NAT_GATEWAY: "NAT gateway",
    HopKind.INTERNET_GATEWAY: "IGW",
    HopKind.EGRESS_ONLY_IGW: "EIGW",
    HopKind.MOUNT_TARGET: "Mount target",
    HopKind.INTERFACE_ENDPOINT: "endpoint",
    HopKind.GATEWAY_ENDPOINT: "gateway endpoint",
    HopKind.DNS: "DNS",
    HopKind.SECURITY_GROUP: "Security group",
    HopKind.NETWORK_ACL: "Network ACL",
    HopKind.FIREWALL: "Egress firewall",
}

# Looked up with answers that may be unknown, so keyed by either.
LB_NAMES: dict[LoadBalancer | Unknown, tuple[str, str]] = {
    LoadBalancer.ALB: ("ALB", "an Application Load Balancer"),
    LoadBalancer.NLB: ("NLB", "a Network Load Balancer"),
    LoadBalancer.CLB: ("CLB", "a Classic Load Balancer"),
    LoadBalancer.GWLB: ("GWLB", "a Gateway Load Balancer"),
}

IP_MODE_NAMES: dict[IPMode | Unknown, str] = {
    IPMode.IPV4: "IPv4",
    IPMode.DUALSTACK: "dual-stack",
    IPMode.IPV6_ONLY: "IPv6 only",
}


@dataclass(frozen=True, slots=True)
class Branch:
    """One line: a route's way out of its ENI by one hop, to the route's service.

    `way` is None when the route goes straight from its ENI to its service (inside the VPC, or
    the Fargate-owned ENI over the AWS network); `origin` is None for a row with no route (not
    supported on this platform). `filters` are the filter hops it crosses before `way`: those
    the route names before its first way apply to every branch, one named between two ways to
    the way after it. `stop` is the hop that does not let it past.
    """

    row: TrafficRow
    origin: Hop | None
    way: Hop | None
    service: Hop | None
    state: Status
    stop: Hop | None = None
    filters: tuple[Hop, ...] = ()

    @property
    def outside(self) -> bool:
        return self.row.eni is ENI.FARGATE_OWNED

    @property
    def inside(self) -> bool:
        """It ends inside the VPC: its route has no hop between the task ENI and the service."""
        return (self.origin is not None and self.origin.kind is HopKind.TASK_ENI
                and self.way is None and not self.filters)


def inbound(row: TrafficRow) -> Hop | None:
    """The load balancer a route starts at, if any."""
    if row.route and row.route[0].kind is HopKind.LOAD_BALANCER:
        return row.route[0]
    return None


def _state(row: TrafficRow, hops: Iterable[Hop]) -> tuple[Status, Hop | None]:
    """A branch's state, read off its hops: stopped at the first that does not pass."""
    if row.status is Status.UNSUPPORTED:
        return Status.UNSUPPORTED, None
    hops = list(hops)
    stop = next((hop for hop in hops if hop.passes is False), None)
    if stop is not None:
        return Status.BLOCKED, stop
    # A depends row keeps the route of one completion of the unknown answers: one way it could
    # go, not the way it goes.
    if row.status is Status.DEPENDS or any(hop.passes is None for hop in hops):
        return Status.DEPENDS, None
    return Status.OK, None


def branches(result: Result) -> tuple[Branch, ...]:
    """Every line to draw, in traffic-table order; rows that are not used have none."""
    out: list[Branch] = []
    for row in result.traffic:
        if row.status is Status.NOT_USED:
            continue
        start = next((i for i, hop in enumerate(row.route) if hop.kind in ENIS), None)
        if start is None:
            state = Status.UNSUPPORTED if row.status is Status.UNSUPPORTED else row.status
            out.append(Branch(row, None, None, None, state))
            continue
        origin = row.route[start]
        rest = row.route[start + 1:]
        service = rest[-1] if rest and rest[-1].kind is HopKind.SERVICE else None
        for way, filters in _ways(rest):
            hops = [hop for hop in (origin, *filters, way, service) if hop is not None]
            state, stop = _state(row, hops)
            out.append(Branch(row, origin, way, service, state, stop, filters))
    return tuple(out)


def _ways(rest: Sequence[Hop]) -> list[tuple[Hop | None, tuple[Hop, ...]]]:
    """Each way out of a route after its ENI, with the filters it crosses (see `Branch`)."""
    shared: list[Hop] = []
    pending: list[Hop] = []
    out: list[tuple[Hop | None, tuple[Hop, ...]]] = []
    for hop in rest:
        if hop.kind is HopKind.SERVICE:
            continue
        if hop.kind in FILTER_KINDS:
            (pending if out else shared).append(hop)
            continue
        out.append((hop, (*shared, *pending)))
        pending = []
    if not out:
        return [(None, (*shared, *pending))]
    if pending:  # a filter after the last way still stands before the service
        way, filters = out[-1]
        out[-1] = (way, (*filters, *pending))
    return out


def inbound_hops(row: TrafficRow) -> tuple[Hop, ...]:
    """What a route passes before its ENI: the load balancer, then the filters in front of the
    task (its security group's inbound rules)."""
    start = next((i for i, hop in enumerate(row.route) if hop.kind in ENIS), len(row.route))
    return row.route[:start]


def _inbound_state(row: TrafficRow, lb: Hop | None) -> tuple[Status, Hop | None]:
    if lb is None:
        return (row.status if row.status in DASHES else Status.OK), None
    return _state(row, inbound_hops(row))


def route_hops(result: Result) -> set[tuple[HopKind, str]]:
    """Every hop on the route of a used row, as (kind, name)."""
    return {(hop.kind, hop.name) for row in result.traffic if row.status is not Status.NOT_USED
            for hop in row.route}


# --- Geometry (viewBox units; 360 wide) ----------------------------------------------------

WIDTH = 360
VPC_X0, VPC_X1 = 4, 160  # the VPC's right edge is where gateways sit
TRUNK_X = 18
HOP_X0, HOP_X1 = 28, 134
# Filters are gates on the branch lines, one column each, between the trunk and the hops (the
# hop column narrows to make room); each is labelled in a strip above the branches.
GATE_X0, GATE_STEP, GATE_HALF = 32, 12, 12
INBOUND_GATE = 34  # room for a filter between the load balancer and the subnet
GW_X0, GW_X1 = 142, 178
ICON_X, ICON_R = 188, 7.5
SVC_X0, SVC_X1 = 198, 356
INNER_ICON_X, INNER_X0, INNER_X1 = 31, 42, 156  # a destination inside the VPC
PAD = 5  # text inside a box
GAP = 8  # between the boxes of two branch rows
BOX_H = 40
ROW = BOX_H + GAP
FONT = 13
LINE_GAP = 16  # between the text lines of a box
SQUEEZE = 0.85  # squeeze a label this much at most before it wraps onto a second line

# Rough advance widths (in em) of DejaVu Sans, the widest font a reader is likely to have, to
# squeeze a label into its box (textLength) rather than let it overflow on a phone.
_NARROW = set("fijlrt.,:;'|!()[] -")
_WIDE = set("ABCDEFGHKMNOQRSUVWXYZmw")


@lru_cache(maxsize=4096)  # the same labels come back on every page
def _text_width(text: str, size: float, bold: bool = False) -> float:
    em = sum(0.34 if c in _NARROW else 0.74 if c in _WIDE else 0.6 for c in text)
    return em * size * (1.12 if bold else 1.0)


def _wrap(text: str, width: float) -> list[str]:
    """One line if it fits (squeezed a little at most), else two, split between words."""
    if _text_width(text, FONT) * SQUEEZE <= width or " " not in text:
        return [text]
    words = text.split(" ")
    best = min(range(1, len(words)), key=lambda i: max(
        _text_width(" ".join(words[:i]), FONT), _text_width(" ".join(words[i:]), FONT)))
    return [" ".join(words[:best]), " ".join(words[best:])]


# --- SVG building --------------------------------------------------------------------------


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _escape(child: object) -> str:
    """Django's conditional_escape, without its lazy-string wrappers (a diagram holds ~200
    elements, and the wrappers were a third of its time): SafeStrings as they are, the rest
    through the same html.escape that django.utils.html.escape calls."""
    if isinstance(child, SafeData):
        return str(child)
    if hasattr(child, "__html__"):
        return str(child.__html__())
    return html.escape(str(child))


def _el(tag: str, attrs: dict[str, object] | None = None, *children: object) -> SafeString:
    """One element. Attribute values and text children are escaped; SafeStrings are not."""
    parts = [tag]
    for name, value in (attrs or {}).items():
        if value is None:
            continue
        text = _num(value) if isinstance(value, float) else str(value)
        parts.append(f'{name}="{html.escape(text)}"')
    head = " ".join(parts)
    if not children:
        return mark_safe(f"<{head}/>")
    inner = "".join([_escape(child) for child in children])
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


Lines = Sequence[Sequence[tuple[str, str]]]


def _box(x0: float, y0: float, x1: float, y1: float, cls: str, lines: Lines, *,
         anchor: str = "middle", title: str | None = None,
         hop: Hop | None = None) -> SafeString:
    """A rounded box with its lines of text, centred vertically; `hop`: the hop it draws."""
    children: list[SafeString] = []
    if title:
        children.append(_el("title", None, title))
    children.append(_el("rect", {
        "x": float(x0), "y": float(y0), "width": float(x1 - x0), "height": float(y1 - y0),
        "rx": 5, "class": "dg-box", "fill": "none", "stroke": "currentColor",
    }))
    mid = (y0 + y1) / 2
    first = mid - (len(lines) - 1) * LINE_GAP / 2 + 4.5
    tx = (x0 + x1) / 2 if anchor == "middle" else x0 + PAD
    for i, parts in enumerate(lines):
        children.append(_text(tx, first + i * LINE_GAP, parts, width=x1 - x0 - 2 * PAD,
                              anchor=anchor))
    attrs: dict[str, object] = {"class": cls}
    if hop is not None:
        attrs.update({"data-hop": hop.kind.value, "data-name": hop.name})
    return _el("g", attrs, *children)


def _hop_classes(base: str, hop: Hop, maybe: bool) -> str:
    if hop.passes is False:
        return f"{base} dg-node--blocked"
    if maybe or hop.passes is None:
        return f"{base} dg-node--maybe"
    return base


_GLYPHS = {
    Status.OK: "M-3.6 0.2 L-1.1 2.8 L3.8 -2.6",
    Status.BLOCKED: "M-3 -3 L3 3 M3 -3 L-3 3",
    Status.DEPENDS: "M-2.4 -1.8 C-2.4 -5 2.6 -5 2.6 -1.9 C2.6 0 0 0 0 1.6 M0 4.2 L0 4.3",
    Status.UNSUPPORTED: "M-5.2 5.2 L5.2 -5.2",
}


def _icon(x: float, y: float, status: Status) -> SafeString:
    return _el(
        "g", {"class": "dg-icon", "transform": f"translate({_num(x)} {_num(y)})"},
        _el("circle", {"r": ICON_R, "class": "dg-icon-disc", "fill": "currentColor"}),
        _el("path", {"d": _GLYPHS[status], "class": "dg-icon-glyph", "fill": "none",
                     "stroke": "white", "stroke-width": 2}),
    )


def _line(points: Sequence[tuple[float, float]], status: Status, cls: str = "dg-line",
          way: str | None = None) -> SafeString:
    d = "M" + " L".join(f"{_num(x)} {_num(y)}" for x, y in points)
    return _el("path", {
        "d": d, "class": cls, "fill": "none", "stroke": "currentColor",
        "stroke-dasharray": DASHES[status], "data-way": way,
    })


def _name_lines(branch: Branch, width: float) -> list[str]:
    if branch.service is None or not branch.service.name:
        return [FLOW_NAMES[branch.row.action]]
    return _wrap(_capital(branch.service.name), width)


def _service_lines(branch: Branch, width: float, with_flow: bool = True) -> Lines:
    """The service's name, then the state word (and which flow, where it is not obvious)."""
    status = [(STATUS_WORDS[branch.state], "dg-status dg-strong")]
    if with_flow:
        status.append((" · " + FLOW_NAMES[branch.row.action], "dg-muted"))
    return [*([(name, "dg-service")] for name in _name_lines(branch, width)), status]


def _height(branch: Branch) -> float:
    x0, x1 = (INNER_X0, INNER_X1) if branch.inside else (SVC_X0, SVC_X1)
    return BOX_H + LINE_GAP * (len(_name_lines(branch, x1 - x0 - 2 * PAD)) - 1)


# --- Layout --------------------------------------------------------------------------------

_WAY_ORDER = (HopKind.MOUNT_TARGET, HopKind.INTERFACE_ENDPOINT, HopKind.GATEWAY_ENDPOINT,
              HopKind.NAT_GATEWAY, HopKind.INTERNET_GATEWAY, HopKind.EGRESS_ONLY_IGW,
              HopKind.NO_ROUTE)


def _order(branch: Branch) -> int:
    """Inside the VPC first, then by the hop it leaves by, so a shared gateway spans rows."""
    if branch.inside:
        return 0
    if branch.way is None:
        return len(_WAY_ORDER) + 2
    if branch.way.kind in _WAY_ORDER:
        return 1 + _WAY_ORDER.index(branch.way.kind)
    return len(_WAY_ORDER) + 1


def _sorted_for_layout(drawn: Iterable[Branch]) -> list[Branch]:
    indexed = list(enumerate(drawn))
    indexed.sort(key=lambda item: (_order(item[1]), item[0]))
    return [branch for _, branch in indexed]


@dataclass(frozen=True, slots=True)
class _Idle:
    """A gateway or endpoint that exists but that no route takes."""

    column: str  # "hop" or "gateway"
    label: str
    sub: str
    title: str
    note: str


def _idle_items(result: Result) -> list[_Idle]:
    """What the answers say exists and no route of a used row passes."""
    a = result.answers
    on_routes = route_hops(result)
    kinds = {kind for kind, _ in on_routes}
    items: list[_Idle] = []
    if has_nat(a) and HopKind.NAT_GATEWAY not in kinds:
        items.append(_Idle("hop", "NAT gateway", "", "NAT gateway", "No flow uses it"))
    if has_igw(a) and not kinds & {HopKind.INTERNET_GATEWAY, HopKind.NAT_GATEWAY}:
        note = ("Task has no public IP" if a.subnet is Subnet.PUBLIC and a.public_ip is False
                else "No flow uses it")
        items.append(_Idle("gateway", "IGW", "", "Internet gateway", note))
    if has_eigw(a) and HopKind.EGRESS_ONLY_IGW not in kinds:
        items.append(_Idle("gateway", "EIGW", "", "Egress-only internet gateway",
                           "No flow uses it"))
    if a.endpoints is UNKNOWN:
        return items
    for endpoint in Endpoint:
        short = endpoint_short(endpoint)
        if endpoint not in a.endpoints or any(name == short for kind, name in on_routes
                                              if kind in ENDPOINT_KINDS):
            continue
        kind = "gateway endpoint" if ENDPOINTS[endpoint].type == "gateway" else "endpoint"
        note = "Not on these paths"
        if ENDPOINTS[endpoint].type in PRIVATE_DNS_ENDPOINT_TYPES:
            if a.vpc_dns is False:
                note = "Not used: VPC DNS off"
            elif a.endpoint_private_dns is False:
                note = "Not used: private DNS off"
        items.append(_Idle("hop", short, kind,
                           f"{ENDPOINTS[endpoint].title} {kind}: {note.lower()}", note))
    return items


def has_nat(a: Answers) -> bool:
    return a.nat_gateway is True and (a.subnet is Subnet.PRIVATE
                                      or a.ip_mode is IPMode.IPV6_ONLY)


def has_igw(a: Answers) -> bool:
    ipv6_igw = a.ip_mode in (IPMode.DUALSTACK, IPMode.IPV6_ONLY) and (
        a.ipv6_egress is IPv6Egress.IGW)
    return a.subnet is Subnet.PUBLIC or has_nat(a) or ipv6_igw


def has_eigw(a: Answers) -> bool:
    return (a.ip_mode in (IPMode.DUALSTACK, IPMode.IPV6_ONLY)
            and a.ipv6_egress is IPv6Egress.EGRESS_ONLY_IGW)


def endpoint_short(endpoint: Endpoint) -> str:
    """`ecr.api`, `s3`, ...: the end of the endpoint's service name, as routes name it."""
    return ENDPOINTS[endpoint].service_name.split(".", 3)[3]


class _Canvas:
    """Collects the layers of the picture; later layers draw over earlier ones."""

    def __init__(self, result: Result, drawn: Sequence[Branch]) -> None:
        self.result = result
        self.drawn = drawn
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
        self.gates = _gates(drawn)
        self.hop_x0 = (self.gate_x(self.gates[-1]) + ICON_R + 3 if self.gates else HOP_X0)

    def gate_x(self, gate: tuple[HopKind, str]) -> float:
        return GATE_X0 + GATE_STEP * self.gates.index(gate)


def _gates(drawn: Iterable[Branch]) -> list[tuple[HopKind, str]]:
    """The filters the task's branches cross, one column each, in the order routes cross them."""
    seen = {(hop.kind, hop.name): None for b in drawn if not b.outside for hop in b.filters}
    return sorted(seen, key=lambda gate: FILTER_KINDS.index(gate[0]))


def render_diagram(result: Result, id_prefix: str = "dg") -> SafeString:
    """The diagram of `result` as one accessible `<svg>` element."""
    drawn = branches(result)
    canvas = _Canvas(result, drawn)
    bottom = _draw_vpc(canvas, [b for b in drawn if not b.outside])
    if has_fargate_owned_eni(result):
        bottom = _draw_outside(canvas, [b for b in drawn if b.outside], bottom)
    states = {b.state for b in drawn}
    legend, height = _legend(bottom + 16, [s for s, _ in LEGEND
                                           if s is not Status.DEPENDS or s in states])
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


def _rows(ordered: Sequence[Branch], top: float) -> list[tuple[float, float]]:
    """Each branch's (centre, half height), top to bottom."""
    out = []
    y = top
    for branch in ordered:
        half = _height(branch) / 2
        out.append((y + GAP / 2 + half, half))
        y += 2 * half + GAP
    return out


def _draw_vpc(canvas: _Canvas, task: Sequence[Branch]) -> float:
    """The VPC: load balancer, subnet and task ENI, the branches, what carries nothing."""
    a = canvas.result.answers
    vpc_top = 8.0
    eni_x0, eni_x1 = TRUNK_X - 4, VPC_X1 - 10
    y = vpc_top + 28
    app = next((r for r in canvas.result.traffic
                if r.action is Action.APPLICATION and r.status is not Status.NOT_USED), None)
    lb = inbound(app) if app is not None else None
    gate = next((hop for hop in inbound_hops(app) if hop.kind in FILTER_KINDS),
                None) if app is not None else None
    lb_bottom: float | None = None
    if lb is not None or a.load_balancer in LB_NAMES:
        known = LB_NAMES.get(a.load_balancer)
        detail = " · ".join(([known[0]] if known else [])
                            + ([f"target type {a.target_type}"]
                               if a.target_type is not UNKNOWN else []))
        title = _capital(lb.name if lb is not None else known[1] if known else "")
        if lb is not None and lb.passes is False:
            title += ": it cannot send traffic to the task"
        cls = "dg-node dg-node--lb"
        if lb is not None:
            cls = _hop_classes(cls, lb, app is not None and app.status is Status.DEPENDS)
        canvas.boxes.append(_box(eni_x0, y, eni_x1, y + BOX_H, cls,
                                 [[("Load balancer", "dg-strong")], [(detail, "dg-muted")]],
                                 title=title, hop=lb))
        lb_bottom = y + BOX_H
        y += BOX_H + 16 + (INBOUND_GATE if gate is not None else 0)
    subnet_top = y
    eni_top, eni_bottom = subnet_top + 24, subnet_top + 24 + BOX_H
    if app is not None and lb_bottom is not None:
        state, stop = _inbound_state(app, lb)
        # Left of centre when a gate's name has to fit beside it.
        x = (eni_x0 + eni_x1) / 2 if gate is None else eni_x0 + 22
        gate_y = lb_bottom + INBOUND_GATE / 2 + 4
        if gate is not None:
            canvas.trunks.append(_inbound_gate(app, gate, x, gate_y, state, stop))
        if state is Status.BLOCKED:
            # It stops at the load balancer (the cross right under it) or at the gate in front
            # of the task, and no line on.
            at = lb_bottom + ICON_R + 0.5 if stop is None or stop is lb else gate_y
            word = _text(x + ICON_R + 4, at + 4.5,
                         [(STATUS_WORDS[state], "dg-status dg-strong")], width=50)
            group = [_line([(x, lb_bottom), (x, at - ICON_R)], state, "dg-line dg-line--inbound"),
                     _icon(x, at, state)]
            if stop is lb or stop is None:
                group.append(word)
        else:
            group = [_line([(x, lb_bottom), (x, eni_top)], state, "dg-line dg-line--inbound")]
        canvas.flows[app.action].append(
            _el("g", {"class": f"dg-branch dg-flow--{state.value}"}, *group))
    canvas.boxes.append(_box(
        eni_x0, eni_top, eni_x1, eni_bottom, "dg-node dg-node--eni",
        [[("Task ENI", "dg-strong")], [(_eni_note(a), "dg-muted")]],
        title="The task ENI, in your subnet", hop=_task_eni(canvas.drawn),
    ))
    subnet_bottom = eni_bottom + 8
    canvas.areas.append(_area(VPC_X0 + 4, subnet_top, VPC_X1 - 4, subnet_bottom, "dg-subnet",
                              [(_subnet_label(a), "dg-area-label")]))

    y = subnet_bottom + 8
    labels = [y + 12 + i * LINE_GAP for i in range(len(canvas.gates))]
    if labels:
        y = labels[-1] + 8
    ordered = _sorted_for_layout(task)
    rows = _rows(ordered, y)
    for branch, (centre, half) in zip(ordered, rows, strict=True):
        _draw_branch(canvas, branch, centre, half)
    if rows:
        y = rows[-1][0] + rows[-1][1] + GAP / 2
    _draw_gates(canvas, ordered, rows, labels)
    _draw_shared_hops(canvas, ordered, rows)
    for item in _idle_items(canvas.result):
        _draw_idle(canvas, item, y + ROW / 2)
        y += ROW
    if ordered:
        canvas.trunks.append(_trunk(eni_bottom, rows[-1][0]))
    vpc_bottom = y + 6
    canvas.areas.insert(0, _area(VPC_X0, vpc_top, VPC_X1, vpc_bottom, "dg-vpc",
                                 [("Your VPC", "dg-strong"),
                                  (" · " + _ip_mode(a), "dg-muted")]))
    outward = [centre - half for b, (centre, half) in zip(ordered, rows, strict=True)
               if not b.inside]
    if outward:
        canvas.notes.append(_text(SVC_X0 + PAD, outward[0] - 8,
                                  [("Goes to", "dg-area-label")], width=SVC_X1 - SVC_X0))
    return vpc_bottom


def _task_eni(drawn: Sequence[Branch]) -> Hop | None:
    return next((b.origin for b in drawn
                 if b.origin is not None and b.origin.kind is HopKind.TASK_ENI), None)


def _draw_outside(canvas: _Canvas, fargate: Sequence[Branch], top: float) -> float:
    """Platform version 1.3.0: the Fargate-owned ENI and its branches, outside the VPC."""
    top += 14
    eni_top = top + 26
    origin = next((b.origin for b in fargate if b.origin is not None), None)
    canvas.boxes.append(_box(
        TRUNK_X - 4, eni_top, VPC_X1 - 10, eni_top + BOX_H, "dg-node dg-node--eni",
        [[("Fargate-owned ENI", "dg-strong")], [("platform version 1.3.0", "dg-muted")]],
        title="The Fargate-owned ENI, outside your VPC (not in your VPC flow logs)", hop=origin,
    ))
    y = eni_top + BOX_H + 8
    rows = _rows(fargate, y)
    for branch, (centre, half) in zip(fargate, rows, strict=True):
        _draw_branch(canvas, branch, centre, half)
    if rows:
        canvas.trunks.append(_trunk(eni_top + BOX_H, rows[-1][0]))
        y = rows[-1][0] + rows[-1][1] + GAP / 2
    else:
        canvas.notes.append(_text(SVC_X0, eni_top + 24, [("Nothing here uses it", "dg-note")],
                                  width=SVC_X1 - SVC_X0))
    bottom = y + 6
    canvas.areas.append(_area(VPC_X0, top, VPC_X1, bottom, "dg-outside",
                              [("Outside your VPC", "dg-area-label")], dashed=True))
    return bottom


def _eni_note(a: Answers) -> str:
    if a.ip_mode is IPMode.IPV6_ONLY:
        return "IPv6 only"
    if a.subnet is Subnet.PUBLIC and a.public_ip is True:
        return "with a public IP"
    if UNKNOWN in (a.ip_mode, a.subnet) or (a.subnet is Subnet.PUBLIC and a.public_ip is UNKNOWN):
        return "public IP not known"
    return "private IP only"


def _subnet_label(a: Answers) -> str:
    if a.subnet is UNKNOWN:
        return "Subnet not known"
    return "Public subnet" if a.subnet is Subnet.PUBLIC else "Private subnet"


def _ip_mode(a: Answers) -> str:
    return IP_MODE_NAMES.get(a.ip_mode, "IP mode not known")


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


def _stop_x(canvas: _Canvas, branch: Branch) -> float:
    """Where a blocked branch ends: at the VPC's edge for no route, on the gate of a filter,
    else after its hop."""
    stop = branch.stop
    assert stop is not None
    if stop.kind is HopKind.NO_ROUTE:
        return VPC_X1
    if (stop.kind, stop.name) in canvas.gates:
        return canvas.gate_x((stop.kind, stop.name))
    if stop.kind in (HopKind.MOUNT_TARGET, *ENDPOINT_KINDS):
        return HOP_X1 + ICON_R + 1
    if stop.kind in INTERNET_KINDS:
        return GW_X1 + ICON_R + 1 if stop.kind is not HopKind.NAT_GATEWAY else HOP_X1 + ICON_R + 1
    return ICON_X


def _draw_branch(canvas: _Canvas, branch: Branch, y: float, half: float) -> None:
    state = branch.state
    way = branch.way.kind.value if branch.way is not None else None
    parts: list[SafeString] = [_el("circle", {"cx": TRUNK_X, "cy": float(y), "r": 3,
                                              "class": "dg-junction", "fill": "currentColor"})]
    maybe = state is Status.DEPENDS
    service_cls = "dg-node dg-node--service"
    if branch.service is not None:
        service_cls = _hop_classes(service_cls, branch.service, maybe)
    if branch.inside:
        # Inside the VPC the box is narrow, and its name already says which flow it is.
        parts.append(_line([(TRUNK_X, y), (INNER_ICON_X - ICON_R, y)], state, way=way))
        parts.append(_icon(INNER_ICON_X, y, state))
        parts.append(_box(INNER_X0, y - half, INNER_X1, y + half, service_cls,
                          _service_lines(branch, INNER_X1 - INNER_X0 - 2 * PAD, with_flow=False),
                          anchor="start", title=_service_title(branch), hop=branch.service))
        _add_branch(canvas, branch, parts)
        return
    hop_x0 = canvas.hop_x0
    hop_mid = (hop_x0 + HOP_X1) / 2
    if branch.stop is not None:
        x = _stop_x(canvas, branch)
        parts.append(_line([(TRUNK_X, y), (x - ICON_R, y)], state, way=way))
        stop = [_el("title", None, _stop_title(branch)), _icon(x, y, state)]
        if branch.stop.kind is HopKind.NO_ROUTE:
            stop.append(_text(hop_mid, y - 6, [(branch.stop.name, "dg-note")],
                              width=HOP_X1 - hop_x0, anchor="middle"))
        if branch.stop.kind is HopKind.NO_ROUTE or branch.stop.kind in FILTER_KINDS:
            parts.append(_el("g", {"class": "dg-stop", "data-hop": branch.stop.kind.value,
                                   "data-name": branch.stop.name}, *stop))
        else:
            parts.append(_el("g", {"class": "dg-stop"}, *stop))
    else:
        parts.append(_line([(TRUNK_X, y), (ICON_X - ICON_R, y)], state, way=way))
        parts.append(_icon(ICON_X, y, state))
    parts.append(_box(SVC_X0, y - half, SVC_X1, y + half, service_cls,
                      _service_lines(branch, SVC_X1 - SVC_X0 - 2 * PAD), anchor="start",
                      title=_service_title(branch),
                      hop=branch.service))
    note = ""
    if branch.origin is None:
        note = canvas.unsupported
    elif branch.outside and branch.way is None:
        note = "AWS network"
    if note:
        canvas.notes.append(_text(hop_mid, y - 6, [(note, "dg-note")],
                                  width=HOP_X1 - hop_x0, anchor="middle"))
    if branch.way is not None and branch.way.kind in (*ENDPOINT_KINDS, HopKind.MOUNT_TARGET):
        lines: list[list[tuple[str, str]]]
        if branch.way.kind is HopKind.MOUNT_TARGET:
            lines = [[(KIND_LABELS[branch.way.kind], "dg-strong")], [("EFS", "dg-muted")]]
            cls = "dg-node dg-node--mount"
        else:
            lines = [[(branch.way.name, "dg-service")], [(KIND_LABELS[branch.way.kind],
                                                          "dg-muted")]]
            cls = "dg-node dg-node--endpoint"
        canvas.boxes.append(_box(
            hop_x0, y - BOX_H / 2, HOP_X1, y + BOX_H / 2, _hop_classes(cls, branch.way, maybe),
            lines, title=_hop_title(branch.way), hop=branch.way,
        ))
    _add_branch(canvas, branch, parts)


def _inbound_gate(row: TrafficRow, gate: Hop, x: float, y: float, state: Status,
                  stop: Hop | None) -> SafeString:
    """The filter in front of the task on the way in: a bar across the inbound line, its name
    beside it, and what it does to the traffic."""
    said = (STATUS_WORDS[Status.BLOCKED] if stop is gate
            else "Depends" if gate.passes is None or state is Status.DEPENDS else "Lets it in")
    cls = f"dg-filter dg-flow--{state.value}" + (" dg-node--blocked" if gate.passes is False
                         else " dg-node--maybe" if said == "Depends" else "")
    return _el(
        "g", {"class": cls, "data-hop": gate.kind.value, "data-name": gate.name},
        _el("title", None, f"{_capital(gate.name)}: {said.lower()} ({FLOW_NAMES[row.action]})"),
        _el("rect", {"x": x - GATE_HALF, "y": y - 2.5, "width": 2 * GATE_HALF, "height": 5,
                     "rx": 1.5, "fill": "currentColor", "class": "dg-gate"
                     + (" dg-gate--blocked" if gate.passes is False else "")}),
        _text(x + ICON_R + 6, y - 3, [(KIND_LABELS[gate.kind], "dg-strong")],
              width=VPC_X1 - 6 - (x + ICON_R + 6)),
        _text(x + ICON_R + 6, y + 12, [(said, "dg-status dg-strong" if stop is gate else
                                        "dg-muted")], width=VPC_X1 - 6 - (x + ICON_R + 6)),
    )


def _service_title(branch: Branch) -> str | None:
    """The service's name; the flow's where the route leaves the service unnamed."""
    if branch.service is None:
        return None
    return _capital(branch.service.name or FLOW_NAMES[branch.row.action])


def _stop_title(branch: Branch) -> str:
    stop = branch.stop
    assert stop is not None
    if stop.kind is HopKind.SERVICE:
        return f"{_service_title(branch)} refuses it"
    return f"Stopped at the {stop.name}" if stop.kind in FILTER_KINDS else _capital(stop.name)


def _draw_gates(canvas: _Canvas, ordered: Sequence[Branch],
                rows: Sequence[tuple[float, float]], labels: Sequence[float]) -> None:
    """Each filter: its label in the strip above the branches, a thin line down from it, and
    a gate on each branch that crosses it (the lines draw over it; a cross where it stops one)."""
    for gate, label_y in zip(canvas.gates, labels, strict=True):
        x = canvas.gate_x(gate)
        members = [(rows[i][0], b, hop) for i, b in enumerate(ordered) for hop in b.filters
                   if (hop.kind, hop.name) == gate]
        if not members:
            continue
        bottom = max(y for y, _, _ in members) + GATE_HALF
        parts: list[SafeString] = [
            _el("title", None, _gate_title(gate, [(b, hop) for _, b, hop in members])),
            _el("path", {"d": f"M{_num(x)} {_num(label_y - 5)} L{_num(x)} {_num(bottom)}",
                         "class": "dg-gate-link", "fill": "none", "stroke": "currentColor"}),
            _text(x + 6, label_y + 4.5, [(KIND_LABELS[gate[0]], "dg-strong")],
                  width=VPC_X1 - 6 - (x + 6)),
        ]
        for y, branch, hop in members:
            parts.append(_el("rect", {
                "x": x - 2.5, "y": y - GATE_HALF, "width": 5, "height": 2 * GATE_HALF,
                "rx": 1.5, "fill": "currentColor",
                "class": _hop_classes("dg-gate", hop, branch.state is Status.DEPENDS).replace(
                    "dg-node--", "dg-gate--"),
            }))
        hops = [hop for _, _, hop in members]
        cls = "dg-filter"
        if any(hop.passes is False for hop in hops):
            cls += " dg-node--blocked"
        elif all(b.state is Status.DEPENDS or hop.passes is None for _, b, hop in members):
            cls += " dg-node--maybe"
        canvas.trunks.append(_el("g", {"class": cls, "data-hop": gate[0].value,
                                       "data-name": gate[1]}, *parts))


def _gate_title(gate: tuple[HopKind, str], members: Sequence[tuple[Branch, Hop]]) -> str:
    stops = [FLOW_NAMES[b.row.action] for b, hop in members if b.stop is hop]
    past = [FLOW_NAMES[b.row.action] for b, hop in members
            if b.stop is None or b.row.route.index(b.stop) > b.row.route.index(hop)]
    said = [f"stops {_and(_unique(stops))}"] if stops else []
    if past:
        said.append(f"lets {_and(_unique(past))} past")
    return f"{_capital(gate[1])}: {'; '.join(said) or 'not reached'}"


def _unique(items: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _add_branch(canvas: _Canvas, branch: Branch, parts: Sequence[SafeString]) -> None:
    canvas.flows[branch.row.action].append(_el(
        "g", {"class": f"dg-branch dg-flow--{branch.state.value}",
              "data-state": branch.state.value}, *parts))


def _hop_title(hop: Hop) -> str:
    if hop.kind is HopKind.INTERFACE_ENDPOINT:
        return f"The {hop.name} VPC endpoint"
    if hop.kind is HopKind.GATEWAY_ENDPOINT:
        return f"The {hop.name} gateway endpoint"
    return _capital(hop.name)


def _draw_shared_hops(canvas: _Canvas, ordered: Sequence[Branch],
                      rows: Sequence[tuple[float, float]]) -> None:
    """Gateways are one box each, spanning the rows that pass through them. A NAT gateway
    reaches the internet through the internet gateway of its VPC, drawn beside it."""
    spans: dict[tuple[HopKind, str], list[int]] = {}
    for i, branch in enumerate(ordered):
        if branch.way is not None and branch.way.kind in INTERNET_KINDS:
            spans.setdefault((branch.way.kind, branch.way.name), []).append(i)
    nat_rows: list[int] = []
    for (kind, _), members in spans.items():
        hop = ordered[members[0]].way
        assert hop is not None
        y0 = min(rows[i][0] - rows[i][1] for i in members)
        y1 = max(rows[i][0] + rows[i][1] for i in members)
        maybe = all(ordered[i].state is Status.DEPENDS for i in members)
        if kind is HopKind.NAT_GATEWAY:
            nat_rows += members
            lines = [[(text, "dg-strong")]
                     for text in _wrap(_capital(hop.name), HOP_X1 - canvas.hop_x0 - 2 * PAD)]
            canvas.boxes.append(_box(canvas.hop_x0, y0, HOP_X1, y1,
                                     _hop_classes("dg-node dg-node--nat", hop, maybe),
                                     lines, title=_capital(hop.name), hop=hop))
            canvas.boxes.append(_box(GW_X0, y0, GW_X1, y1,
                                     "dg-node dg-node--gateway" + (" dg-node--maybe" * maybe),
                                     [[("IGW", "dg-strong")]],
                                     title="Internet gateway (the NAT gateway's way out)"))
        else:
            canvas.boxes.append(_box(GW_X0, y0, GW_X1, y1,
                                     _hop_classes("dg-node dg-node--gateway", hop, maybe),
                                     [[(KIND_LABELS[kind], "dg-strong")]], title=_capital(hop.name),
                                     hop=hop))


def _draw_idle(canvas: _Canvas, item: _Idle, y: float) -> None:
    x0, x1 = (canvas.hop_x0, HOP_X1) if item.column == "hop" else (GW_X0, GW_X1)
    lines = [[(item.label, "dg-service" if item.sub else "dg-strong")]]
    if item.sub:
        lines.append([(item.sub, "dg-muted")])
    canvas.boxes.append(_box(x0, y - BOX_H / 2, x1, y + BOX_H / 2, "dg-node dg-node--idle", lines,
                             title=item.title))
    canvas.notes.append(_text(SVC_X0, y + 4.5, [(item.note, "dg-note")], width=SVC_X1 - SVC_X0))


def _legend(top: float, statuses: Sequence[Status]) -> tuple[SafeString, float]:
    entries = []
    words = dict(LEGEND)
    for i, status in enumerate(statuses):
        y = top + 12 + i * 24
        entries.append(_el(
            "g", {"class": f"dg-legend-entry dg-flow--{status.value}"},
            _line([(8, y), (44, y)], status),
            _icon(52, y, status),
            _text(66, y + 4.5, [(words[status], "")], width=WIDTH - 70),
        ))
    return _el("g", {"class": "dg-legend"}, *entries), top + 12 + len(statuses) * 24 - 4


# --- Words ---------------------------------------------------------------------------------


def _way_phrase(hop: Hop) -> str:
    if hop.kind is HopKind.INTERFACE_ENDPOINT:
        return f"through the {hop.name} VPC endpoint"
    if hop.kind is HopKind.GATEWAY_ENDPOINT:
        return f"through the {hop.name} gateway endpoint"
    if hop.kind is HopKind.NAT_GATEWAY:
        return f"through the {hop.name} and the internet gateway"
    return f"through the {hop.name}"


def _route_phrase(branch: Branch) -> str:
    if branch.origin is None:
        return "(not available on this platform)"
    to = f"to {branch.service.name}" if branch.service is not None else ""
    stop = branch.stop
    if stop is not None and stop.kind is HopKind.NO_ROUTE:
        return f"{to} with no route"
    # "resources inside the VPC" says where it stays already.
    way = ("over the AWS network" if branch.outside else "") if branch.way is None else (
        _way_phrase(branch.way))
    stopped = stop is not None and stop.kind in FILTER_KINDS
    passed = [_filter_name(hop) for hop in branch.filters[:branch.filters.index(stop)
                                                          if stopped else None]]
    past = f" past {_and(passed)}" if passed else ""
    if stop is not None and stopped:
        on_way = f" on its way {way}" if way else ""
        return f"{to}{past}, stopped at {_filter_name(stop)}{on_way}"
    phrase = f"{to}{past}{', then ' if past and way else ' ' if way else ''}{way}"
    if stop is not None and stop.kind is HopKind.SERVICE:
        return f"{phrase}, and the service refuses it"
    if stop is not None:
        return f"{phrase}, which it does not get past"
    return phrase


def _filter_name(hop: Hop) -> str:
    return hop.name if hop.kind is HopKind.DNS else f"the {hop.name}"


def _flow_sentence(row: TrafficRow, flow_branches: Sequence[Branch]) -> str:
    eni = "the Fargate-owned ENI" if row.eni is ENI.FARGATE_OWNED else "the task ENI"
    routes = "; and ".join(_route_phrase(b) for b in flow_branches)
    if not flow_branches or flow_branches[0].origin is None:
        return f"{row.label}: {STATUS_WORDS[row.status].lower()} {routes}."
    lead = ("depends on the unknown answers; one way it could go: "
            if row.status is Status.DEPENDS else f"{STATUS_WORDS[row.status].lower()}, ")
    lb = inbound(row)
    into = ""
    if lb is not None:
        gate = next((hop for hop in inbound_hops(row) if hop.kind in FILTER_KINDS), None)
        into = (f"in from the {lb.name}, which cannot register the task; out "
                if lb.passes is False else f"in from the {lb.name}; out ")
        if lb.passes is not False and gate is not None:
            into = (f"in from the {lb.name}, stopped at {_filter_name(gate)}; out "
                    if gate.passes is False else
                    f"in from the {lb.name} past {_filter_name(gate)}; out ")
    return f"{row.label}: {lead}{into}from {eni} {routes}."


def _flow_title(row: TrafficRow, flow_branches: Sequence[Branch]) -> str:
    sentence = _flow_sentence(row, flow_branches)
    return f"{sentence} {row.path}" if row.path else sentence


def _summary(result: Result, drawn: Sequence[Branch]) -> tuple[str, str]:
    a = result.answers
    rows = [r for r in result.traffic if r.status is not Status.NOT_USED]
    counts = [f"{sum(r.status is s for r in rows)} {STATUS_WORDS[s].lower()}"
              for s in STATUS_WORDS if any(r.status is s for r in rows)]
    title = f"Network diagram: {len(rows)} traffic flows, {', '.join(counts)}"
    subnets: dict[Subnet | Unknown, str] = {Subnet.PUBLIC: "a public subnet",
                                            Subnet.PRIVATE: "a private subnet"}
    subnet = subnets.get(a.subnet, "a subnet of a kind not known")
    sentences = [f"Your VPC ({_ip_mode(a)}): the task ENI is in {subnet}, {_eni_note(a)}."]
    present = []
    if has_nat(a):
        present.append("a NAT gateway")
    if has_igw(a):
        present.append("an internet gateway")
    if has_eigw(a):
        present.append("an egress-only internet gateway")
    if a.endpoints is not UNKNOWN:
        endpoints = [endpoint_short(e) + (" (gateway)" if ENDPOINTS[e].type == "gateway" else "")
                     for e in Endpoint if e in a.endpoints]
        if endpoints:
            present.append("VPC endpoints " + ", ".join(endpoints))
    if present:
        sentences.append(f"The VPC has {_and(present)}.")
    elif not set(a.unknown) & _NETWORK_FIELDS:
        sentences.append("The VPC has no gateways and no VPC endpoints.")
    if a.unknown:
        sentences.append(f"Not known: {', '.join(a.unknown)}; the routes drawn are one way "
                         "the traffic could go.")
    if has_fargate_owned_eni(result):
        sentences.append("On platform version 1.3.0 a Fargate-owned ENI outside your VPC also "
                         "carries traffic.")
    for row in rows:
        sentences.append(_flow_sentence(row, [b for b in drawn if b.row is row]))
    return title, " ".join(sentences)


# The answers that say which gateways and endpoints the VPC has.
_NETWORK_FIELDS = frozenset({"subnet", "nat_gateway", "ip_mode", "ipv6_egress", "endpoints"})


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _and(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
