"""The national sanitary city standards (2021 and 2014), built from the shared facts only.

Structure decisions (all visible as 待核实 in the catalog):

* 2021: 7 sections and 45 articles. Articles （一）~（六） and （十）~（十五） have text; （七）~（九）
  are inferred from reporting fields; （十六） is placed in section 三 as the facts say
  “（十六）起”; （十七）~（四十五） have neither text nor a known section, so they hang
  directly under the standard (section unknown).
* 2021 indicators: 56 rows. 33–56 carry the annex numbers and targets. 1–32: the
  facts give 33 reporting-field names that do not line up with the 32 annex rows;
  the three 无烟 fields are kept as one row (as ``standards.md`` lists them), which
  leaves 31 names and one placeholder. Their annex numbers and targets stay NULL.
* 2014: 8 sections and 40 articles. The facts number （七）~（三十三） by inference
  only; items whose number the facts mark “编号未核实” get the next inferred
  number, and the 12 articles with no text and no known section hang directly
  under the standard.
"""

from __future__ import annotations

import re
from decimal import Decimal

from chuangcheng.standards.builtin.spec import (
    ClauseSpec,
    IndicatorSpec,
    MaterialSpec,
    StandardSpec,
    cn_number,
    facts,
    ordinal,
    source_text,
)

CODE = "NHC-SANITARY-CITY"
ANNEX_NUMBER = re.compile(r"第(\d+)项")
PLACEHOLDER_TEXT = "正文未能从可得资料取得，待核实"


def _indicator_target(raw: dict) -> dict:
    """Map the facts' ``op``/``value`` to our operator fields; unknown stays empty/NULL."""
    op, value = raw.get("op"), raw.get("value")
    note = raw.get("note") or ""
    if op is None or value is None:
        return {}
    if op == "trend":
        return {"operator": "trend_down", "threshold_text": str(value)}
    if op == "level":
        return {"operator": "level", "threshold_text": str(value)}
    if isinstance(value, str):
        if "近5年平均" in value:
            return {"operator": "lte_recent_avg", "threshold_text": value, "trend_window": 5}
        if op == "==" and value in {"有", "无"}:
            return {"operator": "==", "threshold_text": value}
        return {"operator": "manual", "threshold_text": value}
    target = {"operator": op, "threshold": Decimal(str(value))}
    if "持续降低" in note:
        target["or_trend"] = "down"
    if "逐年提高" in note:
        target["or_trend"] = "up"
    return target


def _sections(spec: StandardSpec, data: dict) -> None:
    for index, section in enumerate(data["sections"], start=1):
        spec.clauses.append(
            ClauseSpec(
                number=cn_number(index),
                title=section["name"],
                level="section",
                source=source_text(section.get("source")),
            )
        )


def _article(number: int, section: str | None, text: str, source: str, uncertain: bool, title: str = "") -> ClauseSpec:
    return ClauseSpec(
        number=ordinal(number),
        title=title or f"第{cn_number(number)}条",
        text=text,
        section=section,
        parent=section,
        source=source,
        uncertain=uncertain,
    )


def build_2021() -> StandardSpec:
    data = facts()["nhc_2021"]
    spec = StandardSpec(
        kind="sanitary_city",
        code=CODE,
        version="2021",
        name=data["title"],
        effective_date="2021-12-03",
        issued_by=data["issued_by"],
        description=f"{data['scope']}。体量：{data['shape']}。未取得：{data['not_found']}。施行日期按印发日期记录。",
        source=source_text(data["source"]),
    )
    _sections(spec, data)
    by_code = {
        item["code"]: (section_index, item)
        for section_index, s in enumerate(data["sections"], 1)
        for item in s["items"]
    }
    clause_of_item: dict[str, str] = {}
    known = {
        1: "1.1",
        2: "1.2",
        3: "1.3",
        4: "1.4",
        5: "1.5",
        6: "2.1",
        10: "3.1",
        11: "3.2",
        12: "3.3",
        13: "3.4",
        14: "3.5",
        15: "3.6",
    }
    for number in range(1, 46):
        if number in known:
            section_index, item = by_code[known[number]]
            clause = _article(
                number,
                cn_number(section_index),
                item["summary"],
                source_text(item["source"]),
                bool(item.get("uncertain")),
            )
            clause_of_item[known[number]] = clause.number
        elif number in (7, 8, 9):
            _, item = by_code["2.x"]
            text = item["summary"] if number == 7 else "与第（七）条合并转述，见第（七）条"
            clause = _article(number, "二", f"（推断）{text}", source_text(item["source"]), True)
            clause_of_item.setdefault("2.x", clause.number)
        elif number == 16:
            _, item = by_code["3.x"]
            clause = _article(number, "三", item["summary"], "", True)
        else:
            clause = _article(number, None, PLACEHOLDER_TEXT, source_text(data["source"][1]), True)
        spec.clauses.append(clause)
    for section_index in range(4, 8):
        _, item = by_code[f"{section_index}.x"]
        section = spec.clauses[section_index - 1]
        section.text = item["summary"]
        clause_of_item[f"{section_index}.x"] = section.number
    clause_of_item["3.x"] = "三"
    _indicators_2021(spec, data, clause_of_item)
    spec.materials.append(
        MaterialSpec(
            code="M2021-03",
            title="年度爱国卫生工作计划、部署、检查、总结",
            clause=ordinal(3),
            description="依据第（三）条“工作有年度计划、部署、检查、总结”整理；保存年限待核实",
            source=source_text(by_code["1.3"][1]["source"]),
            uncertain=True,
        )
    )
    return spec


def _indicators_2021(spec: StandardSpec, data: dict, clause_of_item: dict[str, str]) -> None:
    field_rows, annex_rows = [], []
    for section in data["sections"]:
        for item in section["items"]:
            for raw in item["indicators"]:
                annex = ANNEX_NUMBER.search(raw.get("note") or "")
                (annex_rows if annex else field_rows).append((item["code"], raw))
    smoke_free = [row for row in field_rows if row[1]["name"].startswith("无烟")]
    merged_done = False
    sort = 0
    for item_code, raw in field_rows:
        if raw["name"].startswith("无烟"):
            if merged_done:
                continue
            merged_done = True
            names = "/".join(r[1]["name"].removeprefix("无烟").removesuffix("建成比例") for r in smoke_free)
            raw = dict(raw, name=f"无烟{names}建成比例", note="填报字段中为三项，附表中的对应方式待核实")
        sort += 1
        hint = ""
        if raw.get("op") and raw.get("value") is not None:
            hint = f"；资料中的参考值：{raw['op']} {raw['value']}{raw.get('unit') or ''}（未核实，未采用）"
        spec.indicators.append(
            IndicatorSpec(
                code=f"I2021-F{sort:02d}",
                name=raw["name"],
                clause=clause_of_item.get(item_code),
                unit=raw.get("unit") or "",
                note=f"附表第1~32项之一，编号与目标值待核实。{raw.get('note') or ''}{hint}",
                source=source_text(raw["source"]),
                uncertain=True,
            )
        )
    for _ in range(sort, 32):
        sort += 1
        spec.indicators.append(
            IndicatorSpec(
                code=f"I2021-F{sort:02d}",
                name="附表第1~32项中未能对应的一项（名称待核实）",
                note="56项中第1~32项只取得31个指标名（填报字段与附表编号对不上），此项名称、目标值待核实",
                source=source_text(data["source"][1]),
                uncertain=True,
            )
        )
    for item_code, raw in annex_rows:
        number = int(ANNEX_NUMBER.search(raw["note"]).group(1))
        target = _indicator_target(raw)
        rows = [(number, raw["name"])]
        if number == 49:
            rows += [
                (50, "每千人口执业（助理）医师数"),
                (51, "每千人口注册护士数"),
                (52, "每千人口公共卫生人员数"),
                (53, "每千人口药师（药士）数"),
                (54, "每万人口全科医生数"),
            ]
        for row_number, name in rows:
            spec.indicators.append(
                IndicatorSpec(
                    code=f"I2021-{row_number:02d}",
                    number=row_number,
                    name=name,
                    clause=clause_of_item.get(item_code),
                    unit=raw.get("unit") or "",
                    note=raw.get("note") or "",
                    source=source_text(raw["source"]),
                    uncertain=bool(raw.get("uncertain")),
                    **target,
                )
            )
    for indicator in spec.indicators:
        indicator.is_hard = any(indicator.name.startswith(prefix) for prefix in HARD_2021)
    spec.indicators.sort(key=lambda ind: (ind.number or 0, ind.code))


# 2014: how the facts' items map onto the 40 articles (see module docstring).
ITEMS_2014 = {
    "1.1": [1],
    "1.2": [2],
    "1.3": [3],
    "1.4": [4],
    "1.5": [5],
    "2.1": [6],
    "2.2": [7, 8, 9],
    "3.1": [10],
    "3.2": [11],
    "3.3": [12],
    "3.4": [13],
    "3.5": [14],
    "4.1": [15],
    "5.1": [16],
    "6.1": [17],
    "7.1": [30, 31, 32, 33],
    "7.2": [34],
    "7.3": [35],
    "7.4": [36],
    "7.5": [37],
    "8.1": [38],
    "8.2": [39, 40],
}
# Hard indicators: those matching the 11 prerequisites of the application review (veto items).
HARD_2021 = (
    "群众对卫生状况满意率",
    "建成区绿化覆盖率",
    "人均公园绿地面积",
    "城市生活垃圾无害化处理率",
    "环境空气质量指数(AQI)",
    "建成区鼠、蚊、蝇、蟑螂密度",
    "重点行业和单位防蝇和防鼠设施合格率",
)
HARD_2014 = (
    "群众对卫生状况满意率",
    "建成区绿化覆盖率",
    "人均公园绿地面积",
    "生活垃圾无害化处理率",
    "生活污水集中处理率",
    "AQI",
    "建成区烟草广告",
    "近3年重大环境污染",
    "建成区鼠、蚊、蝇、蟑螂密度",
    "重点行业和单位防蚊蝇和防鼠设施合格率",
)


def build_2014() -> StandardSpec:
    data = facts()["nhc_2014"]
    spec = StandardSpec(
        kind="sanitary_city",
        code=CODE,
        version="2014",
        name=data["title"],
        effective_date="2015-01-01",
        issued_by=data["issued_by"],
        description=f"体量：{data['shape']}。未取得：{data['not_found']}。",
        source=source_text(data["source"]),
    )
    _sections(spec, data)
    articles: dict[int, ClauseSpec] = {}
    clause_of_item: dict[str, str] = {}
    for section_index, section in enumerate(data["sections"], start=1):
        for item in section["items"]:
            numbers = ITEMS_2014[item["code"]]
            inferred = numbers[0] >= 7 and numbers[0] <= 33
            for position, number in enumerate(numbers):
                text = item["summary"] if position == 0 else f"与第{ordinal(numbers[0])}条合并转述，见该条"
                if inferred:
                    text = f"（编号推断：资料原标“{item['ordinal']}”）{text}"
                articles[number] = _article(
                    number,
                    cn_number(section_index),
                    text,
                    source_text(item.get("source")),
                    bool(item.get("uncertain")) or inferred or position > 0,
                )
            clause_of_item[item["code"]] = ordinal(numbers[0])
    for number in range(1, 41):
        spec.clauses.append(
            articles.get(number) or _article(number, None, PLACEHOLDER_TEXT, source_text(data["source"][0]), True)
        )
    sort = 0
    for section in data["sections"]:
        for item in section["items"]:
            for raw in item["indicators"]:
                sort += 1
                spec.indicators.append(
                    IndicatorSpec(
                        code=f"I2014-{sort:02d}",
                        name=raw["name"],
                        clause=clause_of_item[item["code"]],
                        unit=raw.get("unit") or "",
                        note=raw.get("note") or "",
                        source=source_text(raw["source"]),
                        uncertain=bool(raw.get("uncertain")),
                        is_hard=any(raw["name"].startswith(h) for h in HARD_2014),
                        **_indicator_target(raw),
                    )
                )
    return spec
