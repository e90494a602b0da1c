"""Demo campaigns (演示) at three levels of the demo territory, through the services; idempotent.

Keyed by the role of each unit, not by codes, so it works on any demo territory: the city the demo office
works for runs its 巩卫 campaign (国家卫生城市, judged by the newest published sanitary-city standard), its first
county/district runs a 国家卫生县 campaign under it, and that district's first town/street a 国家卫生乡镇 campaign.
The 《国家卫生乡镇标准》 is not among the built-in standards (its clauses are not in the collected facts), so
the town campaign is judged by a draft standard of that name whose content is 待核实. Once a civilized-city
standard is published (the demo 测评手册 CIV-DEMO, 示例) the city also runs its 创文 campaign beside the 巩卫 (双迎).

``attach_demo_rows`` gives the rows other demos created without a campaign to the city's campaign, so the demo
city's existing data is owned; the county and town campaigns get their own windows (``readiness`` demo).
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import ForeignKey

from chuangcheng.accounts.models import OFFICE_ROLES, Membership, User
from chuangcheng.audit.services import record
from chuangcheng.org.models import Unit, UnitKind
from chuangcheng.programs import services
from chuangcheng.programs.models import Campaign
from chuangcheng.programs.selectors import current_campaign_for_unit
from chuangcheng.programs.titles import Title
from chuangcheng.standards.models import Standard, StandardKind, StandardStatus

TOWN_STANDARD = {
    "kind": StandardKind.LOCAL,
    "code": "NHT-TOWN",
    "name": "国家卫生乡镇标准",
    "version": "2021",
    "issued_by": "全国爱卫会（全爱卫发〔2021〕6号同文印发）",
    "description": (
        "现有资料只确认该标准于2021年与《国家卫生城市和国家卫生县标准》同文印发；条款与指标待核实，请创建办录入或导入。"
    ),
    "uncertain": True,
}


def _office_user() -> User | None:
    """The demo office administrator (``office``), else the first office member."""
    users = User.objects.filter(memberships__role__in=OFFICE_ROLES, is_active=True).distinct()
    return users.filter(username="office").first() or users.order_by("pk").first()


def _city_of(user: User) -> Unit | None:
    membership = Membership.objects.filter(user=user, role__in=OFFICE_ROLES).select_related("unit").first()
    if membership is None:
        return Unit.objects.filter(kind=UnitKind.CITY).order_by("path").first()
    chain = Unit.objects.in_bulk(membership.unit.ancestor_ids())
    for pk in reversed(membership.unit.ancestor_ids()):
        if chain[pk].kind == UnitKind.CITY:
            return chain[pk]
    return Unit.objects.filter(kind=UnitKind.CITY).order_by("path").first()


def _first_child(unit: Unit, kind: str) -> Unit | None:
    return unit.children.filter(kind=kind, is_active=True).order_by("sort_order", "code").first()


def _office_below(unit: Unit) -> Unit | None:
    return _first_child(unit, UnitKind.OFFICE)


def _sanitary_standard() -> Standard | None:
    published = Standard.objects.filter(kind=StandardKind.SANITARY_CITY, status=StandardStatus.PUBLISHED)
    return published.order_by("-effective_date", "-id").first()


def _civilized_standard() -> Standard | None:
    """The demo 创文 测评手册 (``CIV-DEMO``, 示例) if seeded, else the newest published civilized-city standard."""
    published = Standard.objects.filter(kind=StandardKind.CIVILIZED_CITY, status=StandardStatus.PUBLISHED)
    return published.filter(code="CIV-DEMO").order_by("-id").first() or published.order_by("-id").first()


def _town_standard(actor) -> Standard:
    from chuangcheng.standards.services import create_standard

    existing = Standard.objects.filter(code=TOWN_STANDARD["code"], version=TOWN_STANDARD["version"]).first()
    return existing or create_standard(actor=actor, **TOWN_STANDARD)


def _ensure(actor, *, code, name, unit, title, standard, office_unit, description) -> Campaign:
    existing = Campaign.objects.filter(code=code).first()
    if existing is not None:
        return existing
    return services.create_campaign(
        actor=actor,
        code=code,
        name=name,
        unit=unit,
        title=title,
        standard=standard,
        office_unit=office_unit,
        description=description,
        is_demo=True,
    )


@transaction.atomic
def seed_demo_campaigns() -> list[Campaign]:
    actor = _office_user()
    city = _city_of(actor) if actor is not None else None
    standard = _sanitary_standard()
    if actor is None or city is None or standard is None:
        return []
    campaigns = [
        _ensure(
            actor,
            code=f"{city.code}-GW",
            name=f"{city.name}巩固国家卫生城市",
            unit=city,
            title=Title.NATIONAL_SANITARY_CITY,
            standard=standard,
            office_unit=Unit.objects.filter(code="OFFICE").first() or _office_below(city),
            description="演示：市级巩卫活动，已有的督查、方案、考核、迎检与档案资料都归属于它。",
        )
    ]
    district = _first_child(city, UnitKind.DISTRICT)
    if district is not None:
        campaigns.append(
            _ensure(
                actor,
                code=f"{district.code}-CW",
                name=f"{district.name}创建国家卫生县（演示）",
                unit=district,
                title=Title.NATIONAL_SANITARY_COUNTY,
                standard=standard,
                office_unit=_office_below(district),
                description="演示：区县级创卫活动，由市级巩卫活动督导。",
            )
        )
        street = _first_child(district, UnitKind.STREET)
        if street is not None:
            campaigns.append(
                _ensure(
                    actor,
                    code=f"{street.code}-WS",
                    name=f"{street.name}创建国家卫生乡镇（演示）",
                    unit=street,
                    title=Title.NATIONAL_SANITARY_TOWN,
                    standard=_town_standard(actor),
                    office_unit=_office_below(street),
                    description="演示：乡镇（街道）级卫生创建活动，由区县创卫活动督导；评价标准条款待核实。",
                )
            )
    civilized = seed_civilized_campaign(actor, city)
    if civilized is not None:
        campaigns.append(civilized)
    return campaigns


def seed_civilized_campaign(actor=None, city: Unit | None = None) -> Campaign | None:
    """The demo city's 创文 campaign (全国文明城市, judged by the demo 测评手册), beside its 巩卫: the two run at
    once (双迎). Idempotent; None while no civilized-city standard is published."""
    actor = actor or _office_user()
    city = city or (_city_of(actor) if actor is not None else None)
    standard = _civilized_standard()
    if actor is None or city is None or standard is None:
        return None
    return _ensure(
        actor,
        code=f"{city.code}-WM",
        name=f"{city.name}创建全国文明城市（演示）",
        unit=city,
        title=Title.NATIONAL_CIVILIZED_CITY,
        standard=standard,
        office_unit=Unit.objects.filter(code="OFFICE").first() or _office_below(city),
        description="演示：市级创文活动，与巩卫同时进行（双迎）；评价标准为示例测评手册，分值与观察频次待核实。",
    )


def _owned_models():
    """The models that carry a ``campaign`` FK (found through the reverse relations, no import of those apps)."""
    for relation in Campaign._meta.related_objects:
        if relation.field.name == "campaign" and isinstance(relation.field, ForeignKey):
            yield relation.related_model


@transaction.atomic
def attach_demo_rows() -> dict[str, int]:
    """Give every demo row without a campaign to the city's campaign (the demo city's data is its 巩卫's)."""
    actor = _office_user()
    city = _city_of(actor) if actor is not None else None
    root = current_campaign_for_unit(city) if city is not None else None
    if root is None:
        return {}
    counts: dict[str, int] = {}
    for model in _owned_models():
        rows = model.objects.filter(campaign__isnull=True)
        if any(f.name == "unit" for f in model._meta.fields):
            rows = rows.filter(unit__path__startswith=root.unit.path)
        counts[model._meta.label] = rows.update(campaign=root)
    if any(counts.values()):
        record(actor=actor, verb="programs.demo_rows_attached", target=root, unit=root.unit_id, changes=counts)
    return counts
