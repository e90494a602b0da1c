"""The navigation: one table, shown per role; entries whose page is not built yet appear disabled.

The brand links to the home page and the user box holds 消息 (messages), so neither is listed here.
"""

from __future__ import annotations

from dataclasses import dataclass

OFFICE = ("office_admin", "office_staff")
ALL_ROLES = ("office_admin", "office_staff", "leader", "unit_head", "unit_handler", "inspector", "grid_worker")


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: tuple[str, ...] = ALL_ROLES
    group: str = ""  # entries of one group share a drop-down menu in the bar


NAV: tuple[NavItem, ...] = (
    NavItem("指挥中心", "dashboard:index", OFFICE + ("leader",)),
    # Campaigns and their plans share one drop-down (the office's bar must fit one line at 1366 px).
    NavItem("创建活动", "programs:list", OFFICE + ("leader", "unit_head", "unit_handler"), group="创建工作"),
    NavItem("问题整改", "cases:list"),
    # Inspectors only: the office reaches it from its home and the dashboard (its bar must fit one line at 1366 px).
    NavItem("待核查", "cases:verify_queue", ("inspector",)),
    NavItem("督查测评", "inspections:round_list", OFFICE + ("leader", "inspector", "grid_worker", "unit_head")),
    NavItem("考核问责", "assessments:period_list", OFFICE + ("leader", "unit_head", "unit_handler")),
    NavItem("迎检预测", "readiness:index", OFFICE + ("leader",)),
    NavItem("标准体系", "standards:list"),
    NavItem("档案资料", "dossiers:index", OFFICE + ("leader", "unit_head", "unit_handler")),
    NavItem("工作方案", "campaigns:index", OFFICE + ("leader", "unit_head", "unit_handler"), group="创建工作"),
    NavItem("文明创建", "civility:unit_list", ALL_ROLES, group="创建工作"),
    NavItem(
        "志愿服务",
        "volunteers:volunteer_list",
        OFFICE + ("leader", "unit_head", "unit_handler", "grid_worker"),
        group="创建工作",
    ),
    NavItem("市民参与", "public:moderation", OFFICE),
    NavItem("单位", "org:unit_list", group="基础数据"),
    NavItem("区域网格", "places:area_list", group="基础数据"),
    NavItem("点位", "places:site_list", group="基础数据"),
    NavItem("地图", "places:map", group="基础数据"),
    NavItem("分派与期限规则", "cases:rules", OFFICE, group="基础数据"),
    NavItem("账号", "accounts:user_list", ("office_admin",), group="基础数据"),
    NavItem("审计校验", "audit:index", OFFICE, group="基础数据"),
    NavItem("系统对接", "exchange:endpoint_list", OFFICE, group="基础数据"),
)
