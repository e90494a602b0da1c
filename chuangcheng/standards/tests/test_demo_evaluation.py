import pytest

from chuangcheng.places.services.categories import load_site_categories
from chuangcheng.standards.demo_evaluation import (
    CIV_CODE,
    ensure_demo_evaluation_standard,
    ensure_demo_minors_standard,
)
from chuangcheng.standards.models import CheckItem, Clause, ClauseLevel, Judgement, MaterialRequirement, Standard

pytestmark = pytest.mark.django_db


@pytest.fixture
def categories():
    load_site_categories(actor=None)


def test_demo_standard_is_published_through_the_import_and_idempotent(categories):
    standard = ensure_demo_evaluation_standard()
    assert standard.is_published and standard.code == CIV_CODE and "示例" in standard.name
    assert standard.kind == "civilized_city" and standard.uncertain
    projects = Clause.objects.filter(standard=standard, level=ClauseLevel.SECTION)
    contents = Clause.objects.filter(standard=standard, level=ClauseLevel.ARTICLE)
    items = CheckItem.objects.filter(standard=standard)
    assert projects.count() == 7
    assert 24 <= contents.count() <= 30
    assert 75 <= items.count() <= 85
    assert not items.filter(is_sample=False).exists()
    observed = items.filter(judgement=Judgement.OBSERVE)
    assert observed.count() > items.count() / 2
    assert not observed.filter(full_points__isnull=True).exists()
    assert not observed.filter(observations__isnull=True).exists()
    assert not observed.filter(site_categories__isnull=True).exists()
    assert items.filter(is_negative_list=True, is_veto=True).count() == 1
    assert MaterialRequirement.objects.filter(standard=standard, clause__methods__contains="material").count() >= 8
    assert all(c.methods for c in contents)
    again = ensure_demo_evaluation_standard()
    assert again.pk == standard.pk
    assert Standard.objects.filter(code=CIV_CODE).count() == 1


def test_demo_minors_standard(categories):
    minors = ensure_demo_minors_standard()
    assert minors.is_published and minors.kind == "minors" and "示例" in minors.name
    assert CheckItem.objects.filter(standard=minors).count() >= 5


def test_seed_evaluation_demo_command_loads_categories_and_both_manuals():
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("seed_evaluation_demo", stdout=out)
    call_command("seed_evaluation_demo", stdout=out)
    assert Standard.objects.filter(code__in=[CIV_CODE, "MINORS-DEMO"], status="published").count() == 2
    assert "示例测评手册" in out.getvalue()
