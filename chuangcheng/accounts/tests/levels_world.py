"""A province with two cities, counties, a town and a village, an office at every level, and the main objects
each level owns: the world of the levels tests (``test_levels*.py``).

Tree (kind in brackets)::

    P 示范省 [province] ── P-OFFICE 省爱卫办 [office]
    ├── A 甲市 [city] ── A-OFFICE 甲市创建办 [office]
    │   ├── A1 甲一县 [district] ── A1-OFFICE 县创建办 [office]
    │   │   └── A1T 甲一镇 [street] ── A1TV 甲一村 [community]
    │   └── A2 甲二县 [district]     (its office role is held in the county unit itself)
    └── B 乙市 [city] ── B-OFFICE 乙市创建办 [office]
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from chuangcheng.accounts.models import Role
from chuangcheng.accounts.tests.factories import UserFactory, user_with_role
from chuangcheng.assessments.models import PeriodStatus
from chuangcheng.assessments.tests.factories import PeriodFactory, PublishedSchemeFactory
from chuangcheng.campaigns.tests.factories import PlanFactory, TaskFactory
from chuangcheng.cases.models import CaseStatus
from chuangcheng.cases.tests.factories import CaseFactory
from chuangcheng.dossiers.tests.factories import MaterialFactory
from chuangcheng.inspections.models import RoundKind, RoundStatus
from chuangcheng.inspections.tests.factories import RoundFactory, VisitFactory
from chuangcheng.org.models import UnitKind
from chuangcheng.org.tests.factories import UnitFactory
from chuangcheng.places.tests.factories import AreaFactory, SiteFactory
from chuangcheng.programs.tests.factories import CampaignFactory
from chuangcheng.programs.titles import Title
from chuangcheng.readiness.models import ForecastRun
from chuangcheng.readiness.tests.factories import InspectionWindowFactory

# Everyone who signs in, by label.
PEOPLE = (
    "province_office",
    "city_a_office",
    "city_b_office",
    "county_a1_office",
    "county_a2_office",
    "town_office",
    "village_handler",
    "county_a1_handler",
    "city_a_head",
    "secret_inspector",
    "no_role",
)


def build_world() -> dict:
    w: dict = {}
    unit = UnitFactory
    w["P"] = unit(code="P", name="示范省", kind=UnitKind.PROVINCE)
    w["P-OFFICE"] = unit(code="P-OFFICE", name="省爱卫办", kind=UnitKind.OFFICE, parent=w["P"])
    w["A"] = unit(code="A", name="甲市", kind=UnitKind.CITY, parent=w["P"])
    w["A-OFFICE"] = unit(code="A-OFFICE", name="甲市创建办", kind=UnitKind.OFFICE, parent=w["A"])
    w["A1"] = unit(code="A1", name="甲一县", kind=UnitKind.DISTRICT, parent=w["A"])
    w["A1-OFFICE"] = unit(code="A1-OFFICE", name="甲一县创建办", kind=UnitKind.OFFICE, parent=w["A1"])
    w["A1T"] = unit(code="A1T", name="甲一镇", kind=UnitKind.STREET, parent=w["A1"])
    w["A1TV"] = unit(code="A1TV", name="甲一村", kind=UnitKind.COMMUNITY, parent=w["A1T"])
    w["A2"] = unit(code="A2", name="甲二县", kind=UnitKind.DISTRICT, parent=w["A"])
    w["B"] = unit(code="B", name="乙市", kind=UnitKind.CITY, parent=w["P"])
    w["B-OFFICE"] = unit(code="B-OFFICE", name="乙市创建办", kind=UnitKind.OFFICE, parent=w["B"])

    people = {
        "province_office": (Role.OFFICE_ADMIN, "P-OFFICE"),
        "city_a_office": (Role.OFFICE_ADMIN, "A-OFFICE"),
        "city_b_office": (Role.OFFICE_ADMIN, "B-OFFICE"),
        "county_a1_office": (Role.OFFICE_ADMIN, "A1-OFFICE"),
        "county_a2_office": (Role.OFFICE_STAFF, "A2"),
        "town_office": (Role.OFFICE_STAFF, "A1T"),
        "village_handler": (Role.UNIT_HANDLER, "A1TV"),
        "county_a1_handler": (Role.UNIT_HANDLER, "A1"),
        "city_a_head": (Role.UNIT_HEAD, "A"),
        "secret_inspector": (Role.INSPECTOR, "A-OFFICE"),
    }
    for label, (role, code) in people.items():
        w[label] = user_with_role(role, w[code], username=label)
    w["no_role"] = UserFactory(username="no_role")

    # Ground: an area and a site per territorial unit.
    for code in ("A", "A1", "A1T", "A2", "B"):
        w[f"area:{code}"] = AreaFactory(code=f"AR-{code}", name=f"{w[code].name}区域", unit=w[code])
        w[f"site:{code}"] = SiteFactory(
            code=f"S-{code}", name=f"{w[code].name}点位", unit=w[code], area=w[f"area:{code}"]
        )

    # Campaigns: the city's, its county's and the other city's.
    w["camp:A"] = CampaignFactory(unit=w["A"], office_unit=w["A-OFFICE"], title=Title.NATIONAL_SANITARY_CITY)
    w["camp:A1"] = CampaignFactory(
        unit=w["A1"], office_unit=w["A1-OFFICE"], title=Title.NATIONAL_SANITARY_COUNTY, parent=w["camp:A"]
    )
    w["camp:A2"] = CampaignFactory(unit=w["A2"], title=Title.NATIONAL_SANITARY_COUNTY, parent=w["camp:A"])
    w["camp:B"] = CampaignFactory(unit=w["B"], office_unit=w["B-OFFICE"], title=Title.NATIONAL_SANITARY_CITY)

    # Cases on each county's and the other city's ground.
    for code in ("A1T", "A2", "B"):
        w[f"case:{code}"] = CaseFactory(
            unit=w[code],
            lead_unit=w[code],
            site=w[f"site:{code}"],
            area=w[f"area:{code}"],
            status=CaseStatus.DISPATCHED,
        )

    # Rounds: the city's secret round over the county (its inspector assigned), the county's own open round,
    # the province's secret round over city A, and a published secret round of the city.
    w["round:A-secret"] = RoundFactory(
        name="甲市暗访",
        kind=RoundKind.COVERT,
        is_secret=True,
        unit=w["A-OFFICE"],
        campaign=w["camp:A"],
        created_by=w["city_a_office"],
        status=RoundStatus.DRAWN,
    )
    w["round:A-secret"].areas.set([w["area:A1"]])
    w["round:A-secret"].inspectors.set([w["secret_inspector"]])
    w["visit:A-secret"] = VisitFactory(round=w["round:A-secret"], site=w["site:A1T"], inspector=w["secret_inspector"])
    w["round:A1-own"] = RoundFactory(
        name="甲一县自查",
        kind=RoundKind.OPEN,
        unit=w["A1-OFFICE"],
        campaign=w["camp:A1"],
        created_by=w["county_a1_office"],
    )
    w["round:A1-own"].areas.set([w["area:A1"]])
    w["round:A1-secret"] = RoundFactory(
        name="甲一县暗访",
        kind=RoundKind.COVERT,
        is_secret=True,
        unit=w["A1-OFFICE"],
        campaign=w["camp:A1"],
        created_by=w["county_a1_office"],
    )
    w["round:A1-secret"].areas.set([w["area:A1T"]])
    w["round:P-secret"] = RoundFactory(
        name="省级暗访复核", kind=RoundKind.COVERT, is_secret=True, unit=w["P-OFFICE"], created_by=w["province_office"]
    )
    w["round:P-secret"].areas.set([w["area:A"]])
    w["round:A-published"] = RoundFactory(
        name="甲市已发布暗访",
        kind=RoundKind.COVERT,
        is_secret=True,
        unit=w["A-OFFICE"],
        campaign=w["camp:A"],
        created_by=w["city_a_office"],
        status=RoundStatus.PUBLISHED,
        published_at=timezone.now(),
    )
    w["round:A-published"].areas.set([w["area:A1"]])

    # Plans and tasks: the city's plan assigns a task down to county A1; county A1's own plan; city B's plan.
    w["plan:A"] = PlanFactory(unit=w["A-OFFICE"], campaign=w["camp:A"])
    w["task:A->A1"] = TaskFactory(plan=w["plan:A"], lead_unit=w["A1"])
    w["plan:A1"] = PlanFactory(unit=w["A1-OFFICE"], campaign=w["camp:A1"])
    w["plan:B"] = PlanFactory(unit=w["B-OFFICE"], campaign=w["camp:B"])

    # Assessments: city A's published period and county A1's preview; city B's published period.
    w["period:A"] = PeriodFactory(
        scheme=PublishedSchemeFactory(campaign=w["camp:A"]), campaign=w["camp:A"], status=PeriodStatus.PUBLISHED
    )
    w["period:A1-preview"] = PeriodFactory(
        scheme=PublishedSchemeFactory(campaign=w["camp:A1"]), campaign=w["camp:A1"], status=PeriodStatus.COMPUTED
    )
    w["period:B"] = PeriodFactory(
        scheme=PublishedSchemeFactory(campaign=w["camp:B"]), campaign=w["camp:B"], status=PeriodStatus.PUBLISHED
    )

    # Readiness: windows and forecasts of the city and of its county; city B's window.
    today = datetime.date.today()
    for key in ("A", "A1", "B"):
        w[f"window:{key}"] = InspectionWindowFactory(campaign=w[f"camp:{key}"], title=f"{w[key].name}迎检")
        w[f"forecast:{key}"] = ForecastRun.objects.create(
            campaign=w[f"camp:{key}"],
            seed=1,
            runs=100,
            p_pass=0.5,
            mean_score=90.0,
            created_by=None,
            parameters={"as_of": str(today)},
        )

    # Archive materials of the town and of the other city.
    w["material:A1T"] = MaterialFactory(unit=w["A1T"])
    w["material:B"] = MaterialFactory(unit=w["B"])
    return w
