"""Every write of the civility app (re-exported by sub-domain)."""

from chuangcheng.civility.services.honours import (
    create_civilized_unit,
    lift_warning,
    record_review,
    revoke_unit,
    update_civilized_unit,
    warn_unit,
)
from chuangcheng.civility.services.imports import export_rows, import_civilized_units
from chuangcheng.civility.services.publicity import open_case_for_check, record_check
from chuangcheng.civility.services.windows import (
    add_commitment,
    create_period,
    create_window_unit,
    record_rating,
    save_industry,
)

__all__ = [
    "add_commitment",
    "create_civilized_unit",
    "create_period",
    "create_window_unit",
    "export_rows",
    "import_civilized_units",
    "lift_warning",
    "open_case_for_check",
    "record_check",
    "record_rating",
    "record_review",
    "revoke_unit",
    "save_industry",
    "update_civilized_unit",
    "warn_unit",
]
