"""Intake of new cases: the per-case pieces, and the batch path built from them.

``services.create_case`` takes one case in (with photos; a few dozen statements);
``create_cases`` takes up to ``MAX_BATCH`` at once with the same outcome per case:
the same checks and messages (naming the item), numbers from the same sequence,
area, territory, rebound link (``rebounds``), routing, deadline, timeline rows and hashes, audit
rows and notifications. Both call the functions below and ``workflow.plan``; the
batch only loads what they read once for all its cases and writes with multi-row
INSERTs. All or nothing: one bad item rejects the batch and nothing is written.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from chuangcheng.audit.services import record_many
from chuangcheng.cases import chain, effects, evidence, hooks, notify, rebounds, routing, workflow
from chuangcheng.cases.models import (
    Case,
    CaseSource,
    CaseStatus,
    PhotoKind,
    Severity,
)
from chuangcheng.cases.numbers import reserve
from chuangcheng.cases.permissions import can_create_case
from chuangcheng.core.errors import DomainError, NotPermitted
from chuangcheng.core.inserts import insert
from chuangcheng.notifications.services import notify_many

MAX_BATCH = 500
# The fields of one case, as ``services.create_case`` takes them, with their defaults.
ITEM_DEFAULTS = {
    "source": None,
    "title": "",
    "description": "",
    "check_item": None,
    "category": None,
    "site": None,
    "area": None,
    "lng": None,
    "lat": None,
    "severity": Severity.NORMAL,
    "reporter_name": "",
    "reporter_phone": "",
    "external_ref": "",
    "round_visit": None,
}


def check_actor(actor) -> None:
    if actor is not None and not can_create_case(actor):
        raise NotPermitted("您无权上报问题")


def clean_fields(*, source, title, severity, lng, lat, external_ref) -> tuple[str, str]:
    """The checks that need no database; returns the stripped ``(title, external_ref)``."""
    title = (title or "").strip()
    if not title:
        raise DomainError("请填写问题标题", field="title")
    if source not in CaseSource.values:
        raise DomainError(f"未知的问题来源“{source}”", field="source")
    if severity not in Severity.values:
        raise DomainError(f"未知的严重程度“{severity}”", field="severity")
    if (lng is None) != (lat is None):
        raise DomainError("经纬度须同时填写", field="lng")
    if lng is not None and not (-180 <= lng <= 180 and -90 <= lat <= 90):
        raise DomainError("经纬度超出范围", field="lng")
    return title, (external_ref or "").strip()


def taken_refs(pairs) -> set[tuple[str, str]]:
    """The ``(source, external_ref)`` pairs among ``pairs`` that a case already holds (one query)."""
    pairs = {(source, ref) for source, ref in pairs if ref}
    if not pairs:
        return set()
    found = Case.objects.filter(external_ref__in={ref for _, ref in pairs}).values_list("source", "external_ref")
    return set(found) & pairs


def check_ref(source: str, external_ref: str, taken: set) -> None:
    if external_ref and (source, external_ref) in taken:
        raise DomainError(f"外部编号“{external_ref}”已存在", field="external_ref")


def place(*, site, area, category, lng, lat) -> tuple:
    """``(category_id, area_id, lng, lat)`` from the given fields and the site; ``area_id`` None and a
    point: the area is then located from the point (``locate_area_ids``)."""
    area_id = area.pk if area is not None else None
    category_id = category.pk if category is not None else None
    if site is not None:
        category_id = category_id or site.category_id
        area_id = area_id or site.area_id
        if lng is None:
            lng, lat = site.lng, site.lat
    return category_id, area_id, lng, lat


def locate_area_ids(lngs, lats) -> list[int | None]:
    """The smallest area containing each point (None outside every area), vectorised."""
    try:
        from chuangcheng.places.lookup import NOT_FOUND, locate_ids
    except ImportError:
        return [None] * len(lngs)
    return [int(found) if found != NOT_FOUND else None for found in locate_ids(lngs, lats)]


def territory(site, areas: list) -> int | None:
    """The territorial unit: the site's, else the first unit up the area chain."""
    if site is not None and site.unit_id:
        return site.unit_id
    return next((a.unit_id for a in areas if a.unit_id), None)


def build_case(*, actor, fields: dict, number: str, now, origin, placed: tuple, territory_id) -> Case:
    """The new case row (status 待受理), unsaved; ``fields`` cleaned, ``placed`` as from ``place`` (area found)."""
    category_id, area_id, lng, lat = placed
    round_visit = fields["round_visit"]
    case = Case(
        number=number,
        source=fields["source"],
        title=fields["title"][:200],
        description=fields["description"],
        check_item=fields["check_item"],
        category_id=category_id,
        site=fields["site"],
        area_id=area_id,
        unit_id=territory_id,
        lng=lng,
        lat=lat,
        severity=fields["severity"],
        reporter_name=fields["reporter_name"],
        reporter_phone=fields["reporter_phone"],
        external_ref=fields["external_ref"],
        reported_by=actor if getattr(actor, "is_authenticated", False) else None,
        round_visit_id=getattr(round_visit, "pk", round_visit),
        is_rebound=origin is not None,
        rebound_of=origin,
        status=CaseStatus.REPORTED,
        status_changed_at=now,
    )
    category, site = fields["category"], fields["site"]
    if category is None and site is not None and routing.loaded(site, "category"):
        category = site.category if case.category_id == site.category_id else None
    if category is not None:  # the answer shows the category: no query for it
        case.category = category
    return case


def report_row(case: Case, *, actor, origin, now) -> dict:
    """``chain.append``/``chain.build`` arguments of the first timeline row (上报)."""
    data = {"source": case.source}
    if origin is not None:
        data["rebound_of"] = origin.number
    return {"action": "report", "from_status": "", "to_status": CaseStatus.REPORTED, "actor": actor, "data": data,
            "at": now}  # fmt: skip


def created_audit(case: Case, *, actor) -> dict:
    """``record``/``record_many`` arguments of the intake's audit row."""
    changes = {"number": [None, case.number], "source": [None, case.source], "title": [None, case.title]}
    return {"actor": actor, "verb": "cases.created", "target": case, "changes": changes}


def plan_auto_register(case: Case, *, now=None, preloaded=None) -> list:
    """Register (routing the case) and, when a unit was found, dispatch: as the system, in memory."""
    steps = [workflow.plan(case, workflow.Action.REGISTER, actor=None, note="自动立案", now=now, preloaded=preloaded)]
    if case.lead_unit_id:
        steps.append(
            workflow.plan(case, workflow.Action.DISPATCH, actor=None, note="自动派遣", now=now, preloaded=preloaded)
        )
    return steps


def remember(case: Case, name: str, objects) -> None:
    """Leave the related rows just written on the case as if prefetched: the answer reads them with no query."""
    queryset = getattr(case, name).all()
    queryset._result_cache, queryset._prefetch_done = list(objects), True
    if not hasattr(case, "_prefetched_objects_cache"):
        case._prefetched_objects_cache = {}
    case._prefetched_objects_cache[name] = queryset


def _item_error(index: int, exc: DomainError) -> DomainError:
    field = f"items[{index}].{exc.field}" if exc.field else f"items[{index}]"
    return type(exc)(f"第 {index + 1} 条：{exc.message}", field=field, code=exc.code)


def check_batch_size(count: int) -> None:
    if count <= 0:
        raise DomainError("请至少提交一条问题", field="items")
    if count > MAX_BATCH:
        raise DomainError(f"一次最多提交 {MAX_BATCH} 条问题（本次 {count} 条）", field="items")


def _clean_batch(items) -> list[dict]:
    """Every item checked in order, as one ``create_case`` after another would; the first error names its item."""
    check_batch_size(len(items))
    refs = [(item.get("source"), (item.get("external_ref") or "").strip()) for item in items]
    taken = taken_refs(refs)
    cleaned = []
    for index, item in enumerate(items):
        try:
            unknown = sorted(set(item) - set(ITEM_DEFAULTS))
            if unknown:
                raise DomainError(f"未知的字段“{unknown[0]}”", field=unknown[0])
            fields = {**ITEM_DEFAULTS, **item}
            fields["title"], fields["external_ref"] = clean_fields(
                source=fields["source"], title=fields["title"], severity=fields["severity"], lng=fields["lng"],
                lat=fields["lat"], external_ref=fields["external_ref"],
            )  # fmt: skip
            check_ref(fields["source"], fields["external_ref"], taken)
        except DomainError as exc:
            raise _item_error(index, exc) from exc
        taken.add((fields["source"], fields["external_ref"]))
        cleaned.append(fields)
    return cleaned


@transaction.atomic
def create_cases(*, actor, items, auto_register: bool = True) -> list[Case]:
    """Take in a batch of cases (``items``: dicts of ``create_case``'s fields, without photos) as
    ``create_case`` would one by one, in a fixed number of statements per batch. Returns the cases
    in ``items`` order."""
    check_actor(actor)
    return take_in(actor=actor, batch=_clean_batch([dict(item) for item in items]), auto_register=auto_register)


def take_in(*, actor, batch: list[dict], auto_register: bool, origins=None, photos=()) -> list[Case]:
    """Write cleaned cases (``batch``: ``ITEM_DEFAULTS``' fields each) in the caller's transaction:
    the one path of ``create_case`` (a batch of one, with its photos) and ``create_cases``.

    ``origins``: the rebound origin of each case, when the caller names them (else detected).
    """
    placed = [place(**{k: f[k] for k in ("site", "area", "category", "lng", "lat")}) for f in batch]
    missing = [i for i, p in enumerate(placed) if p[1] is None and p[2] is not None]
    if missing:
        located = locate_area_ids([placed[i][2] for i in missing], [placed[i][3] for i in missing])
        for i, area_id in zip(missing, located, strict=True):
            placed[i] = (placed[i][0], area_id, placed[i][2], placed[i][3])
    routes = routing.BatchRouteSource(
        area_ids={p[1] for p in placed},
        sites=[f["site"] for f in batch],
        check_item_ids={getattr(f["check_item"], "pk", None) for f in batch},
        category_ids={p[0] for p in placed},
    )
    now = timezone.now()
    if origins is None:
        probes = [
            rebounds.probe_for(site=f["site"], check_item=f["check_item"], placed=p)
            for f, p in zip(batch, placed, strict=True)
        ]
        origins = rebounds.find_origins(probes, now=now)
    numbers, ids = reserve(timezone.localtime(now).year, len(batch), Case._meta.db_table)
    cases, firsts = [], []
    for fields, where, number, origin in zip(batch, placed, numbers, origins, strict=True):
        territory_id = territory(fields["site"], routes.chain(where[1]))
        case = build_case(
            actor=actor, fields=fields, number=number, now=now, origin=origin, placed=where, territory_id=territory_id
        )
        cases.append(case)
        firsts.append(report_row(case, actor=actor, origin=origin, now=now))
    steps: list[list] = [[] for _ in cases]
    if auto_register:
        preloaded = effects.Preloaded(routes=routes, deadline_rules=routing.deadline_rules())
        steps = [plan_auto_register(case, now=now, preloaded=preloaded) for case in cases]
    if ids:  # the timeline rows are hashed with the case id: known now, the heads go in with the cases
        for case, pk in zip(cases, ids, strict=True):
            case.pk = pk
        rows = _timeline(cases, firsts, steps)
        insert(cases)
    else:
        insert(cases)
        rows = _timeline(cases, firsts, steps)
        Case.objects.bulk_update(cases, ["timeline_head"])
    added = [evidence.add_photo(case=cases[0], upload=u, kind=PhotoKind.BEFORE, actor=actor) for u in photos]
    if len(cases) == 1:  # only a batch of one carries photos; its answer shows them
        remember(cases[0], "photos", added)
    insert([row for case_rows in rows for row in case_rows])
    _write_batch(cases, [case_rows[1:] for case_rows in rows], steps, actor=actor)
    return cases


def _timeline(cases: list, firsts: list, steps: list) -> list[list]:
    """Each case's timeline rows (上报, then its planned steps), hashed in order; moves the heads."""
    return [
        [chain.build(case, **first)] + [chain.build(case, **step.row_kwargs()) for step in case_steps]
        for case, first, case_steps in zip(cases, firsts, steps, strict=True)
    ]


def _write_batch(cases: list, step_rows: list, steps: list, *, actor) -> None:
    """Cooperating units, audit rows (pending), the transition listeners (``cases.hooks``), notifications
    (all of the batch's in one ``notify_many``)."""
    audit, cooperating = [], {}
    through = Case.cooperating_units.through
    for case, case_steps in zip(cases, steps, strict=True):
        audit.append(created_audit(case, actor=actor))
        audit += [step.audit(case) for step in case_steps]
        for step in case_steps:
            if step.outcome.cooperating_units is not None:  # the last assignment holds
                cooperating[case.pk] = [through(case_id=case.pk, unit_id=u.pk) for u in step.outcome.cooperating_units]
    if cooperating:
        insert([row for rows in cooperating.values() for row in rows])
    if len(cases) == 1:  # a single intake answers with the case's units (``answers.created_answer``)
        units = [s.outcome.cooperating_units for s in steps[0] if s.outcome.cooperating_units is not None]
        remember(cases[0], "cooperating_units", units[-1] if units else [])
    record_many(audit)
    for case, case_steps in zip(cases, steps, strict=True):  # as ``workflow.transition`` tells them
        for step in case_steps:
            hooks.transitioned(case, step.action, step.from_status, step.to_status, step.actor)
    dispatched = {case.lead_unit_id for case, case_steps in zip(cases, steps, strict=True) if case_steps}
    recipients = notify.RecipientCache(dispatched - {None})
    events = {}  # by actor (the system's steps share one call)
    for case, case_steps, case_rows in zip(cases, steps, step_rows, strict=True):
        for step, row in zip(case_steps, case_rows, strict=True):
            event = notify.event_for(case=case, action=str(step.action), transition=row, cache=recipients)
            if event is not None:
                events.setdefault(row.actor_id, (row.actor, []))[1].append(event)
    for actor_, case_events in events.values():
        notify_many(actor=actor_, events=case_events)
