"""A small 创文 world: a city running 巩卫 and 创文 at once (双迎), an observation-scored civilized standard with
known observations, a minors standard, and users in and out of scope."""

from __future__ import annotations

from chuangcheng.accounts.models import Role
from chuangcheng.accounts.tests.factories import UserFactory, user_with_role
from chuangcheng.inspections.models import RoundKind, RoundStatus, VisitStatus
from chuangcheng.inspections.tests.factories import ObservationFactory, RoundFactory, VisitFactory
from chuangcheng.org.models import UnitKind
from chuangcheng.org.tests.factories import UnitFactory
from chuangcheng.places.tests.factories import SiteFactory
from chuangcheng.programs.tests.factories import CampaignFactory
from chuangcheng.programs.titles import Title
from chuangcheng.standards.models import ClauseLevel, Judgement, StandardKind, StandardStatus
from chuangcheng.standards.tests.factories import CheckItemFactory, ClauseFactory, StandardFactory


def _observe(standard, clause, code, full_points, observations=5):
    return CheckItemFactory(
        standard=standard,
        clause=clause,
        code=code,
        title=f"测评标准{code}",
        points=None,
        judgement=Judgement.OBSERVE,
        full_points=full_points,
        observations=observations,
        methods="field",
    )


def build_civ_world() -> dict:
    city = UnitFactory(code="CITY", name="示范市", kind=UnitKind.CITY)
    office = UnitFactory(code="OFFICE", name="市创建办", kind=UnitKind.OFFICE, parent=city)
    east = UnitFactory(code="D01", name="东城区", kind=UnitKind.DISTRICT, parent=city)
    east_office = UnitFactory(code="D01-OFFICE", name="东城区创建办", kind=UnitKind.OFFICE, parent=east)
    west = UnitFactory(code="D02", name="西城区", kind=UnitKind.DISTRICT, parent=city)
    west_office = UnitFactory(code="D02-OFFICE", name="西城区创建办", kind=UnitKind.OFFICE, parent=west)

    civ = StandardFactory(kind=StandardKind.CIVILIZED_CITY, code="CIV-T", name="文明城市测评体系（测试）")
    project = ClauseFactory(standard=civ, level=ClauseLevel.SECTION, number="1", title="公共环境")
    content = ClauseFactory(standard=civ, level=ClauseLevel.ARTICLE, number="1.1", title="街道整洁", parent=project)
    content.section = project
    content._allow_published_save = True
    content.save()
    items = {
        "a": _observe(civ, content, "A", 10),  # 8/10 observed
        "b": _observe(civ, content, "B", 5),  # never observed
        "c": _observe(civ, content, "C", None),  # 分值 待核实, 3/4 observed
        "d": _observe(civ, content, "D", 4),  # 4/4 observed
    }
    items["e"] = CheckItemFactory(standard=civ, clause=content, code="E", judgement=Judgement.PASS_FAIL, points=None)
    minors = StandardFactory(kind=StandardKind.MINORS, code="MINORS-T", name="未成年人测评（测试）")
    minors_clause = ClauseFactory(standard=minors, level=ClauseLevel.ARTICLE, number="M1", title="校园周边")
    minors_items = [_observe(minors, minors_clause, "M1", 60), _observe(minors, minors_clause, "M2", 40)]
    sanitary = StandardFactory(kind=StandardKind.SANITARY_CITY)
    for standard in (civ, minors, sanitary):
        type(standard).objects.filter(pk=standard.pk).update(status=StandardStatus.PUBLISHED)

    gw = CampaignFactory(unit=city, code="CITY-GW", name="示范市巩卫", standard=sanitary)
    cw = CampaignFactory(
        unit=city, code="CITY-WM", name="示范市创文", title=Title.NATIONAL_CIVILIZED_CITY, standard=civ
    )
    east_cw = CampaignFactory(
        unit=east, code="D01-WM", name="东城区创文", title=Title.NATIONAL_CIVILIZED_COUNTY, standard=civ, parent=cw
    )
    mock = RoundFactory(unit=city, campaign=cw, standard=civ, kind=RoundKind.MOCK, status=RoundStatus.CLOSED)
    minors_round = RoundFactory(unit=city, campaign=cw, standard=minors, kind=RoundKind.MOCK, status=RoundStatus.CLOSED)
    world = {
        "city": city,
        "east": east,
        "west": west,
        "civ": civ,
        "minors": minors,
        "sanitary": sanitary,
        "items": items,
        "minors_items": minors_items,
        "gw": gw,
        "cw": cw,
        "east_cw": east_cw,
        "mock": mock,
        "minors_round": minors_round,
        "office_user": user_with_role(Role.OFFICE_ADMIN, office),
        "leader": user_with_role(Role.LEADER, city),
        "east_office": user_with_role(Role.OFFICE_ADMIN, east_office),
        "west_office": user_with_role(Role.OFFICE_ADMIN, west_office),
        "unit_head": user_with_role(Role.UNIT_HEAD, east),
        "nobody": UserFactory(),
    }
    record_observations(world)
    return world


def observations(world) -> dict:
    """The known observations: (passed, observed) per check item id, by round."""
    items, minors_items = world["items"], world["minors_items"]
    return {
        world["mock"].pk: {items["a"].pk: (8, 10), items["c"].pk: (3, 4), items["d"].pk: (4, 4)},
        world["minors_round"].pk: {minors_items[0].pk: (9, 10), minors_items[1].pk: (1, 2)},
    }


def record_observations(world) -> None:
    """Real ``inspections.Observation`` rows for the known counts: one done visit per round, plus a 不适用
    observation (left out of 达标率) and a visit still assigned (not counted)."""
    site, other = SiteFactory(unit=world["city"]), SiteFactory(unit=world["city"])
    for round_id, counts in observations(world).items():
        visit = VisitFactory(round_id=round_id, site=site, status=VisitStatus.DONE)
        pending = VisitFactory(round_id=round_id, site=other, status=VisitStatus.ASSIGNED)
        for item_id, (passed, observed) in counts.items():
            for seq in range(observed):
                ObservationFactory(visit=visit, check_item_id=item_id, seq=seq + 1, passed=seq < passed)
            ObservationFactory(visit=visit, check_item_id=item_id, seq=observed + 1, passed=None)
            ObservationFactory(visit=pending, check_item_id=item_id, seq=1, passed=False)
