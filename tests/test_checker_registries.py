"""The operator and benefit-kind registries: the rule data is checked against what each entry
declares, and every operator and kind the data uses is registered."""

import copy

import pytest

from checker import policy
from checker.benefit_kinds import KINDS
from checker.citation import MEASURES
from checker.errors import RuleDataError
from checker.operators import OPERATORS


@pytest.mark.parametrize("measure", list(MEASURES))
def test_data_uses_only_registered_entries(measure):
    rules = policy.rules(measure)
    assert {c["op"] for c in rules["criteria"].values()} <= set(OPERATORS)
    assert {b["kind"] for b in rules["benefits"]} <= set(KINDS)


@pytest.mark.parametrize("op", sorted(OPERATORS))
def test_a_missing_parameter_is_named(op):
    spec = OPERATORS[op]
    if not spec.params:
        pytest.skip(f"{op} has no required parameter")
    for measure in MEASURES:
        rules = copy.deepcopy(policy.rules(measure))
        criterion = next((c for c in rules["criteria"].values() if c["op"] == op), None)
        if criterion is not None:
            break
    else:
        pytest.skip(f"no criterion uses {op}")
    key = next(iter(spec.params))
    del criterion[key]
    with pytest.raises(RuleDataError, match=f"criteria.{criterion['id']}: op {op} needs '{key}'"):
        policy._check(measure, rules)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_a_missing_benefit_key_is_named(kind):
    for measure in MEASURES:
        rules = copy.deepcopy(policy.rules(measure))
        benefit = next((b for b in rules["benefits"] if b["kind"] == kind), None)
        if benefit is not None:
            break
    else:
        pytest.skip(f"no benefit is of kind {kind}")
    key = KINDS[kind].needs[-1]
    del benefit[key]
    with pytest.raises(RuleDataError, match=f"benefit {benefit['id']}: kind {kind} needs '{key}'"):
        policy._check(measure, rules)
