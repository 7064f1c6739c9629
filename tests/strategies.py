"""Hypothesis strategies and subjects shared by the property tests."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from hypothesis import strategies as st
from pydantic import BaseModel

from thesis.engine.compile import Compiled
from thesis.engine.space import catalogue
from thesis.models.distributions import InputKind
from thesis.models.scorecard import Categories, Curve, EvidenceRule, Scorecard


def wide_value(kind: InputKind) -> Any:
    """A distribution covering most of a field's domain, to explore every rule's range."""
    if kind.kind == "evidence":
        return 0.5
    if kind.kind == "category":
        return {c: 1 / len(kind.choices) for c in kind.choices[:-1]} | {
            kind.choices[-1]: 1 - (len(kind.choices) - 1) / len(kind.choices)}
    low, high = kind.low, kind.high
    if math.isfinite(low) and math.isfinite(high):
        return {"low": low, "high": high}
    if low == 0:
        return {"p10": 1.0, "p90": 1.0e9}
    return {"low": low if math.isfinite(low) else -10.0, "high": 10.0}


def nested(flat: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for path, value in flat.items():
        *parents, leaf = path.split(".")
        node = out
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = value
    return out


def full_subject(model: type[BaseModel], **fixed: Any) -> BaseModel:
    """A subject whose every input is given, as a wide distribution."""
    flat = {path: wide_value(kind) for path, kind in catalogue(model).items()}
    return model.model_validate(_merge(nested(flat), fixed))


def _merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in extra.items():
        both = isinstance(value, dict) and isinstance(out.get(key), dict)
        out[key] = _merge(out[key], value) if both else value
    return out


def directions(card: Scorecard, compiled: Compiled) -> dict[int, int]:
    """+1 / -1 per input column whose better direction the scorecard declares."""
    declared: dict[str, int] = {}
    for _, factor in card.walk():
        for crit in factor.criteria:
            rule = crit.rule
            if isinstance(rule, Curve):
                declared[crit.input] = 1 if rule.better == "higher" else -1
            elif isinstance(rule, EvidenceRule):
                declared[crit.input] = 1 if rule.yes >= rule.no else -1
            elif isinstance(rule, Categories):
                continue
        for gate in factor.gates:
            declared[gate.input] = -1 if gate.at_most is not None else 1
    out: dict[int, int] = {}
    space = compiled.space
    for path, sign in declared.items():
        if path not in space:
            continue
        for inp in space.base_inputs([path]):
            if inp.path in compiled.names:
                out[compiled.names.index(inp.path)] = sign
    return out


def uniforms(k: int, rows: int = 8) -> st.SearchStrategy[np.ndarray]:
    return st.lists(st.lists(st.floats(0.0005, 0.9995), min_size=k, max_size=k),
                    min_size=rows, max_size=rows).map(np.array)


# Ranges that span every bubble curve's breakpoints, so the rules are exercised rather than
# saturated (lognormal {p10, p90} where the default wide value is one, so the keys replace it).
MARKET_SPANS = {
    "penetration": {"adoption_speed_vs_prior": {"p10": 0.2, "p90": 4},
                    "addressable_market_usd": {"p10": 1e10, "p90": 1e15}},
    "revenue": {"annual_revenue_usd": {"p10": 1e9, "p90": 1e12},
                "growth_yoy": {"low": -0.5, "high": 3},
                "commitments_usd": {"p10": 1e9, "p90": 1e13}},
    "leverage": {"retail_margin_debt_to_gdp": {"low": 0, "high": 0.07},
                 "ocf_to_capex": {"p10": 0.2, "p90": 4},
                 "capex_to_gdp": {"low": 0.001, "high": 0.1}},
    "valuation": {"leaders_forward_pe": {"p10": 8, "p90": 90}, "normal_pe": {"p10": 12, "p90": 28},
                  "cape": {"p10": 8, "p90": 55}},
    "speculation": {"top10_market_cap_to_gdp": {"p10": 0.1, "p90": 1.5},
                    "ipo_first_day_return": {"low": -0.2, "high": 1.5}},
}
