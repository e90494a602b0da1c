"""Every write of the standards app. Import from here: ``from chuangcheng.standards import services``."""

from chuangcheng.standards.services.builtin import link_site_categories, load_builtin_standards
from chuangcheng.standards.services.manual_import import import_manual
from chuangcheng.standards.services.manual_io import MANUAL_COLUMNS, read_manual
from chuangcheng.standards.services.manual_sheet import export_manual_rows, manual_template, write_manual_xlsx
from chuangcheng.standards.services.reporting import (
    add_indicator_evidence,
    delete_indicator_evidence,
    judge_manually,
    rejudge_indicator,
    report_indicator,
)
from chuangcheng.standards.services.rubric_io import RUBRIC_COLUMNS, export_rubric_rows, import_rubric
from chuangcheng.standards.services.tree import (
    create_check_item,
    create_clause,
    create_indicator,
    create_material_requirement,
    create_row,
    create_sampling_quota,
    delete_row,
    update_check_item,
    update_clause,
    update_indicator,
    update_material_requirement,
    update_row,
    update_sampling_quota,
)
from chuangcheng.standards.services.versioning import (
    create_draft_from,
    create_standard,
    delete_standard,
    publish_standard,
    update_standard,
)

__all__ = [
    "MANUAL_COLUMNS",
    "RUBRIC_COLUMNS",
    "add_indicator_evidence",
    "create_check_item",
    "create_clause",
    "create_draft_from",
    "create_indicator",
    "create_material_requirement",
    "create_row",
    "create_sampling_quota",
    "create_standard",
    "delete_indicator_evidence",
    "delete_row",
    "delete_standard",
    "export_manual_rows",
    "export_rubric_rows",
    "import_manual",
    "manual_template",
    "read_manual",
    "write_manual_xlsx",
    "import_rubric",
    "link_site_categories",
    "load_builtin_standards",
    "publish_standard",
    "rejudge_indicator",
    "judge_manually",
    "report_indicator",
    "update_check_item",
    "update_clause",
    "update_indicator",
    "update_material_requirement",
    "update_row",
    "update_sampling_quota",
    "update_standard",
]
