"""The data migration that gives existing rows a campaign (programs 0002), on SQLite and PostgreSQL alike."""

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("programs", "0001_campaign")]
AFTER = [("programs", "0002_attach_existing_rows")]


def _migrate(targets):
    """Migrate to ``targets``; the state of every app there (all leaves, with programs 0002 undone when asked)."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    graph = executor.loader.graph
    nodes = [node for node in graph.leaf_nodes() if node != AFTER[0]]
    if targets == BEFORE:
        nodes += sorted(graph.node_map[AFTER[0]].parents, key=lambda node: node.key)
        nodes = [getattr(node, "key", node) for node in nodes]
    else:
        nodes.append(AFTER[0])
    return executor.loader.project_state(nodes).apps


@pytest.fixture
def before():
    apps = _migrate(BEFORE)
    yield apps
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def _unit(apps, code, kind, parent=None):
    Unit = apps.get_model("org", "Unit")
    unit = Unit.objects.create(code=code, name=code, kind=kind, parent=parent, path="/")
    unit.path = f"{parent.path if parent else '/'}{unit.pk}/"
    unit.save(update_fields=["path"])
    return unit


@pytest.mark.django_db(transaction=True)
def test_existing_rows_are_attached_to_one_campaign_per_top_unit(before):
    apps = before
    city = _unit(apps, "CITY", "city")
    office = _unit(apps, "OFFICE", "office", city)
    district = _unit(apps, "D01", "district", city)
    standard = apps.get_model("standards", "Standard").objects.create(
        kind="sanitary_city", code="NHC", name="国家卫生城市标准", version="2021", status="published"
    )
    round_ = apps.get_model("inspections", "InspectionRound").objects.create(
        name="第1轮",
        kind="open",
        unit=district,
        standard=standard,
        period_start=date(2026, 1, 1),
        period_end=date(2026, 1, 31),
    )
    plan = apps.get_model("campaigns", "Plan").objects.create(title="方案", year=2026, unit=office)
    scheme = apps.get_model("assessments", "Scheme").objects.create(code="KH", name="考核")
    window = apps.get_model("readiness", "InspectionWindow").objects.create(
        kind="provincial", earliest=date(2026, 6, 1), latest=date(2026, 6, 30)
    )

    apps = _migrate(AFTER)
    Campaign = apps.get_model("programs", "Campaign")
    campaign = Campaign.objects.get()
    assert (campaign.unit_id, campaign.title, campaign.standard_id) == (city.pk, "national_sanitary_city", standard.pk)
    for model, pk in (
        ("inspections.InspectionRound", round_.pk),
        ("campaigns.Plan", plan.pk),
        ("assessments.Scheme", scheme.pk),
        ("readiness.InspectionWindow", window.pk),
    ):
        assert apps.get_model(model).objects.get(pk=pk).campaign_id == campaign.pk, model


@pytest.mark.django_db(transaction=True)
def test_nothing_is_created_without_rows_or_without_a_standard(before):
    apps = before
    city = _unit(apps, "CITY", "city")
    county = _unit(apps, "X01", "district")  # a second top unit whose rows name no standard
    apps.get_model("campaigns", "Plan").objects.create(title="县方案", year=2026, unit=county)
    apps.get_model("readiness", "InspectionWindow").objects.create(
        kind="provincial", earliest=date(2026, 6, 1), latest=date(2026, 6, 30)
    )
    apps = _migrate(AFTER)
    assert not apps.get_model("programs", "Campaign").objects.exists()
    assert apps.get_model("campaigns", "Plan").objects.get().campaign_id is None
    assert city.pk
