"""Stage transitions and gates, exhaustively (DOMAIN §b transition table)."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from crm.domain.pipeline import Facts, Move, Nature, Settings, Stage, check, gate_problems

S = Stage
COMPLETE = Facts(
    assessment_follow=True,
    following_unit=True,
    has_formal_contract=True,
    total_investment=Decimal(30000),
    first_phase_investment=Decimal(10000),
    signed_month="2025-04",
    registration_number="91410423MA44Q1K6X",
    registered_name="鲁山海威特种布有限公司",
    registered_capital=Decimal(5000),
    legal_representative="陈某",
    site="产业集聚区南区",
    land_mu=Decimal(120),
    start_month="2025-05",
    funds_arrived=Decimal(2000),
    start_evidence=True,
    production_month="2026-03",
    capacity="年产特种布 3000 万米",
    monthly_sales=Decimal(800),
)

# Forward moves allowed for a 新建 project when every gate is met (达产 disabled).
FORWARD = {(S.LEAD, S.TALKS), (S.TALKS, S.SIGNED), (S.SIGNED, S.REGISTERED), (S.REGISTERED, S.STARTED), (S.STARTED, S.PRODUCING)}
LINE = [S.LEAD, S.TALKS, S.SIGNED, S.REGISTERED, S.STARTED, S.PRODUCING]


def allowed(move: Move, settings: Settings = Settings()) -> bool:
    return check(move, settings) == []


@pytest.mark.parametrize("current", [s for s in Stage if s not in (S.PAUSED, S.TERMINATED, S.FULL_CAPACITY)])
@pytest.mark.parametrize("target", [s for s in Stage if s not in (S.PAUSED, S.TERMINATED)])
def test_every_move_by_a_user(current: Stage, target: Stage) -> None:
    expected = (current, target) in FORWARD
    assert allowed(Move(current, target, facts=COMPLETE)) == expected


@pytest.mark.parametrize("current", LINE)
@pytest.mark.parametrize("target", LINE)
def test_backward_moves_are_for_admins_with_a_reason(current: Stage, target: Stage) -> None:
    backward = LINE.index(target) < LINE.index(current)
    assert allowed(Move(current, target, by_admin=True, reason="录入错误，退回", facts=COMPLETE)) == (backward or (current, target) in FORWARD)
    if backward:
        assert not allowed(Move(current, target, by_admin=True, facts=COMPLETE))  # no reason
        assert not allowed(Move(current, target, reason="录入错误", facts=COMPLETE))  # not an admin


@pytest.mark.parametrize("current", LINE)
@pytest.mark.parametrize("side", [S.PAUSED, S.TERMINATED])
def test_any_stage_may_pause_or_stop_with_a_reason(current: Stage, side: Stage) -> None:
    assert allowed(Move(current, side, reason="企业资金链紧张"))
    assert check(Move(current, side, reason="  ")) [0].field == "reason"


def test_terminated_reactivates_only_to_talks() -> None:
    for target in Stage:
        assert allowed(Move(S.TERMINATED, target)) == (target is S.TALKS)


@pytest.mark.parametrize("paused_from", [S.TALKS, S.SIGNED, S.STARTED])
def test_paused_resumes_only_where_it_stopped(paused_from: Stage) -> None:
    for target in LINE:
        assert allowed(Move(S.PAUSED, target, paused_from=paused_from)) == (target == paused_from)
    assert allowed(Move(S.PAUSED, S.TERMINATED, paused_from=paused_from, reason="企业撤资"))
    assert not allowed(Move(S.PAUSED, S.PAUSED, paused_from=paused_from, reason="再次暂缓"))


@pytest.mark.parametrize("nature", list(Nature))
def test_signed_to_started_only_for_expansion(nature: Nature) -> None:
    facts = replace(COMPLETE, nature=nature)
    assert allowed(Move(S.SIGNED, S.STARTED, facts=facts)) == (nature in (Nature.CAPITAL_INCREASE, Nature.EXPANSION))


def test_full_capacity_only_where_enabled() -> None:
    assert not allowed(Move(S.PRODUCING, S.FULL_CAPACITY, facts=COMPLETE))
    assert allowed(Move(S.PRODUCING, S.FULL_CAPACITY, facts=COMPLETE), Settings(full_capacity_enabled=True))


GATES = {
    S.TALKS: ["assessment_follow", "following_unit"],
    S.SIGNED: ["has_formal_contract", "total_investment", "first_phase_investment", "signed_month"],
    S.REGISTERED: ["registration_number", "registered_name", "registered_capital", "legal_representative", "site", "land_mu"],
    S.STARTED: ["start_month", "funds_arrived", "start_evidence"],
    S.PRODUCING: ["production_month", "funds_arrived", "capacity", "monthly_sales"],
}
EMPTY = {bool: False, Decimal: None, str: None}


@pytest.mark.parametrize(("target", "fact"), [(t, f) for t, facts in GATES.items() for f in facts])
def test_each_gate_requirement_is_enforced(target: Stage, fact: str) -> None:
    current = LINE[LINE.index(target) - 1]
    value = getattr(COMPLETE, fact)
    missing = Decimal(0) if fact == "funds_arrived" else EMPTY[type(value)]
    problems = gate_problems(current, target, replace(COMPLETE, **{fact: missing}))
    assert len(problems) == 1, problems
    assert allowed(Move(current, target, facts=COMPLETE))


def test_blank_text_does_not_count() -> None:
    problems = gate_problems(S.SIGNED, S.REGISTERED, replace(COMPLETE, registered_name="   "))
    assert [p.field for p in problems] == ["registered_name"]


def test_negative_or_zero_amounts_do_not_count() -> None:
    problems = gate_problems(S.TALKS, S.SIGNED, replace(COMPLETE, total_investment=Decimal(0), first_phase_investment=Decimal(-1)))
    assert {p.field for p in problems} == {"total_investment", "first_phase_investment"}


def test_staying_put_is_not_a_move() -> None:
    for stage in Stage:
        assert not allowed(Move(stage, stage, reason="x", by_admin=True, paused_from=S.TALKS))


# --- what the project page offers ---------------------------------------------------------
from crm.domain.pipeline import earlier_stages, next_targets  # noqa: E402


@pytest.mark.parametrize(
    ("current", "paused_from", "nature", "expected"),
    [
        (Stage.TALKS, None, Nature.NEW, [Stage.SIGNED, Stage.PAUSED, Stage.TERMINATED]),
        (Stage.SIGNED, None, Nature.NEW, [Stage.REGISTERED, Stage.PAUSED, Stage.TERMINATED]),
        (Stage.SIGNED, None, Nature.CAPITAL_INCREASE, [Stage.REGISTERED, Stage.STARTED, Stage.PAUSED, Stage.TERMINATED]),
        (Stage.STARTED, None, Nature.NEW, [Stage.PRODUCING, Stage.PAUSED, Stage.TERMINATED]),
        (Stage.PRODUCING, None, Nature.NEW, [Stage.PAUSED, Stage.TERMINATED]),
        (Stage.PAUSED, Stage.SIGNED, Nature.NEW, [Stage.SIGNED, Stage.TERMINATED]),
        (Stage.TERMINATED, None, Nature.NEW, [Stage.TALKS]),
    ],
)
def test_next_targets(current, paused_from, nature, expected) -> None:  # type: ignore[no-untyped-def]
    assert next_targets(current, paused_from, nature) == expected


def test_every_offered_target_passes_the_move_check_except_for_its_gate() -> None:
    """The page never offers a move that ``check`` refuses for a reason other than missing facts."""
    for current in Stage:
        for nature in Nature:
            for target in next_targets(current, Stage.SIGNED if current is Stage.PAUSED else None, nature):
                problems = check(Move(current, target, paused_from=Stage.SIGNED, reason="原因", facts=Facts(nature=nature)))
                assert all(p.field != "stage" for p in problems), (current, target, problems)


def test_full_capacity_is_offered_only_when_enabled() -> None:
    assert Stage.FULL_CAPACITY not in next_targets(Stage.PRODUCING, None, Nature.NEW)
    assert Stage.FULL_CAPACITY in next_targets(Stage.PRODUCING, None, Nature.NEW, Settings(full_capacity_enabled=True))


def test_earlier_stages_for_an_admin() -> None:
    assert earlier_stages(Stage.STARTED) == [Stage.TALKS, Stage.SIGNED, Stage.REGISTERED]
    assert earlier_stages(Stage.TALKS) == []
    assert earlier_stages(Stage.PAUSED) == []


def test_gate_fields_are_what_an_empty_report_lacks():
    from crm.domain.pipeline import gate_fields

    assert gate_fields(Stage.SIGNED, Stage.REGISTERED) == {
        "registration_number", "registered_name", "registered_capital", "legal_representative", "site", "land_mu"}
    assert gate_fields(Stage.TALKS, Stage.SIGNED) == {"agreement", "total_investment", "first_phase_investment", "signed_month"}
    assert gate_fields(Stage.TALKS, Stage.PAUSED) == {"reason"}
