"""The permission matrix over every level: who sees which of the main objects (200) and who gets 404.

Province office, city offices (two cities), county offices (an office unit under the county, and an office
role held in the county itself), a town office, a village handler, a county handler, a city unit head, the
inspector of a secret city round, and an account without roles, against cases, rounds (open, secret of
the city, secret of the county, secret of the province, published), a secret round's visit, plans and a
task assigned down, periods (published, preview), windows, forecasts, archive materials and campaigns.
"""

from __future__ import annotations

import pytest
from django.test import Client

from chuangcheng.accounts.tests.levels_world import PEOPLE, build_world
from chuangcheng.core.testing import assert_permission_matrix

pytestmark = pytest.mark.django_db

ALL = set(PEOPLE) - {"no_role"}
CITY_A_SIDE = {
    "city_a_office",
    "county_a1_office",
    "county_a2_office",
    "town_office",
    "village_handler",
    "county_a1_handler",
    "city_a_head",
    "secret_inspector",
}

# object key → API prefix, and the people who see it (everyone else: 404).
MATRIX = {
    "case:A1T": (
        "cases",
        {"province_office", "city_a_office", "county_a1_office", "town_office", "county_a1_handler", "city_a_head"},
    ),
    "case:A2": ("cases", {"province_office", "city_a_office", "county_a2_office", "city_a_head"}),
    "case:B": ("cases", {"province_office", "city_b_office"}),
    "round:A-secret": ("inspections/rounds", {"province_office", "city_a_office", "secret_inspector"}),
    "round:A1-secret": ("inspections/rounds", {"province_office", "city_a_office", "county_a1_office"}),
    "round:P-secret": ("inspections/rounds", {"province_office"}),
    "round:A1-own": (
        "inspections/rounds",
        {"province_office", "city_a_office", "county_a1_office", "county_a1_handler", "city_a_head"},
    ),
    "round:A-published": (
        "inspections/rounds",
        {
            "province_office",
            "city_a_office",
            "county_a1_office",
            "county_a1_handler",
            "city_a_head",
            "secret_inspector",
        },
    ),
    "visit:A-secret": ("inspections/visits", {"province_office", "city_a_office", "secret_inspector"}),
    "plan:A1": (
        "campaign-plans",
        {"province_office", "city_a_office", "county_a1_office", "county_a1_handler", "city_a_head"},
    ),
    "plan:B": ("campaign-plans", {"province_office", "city_b_office"}),
    "task:A->A1": (
        "campaign-tasks",
        {
            "province_office",
            "city_a_office",
            "county_a1_office",
            "county_a1_handler",
            "city_a_head",
            "secret_inspector",
        },
    ),
    "period:A": ("assessments/periods", {"province_office"} | CITY_A_SIDE),
    "period:A1-preview": ("assessments/periods", {"province_office", "city_a_office", "county_a1_office"}),
    "period:B": ("assessments/periods", {"province_office", "city_b_office"}),
    "window:A1": (
        "readiness/windows",
        {
            "province_office",
            "city_a_office",
            "county_a1_office",
            "town_office",
            "village_handler",
            "county_a1_handler",
            "city_a_head",
        },
    ),
    "window:B": ("readiness/windows", {"province_office", "city_b_office"}),
    "forecast:A": ("readiness/runs", {"province_office", "city_a_office"}),
    "forecast:A1": ("readiness/runs", {"province_office", "city_a_office", "county_a1_office"}),
    "forecast:B": ("readiness/runs", {"province_office", "city_b_office"}),
    "material:A1T": (
        "dossier-materials",
        {"province_office", "city_a_office", "county_a1_office", "town_office", "county_a1_handler", "city_a_head"},
    ),
    "material:B": ("dossier-materials", {"province_office", "city_b_office"}),
    "camp:A1": (
        "programs",
        {
            "province_office",
            "city_a_office",
            "county_a1_office",
            "town_office",
            "village_handler",
            "county_a1_handler",
            "city_a_head",
        },
    ),
    "camp:B": ("programs", {"province_office", "city_b_office"}),
}


@pytest.fixture
def world():
    return build_world()


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_every_level_sees_its_own_ground_and_the_levels_below_never_a_sibling(world):
    clients = {label: client_for(world[label]) for label in PEOPLE}
    wrong = []
    for key, (prefix, viewers) in MATRIX.items():
        url = f"/api/v1/{prefix}/{world[key].pk}/"
        for label in PEOPLE:
            status = clients[label].get(url).status_code
            expected = 200 if label in viewers else 404
            if status != expected:
                wrong.append(f"{label} → {key}: {status}, expected {expected}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize(
    ("key", "inside", "sibling"),
    [
        ("case:A1T", "county_a1_office", "county_a2_office"),
        ("round:A1-secret", "county_a1_office", "town_office"),
        ("round:A-secret", "secret_inspector", "county_a1_office"),
        ("plan:B", "city_b_office", "city_a_office"),
        ("period:A1-preview", "county_a1_office", "county_a2_office"),
        ("camp:B", "city_b_office", "city_a_office"),
    ],
)
def test_permission_matrix_helper_per_level(world, key, inside, sibling):
    prefix = MATRIX[key][0]
    assert_permission_matrix(
        lambda user: client_for(user),
        f"/api/v1/{prefix}/{world[key].pk}/",
        in_scope=world[inside],
        out_of_scope=world[sibling],
        no_role=world["no_role"],
    )


def test_lists_hold_the_same_rows_as_the_details(world):
    """A list never shows what the detail hides (sibling counties, secret rounds of a higher level)."""
    client = client_for(world["county_a1_office"])
    rows = client.get("/api/v1/inspections/rounds/", {"page_size": 100}).json()
    names = {row["name"] for row in rows.get("results", rows)}
    assert "甲一县暗访" in names and "甲一县自查" in names
    assert "甲市暗访" not in names and "省级暗访复核" not in names
    cases = client.get("/api/v1/cases/", {"page_size": 100}).json()
    ids = {row["id"] for row in cases.get("results", cases)}
    assert world["case:A1T"].pk in ids and world["case:A2"].pk not in ids and world["case:B"].pk not in ids
