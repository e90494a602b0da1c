"""Digital urban management (数字城管) classes and workflow; 12345 hotline conventions."""

from __future__ import annotations

from chuangcheng.standards.builtin.spec import (
    CheckItemSpec,
    ClauseSpec,
    IndicatorSpec,
    StandardSpec,
    cn_number,
    facts,
    source_text,
)

DIGITAL_CODE = "DIGITAL-URBAN-MGMT"
HOTLINE_CODE = "HOTLINE-12345"
# Rates a unit can report; the composite formulas and grade bands stay as clause text.
RATE_COUNT = 14


def _section(spec: StandardSpec, index: int, title: str, text: str = "", source: str = "", uncertain=False):
    spec.clauses.append(
        ClauseSpec(number=cn_number(index), title=title, text=text, level="section", source=source, uncertain=uncertain)
    )


def _child(spec: StandardSpec, section: int, index: int, title: str, text: str = "", source="", uncertain=False):
    spec.clauses.append(
        ClauseSpec(
            number=f"{section}.{index:02d}",
            title=title,
            text=text,
            section=cn_number(section),
            parent=cn_number(section),
            source=source,
            uncertain=uncertain,
        )
    )


def build_digital() -> StandardSpec:
    data = facts()["digital_urban_mgmt"]
    spec = StandardSpec(
        kind="digital_city",
        code=DIGITAL_CODE,
        version="CJ/T 214-2007 等",
        name="数字化城市管理：部件事件分类、案件流程与评价指标",
        description=data["codes_note"],
        source=source_text(data["component_classes_source"]),
    )
    _section(spec, 1, "相关标准")
    for index, std in enumerate(data["standards"], start=1):
        _child(spec, 1, index, std["id"], std["name"], source_text(std.get("source")), bool(std.get("uncertain")))
    grid = data["unit_grid"]
    _section(spec, 2, "单元网格", grid["rule"], source_text(grid["source"]))
    _section(spec, 3, "案件流程", "", source_text(data["workflow_source"]))
    for step in data["workflow"]:
        _child(spec, 3, step["step"], step["name"].split("（")[0], step["name"], source_text(data["workflow_source"]))
    _section(spec, 4, "管理部件大类", "", source_text(data["component_classes_source"]))
    for index, cls in enumerate(data["component_classes"], start=1):
        _child(spec, 4, index, f"{cls['code']} {cls['name']}", f"示例：{cls.get('examples', '')}", "", True)
    rule = data["component_id_rule"]
    _child(spec, 4, 99, "部件标识码", rule["rule"], source_text(rule["source"]), True)
    _section(spec, 5, "事件大类", "", source_text(data["event_classes_source"]))
    for index, cls in enumerate(data["event_classes"], start=1):
        examples = f"示例：{cls['examples']}" if cls.get("examples") else ""
        _child(spec, 5, index, f"{cls['code']} {cls['name']}", examples, "", True)
    _section(spec, 6, "评价指标与公式", data["indicators_note"], "", True)
    for index, raw in enumerate(data["indicators"], start=1):
        if index <= RATE_COUNT:
            spec.indicators.append(
                IndicatorSpec(
                    code=f"DCM-{index:02d}",
                    name=raw["name"],
                    clause="六",
                    unit="%",
                    period_kind="month",
                    note=f"公式：{raw['formula']}；目标值待核实",
                    source=source_text(raw["source"]),
                    uncertain=True,
                )
            )
        else:
            _child(spec, 6, index, raw["name"], raw["formula"], source_text(raw["source"]), True)
    _section(spec, 7, "相关评价体系")
    for index, raw in enumerate(data["related"], start=1):
        _child(spec, 7, index, raw["name"], raw["summary"], source_text(raw["source"]), bool(raw.get("uncertain")))
    return spec


def build_hotline() -> StandardSpec:
    data = facts()["hotline_12345"]
    statuses, limits = data["workorder_statuses_example"], data["time_limits_example"]
    spec = StandardSpec(
        kind="hotline",
        code=HOTLINE_CODE,
        version="GB/T 33358-2016 等",
        name="12345政务服务便民热线：工单规范与办理时限",
        description="国标未规定统一工单状态码；状态与时限为地方惯例（示例），可编辑",
        source=source_text(data["standards"][0]["source"]),
    )
    _section(spec, 1, "相关标准")
    for index, std in enumerate(data["standards"], start=1):
        _child(spec, 1, index, std["id"], std["name"], source_text(std.get("source")), bool(std.get("uncertain")))
    _section(spec, 2, "闭环流程（国办发〔2020〕53号）", "", data["closed_loop_source"])
    for index, step in enumerate(data["closed_loop"], start=1):
        _child(spec, 2, index, step, "", data["closed_loop_source"])
    _section(spec, 3, "工单状态（示例）", statuses["note"], source_text(statuses["source"]), True)
    for index, status in enumerate(statuses["statuses"], start=1):
        _child(spec, 3, index, status, "地方惯例（示例）", source_text(statuses["source"]), True)
    _section(spec, 4, "办理时限（示例）", limits["rule"], limits["source"], True)
    rules = [
        ("应急类：当日答复", 0, "serious"),
        ("咨询、求助类：能当天答复则当天，否则3个工作日内", 3, "normal"),
        ("建议批评、投诉举报类：自收到次日起13个工作日内办结答复", 13, "normal"),
        ("办结次日电话回访", 1, "minor"),
        ("超期未说明发《催办通知书》，再超5个工作日通报", 5, "normal"),
    ]
    for index, (title, days, severity) in enumerate(rules, start=1):
        spec.items.append(
            CheckItemSpec(
                code=f"HL-LIMIT-{index:02d}",
                title=title,
                clause="四",
                description="某局规定（示例）；无法按期须在时限届满前申请延期；因主观原因不满意的重新办理",
                judgement="pass_fail",
                severity=severity,
                deadline_days=days,
                is_sample=True,
                source=limits["source"],
                uncertain=True,
            )
        )
    _section(spec, 5, "常见考核指标")
    for index, kpi in enumerate(data["kpis_examples"], start=1):
        spec.indicators.append(
            IndicatorSpec(
                code=f"HL-KPI-{index:02d}",
                name=kpi["name"],
                clause="五",
                unit="%",
                period_kind="month",
                note="考核指标示例；目标值待核实",
                source=source_text(kpi["source"]),
                uncertain=True,
            )
        )
    return spec
