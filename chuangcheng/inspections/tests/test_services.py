import base64
import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from chuangcheng.audit.models import AuditEvent
from chuangcheng.cases.models import Case
from chuangcheng.core.errors import Conflict, DomainError, NotPermitted
from chuangcheng.inspections import services
from chuangcheng.inspections.models import Finding, FindingPhoto, RoundStatus, SiteVisit, VisitStatus
from chuangcheng.inspections.tests.conftest import PNG, make_round
from chuangcheng.inspections.tests.factories import RoundFactory, VisitFactory
from chuangcheng.standards.models import Standard, StandardKind, StandardStatus
from chuangcheng.standards.tests.factories import SamplingQuotaFactory, StandardFactory

pytestmark = pytest.mark.django_db
DATA_URL = "data:image/png;base64," + base64.b64encode(PNG).decode()


def drawn_round(world, **kwargs):
    round_ = make_round(world, **kwargs)
    services.draw_round(round_=round_, actor=world.users["office_admin"], seed=42)
    services.assign_visits(round_=round_, actor=world.users["office_admin"], assignments="auto")
    return round_


def item(world, key, result="deduct", count=1, photos=()):
    return {
        "uuid": str(uuid.uuid4()),
        "check_item": world.items[key].pk,
        "result": result,
        "count": count,
        "note": "",
        "photos": [{"uuid": str(uuid.uuid4()), "data": DATA_URL} for _ in photos],
    }


def test_create_round_defaults_plan_from_standard_quota_for_population(world):
    SamplingQuotaFactory(
        standard=world.standard,
        category=world.categories["road"],
        category_name="背街小巷",
        min_samples_small=8,
        min_samples_medium=12,
        min_samples_large=15,
    )
    round_ = services.create_round(
        actor=world.users["office_admin"],
        name="巡查",
        kind="covert",
        unit=world.units["office"],
        standard=world.standard,
        population=3_000_000,
        period_start=timezone.localdate(),
        period_end=timezone.localdate(),
    )
    assert {(x.category_id, x.quota, x.default_quota) for x in round_.sampling_lines.all()} == {
        (world.categories["road"].pk, 15, 15)
    }
    assert round_.is_secret
    assert AuditEvent.objects.filter(verb="inspections.round_created", target_id=str(round_.pk)).exists()


def test_create_round_takes_the_review_methods_quotas_when_the_standard_has_none(world):
    review = StandardFactory(kind=StandardKind.SANITARY_REVIEW, status=StandardStatus.DRAFT)
    SamplingQuotaFactory(standard=review, category=world.categories["market"], min_samples_medium=6)
    Standard.objects.filter(pk=review.pk).update(status=StandardStatus.PUBLISHED)
    round_ = services.create_round(
        actor=world.users["office_admin"],
        name="暗访",
        kind="covert",
        unit=world.units["office"],
        standard=world.standard,
        population=1_000_000,
        period_start=timezone.localdate(),
        period_end=timezone.localdate(),
    )
    assert [(x.category_id, x.quota) for x in round_.sampling_lines.all()] == [(world.categories["market"].pk, 6)]


def test_create_round_by_unit_head_is_refused(world):
    with pytest.raises(NotPermitted):
        make_round(world, actor=world.users["east_head"])


def test_draw_is_stratified_audited_and_replayable(world):
    round_ = make_round(world, areas=[world.areas["east"]])
    draw = services.draw_round(round_=round_, actor=world.users["office_admin"], seed=7)
    visits = list(SiteVisit.objects.filter(round=round_).select_related("site"))
    assert len(visits) == 4
    assert {v.site.area_id for v in visits} == {world.areas["east"].pk}
    assert sorted(v.category_id for v in visits) == sorted(
        [world.categories["road"].pk] * 2 + [world.categories["market"].pk] * 2
    )
    assert services.replay_draw(draw) == (draw.result, draw.recheck_result)
    event = AuditEvent.objects.get(verb="inspections.round_drawn", target_id=str(round_.pk))
    assert event.changes["seed"] == [None, 7]
    # same seed on a second round with the same inputs draws the same sites
    again = make_round(world, areas=[world.areas["east"]])
    assert services.draw_round(round_=again, actor=world.users["office_admin"], seed=7).result == draw.result


def test_draw_excludes_recently_inspected_sites(world):
    earlier = RoundFactory(unit=world.units["office"])
    recent = [world.sites[f"east-road-{n}"] for n in range(3)]
    for site in recent:
        VisitFactory(round=earlier, site=site, status=VisitStatus.DONE, submitted_at=timezone.now() - timedelta(days=3))
    round_ = make_round(
        world, areas=[world.areas["east"]], period_start=timezone.localdate(), period_end=timezone.localdate()
    )
    draw = services.draw_round(round_=round_, actor=world.users["office_admin"], seed=1)
    drawn = set(SiteVisit.objects.filter(round=round_).values_list("site_id", flat=True))
    assert not drawn & {s.pk for s in recent}
    assert set(draw.excluded) >= {s.pk for s in recent}


def test_redraw_refused_once_findings_exist(world):
    round_ = drawn_round(world)
    visit = SiteVisit.objects.filter(round=round_, category=world.categories["road"]).first()
    services.sync_visit(actor=visit.inspector, visit=visit, items=[item(world, "litter")])
    with pytest.raises(Conflict):
        services.draw_round(round_=round_, actor=world.users["office_admin"])


def test_recheck_sample_draws_recently_closed_cases(world):
    from chuangcheng.cases.tests.factories import CaseFactory

    closed = [
        CaseFactory(
            status="closed",
            closed_at=timezone.now() - timedelta(days=2),
            site=world.sites[f"east-road-{n}"],
            area=world.areas["east"],
        )
        for n in range(4)
    ]
    round_ = make_round(world, recheck_count=2, period_start=timezone.localdate(), period_end=timezone.localdate())
    draw = services.draw_round(round_=round_, actor=world.users["office_admin"], seed=3)
    rechecks = SiteVisit.objects.filter(round=round_, is_recheck=True)
    assert rechecks.count() == 2
    assert set(rechecks.values_list("recheck_case_id", flat=True)) <= {c.pk for c in closed}
    assert sorted(draw.recheck_result) == sorted(rechecks.values_list("recheck_case_id", flat=True))


def test_sync_twice_is_counted_once(world):
    round_ = drawn_round(world, kind="open")
    visit = SiteVisit.objects.filter(round=round_, category=world.categories["road"]).first()
    payload = [item(world, "litter", count=2, photos=[1]), item(world, "red", result="pass")]
    first = services.sync_visit(actor=visit.inspector, visit=visit, items=payload, lng=120.1, lat=30.1)
    second = services.sync_visit(actor=visit.inspector, visit=visit, items=payload, lng=120.1, lat=30.1)
    assert len(first.created) == 2 and first.photos_created == 1
    assert second.created == [] and second.photos_created == 0 and len(second.unchanged) == 2
    assert Finding.objects.filter(visit=visit).count() == 2
    assert FindingPhoto.objects.filter(finding__visit=visit).count() == 1
    assert Case.objects.filter(round_visit_id=visit.pk).count() == 1  # open round: case at once, only once
    visit.refresh_from_db()
    assert visit.status == VisitStatus.DONE and visit.lng == 120.1


def test_sync_by_other_inspector_is_refused(world):
    round_ = drawn_round(world)
    visit = SiteVisit.objects.filter(round=round_).first()
    with pytest.raises(NotPermitted):
        services.sync_visit(actor=world.users["other_inspector"], visit=visit, items=[])


def test_sync_rejects_item_of_other_category(world):
    round_ = drawn_round(world)
    visit = SiteVisit.objects.filter(round=round_, category=world.categories["road"]).first()
    with pytest.raises(DomainError) as error:
        services.sync_visit(actor=visit.inspector, visit=visit, items=[item(world, "unknown")])
    assert error.value.field == "items[0].check_item"


def test_secret_round_makes_cases_only_on_publication(world):
    round_ = drawn_round(world)
    visit = SiteVisit.objects.filter(round=round_, category=world.categories["road"]).first()
    services.sync_visit(actor=visit.inspector, visit=visit, items=[item(world, "litter")])
    assert not Case.objects.filter(round_visit_id=visit.pk).exists()
    with pytest.raises(DomainError):
        services.publish_round(round_=round_, actor=world.users["office_admin"])
    services.close_round(round_=round_, actor=world.users["office_admin"])
    services.publish_round(round_=round_, actor=world.users["office_admin"])
    case = Case.objects.get(round_visit_id=visit.pk)
    assert case.source == "inspection" and case.check_item_id == world.items["litter"].pk
    assert Finding.objects.get(visit=visit).case_id == case.pk
    round_.refresh_from_db()
    assert round_.status == RoundStatus.PUBLISHED and round_.published_at is not None


def test_assign_only_to_round_inspectors(world):
    round_ = make_round(world)
    services.draw_round(round_=round_, actor=world.users["office_admin"], seed=5)
    visit = SiteVisit.objects.filter(round=round_).first()
    with pytest.raises(DomainError):
        services.assign_visits(
            round_=round_, actor=world.users["office_admin"], assignments={visit.pk: world.users["other_inspector"]}
        )
    assert (
        services.assign_visits(
            round_=round_, actor=world.users["office_admin"], assignments={visit.pk: world.users["inspector"]}
        )
        == 1
    )


def test_patrol_self_fix_needs_both_photos_and_report_makes_case(world):
    from django.core.files.base import ContentFile

    from chuangcheng.places.tests.factories import AreaFactory

    grid = AreaFactory(code="G1", name="东城网格1", level=5, parent=world.areas["east"], unit=world.units["east"])
    worker = world.users["grid_worker"]
    with pytest.raises(DomainError):
        services.record_patrol(
            actor=worker,
            area=grid,
            kind="self_fix",
            description="占道",
            client_uuid=uuid.uuid4(),
            photos_before=[ContentFile(PNG, name="a.png")],
        )
    fixed = services.record_patrol(
        actor=worker,
        area=grid,
        kind="self_fix",
        description="占道经营",
        client_uuid=uuid.uuid4(),
        photos_before=[ContentFile(PNG, name="a.png")],
        photos_after=[ContentFile(PNG, name="b.png")],
    )
    assert fixed.case_id is None and fixed.photos.count() == 2
    key = uuid.uuid4()
    reported = services.record_patrol(
        actor=worker,
        area=grid,
        kind="report",
        description="井盖缺失",
        client_uuid=key,
        lng=120.005,
        lat=30.005,
        photos_before=[ContentFile(PNG, name="c.png")],
    )
    again = services.record_patrol(
        actor=worker,
        area=grid,
        kind="report",
        description="井盖缺失",
        client_uuid=key,
        photos_before=[ContentFile(PNG, name="c.png")],
    )
    assert reported.pk == again.pk
    assert Case.objects.get(pk=reported.case_id).source == "patrol"
    with pytest.raises(NotPermitted):
        services.record_patrol(
            actor=world.users["east_head"],
            area=grid,
            kind="report",
            description="x",
            client_uuid=uuid.uuid4(),
            photos_before=[ContentFile(PNG, name="c.png")],
        )


def test_report_of_a_first_round_marks_no_changes(world):
    from chuangcheng.inspections import reports

    round_ = drawn_round(world, kind="open")
    visit = SiteVisit.objects.filter(round=round_, category=world.categories["road"]).first()
    services.sync_visit(actor=visit.inspector, visit=visit, items=[item(world, "litter")])
    data = reports.build(round_)
    assert data.previous is None and data.area_rows and data.category_rows
    assert all(row[-2:] == ["—", "—"] for row in data.area_rows + data.category_rows)  # not "新增"


def test_overlapping_syncs_of_one_visit_store_the_finding_once(world):
    """The second of two overlapping syncs finds its insert taken by the first and uses that row."""
    from chuangcheng.inspections.services.field import insert_finding

    round_ = drawn_round(world, kind="covert")
    visit = SiteVisit.objects.filter(round=round_, category=world.categories["road"]).first()
    first = item(world, "litter", count=2)
    services.sync_visit(actor=visit.inspector, visit=visit, items=[first], complete=False)
    stored = Finding.objects.get(visit=visit)
    values = {"result": "deduct", "count": 2, "note": ""}
    again, created = insert_finding(visit, world.items["litter"], uuid.uuid4(), values, {}, visit.inspector)
    assert (again.pk, created) == (stored.pk, False)
    same_uuid, created = insert_finding(visit, world.items["litter"], stored.client_uuid, values, {}, visit.inspector)
    assert (same_uuid.pk, created) == (stored.pk, False)
    assert Finding.objects.filter(visit=visit).count() == 1


def test_sync_without_any_answer_does_not_mark_the_visit_done(world):
    """A phone that lost its answers (issue 13) sends the visit with no items: refused, nothing changed."""
    round_ = drawn_round(world, kind="open")
    visit = SiteVisit.objects.filter(round=round_, category=world.categories["road"]).first()
    events = AuditEvent.objects.count()
    with pytest.raises(DomainError) as error:
        services.sync_visit(actor=visit.inspector, visit=visit, items=[], lng=120.1, lat=30.1, note="已到场")
    assert error.value.field == "items"
    assert "检查项" in error.value.message and "未收到" in error.value.message
    visit.refresh_from_db()
    assert visit.status != VisitStatus.DONE and visit.lng is None and visit.note == ""
    assert AuditEvent.objects.count() == events


def test_sync_without_items_completes_a_visit_whose_answers_are_already_stored(world):
    """Answers sent earlier (complete=False) are on the server, so a bare completion loses nothing."""
    round_ = drawn_round(world, kind="open")
    visit = SiteVisit.objects.filter(round=round_, category=world.categories["road"]).first()
    services.sync_visit(actor=visit.inspector, visit=visit, items=[item(world, "litter")], complete=False)
    result = services.sync_visit(actor=visit.inspector, visit=visit, items=[])
    assert result.visit.status == VisitStatus.DONE
    assert Case.objects.filter(round_visit_id=visit.pk).count() == 1
