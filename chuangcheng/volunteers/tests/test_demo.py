"""seed_volunteers_demo: the promised amounts, marked 演示, idempotent and deterministic."""

from io import StringIO

from django.core.management import call_command
from django.db.models import Count

from chuangcheng.accounts.models import Role
from chuangcheng.accounts.tests.factories import user_with_role
from chuangcheng.volunteers.models import Activity, ActivityStatus, Participation, Post, Team, Volunteer


def _run() -> str:
    out = StringIO()
    call_command("seed_volunteers_demo", stdout=out)
    return out.getvalue()


def test_demo_amounts_marks_and_idempotence(world):
    assert "跳过" in _run()  # no demo office account yet
    user_with_role(Role.OFFICE_ADMIN, world["office"], username="office")
    message = _run()
    assert "志愿者 300 名" in message and "队伍 10 支" in message and "岗位 8 个" in message
    assert Volunteer.objects.filter(is_demo=True).count() == 300
    assert Volunteer.objects.filter(id_hash="").count() == 30
    assert Team.objects.filter(is_demo=True).count() == 10
    plain = Activity.objects.filter(post__isnull=True)
    assert plain.count() == 30 and not plain.filter(is_demo=False).exists()
    assert plain.filter(status=ActivityStatus.PLANNED).count() == 2
    assert set(plain.values_list("kind", flat=True)) >= {"health_education", "patriotic_health", "traffic"}
    assert Post.objects.filter(is_demo=True).count() == 8
    assert Participation.objects.filter(corrected_hours__isnull=False).count() == 6
    assert all("演示" in title for title in Activity.objects.values_list("title", flat=True))
    snapshot = list(Volunteer.objects.order_by("id").values_list("name", "id_masked", "phone")[:20])
    assert "跳过" in _run()
    assert (
        Volunteer.objects.count() == 300
        and Activity.objects.count() == plain.count() + Activity.objects.filter(post__isnull=False).count()
    )
    team_sizes = Team.objects.annotate(n=Count("members")).values_list("n", flat=True)
    assert all(10 <= n <= 25 for n in team_sizes)
    # deterministic: the same seed gives the same people
    Participation.objects.all().delete()
    Activity.objects.all().delete()
    Post.objects.all().delete()
    Team.objects.all().delete()
    Volunteer.objects.all().delete()
    _run()
    assert list(Volunteer.objects.order_by("id").values_list("name", "id_masked", "phone")[:20]) == snapshot
