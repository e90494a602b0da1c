"""Every write of 考核问责 goes through these services."""

from chuangcheng.assessments.services.outcomes import (
    create_accountability_record,
    create_commendation,
    create_decision,
    create_outcome,
    update_outcome,
)
from chuangcheng.assessments.services.periods import (
    compute_period,
    create_period,
    mark_period_failed,
    publish_period,
    request_period_computation,
    run_period_computation,
    update_period,
)
from chuangcheng.assessments.services.schemes import (
    create_peer_group,
    create_rule,
    create_scheme,
    delete_peer_group,
    delete_rule,
    new_scheme_version,
    publish_scheme,
    update_peer_group,
    update_rule,
    update_scheme,
)

__all__ = [
    "compute_period",
    "create_accountability_record",
    "create_commendation",
    "create_decision",
    "create_outcome",
    "create_peer_group",
    "create_period",
    "create_rule",
    "create_scheme",
    "delete_peer_group",
    "delete_rule",
    "mark_period_failed",
    "new_scheme_version",
    "publish_period",
    "publish_scheme",
    "request_period_computation",
    "run_period_computation",
    "update_outcome",
    "update_peer_group",
    "update_period",
    "update_rule",
    "update_scheme",
]
