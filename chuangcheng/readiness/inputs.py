"""Builds the forecast's inputs from the database (read-only): sites, quotas, rubric, open cases, history."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass, field

import numpy as np
from django.apps import apps
from django.db.models import Count

from chuangcheng.places.models import Area, AreaLevel, Site, SiteCategory
from chuangcheng.readiness.forecast import DEFAULT_PRIOR, CategoryInput, ItemRules, smoothed_rates
from chuangcheng.readiness.history import history_for

BANDS = {"small": "<50万", "medium": "50–200万", "large": ">200万"}
BAND_FIELDS = {"small": "min_samples_small", "medium": "min_samples_medium", "large": "min_samples_large"}
# The national pass line as a score is not in the available sources (standards.md §2.2): a value is
# chosen by the office and every result built on the default is labelled 示例.
EXAMPLE_PASS_LINE = 90.0
EXAMPLE_FULL_SCORE = 100.0


def model_or_none(label: str):
    try:
        return apps.get_model(label)
    except LookupError:
        return None


@dataclass
class Parameters:
    """Everything a run depends on besides the database state; stored with the run."""

    standard_id: int | None = None
    band: str = "medium"
    band_source: str = "default"  # city_population | chosen | default
    pass_line: float = EXAMPLE_PASS_LINE
    pass_line_is_example: bool = True
    full_score: float = EXAMPLE_FULL_SCORE
    unknown_points: float | None = None  # None: 待核实 items deduct nothing and are counted apart
    prior_alpha: float = DEFAULT_PRIOR[0]
    prior_beta: float = DEFAULT_PRIOR[1]
    runs: int = 10_000
    seed: int = 0
    closed_case_ids: list[int] = field(default_factory=list)
    ground_path: str = ""  # a lower level's run covers its own ground only (unit path prefix); "" = everything
    mode: str = "sampled"  # sampled: 暗访 deduction simulation; observe: 分值 × 达标率 (readiness.observe)
    observe_rounds: int = 3  # observe: how many recent 模拟测评 rounds the 达标率 comes from
    weights: dict = field(default_factory=dict)  # observe: composite weights in percent (示例), empty = none

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Parameters:
        known = {name: data[name] for name in cls.__dataclass_fields__ if name in data}
        return cls(**known)


def _ground_sites(params: Parameters):
    sites = Site.objects.all()
    return sites.filter(unit__path__startswith=params.ground_path) if params.ground_path else sites


def city_band() -> tuple[str | None, int | None]:
    """The population band from the city area's population, if recorded."""
    city = Area.objects.filter(level=AreaLevel.CITY).exclude(population=None).order_by("id").first()
    if city is None:
        return None, None
    population = city.population
    band = "small" if population < 500_000 else "medium" if population <= 2_000_000 else "large"
    return band, population


@dataclass
class Inputs:
    categories: list[CategoryInput]
    rules: ItemRules
    standard: object | None
    category_names: dict[str, str]
    items: dict[int, dict]  # id -> code, title, points, negative …
    site_info: dict[int, dict]  # problem site id -> name, area, unit
    clean_sites: dict[str, dict[tuple[int | None, int | None], int]]  # category -> (area, unit) -> count
    case_pairs: dict[int, tuple[int, int]]  # open case id -> (site id, item id)
    notes: list[str]
    history: dict
    excluded_categories: list[dict]
    unsited_open: int


def build_inputs(params: Parameters) -> Inputs:
    from chuangcheng.standards.models import CheckItem, SamplingQuota, Standard
    from chuangcheng.standards.selectors import quota_standard_for

    standard = Standard.objects.filter(pk=params.standard_id).first() if params.standard_id else None
    notes: list[str] = []
    if standard is None:
        return Inputs([], ItemRules({}), None, {}, {}, {}, {}, {}, ["没有可用的测评标准"], {}, [], 0)

    quotas: dict[int, int] = defaultdict(int)
    unknown_quota: set[int] = set()
    quota_standard = quota_standard_for(standard)
    if quota_standard is not None and quota_standard.pk != standard.pk:
        notes.append(
            f"所选标准未设点位抽样配额，按《{quota_standard.name}》（{quota_standard.version}）的暗访点位配额抽样；"
            "该评审办法与所选标准的版本不一定对应，配额待核实。"
        )
    for category_id, value in SamplingQuota.objects.filter(
        standard=quota_standard, category__isnull=False, row_kind="item"
    ).values_list("category_id", BAND_FIELDS[params.band]):
        if value:
            quotas[category_id] += value
        elif value is None:
            unknown_quota.add(category_id)
    items = list(
        CheckItem.objects.filter(standard=standard).prefetch_related("site_categories").order_by("sort_order", "id")
    )
    items_by_category: dict[int, list] = defaultdict(list)
    for item in items:
        for category in item.site_categories.all():
            items_by_category[category.pk].append(item)
    categories = list(SiteCategory.objects.order_by("sort_order", "code"))
    site_counts = dict(
        _ground_sites(params)
        .filter(is_active=True)
        .values("category_id")
        .annotate(n=Count("pk"))
        .values_list("category_id", "n")
    )
    history = history_for([c.pk for c in categories])

    open_pairs, case_pairs, unsited = _open_problems([item.pk for item in items], params.ground_path)
    closed = defaultdict(int)
    for case_id in params.closed_case_ids:
        if case_id in case_pairs:
            closed[case_pairs[case_id]] += 1

    inputs_list, excluded, names = [], [], {}
    problem_sites: set[int] = set()
    for category in categories:
        n_sites, sample = site_counts.get(category.pk, 0), quotas.get(category.pk, 0)
        cat_items = items_by_category.get(category.pk, [])
        if not sample or not n_sites or not cat_items:
            if sample or n_sites:
                if not sample:
                    reason = "抽样配额待核实" if category.pk in unknown_quota - set(quotas) else "无抽样配额"
                else:
                    reason = "无点位" if not n_sites else "无适用检查项"
                excluded.append({"name": category.name, "reason": reason, "sites": n_sites, "sample": sample})
            continue
        item_ids = np.array([item.pk for item in cat_items], dtype=np.int64)
        cat_history = history["rates"].get(category.pk, {})
        visits = history["visits"].get(category.pk, 0)
        findings = [cat_history.get(item.pk, 0) for item in cat_items]
        rates = smoothed_rates(findings, [visits] * len(cat_items), alpha=params.prior_alpha, beta=params.prior_beta)
        applicable = set(item_ids.tolist())
        triples = [t for t in open_pairs.get(category.pk, []) if t[1] in applicable]
        problem_sites.update(t[0] for t in triples)
        inputs_list.append(
            CategoryInput(
                code=category.code,
                n_sites=n_sites,
                sample_size=sample,
                item_ids=item_ids,
                rates=rates,
                open_site_ids=[t[0] for t in triples],
                open_item_ids=[t[1] for t in triples],
                open_counts=[max(0, t[2] - closed.get((t[0], t[1]), 0)) for t in triples],
            )
        )
        names[category.code] = category.name

    if inputs_list and excluded:
        notes.append(
            f"仅 {len(inputs_list)} 类点位纳入抽样，另有 {len(excluded)} 类未纳入（见“未纳入”：配额待核实、无配额或"
            "无适用检查项），预测只反映已纳入的类别；创建办可在标准体系中补充本地掌握的抽样配额。"
        )
    rules = ItemRules(
        points={item.pk: (float(item.points) if item.points is not None else None) for item in items},
        caps={item.pk: (float(item.cap_per_site) if item.cap_per_site is not None else None) for item in items},
        negative=frozenset(item.pk for item in items if item.is_negative_list or item.is_veto),
    )
    unknown = sum(1 for item in items if item.points is None)
    if unknown:
        if params.unknown_points is None:
            notes.append(f"{unknown} 个检查项分值待核实，未计入扣分，只统计其预计问题数。")
        else:
            notes.append(f"{unknown} 个检查项分值待核实，按示例分值 {params.unknown_points:g} 分估算（示例）。")
    item_info = {
        item.pk: {
            "code": item.code,
            "title": item.title,
            "points": float(item.points) if item.points is not None else None,
            "cap": float(item.cap_per_site) if item.cap_per_site is not None else None,
            "negative": bool(item.is_negative_list or item.is_veto),
        }
        for item in items
    }
    site_info = {
        site["pk"]: site
        for site in Site.objects.filter(pk__in=problem_sites).values(
            "pk", "name", "area_id", "area__name", "unit_id", "unit__name"
        )
    }
    clean_sites: dict[str, dict] = defaultdict(lambda: defaultdict(int))
    rows = (
        _ground_sites(params)
        .filter(is_active=True, category__code__in=list(names))
        .values("category__code", "area_id", "unit_id")
        .annotate(n=Count("pk"))
    )
    for row in rows:
        clean_sites[row["category__code"]][(row["area_id"], row["unit_id"])] += row["n"]
    _subtract_problem_sites(clean_sites, site_info, inputs_list)
    return Inputs(
        inputs_list,
        rules,
        standard,
        names,
        item_info,
        site_info,
        clean_sites,
        case_pairs,
        notes,
        history,
        excluded,
        unsited,
    )


def _subtract_problem_sites(clean_sites, site_info, categories) -> None:
    for category in categories:
        for site_id in category.problem_site_ids.tolist():
            info = site_info.get(site_id)
            if info is not None:
                key = (info["area_id"], info["unit_id"])
                clean_sites[category.code][key] = max(0, clean_sites[category.code].get(key, 0) - 1)


def _open_problems(item_ids: list[int], ground_path: str = ""):
    """Open cases on the standard's check items: counts per (category, site, item), case ids, unsited count.

    Filters by the item ids (not a join on the standard) so the planner can use the status index once.
    """
    case_model = model_or_none("cases.Case")
    if case_model is None or not item_ids:
        return {}, {}, 0
    from chuangcheng.cases.models.cases import OPEN_STATUSES

    base = case_model.objects.filter(status__in=OPEN_STATUSES, check_item_id__in=item_ids)
    if ground_path:
        base = base.filter(unit__path__startswith=ground_path)
    rows = list(base.filter(site__isnull=False).values_list("pk", "site_id", "check_item_id"))
    category_of = dict(Site.objects.filter(pk__in={row[1] for row in rows}).values_list("pk", "category_id"))
    counts: dict[tuple[int, int, int], int] = defaultdict(int)
    case_pairs: dict[int, tuple[int, int]] = {}
    for case_id, site_id, item_id in rows:
        counts[(category_of[site_id], site_id, item_id)] += 1
        case_pairs[case_id] = (site_id, item_id)
    pairs: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
    for (category_id, site_id, item_id), n in counts.items():
        pairs[category_id].append((site_id, item_id, n))
    unsited = base.filter(site__isnull=True).count()
    return pairs, case_pairs, unsited
