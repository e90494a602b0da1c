"""Services over the database: schemes are immutable once published, periods freeze on publication."""

import datetime
from decimal import Decimal

import pytest

from chuangcheng.assessments import selectors, services
from chuangcheng.assessments.models import PeriodKind, PeriodStatus, RuleKind, SchemeStatus, ScoreLine, UnitScore
from chuangcheng.assessments.tests.factories import CommendationFactory
from chuangcheng.audit.models import AuditEvent
from chuangcheng.core.errors import Conflict, DomainError, NotPermitted

pytestmark = pytest.mark.django_db


def published_scheme(actor, **extra):
    scheme = services.create_scheme(
        actor=actor, code="KH2026", name="示范市创建工作考核办法", red_count=1, black_count=1, **extra
    )
    services.create_peer_group(actor=actor, scheme=scheme, name="区县", unit_kinds=["district"])
    services.create_rule(actor=actor, scheme=scheme, kind=RuleKind.COMMENDATION, points=Decimal(2), label="表彰加分")
    services.create_rule(
        actor=actor, scheme=scheme, kind=RuleKind.AWARD_INELIGIBLE, params={"black_list": True}, label="黑榜取消评优"
    )
    return services.publish_scheme(scheme=scheme, actor=actor)


def march(actor, scheme):
    return services.create_period(
        actor=actor,
        scheme=scheme,
        kind=PeriodKind.MONTHLY,
        start=datetime.date(2026, 3, 1),
        end=datetime.date(2026, 3, 31),
        name="2026年3月专项考核",
    )


def test_publish_scheme_then_edit_rule_is_refused(tree, users):
    scheme = published_scheme(users["office"])
    assert scheme.status == SchemeStatus.PUBLISHED
    rule = scheme.rules.first()
    with pytest.raises(Conflict):
        services.update_rule(rule=rule, actor=users["office"], points=Decimal(9))
    with pytest.raises(Conflict):
        services.create_rule(actor=users["office"], scheme=scheme, kind=RuleKind.OPEN_CASE, points=Decimal(1))
    with pytest.raises(Conflict):
        services.update_scheme(scheme=scheme, actor=users["office"], base_score=Decimal(90))


def test_new_scheme_version_copies_rules_and_groups_as_draft(tree, users):
    scheme = published_scheme(users["office"])
    copy = services.new_scheme_version(scheme=scheme, actor=users["office"])
    assert (copy.version, copy.status, copy.previous_id) == (2, SchemeStatus.DRAFT, scheme.pk)
    assert copy.rules.count() == 2 and copy.peer_groups.get().unit_kinds == ["district"]
    services.update_rule(rule=copy.rules.first(), actor=users["office"], points=Decimal(3))
    assert scheme.rules.order_by("sort_order", "id").first().points == Decimal(2)


def test_scheme_services_refuse_unit_users(tree, users):
    with pytest.raises(NotPermitted):
        services.create_scheme(actor=users["east"], code="X", name="X")


def test_rule_params_are_validated(tree, users):
    scheme = services.create_scheme(actor=users["office"], code="K1", name="办法")
    with pytest.raises(DomainError) as exc:
        services.create_rule(actor=users["office"], scheme=scheme, kind=RuleKind.INDICATOR_GRADE, params={})
    assert exc.value.field == "params"
    with pytest.raises(DomainError):
        services.create_rule(actor=users["office"], scheme=scheme, kind=RuleKind.FUND_DEDUCTION, params={"amount": 5})


def test_period_needs_published_scheme(tree, users):
    scheme = services.create_scheme(actor=users["office"], code="K1", name="办法")
    with pytest.raises(DomainError):
        march(users["office"], scheme)


def test_compute_scores_commendations_ranks_and_flags(tree, users):
    scheme = published_scheme(users["office"])
    CommendationFactory(unit=tree["east"], title="省级卫生先进单位", awarded_on=datetime.date(2026, 3, 10))
    CommendationFactory(unit=tree["east"], title="上月表彰", awarded_on=datetime.date(2026, 2, 10))
    CommendationFactory(unit=tree["west"], title="市级先进集体", awarded_on=datetime.date(2026, 3, 20))
    period = march(users["office"], scheme)
    period = services.compute_period(period=period, actor=users["office"])
    assert period.status == PeriodStatus.COMPUTED
    scores = {s.unit.code: s for s in UnitScore.objects.filter(period=period).select_related("unit")}
    assert set(scores) == {"D01", "D02", "D03"}
    assert scores["D01"].total == Decimal(102) and scores["D02"].total == Decimal(102)
    assert scores["D03"].total == Decimal(100)
    assert (scores["D01"].rank, scores["D02"].rank, scores["D03"].rank) == (1, 1, 3)
    assert scores["D01"].flag == "red" and scores["D03"].flag == "black"
    assert scores["D03"].award_ineligible and "黑榜" in scores["D03"].ineligible_reasons
    line = ScoreLine.objects.get(unit=tree["east"], period=period)
    assert "省级卫生先进单位" in line.explanation and line.points == Decimal(2)
    assert any("工作日" in note for note in period.notes)
    assert AuditEvent.objects.filter(verb="assessments.period_computed", target_id=str(period.pk)).exists()


def test_published_period_is_frozen_and_never_recomputed(tree, users):
    scheme = published_scheme(users["office"])
    CommendationFactory(unit=tree["east"], awarded_on=datetime.date(2026, 3, 10))
    period = services.compute_period(period=march(users["office"], scheme), actor=users["office"])
    period = services.publish_period(period=period, actor=users["office"])
    frozen_hash = period.content_hash
    assert len(frozen_hash) == 64 and selectors.period_is_intact(period)
    before = list(ScoreLine.objects.filter(period=period).values_list("id", "points", "explanation"))
    # new facts arrive after publication: the published period must not move
    CommendationFactory(unit=tree["west"], awarded_on=datetime.date(2026, 3, 11))
    with pytest.raises(Conflict):
        services.compute_period(period=period, actor=users["office"])
    with pytest.raises(Conflict):
        services.request_period_computation(period=period, actor=users["office"])
    with pytest.raises(Conflict):
        services.update_period(period=period, actor=users["office"], end=datetime.date(2026, 3, 30))
    with pytest.raises(Conflict):
        services.publish_period(period=period, actor=users["office"])
    period.refresh_from_db()
    assert period.content_hash == frozen_hash and selectors.content_hash(period) == frozen_hash
    assert list(ScoreLine.objects.filter(period=period).values_list("id", "points", "explanation")) == before


def test_tampering_with_a_published_line_breaks_the_hash(tree, users):
    scheme = published_scheme(users["office"])
    CommendationFactory(unit=tree["east"], awarded_on=datetime.date(2026, 3, 10))
    period = services.compute_period(period=march(users["office"], scheme), actor=users["office"])
    period = services.publish_period(period=period, actor=users["office"])
    ScoreLine.objects.filter(period=period).update(points=Decimal(5))
    assert not selectors.period_is_intact(period)


def test_publish_requires_a_computed_preview(tree, users):
    period = march(users["office"], published_scheme(users["office"]))
    with pytest.raises(DomainError):
        services.publish_period(period=period, actor=users["office"])


def test_request_computation_runs_in_background_on_commit(tree, users, django_capture_on_commit_callbacks):
    period = march(users["office"], published_scheme(users["office"]))
    with django_capture_on_commit_callbacks(execute=True):
        services.request_period_computation(period=period, actor=users["office"])
    period.refresh_from_db()
    assert period.status == PeriodStatus.COMPUTED


def test_changing_dates_of_a_computed_period_discards_the_preview(tree, users):
    period = march(users["office"], published_scheme(users["office"]))
    services.compute_period(period=period, actor=users["office"])
    period = services.update_period(period=period, actor=users["office"], end=datetime.date(2026, 3, 15))
    assert period.status == PeriodStatus.DRAFT and not UnitScore.objects.filter(period=period).exists()
