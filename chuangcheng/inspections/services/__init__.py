"""Every write of the inspections domain (re-exported here for callers)."""

from chuangcheng.inspections.services.field import cases_for_findings, checklist_items, get_visit_for_sync, sync_visit
from chuangcheng.inspections.services.patrol import record_patrol
from chuangcheng.inspections.services.rounds import (
    assign_visits,
    close_round,
    create_round,
    default_quotas,
    draw_round,
    publish_round,
    replay_draw,
    set_sampling_plan,
    update_round,
)

__all__ = [
    "assign_visits",
    "cases_for_findings",
    "checklist_items",
    "close_round",
    "create_round",
    "default_quotas",
    "draw_round",
    "get_visit_for_sync",
    "publish_round",
    "record_patrol",
    "replay_draw",
    "set_sampling_plan",
    "sync_visit",
    "update_round",
]
