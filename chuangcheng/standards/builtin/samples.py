"""A sample undercover checklist per place category, attached to the 2021 standard.

The national undercover form's items and points are NOT in the facts. The check
*contents* below are paraphrased from the facts (2021 articles （十）（十一）（十三）
（十五）, the 农贸市场 review points, the 2014 “六小”/控烟/病媒 requirements); every
*point value* is illustrative: ``is_sample=True`` (shown as 示例) and ``uncertain``.
The office edits them in a draft before relying on them.
"""

from __future__ import annotations

from decimal import Decimal

from chuangcheng.standards.builtin.spec import CheckItemSpec, facts

ROADS = ("主次干道", "商业大街", "背街小巷")
FOOD_SMALL = (
    "食品安全'三小'（小餐饮、小食品店、小作坊）",
    "'五小/六小'行业（含小食品、小理发美容、小旅店、小浴室、小歌舞厅、小餐饮）",
)
PUBLIC_SMALL = ("公共场所'四小'（小旅馆、小美容美发、小歌舞厅、小浴室）",)
MARKET = ("农贸（集贸）市场",)
NOTE = "示例分值，国家暗访表的扣分分值未在可得资料中找到，请按收到的正式表格修改"


def _rows() -> list[tuple[str, str, tuple[str, ...], str, str]]:
    sources = facts()["sources"]
    c2021, c2014, market = sources["nhc2021_items10_15"], sources["nhc2014_quiz"], sources["market_points"]
    return [
        # (clause number in the 2021 standard, title, categories, severity, source)
        ("（十）", "路面平整，照明设施完好", ROADS, "normal", c2021),
        ("（十）", "分类垃圾桶（容器）配备齐全、规范", ROADS, "normal", c2021),
        ("（十）", "无乱搭、乱堆、乱停、乱贴、乱扔", ROADS + ("城中村", "城乡结合部"), "normal", c2021),
        ("（十）", "无卫生死角，无易涝积水点", ROADS + ("城中村", "旧城区/老旧小区/居民小区"), "normal", c2021),
        ("（十）", "河湖水面和岸坡清洁", ("河道/湖泊水体",), "normal", c2021),
        ("（十）", "工地（待建、拆迁、在建）规范围挡", ("建筑工地",), "normal", c2021),
        ("（十）", "工地无扬尘、无噪声污染，建筑垃圾规范处置", ("建筑工地",), "serious", c2021),
        (
            "（十一）",
            "外立面广告和招牌尺寸合规，不遮挡建筑轮廓，不造成光污染",
            ("主次干道", "商业大街"),
            "minor",
            c2021,
        ),
        ("（十三）", "收运容器和车辆密闭化，垃圾、粪便及时清运", ("垃圾中转站/垃圾及粪便处理场",), "normal", c2021),
        ("（十五）", "公厕设置合规、干净整洁", ("公共厕所",), "normal", c2021),
        (
            "三",
            "五项公示齐全：卫生制度、功能分区图、健康教育栏（每月更新）、农残检测（每天更新）、禁烟标识",
            MARKET,
            "normal",
            market,
        ),
        ("三", "设有禁烟劝阻员", MARKET, "minor", market),
        ("三", "防鼠网孔径小于1cm，食品库房装挡鼠板；设毒饵站", MARKET, "normal", market),
        ("三", "3—11月每30~50米设一个捕蝇笼", MARKET, "minor", market),
        ("三", "划行归市，无活禽售卖", MARKET, "serious", market),
        ("三", "一摊一桶，无摊外经营", MARKET, "normal", market),
        ("三", "亮证经营，直接入口食品有“三防”（防尘、防蝇、防鼠）设施", MARKET, "serious", market),
        ("三", "水产区有上下水和宰杀台，垃圾密闭收集", MARKET, "normal", market),
        ("五", "证照齐全合法，从业人员持有效健康合格证明", FOOD_SMALL + PUBLIC_SMALL, "serious", c2014),
        ("五", "环境整洁，卫生设施符合要求", FOOD_SMALL + PUBLIC_SMALL, "normal", c2014),
        ("六", "防蝇、防鼠设施（防鼠板、纱门纱窗）齐全有效", FOOD_SMALL + MARKET, "serious", c2014),
        (
            "二",
            "室内公共场所、工作场所设禁烟标识",
            PUBLIC_SMALL + ("医院", "学校", "车站/机场/港口等交通场站"),
            "minor",
            c2014,
        ),
    ]


SAMPLE_POINTS = {"minor": Decimal("0.5"), "normal": Decimal("1"), "serious": Decimal("2")}


def sample_items() -> list[CheckItemSpec]:
    items = []
    for index, (clause, title, categories, severity, source) in enumerate(_rows(), start=1):
        items.append(
            CheckItemSpec(
                code=f"示例-{index:02d}",  # shown to inspectors beside the title
                title=title,
                clause=clause,
                description=NOTE,
                categories=categories,
                points=SAMPLE_POINTS[severity],
                severity=severity,
                is_sample=True,
                source=source,
                uncertain=True,
            )
        )
    return items
