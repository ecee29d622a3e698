"""Hypothesis strategies shared by the tests: every valid set of answers."""

from __future__ import annotations

from hypothesis import strategies as st

from advisor.rules.answers import FIELDS, PLATFORM_VERSIONS, Answers, Kind


def valid_answers(max_int: int = 40) -> st.SearchStrategy[Answers]:
    """Any valid answers: every field over its whole domain, OS and platform version together."""
    fields = {}
    for field in FIELDS:
        if field.name in ("os", "platform_version"):
            continue
        if field.kind is Kind.BOOL:
            fields[field.name] = st.booleans()
        elif field.kind is Kind.INT:
            fields[field.name] = st.integers(min_value=field.minimum or 0, max_value=max_int)
        elif field.kind is Kind.MULTI:
            fields[field.name] = st.frozensets(st.sampled_from(list(field.enum)))
        else:
            fields[field.name] = st.sampled_from(list(field.enum))
    platforms = [(os, v) for os, versions in PLATFORM_VERSIONS.items() for v in versions]
    return st.builds(
        lambda platform, rest: Answers(os=platform[0], platform_version=platform[1],
                                       **_agreeing(rest)),
        st.sampled_from(platforms), st.fixed_dictionaries(fields),
    )


def _agreeing(values: dict[str, object]) -> dict[str, object]:
    """The answers with each refining field made to agree with the field it refines (a pair
    that contradicts itself is an input error, spec section 4): both DNS attributes follow
    `vpc_dns` where it says both are on, one is off where it says not, and `egress_via` keeps
    its default without a NAT route."""
    if values["vpc_dns"]:
        values.update(dns_support=True, dns_hostnames=True)
    elif values["dns_support"] and values["dns_hostnames"]:
        values["dns_hostnames"] = False
    if not values["nat_gateway"]:
        values["egress_via"] = Answers().egress_via
    return values
