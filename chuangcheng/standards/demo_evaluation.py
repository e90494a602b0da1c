"""The demo 创文 测评手册 (CIV-DEMO) and a tiny minors' manual (MINORS-DEMO), built through the xlsx import.

Everything here is illustrative (示例): the official 2021 测评体系 and its points are not in the facts
(``civilized_city.current_version``: 待核实). The structure, points and 观察频次 are made up for the demo and
every 测评标准 carries ``is_sample``; the 负面清单 rows are also 待核实 (the facts do not say which cases
deduct and which disqualify). Categories are the built-in civilized ones (``places/catalog.py``).
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from chuangcheng.places.models import SiteCategory
from chuangcheng.standards import services
from chuangcheng.standards.models import Standard, StandardKind, StandardStatus
from chuangcheng.standards.services.manual_sheet import write_manual_xlsx

CIV_CODE, MINORS_CODE, DEMO_VERSION = "CIV-DEMO", "MINORS-DEMO", "示例-2026"
SOURCE = "演示数据（示例），非官方测评操作手册；官方分值与观察频次待核实"
NEGATIVE_NOTE = "资料未给出负面清单中哪些情形扣分、哪些取消资格（待核实），此处为示例"

ROAD, STREET, CROSS, ALLEY = "主次干道", "商业大街", "主要交通路口", "背街小巷"
FRINGE, HOMES, MARKET, TOILET = "城乡结合部", "老旧小区/居民小区", "农贸市场", "公共厕所"
HOSPITAL, SCHOOL, STATION, BUS = "医院", "学校及周边", "车站/交通场站", "公交站点"
PARK, MALL, HOTEL, WINDOW = "公园广场", "商场超市", "宾馆饭店", "窗口单位"
CULTURE = "文化场所（图书馆/博物馆/影剧院）"


def obs(title, categories, points, observations=3):
    return {"title": title, "categories": categories, "points": points, "observations": observations}


def passfail(title, points):
    return {"title": title, "judgement": "达标不达标", "points": points}


# (测评项目, [(测评内容, 测评方法, [测评标准], 申报材料, 内容分值 for contents without 测评标准)])
# fmt: off
CIVILIZED = (
    (
        "良好的公共秩序",
        [
            ("公共场所文明秩序", "实地考察", [
                obs("无乱扔垃圾、随地吐痰等不文明行为", (ROAD, STREET, PARK), 2, 5),
                obs("无占道经营、乱摆摊点", (ROAD, STREET, ALLEY), 2, 5),
                obs("排队秩序良好，无插队拥挤", (STATION, WINDOW, MALL), 1),
                obs("行人不乱穿马路、不翻越护栏", (ROAD, CROSS), 1, 5),
                obs("文明饲养宠物，及时清理粪便", (PARK, HOMES), 1),
            ], (), None),
            ("文明交通", "实地考察", [
                obs("机动车礼让行人", (CROSS,), 2, 5),
                obs("行人、非机动车各行其道，不闯红灯", (CROSS,), 2, 5),
                obs("文明交通志愿者上岗劝导", (CROSS,), 1),
                obs("机动车、非机动车停放有序", (ROAD, STREET, HOMES), 1, 5),
            ], (), None),
            ("公共交通文明", "实地考察", [
                obs("公交站点设施完好、站牌清晰", (BUS,), 1),
                obs("公交车设老弱病残孕专座并有标识", (BUS,), 1),
                obs("乘客文明乘车、主动让座", (BUS,), 1),
                obs("车站候车秩序良好", (STATION,), 1),
            ], (), None),
            ("市民文明素养", "问卷调查", [
                passfail("市民对文明城市创建的知晓率达到目标（示例）", 3),
                passfail("市民对文明城市创建的支持率达到目标（示例）", 2),
            ], (), None),
        ],
    ),
    (
        "整洁优美的市容环境",
        [
            ("主次干道市容", "实地考察、整体观察", [
                obs("路面平整，无坑洼破损", (ROAD,), 2, 5),
                obs("无暴露垃圾、积存垃圾", (ROAD, STREET), 2, 5),
                obs("店招店牌规范，无乱贴乱画", (ROAD, STREET), 1, 5),
                obs("沿街立面整洁，无乱搭乱建", (ROAD,), 1),
                obs("果皮箱设置合理、无满溢", (ROAD, STREET), 1, 5),
            ], (), None),
            ("背街小巷", "实地考察", [
                obs("路面硬化，无露天排水沟", (ALLEY,), 2),
                obs("路灯完好，夜间照明正常", (ALLEY,), 1),
                obs("无乱堆乱放、乱拉乱挂", (ALLEY, HOMES), 2, 5),
                obs("无违章停车堵塞通道", (ALLEY,), 1),
            ], (), None),
            ("居民小区", "实地考察", [
                obs("小区环境整洁，垃圾分类设施完好", (HOMES,), 2, 5),
                obs("无私搭乱建、无飞线充电", (HOMES,), 2, 5),
                obs("楼道无堆物", (HOMES,), 1),
                obs("物业服务事项公示", (HOMES,), 1),
            ], (), None),
            ("农贸市场", "实地考察", [
                obs("划行归市，摊位整齐", (MARKET,), 2, 5),
                obs("地面无积水、无垃圾", (MARKET,), 2, 5),
                obs("设置公平秤，计量准确", (MARKET,), 1),
                obs("活禽销售区域隔离", (MARKET,), 1),
                obs("食品安全信息公示栏规范", (MARKET,), 1),
            ], (), None),
            ("公共厕所", "实地考察", [
                obs("厕所干净无异味", (TOILET,), 2),
                obs("设施完好，标识清晰", (TOILET,), 1),
                obs("无障碍设施完备", (TOILET,), 1),
            ], (), None),
            ("城乡结合部", "整体观察", [
                obs("无垃圾围城、无大面积暴露垃圾", (FRINGE,), 2),
                obs("道路通畅，无乱堆乱放", (FRINGE,), 1),
            ], (), None),
        ],
    ),
    (
        "诚信守法的市场与窗口服务",
        [
            ("窗口服务", "实地考察", [
                obs("服务承诺公开上墙", (WINDOW,), 1),
                obs("工作人员文明用语、热情服务", (WINDOW, HOSPITAL), 2, 5),
                obs("设置便民服务设施", (WINDOW, HOSPITAL, STATION), 1),
                obs("办事指南公开", (WINDOW,), 1),
            ], (), None),
            ("商场超市与宾馆饭店", "实地考察", [
                obs("明码标价，无假冒伪劣商品", (MALL,), 2),
                obs("诚信经营标识、消费维权渠道公示", (MALL, HOTEL), 1),
                obs("倡导文明餐桌、光盘行动", (HOTEL,), 1),
                obs("提供无障碍服务", (HOTEL,), 1),
            ], (), None),
            ("医疗服务", "实地考察", [
                obs("就诊秩序良好，有导医服务", (HOSPITAL,), 2, 5),
                obs("院内环境整洁，禁烟标识醒目", (HOSPITAL,), 1),
            ], (), None),
            ("诚信建设制度", "材料审核", [
                passfail("社会信用体系建设制度齐全（示例）", 3),
            ], ("社会信用体系建设工作方案（示例）", "失信联合惩戒工作台账（示例）"), None),
        ],
    ),
    (
        "健康向上的人文环境",
        [
            ("公益广告宣传", "实地考察", [
                obs("主次干道公益广告设置密度达标", (ROAD,), 2),
                obs("核心价值观宣传设置规范", (PARK, STREET), 2),
                obs("公交站点公益广告", (BUS,), 1),
                obs("车站公益广告", (STATION,), 1),
            ], (), None),
            ("文化场所", "实地考察", [
                obs("公共文化设施免费开放", (CULTURE,), 2),
                obs("场馆秩序良好、文明观演", (CULTURE,), 1),
                obs("有讲解或志愿服务", (CULTURE,), 1),
            ], (), None),
            ("新时代文明实践", "材料审核、听取汇报", [
                passfail("文明实践阵地建设达标（示例）", 3),
            ], ("新时代文明实践中心建设方案（示例）", "志愿服务活动记录（示例）"), None),
            ("志愿服务", "实地考察、材料审核", [
                obs("志愿服务站点设置、有人值守", (PARK, STATION), 2),
                passfail("注册志愿者占城市常住人口比例达到目标（示例）", 2),
            ], ("注册志愿者名册（示例）",), None),
        ],
    ),
    (
        "未成年人成长环境",
        [
            ("学校周边环境", "实地考察", [
                obs("校园周边无网吧、游戏厅", (SCHOOL,), 2),
                obs("上下学时段交通秩序良好", (SCHOOL,), 2),
                obs("校门口设护学岗", (SCHOOL,), 1),
            ], (), None),
            ("校园文明", "实地考察", [
                obs("校园内核心价值观宣传", (SCHOOL,), 1),
                obs("学生文明礼仪", (SCHOOL,), 1),
                obs("校园环境整洁", (SCHOOL,), 1),
            ], (), None),
            ("未成年人工作材料", "材料审核", [], (
                "未成年人思想道德建设工作方案（示例）",
                "心理健康教育工作台账（示例）",
            ), Decimal(4)),
        ],
    ),
    (
        "生态环境与公共卫生",
        [
            ("公园广场", "实地考察", [
                obs("绿化带无垃圾，花草树木养护良好", (PARK,), 2, 5),
                obs("无践踏草坪、攀折花木", (PARK,), 1, 5),
                obs("健身设施完好", (PARK, HOMES), 1),
                obs("园内公益广告", (PARK,), 1),
            ], (), None),
            ("垃圾分类", "实地考察、问卷调查", [
                obs("分类投放点设置规范", (HOMES, MALL), 2, 5),
                passfail("市民垃圾分类知晓率达到目标（示例）", 2),
            ], (), None),
            ("控烟", "实地考察", [
                obs("室内公共场所禁烟标识", (HOSPITAL, MALL, HOTEL, WINDOW), 1, 5),
                obs("无室内吸烟现象", (HOSPITAL, MALL, HOTEL), 2, 5),
            ], (), None),
            ("生态环境材料", "材料审核", [
                passfail("环境质量数据按时报送（示例）", 2),
            ], ("环境质量年报（示例）", "污水处理设施运行台账（示例）"), None),
        ],
    ),
    (
        "创建工作",
        [
            ("创建工作机制", "听取汇报、材料审核", [
                passfail("创建工作组织机构健全（示例）", 2),
            ], ("创建工作领导小组文件（示例）", "年度创建工作计划（示例）"), None),
            ("群众满意度", "问卷调查、网络调查", [
                passfail("市民对创建工作满意率达到目标（示例）", 3),
                passfail("网络文明传播活动开展（示例）", 1),
            ], (), None),
            ("整体印象", "整体观察", [
                obs("城市整体环境印象良好", (ROAD, FRINGE), 2),
            ], (), None),
            ("负面清单", "整体观察", [
                {"title": "发生严重影响文明城市形象的恶性事件（示例）", "negative": "取消资格"},
                {"title": "测评期间弄虚作假（示例）", "negative": "扣分", "deduct": 5},
            ], (), None),
        ],
    ),
)

MINORS = (
    (
        "思想道德教育",
        [
            ("学校德育", "材料审核、实地考察", [
                obs("校园德育宣传栏内容更新", (SCHOOL,), 2),
                passfail("课外活动场所向未成年人开放（示例）", 2),
            ], ("学校德育工作方案（示例）",), None),
            ("未成年人知晓率", "问卷调查", [
                passfail("未成年人对社会主义核心价值观的知晓率达到目标（示例）", 3),
            ], (), None),
        ],
    ),
    (
        "成长环境",
        [
            ("校园周边", "实地考察", [
                obs("校园周边无网吧、游戏厅", (SCHOOL,), 2),
                obs("文化场所设未成年人专区", (CULTURE,), 1),
            ], (), None),
            ("家庭教育", "材料审核、听取汇报", [], ("家庭教育指导服务记录（示例）",), Decimal(2)),
        ],
    ),
)

# fmt: on


def _item_row(code: str, spec: dict) -> list:
    """The 测评标准 part of a row: 编码 … 来源 (13 cells)."""
    if "negative" in spec:
        deduct = str(spec.get("deduct", ""))
        return [
            code,
            spec["title"],
            "扣分",
            "",
            "",
            "",
            "是",
            spec["negative"],
            deduct,
            "是",
            "是",
            NEGATIVE_NOTE,
            SOURCE,
        ]
    judgement = spec.get("judgement", "观察计分")
    observations = spec.get("observations", "") if judgement == "观察计分" else ""
    names = "、".join(spec.get("categories", ()))
    return [
        code,
        spec["title"],
        judgement,
        str(spec["points"]),
        observations,
        names,
        "否",
        "",
        "",
        "是",
        "否",
        "",
        SOURCE,
    ]


def manual_rows(structure=CIVILIZED, prefix: str = "") -> list[list]:
    """The rows of a demo manual sheet (测评项目 A, B, … → 测评内容 A1, A2 … → 测评标准 A1-1 …)."""
    rows = []
    for p_index, (project, contents) in enumerate(structure):
        project_no = f"{prefix}{chr(ord('A') + p_index)}"
        sums = []
        for content in contents:
            items, fixed = content[2], content[4]
            scored = [Decimal(str(i["points"])) for i in items if "negative" not in i]
            sums.append(fixed if fixed is not None else (sum(scored) if scored else None))
        project_points = "" if None in sums else str(sum(sums))
        for c_index, (title, methods, items, materials, _fixed) in enumerate(contents, start=1):
            content_no = f"{project_no}{c_index}"
            content_points = "" if sums[c_index - 1] is None else str(sums[c_index - 1])
            head = [project_no, f"{project}（示例）", project_points, content_no, title, methods, content_points]
            listed = "；".join(materials)
            if not items:
                rows.append(head + [listed] + [""] * 9 + ["是", "", "", SOURCE])
            for i_index, spec in enumerate(items, start=1):
                rows.append(head + [listed if i_index == 1 else ""] + _item_row(f"{content_no}-{i_index}", spec))
    return rows


def demo_manual_xlsx(structure=CIVILIZED) -> bytes:
    """The demo manual as an .xlsx file (what the browser test uploads)."""
    return write_manual_xlsx(manual_rows(structure))


def _ensure(*, actor, code: str, kind: str, name: str, structure, description: str) -> Standard:
    published = Standard.objects.filter(code=code, status=StandardStatus.PUBLISHED).order_by("-id").first()
    if published is not None:
        return published
    draft = Standard.objects.filter(code=code, version=DEMO_VERSION).first()
    if draft is None:
        draft = services.create_standard(
            actor=actor,
            kind=kind,
            code=code,
            name=name,
            version=DEMO_VERSION,
            description=description,
            source=SOURCE,
            uncertain=True,
        )
    services.import_manual(actor=actor, standard=draft, data=demo_manual_xlsx(structure), filename=f"{code}.xlsx")
    return services.publish_standard(standard=draft, actor=actor)


@transaction.atomic
def ensure_demo_evaluation_standard(*, actor=None) -> Standard:
    """The published demo 创文 测评手册 (created through the manual import on first call)."""
    if not SiteCategory.objects.exists():
        from chuangcheng.places.services.categories import load_site_categories

        load_site_categories(actor=actor)
    return _ensure(
        actor=actor,
        code=CIV_CODE,
        kind=StandardKind.CIVILIZED_CITY,
        name="全国文明城市测评操作手册（示例）",
        structure=CIVILIZED,
        description="演示用示例测评手册：测评项目、测评内容、测评标准、分值和观察频次均为示例，"
        "不是官方《全国文明城市测评体系》（官方内容待核实）。",
    )


@transaction.atomic
def ensure_demo_minors_standard(*, actor=None) -> Standard:
    """The published demo 未成年人思想道德建设测评 manual (tiny)."""
    ensure_demo_evaluation_standard(actor=actor)
    return _ensure(
        actor=actor,
        code=MINORS_CODE,
        kind=StandardKind.MINORS,
        name="未成年人思想道德建设测评手册（示例）",
        structure=MINORS,
        description="演示用示例：结构与分值均为示例；按资料，未成年人测评低于85分不能申报、按20%计入总分（待核实）。",
    )
