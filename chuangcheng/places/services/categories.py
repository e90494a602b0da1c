"""Loading the built-in site categories from the shared facts (idempotent)."""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings
from django.db import transaction

from chuangcheng.audit.services import record
from chuangcheng.places.catalog import CATEGORIES
from chuangcheng.places.models import SiteCategory, SiteCategoryGroup

SNAPSHOT = Path(__file__).resolve().parent.parent / "data" / "place_categories.json"
DESIGN_SOURCE = "DESIGN.md「Domain model · Site」点位类别清单"


def facts_path() -> Path:
    """``../shared/domain/standards_data.json`` beside the checkout, else the vendored snapshot."""
    for base in (settings.BASE_DIR.parent, settings.BASE_DIR.parent.parent):
        candidate = base / "shared" / "domain" / "standards_data.json"
        if candidate.exists():
            return candidate
    return SNAPSHOT


def _sources(value) -> list[str]:
    if not value:
        return []
    return [value] if isinstance(value, str) else [str(v) for v in value]


def raw_place_entries(facts: dict) -> dict[str, list[dict]]:
    """Raw place name -> [{list, source, focus}] over the place lists of the facts."""
    entries: dict[str, list[dict]] = {}
    for group in facts.get("undercover_place_categories", []):
        label = group.get("group", "")
        for item in group.get("categories") or []:
            name = item.get("category", "")
            if not name or "小计" in name:
                continue
            entries.setdefault(name, []).append(
                {
                    "list": "sanitary",
                    "label": label,
                    "source": _sources(item.get("source")) or _sources(group.get("source")),
                    "focus": item.get("focus") or "",
                }
            )
    civilized = facts.get("civilized_city", {}).get("field_inspection_place_categories", {})
    for name in civilized.get("list", []):
        entries.setdefault(name, []).append(
            {
                "list": "civilized",
                "label": "文明城市实地考察点位",
                "source": _sources(civilized.get("source")),
                "focus": "",
            }
        )
    return entries


def build_rows(facts: dict) -> list[dict]:
    """The category rows to store, in catalog order, with their group, focus and source text."""
    entries = raw_place_entries(facts)
    rows = []
    for order, spec in enumerate(CATEGORIES, start=1):
        found = [entry for raw in spec.raw for entry in entries.get(raw, [])]
        lists = {entry["list"] for entry in found}
        if lists == {"sanitary", "civilized"}:
            group = SiteCategoryGroup.BOTH
        elif lists == {"civilized"}:
            group = SiteCategoryGroup.CIVILIZED
        else:
            group = SiteCategoryGroup.SANITARY
        group = spec.group or group
        source_lines, seen = [], set()
        for raw in spec.raw:
            for entry in entries.get(raw, []):
                line = f"{entry['label']}：“{raw}”（{'；'.join(entry['source']) or '来源未注明'}）"
                if line not in seen:
                    seen.add(line)
                    source_lines.append(line)
        if spec.note:
            source_lines.append(spec.note)
        if spec.in_design:
            source_lines.append(DESIGN_SOURCE)
        focus = "；".join(dict.fromkeys(entry["focus"] for entry in found if entry["focus"]))
        rows.append(
            {
                "code": spec.code,
                "name": spec.name,
                "group": group,
                "geometry_kind": spec.kind,
                "focus": focus,
                "source": "\n".join(source_lines),
                "sort_order": order * 10,
            }
        )
    return rows


@transaction.atomic
def load_site_categories(*, actor, facts: dict | None = None) -> tuple[int, int]:
    """Create missing categories and refresh changed ones by code; returns (created, updated)."""
    if facts is None:
        facts = json.loads(facts_path().read_text(encoding="utf-8"))
    existing = {category.code: category for category in SiteCategory.objects.all()}
    created = updated = 0
    for row in build_rows(facts):
        category = existing.get(row["code"])
        if category is None:
            category = SiteCategory.objects.create(**row)
            created += 1
            continue
        changes = {k: [getattr(category, k), v] for k, v in row.items() if getattr(category, k) != v}
        if changes:
            for key, (_, value) in changes.items():
                setattr(category, key, value)
            category.save(update_fields=list(changes))
            updated += 1
    if created or updated:
        record(
            actor=actor,
            verb="places.site_categories_loaded",
            target_type="places.sitecategory",
            changes={"created": [0, created], "updated": [0, updated]},
        )
    return created, updated
