"""The civilized city assessment (legacy structure, methods, field-inspection places)."""

from __future__ import annotations

from chuangcheng.standards.builtin.spec import CheckItemSpec, ClauseSpec, StandardSpec, cn_number, facts, source_text

CODE = "CIVILIZED-CITY"


def build_civilized() -> StandardSpec:
    data = facts()["civilized_city"]
    legacy, methods = data["legacy_structure"], data["methods"]
    score, negative = data["score_composition"], data["negative_list"]
    places = data["field_inspection_place_categories"]
    spec = StandardSpec(
        kind="civilized_city",
        code=CODE,
        version="旧版要点",
        name="全国文明城市测评体系（旧版要点、测评方法与实地考察点位）",
        issued_by="中央文明办",
        description=(
            f"周期：{data['cycle']}。现行版本：{data['current_version']['name']}——{data['current_version']['status']}。"
            f"本目录为旧版（{legacy['note']}）要点。"
        ),
        source=source_text(data["source"]),
        uncertain=True,
    )
    sections = [
        ("测评体系结构（旧版）", legacy["summary"], source_text(legacy["source"])),
        ("数据采集与测评方式", methods["assessors"], source_text(methods["source"])),
        ("分值构成", f"{score['rule']}。推断：{score['total_formula_guess']}", source_text(score["source"])),
        (
            "负面清单",
            f"{negative['summary']}。实例：{'；'.join(negative['examples'])}。{negative['deduct_vs_disqualify']}",
            source_text(negative["source"]),
        ),
        ("实地考察点位", places["mock_test_example"], source_text(places["source"])),
    ]
    for index, (title, text, source) in enumerate(sections, start=1):
        spec.clauses.append(
            ClauseSpec(number=cn_number(index), title=title, text=text, level="section", source=source, uncertain=True)
        )

    def add(section: str, number: str, title: str, text: str = "", source: str = "", uncertain: bool = True):
        spec.clauses.append(
            ClauseSpec(
                number=number,
                title=title,
                text=text,
                section=section,
                parent=section,
                source=source,
                uncertain=uncertain,
            )
        )

    for index, name in enumerate(legacy["basic_index_domains"], start=1):
        add("一", f"1.{index}", name, "基本指标", source_text(legacy["source"]))
    for index, name in enumerate(methods["six_data_collection_methods"], start=1):
        add("二", f"2.{index}", name, "数据采集方法", source_text(methods["source"]), uncertain=False)
    for index, name in enumerate(methods["annual_assessment_modes"], start=1):
        add("二", f"2.{6 + index}", name, "年度测评方式", source_text(methods["source"]), uncertain=False)
    for index, name in enumerate(places["list"], start=1):
        add("五", f"5.{index}", name, "实地考察点位类别", source_text(places["source"]))
    spec.items.append(
        CheckItemSpec(
            code="CIV-NEG-01",
            title="评选前一年发生恶性事件、重大安全事故或党政主要负责人落马",
            clause="四",
            description=negative["summary"],
            judgement="pass_fail",
            severity="serious",
            is_negative_list=True,
            is_veto=True,
            source=source_text(negative["source"]),
            uncertain=True,
        )
    )
    _field_rules(spec, places)
    return spec


def _field_rules(spec: StandardSpec, places: dict) -> None:
    """The 2015 field-inspection points quoted in the facts; points unknown (待核实)."""
    source = source_text(places["source"][0])
    rules = [
        ("主干道行走300米，可见5处核心价值观或公益广告", ("主干道",)),
        ("商业大街、次干道行走100米，可见5处核心价值观或公益广告", ("商业大街", "次干道")),
        ("主要路口有文明交通志愿者", ("主要交通路口",)),
        ("机动车礼让行人", ("主要交通路口",)),
        ("背街小巷路面硬化，无露天排水沟", ("背街小巷",)),
        ("背街小巷装灯率100%，亮灯率95%", ("背街小巷",)),
        ("乘坐3条公交线路、每条5站以上，查看宣传", ("公交车及公交站点",)),
    ]
    for index, (title, categories) in enumerate(rules, start=1):
        spec.items.append(
            CheckItemSpec(
                code=f"CIV-2015-{index:02d}",
                title=title,
                clause="五",
                description=f"2015年测评要点示例（共25个点位）：{places['example_2015_rules']}",
                categories=categories,
                judgement="pass_fail",
                source=source,
                uncertain=True,
            )
        )
