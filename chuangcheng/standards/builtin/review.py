"""The application review of the sanitary city title: stages, the 11 prerequisites (veto
items), declaration materials, and the undercover/technical-evaluation sample table."""

from __future__ import annotations

from chuangcheng.standards.builtin.spec import (
    CheckItemSpec,
    ClauseSpec,
    MaterialSpec,
    QuotaSpec,
    StandardSpec,
    cn_number,
    facts,
    source_text,
)

CODE = "NHC-SANITARY-REVIEW"
FIELDS_SOURCE = "github:hiYuzu/testJava src/agws/TestSanCityInfo.java"
DECLARATION_MATERIALS = (
    "爱卫会推荐报告",
    "工作汇报",
    "工作计划",
    "实施方案",
    "法规文件",
    "爱卫办机构人员",
    "建成区范围及人口",
    "经济社会发展情况",
    "区街社区名单",
    "规划图和交通图",
)


def build_review() -> StandardSpec:
    data = facts()
    review = data["review_process"]
    old = review["previous_rules_2015"]
    spec = StandardSpec(
        kind="sanitary_review",
        code=CODE,
        version="2015",
        name="国家卫生城市评审：流程、申报审定必备条件与暗访技术评估点位",
        effective_date="2015-09-10",
        issued_by=old["name"],
        description=(
            f"现行办法：{review['current_rules']['name']}——{review['current_rules']['status']}。"
            f"以下按2015办法与2014标准时期资料整理。周期：{old['cycle']}。计分：{old['scoring']}"
        ),
        source=source_text(old["source"]),
        uncertain=True,
    )
    sections = ("评审流程（2015办法）", "申报资料审定必备条件（一票否决）", "申报材料", "暗访与技术评估")
    for index, title in enumerate(sections, start=1):
        spec.clauses.append(ClauseSpec(number=cn_number(index), title=title, level="section"))
    for index, stage in enumerate(old["stages"], start=1):
        spec.clauses.append(
            ClauseSpec(
                number=f"1.{index}",
                title=stage["stage"],
                text=stage["detail"],
                section="一",
                parent="一",
                source=source_text(stage["source"]),
            )
        )
    spec.clauses.append(
        ClauseSpec(
            number="1.10",
            title="对省级的约束",
            text=old["provincial_sanctions"],
            section="一",
            parent="一",
            source=source_text(old["source"]),
        )
    )
    outcomes = review["recheck_outcomes"]
    spec.clauses.append(
        ClauseSpec(
            number="1.11",
            title="复审结论与常见薄弱环节",
            text=f"结论：{'、'.join(outcomes['labels'])}。薄弱环节：{outcomes['typical_weak_spots']}",
            section="一",
            parent="一",
            source=source_text(outcomes["source"]),
        )
    )
    veto = review["veto_items"]
    spec.clauses[1].text = veto["name"]
    spec.clauses[1].source = veto["source"]
    for index, text in enumerate(veto["items"], start=1):
        spec.items.append(
            CheckItemSpec(
                code=f"VETO-{index:02d}",
                title=text,
                clause="二",
                judgement="pass_fail",
                severity="serious",
                is_veto=True,
                source=veto["source"],
            )
        )
    for index, title in enumerate(DECLARATION_MATERIALS, start=1):
        spec.materials.append(
            MaterialSpec(
                code=f"DECL-{index:02d}",
                title=title,
                clause="三",
                description="国家爱卫信息系统的申报材料类型；资料类型分三种：1 创建 / 2 复审 / 3 其他。保存年限待核实",
                source=FIELDS_SOURCE,
            )
        )
    ganfang = review["how_ganfang_works"]
    spec.clauses[3].text = ganfang["summary"]
    spec.clauses[3].source = source_text(ganfang["source"])
    _quotas(spec, data["undercover_place_categories"])
    return spec


def _quotas(spec: StandardSpec, groups: list[dict]) -> None:
    table_group, common_group = groups[0], groups[1]
    source = source_text(table_group["source"])
    table = ""
    seen_tables = set()
    for raw in table_group["categories"]:
        name = raw["category"]
        samples = tuple(raw["min_samples_by_city_pop"] or (None, None, None))
        if name.endswith("（小计）"):
            table = name.removesuffix("（小计）")
            seen_tables.add(table)
            row_kind = "subtotal"
        else:
            row_kind = "item"
        spec.quotas.append(
            QuotaSpec(
                category_name=name,
                table=table,
                row_kind=row_kind,
                samples=samples,
                focus=raw.get("focus") or "",
                source=source_text(raw.get("source")) or source,
                uncertain=True,
            )
        )
    for table_name in table_group["tables"]:
        if table_name in seen_tables or table_name.replace("和", "") in seen_tables:
            continue
        spec.quotas.append(
            QuotaSpec(
                category_name=f"{table_name}（小计）",
                table=table_name,
                row_kind="subtotal",
                focus="该量化表的样本量在可得资料中没有，待核实",
                source=source,
                uncertain=True,
            )
        )
    totals = table_group["totals"]
    spec.quotas.append(
        QuotaSpec(
            category_name="合计",
            row_kind="total",
            samples=(totals["<50万"], totals["50-200万"], totals[">200万"]),
            focus=f"{table_group['group']}；{table_group['note']}",
            source=source,
            uncertain=True,
        )
    )
    common_source = source_text(common_group["source"])
    for raw in common_group["categories"]:
        spec.quotas.append(
            QuotaSpec(
                category_name=raw["category"],
                table="暗访/复审常见检查点位（无样本量）",
                focus=raw.get("focus") or "",
                source=source_text(raw.get("source")) or common_source,
                uncertain=True,
            )
        )
