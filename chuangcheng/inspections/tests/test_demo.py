"""The demo rounds are made through the real services, published findings become cases, a rerun changes nothing."""

from django.core.management import call_command

from chuangcheng.audit.models import AuditEvent
from chuangcheng.inspections.models import Finding, InspectionRound, RoundStatus, VisitStatus
from chuangcheng.standards.models import Standard, StandardKind, StandardStatus


def test_seed_inspections_demo(world, capsys):
    Standard.objects.filter(pk=world.standard.pk).update(
        status=StandardStatus.PUBLISHED, kind=StandardKind.SANITARY_CITY
    )
    for key, username in (("office_admin", "office"), ("inspector", "inspector")):
        world.users[key].username = username
        world.users[key].save(update_fields=["username"])
    call_command("seed_inspections_demo")
    rounds = {r.kind: r for r in InspectionRound.objects.all()}
    assert set(rounds) == {"covert", "random", "mock"}
    covert = rounds["covert"]
    assert covert.status == RoundStatus.PUBLISHED and covert.is_secret and "演示" in covert.name
    assert covert.visits.count() == 6 and not covert.visits.exclude(status=VisitStatus.DONE).exists()
    deductions = Finding.objects.filter(visit__round=covert, result="deduct")
    assert deductions.exists() and not deductions.filter(case_id__isnull=True).exists()
    assert all(f.note.startswith("演示") for f in deductions)
    checking = rounds["random"]
    assert checking.status == RoundStatus.DRAWN
    assert checking.visits.filter(status=VisitStatus.DONE).count() == checking.visits.count() // 2
    assert rounds["mock"].status == RoundStatus.DRAFT
    before = (InspectionRound.objects.count(), Finding.objects.count(), AuditEvent.objects.count())
    call_command("seed_inspections_demo")
    assert (InspectionRound.objects.count(), Finding.objects.count(), AuditEvent.objects.count()) == before
    assert "3 个轮次" in capsys.readouterr().out


def test_seed_inspections_demo_without_demo_city_does_nothing(db, capsys):
    call_command("seed_inspections_demo")
    assert not InspectionRound.objects.exists()
    assert "未创建" in capsys.readouterr().out
