"""Place names as the facts spell them → ``places.SiteCategory`` codes.

The codes are the stable ones the places app loads with ``load_site_categories``
(see ``chuangcheng/places/catalog.py``). A name maps to no code when it is an
organisational check (市爱卫办, 新闻媒体 …) rather than a place. Linking happens
by code first and then by exact category name, so categories an office adds by
hand link too.
"""

ALIASES: dict[str, tuple[str, ...]] = {
    "主次干道": ("main_road",),
    "主次干道/商业街": ("main_road", "commercial_street"),
    "主干道": ("main_road",),
    "次干道": ("main_road",),
    "商业大街": ("commercial_street",),
    "主要交通路口": ("intersection",),
    "背街小巷": ("back_alley",),
    "城中村": ("urban_village",),
    "城乡结合部": ("urban_fringe",),
    "建成区外/城乡结合部（整体观察）": ("urban_fringe",),
    "旧城区/老旧小区/居民小区": ("old_residential",),
    "社区/居住小区": ("old_residential",),
    "农贸（集贸）市场": ("farmers_market",),
    "集贸（农贸）市场": ("farmers_market",),
    "农贸市场": ("farmers_market",),
    "食品安全'三小'（小餐饮、小食品店、小作坊）": ("three_small", "small_catering"),
    "公共场所'四小'（小旅馆、小美容美发、小歌舞厅、小浴室）": ("four_small",),
    "'五小/六小'行业（含小食品、小理发美容、小旅店、小浴室、小歌舞厅、小餐饮）": ("six_small",),
    "建筑工地": ("construction_site",),
    "公共厕所": ("public_toilet",),
    "垃圾中转站/垃圾及粪便处理场": ("waste_transfer",),
    "河道/湖泊水体": ("river",),
    "医疗机构/社区卫生服务中心": ("hospital", "community_health"),
    "医院": ("hospital",),
    "医院（健教）": ("hospital",),
    "社区卫生服务中心（健教）": ("community_health",),
    "学校": ("school",),
    "学校及周边": ("school",),
    "学校（健教）": ("school",),
    "车站/机场/港口等交通场站": ("station",),
    "车站等交通场站": ("station",),
    "公交车及公交站点": ("bus_stop",),
    "公园": ("park_square",),
    "广场": ("park_square",),
    "商场超市": ("mall_supermarket",),
    "宾馆饭店": ("hotel_restaurant",),
    "窗口单位": ("window_unit",),
    "图书馆/博物馆/影剧院等文化场所": ("cultural_venue",),
    "机关、企事业单位": ("institution",),
}

SEPARATOR = "、"


def split_names(text: str) -> list[str]:
    """``site_category_names`` is “、”-separated; a “、” inside brackets belongs to the name
    (e.g. 食品安全'三小'（小餐饮、小食品店、小作坊）)."""
    names, current, depth = [], [], 0
    for char in (text or "").replace("；", SEPARATOR).replace(";", SEPARATOR):
        if char in "（(":
            depth += 1
        elif char in "）)":
            depth = max(0, depth - 1)
        if char == SEPARATOR and depth == 0:
            names.append("".join(current).strip())
            current = []
        else:
            current.append(char)
    names.append("".join(current).strip())
    return [name for name in names if name]
