"""The built-in site categories (点位类别): stable ASCII codes other apps may rely on.

Each category is a *real place* an inspector walks into or along. It is built
from the place lists of the shared facts (``../shared/domain/standards_data.json``):

* ``undercover_place_categories`` – the 2014 technical-evaluation sample table
  (without its 小计 rows and without the organisational checks such as 市爱卫办,
  街道办事处（爱卫）, 机关（健教）, 新闻媒体) and the list of places commonly checked
  in undercover visits and reviews;
* ``civilized_city.field_inspection_place_categories.list`` – the 文明城市 field
  inspection places;
* DESIGN.md's list of site categories (农贸市场, 背街小巷, 主次干道 …).

``raw`` names the entries of the shared facts a category stands for; the
loader copies their sources (and a ``focus`` where the facts give one) onto the
category. Left out on purpose: 社区居委会/街道 and 机关（爱卫）-style rows (they are
organisational checks of units, not places) and 病媒生物防制设施 (equipment checked
inside every place, not a place of its own).

Codes (stable; never renamed, only added):

==================== ============================== ======== =====
code                 name                           group    kind
==================== ============================== ======== =====
main_road            主次干道                        both     line
commercial_street    商业大街                        both     line
intersection         主要交通路口                    civilized point
back_alley           背街小巷                        both     line
urban_village        城中村                          sanitary point
urban_fringe         城乡结合部                      both     point
old_residential      老旧小区/居民小区               both     point
farmers_market       农贸市场                        both     point
small_catering       小餐饮                          sanitary point
three_small          食品安全“三小”                  sanitary point
four_small           公共场所“四小”                  sanitary point
six_small            “六小”行业                      sanitary point
construction_site    建筑工地                        sanitary point
public_toilet        公共厕所                        both     point
waste_transfer       垃圾中转站                      sanitary point
river                河道水体                        sanitary line
hospital             医院                            both     point
community_health     社区卫生服务中心                sanitary point
school               学校及周边                      both     point
station              车站/交通场站                   both     point
bus_stop             公交站点                        civilized point
park_square          公园广场                        civilized point
mall_supermarket     商场超市                        civilized point
hotel_restaurant     宾馆饭店                        civilized point
window_unit          窗口单位                        both     point
cultural_venue       文化场所（图书馆/博物馆/影剧院） civilized point
institution          机关、企事业单位                sanitary point
public_service_ad    公益广告                        civilized point
values_board         核心价值观宣传栏                civilized point
==================== ============================== ======== =====

The facts' place lists name no publicity points; the last two come from the 2015 文明城市 测评要点 quoted in
the facts (``civilized_city.example_2015_rules``): ``group`` and ``note`` set what no place list can give.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CategorySpec:
    code: str
    name: str
    kind: str  # "point" or "line"
    raw: tuple[str, ...]  # names as they appear in the shared facts
    in_design: bool = False  # listed in DESIGN.md's site categories
    group: str = ""  # fixed group when no place list of the facts names the category
    note: str = ""  # source line when no place list of the facts names the category


THREE_SMALL = "食品安全'三小'（小餐饮、小食品店、小作坊）"
FOUR_SMALL = "公共场所'四小'（小旅馆、小美容美发、小歌舞厅、小浴室）"
SIX_SMALL = "'五小/六小'行业（含小食品、小理发美容、小旅店、小浴室、小歌舞厅、小餐饮）"
MEDICAL = "医疗机构/社区卫生服务中心"
PUBLICITY_NOTE = (
    "文明城市2015年测评要点示例：“主干道行走300米可见5处核心价值观/公益广告”"
    "（civilized_city.example_2015_rules；http://www.liunuo1978.com/index.php?id=1298）"
)

CATEGORIES: tuple[CategorySpec, ...] = (
    CategorySpec("main_road", "主次干道", "line", ("主次干道", "主次干道/商业街", "主干道", "次干道"), True),
    CategorySpec("commercial_street", "商业大街", "line", ("主次干道/商业街", "商业大街")),
    CategorySpec("intersection", "主要交通路口", "point", ("主要交通路口",)),
    CategorySpec("back_alley", "背街小巷", "line", ("背街小巷",), True),
    CategorySpec("urban_village", "城中村", "point", ("城中村",), True),
    CategorySpec("urban_fringe", "城乡结合部", "point", ("城乡结合部", "建成区外/城乡结合部（整体观察）")),
    CategorySpec("old_residential", "老旧小区/居民小区", "point", ("旧城区/老旧小区/居民小区", "社区/居住小区"), True),
    CategorySpec("farmers_market", "农贸市场", "point", ("农贸（集贸）市场", "集贸（农贸）市场"), True),
    CategorySpec("small_catering", "小餐饮", "point", (THREE_SMALL,), True),
    CategorySpec("three_small", "食品安全“三小”", "point", (THREE_SMALL,), True),
    CategorySpec("four_small", "公共场所“四小”", "point", (FOUR_SMALL,), True),
    CategorySpec("six_small", "“六小”行业", "point", (SIX_SMALL,), True),
    CategorySpec("construction_site", "建筑工地", "point", ("建筑工地",), True),
    CategorySpec("public_toilet", "公共厕所", "point", ("公共厕所",), True),
    CategorySpec("waste_transfer", "垃圾中转站", "point", ("垃圾中转站/垃圾及粪便处理场",), True),
    CategorySpec("river", "河道水体", "line", ("河道/湖泊水体",), True),
    CategorySpec("hospital", "医院", "point", (MEDICAL, "医院", "医院（健教）"), True),
    CategorySpec("community_health", "社区卫生服务中心", "point", (MEDICAL, "社区卫生服务中心（健教）")),
    CategorySpec("school", "学校及周边", "point", ("学校", "学校及周边", "学校（健教）"), True),
    CategorySpec("station", "车站/交通场站", "point", ("车站/机场/港口等交通场站", "车站等交通场站"), True),
    CategorySpec("bus_stop", "公交站点", "point", ("公交车及公交站点",)),
    CategorySpec("park_square", "公园广场", "point", ("公园", "广场"), True),
    CategorySpec("mall_supermarket", "商场超市", "point", ("商场超市",)),
    CategorySpec("hotel_restaurant", "宾馆饭店", "point", ("宾馆饭店",)),
    CategorySpec("window_unit", "窗口单位", "point", ("窗口单位",), True),
    CategorySpec("cultural_venue", "文化场所（图书馆/博物馆/影剧院）", "point", ("图书馆/博物馆/影剧院等文化场所",)),
    CategorySpec("institution", "机关、企事业单位", "point", ("机关、企事业单位",)),
    CategorySpec("public_service_ad", "公益广告", "point", (), group="civilized", note=PUBLICITY_NOTE),
    CategorySpec("values_board", "核心价值观宣传栏", "point", (), group="civilized", note=PUBLICITY_NOTE),
)

CATEGORY_CODES = frozenset(spec.code for spec in CATEGORIES)
