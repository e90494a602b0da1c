"""Attach rows that existed before campaigns to one campaign per top territorial unit.

For each top territorial unit (a city, or the county/town/village at the top of a tree without a city), when
rounds, plans or archive assignments exist in its subtree, one 卫生 campaign is created for it, judged by the
standard those rows already use (the rounds' most common standard, else the archive requirements' standard,
else for a city the newest published 国家卫生城市 standard). Rows without a unit of their own (assessment
schemes and periods, inspection windows, forecasts) are attached only when exactly one campaign was created.
Whatever cannot be decided stays NULL; pages treat NULL as "the unit's current campaign".
"""

from collections import Counter

from django.db import migrations

LEVEL_TITLES = {
    "city": ("national_sanitary_city", "国家卫生城市"),
    "district": ("national_sanitary_county", "国家卫生县"),
    "street": ("national_sanitary_town", "国家卫生乡镇"),
    "community": ("provincial_sanitary_village", "省级卫生村"),
}


def _top_units(Unit):
    units = list(Unit.objects.filter(kind__in=LEVEL_TITLES).order_by("path"))
    tops = []
    for unit in units:
        if not any(unit.path.startswith(top.path) for top in tops):
            tops.append(unit)
    return tops


def attach(apps, schema_editor):
    Unit = apps.get_model("org", "Unit")
    Standard = apps.get_model("standards", "Standard")
    Campaign = apps.get_model("programs", "Campaign")
    Round = apps.get_model("inspections", "InspectionRound")
    Plan = apps.get_model("campaigns", "Plan")
    Assignment = apps.get_model("dossiers", "MaterialAssignment")
    Scheme = apps.get_model("assessments", "Scheme")
    Period = apps.get_model("assessments", "Period")
    Window = apps.get_model("readiness", "InspectionWindow")
    Forecast = apps.get_model("readiness", "ForecastRun")

    created = []
    for unit in _top_units(Unit):
        in_subtree = {"unit__path__startswith": unit.path}
        rounds = Round.objects.filter(campaign__isnull=True, **in_subtree)
        plans = Plan.objects.filter(campaign__isnull=True, **in_subtree)
        assignments = Assignment.objects.filter(campaign__isnull=True, **in_subtree)
        if not (rounds.exists() or plans.exists() or assignments.exists()):
            continue
        counts = Counter(rounds.exclude(standard=None).values_list("standard_id", flat=True))
        if not counts:
            counts = Counter(assignments.values_list("requirement__standard_id", flat=True))
        standard_id = counts.most_common(1)[0][0] if counts else None
        if standard_id is None and unit.kind == "city":
            standard_id = (
                Standard.objects.filter(kind="sanitary_city", status="published")
                .order_by("-effective_date", "-id")
                .values_list("id", flat=True)
                .first()
            )
        if standard_id is None:
            continue
        title, label = LEVEL_TITLES[unit.kind]
        code = f"{unit.code}-{title}"
        campaign = Campaign.objects.filter(code=code).first() or Campaign.objects.create(
            code=code,
            name=f"{unit.name}创建{label}",
            unit=unit,
            title=title,
            standard_id=standard_id,
            status="active",
        )
        rounds.update(campaign=campaign)
        plans.update(campaign=campaign)
        assignments.update(campaign=campaign)
        created.append(campaign)

    if len(created) == 1:
        only = created[0]
        for model in (Scheme, Window, Forecast):
            model.objects.filter(campaign__isnull=True).update(campaign=only)
    for period in Period.objects.filter(campaign__isnull=True).exclude(scheme__campaign=None):
        Period.objects.filter(pk=period.pk).update(campaign_id=period.scheme.campaign_id)
    if len(created) == 1:
        Period.objects.filter(campaign__isnull=True).update(campaign=created[0])


class Migration(migrations.Migration):
    dependencies = [
        ("programs", "0001_campaign"),
        ("inspections", "0002_round_campaign"),
        ("campaigns", "0002_plan_campaign"),
        ("dossiers", "0003_assignment_campaign"),
        ("assessments", "0004_scheme_period_campaign"),
        ("readiness", "0002_window_forecast_campaign"),
    ]

    operations = [migrations.RunPython(attach, migrations.RunPython.noop)]
