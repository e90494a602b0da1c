"""Names for the demo city: offices, departments, and plausible sites by category.

Department codes are stable (other apps' demo data and tests use them):
``DEPT-CG`` 市城管局, ``DEPT-ZJ`` 市住建局, ``DEPT-SJ`` 市市场监管局, ``DEPT-WJ`` 市卫健委,
``DEPT-GA`` 市公安局, ``DEPT-JT`` 市交通运输局, ``DEPT-JY`` 市教育局 and the others below.
"""

from __future__ import annotations

import random

CITY_NAME = "淮北市"  # the demo runs on this real city's divisions (places.demo.layout); shown with 演示

# (code, name, kind, parent code)
OFFICES = (
    ("OFFICE", "市创建办", "office", "CITY"),
    ("OFFICE-INSP", "市创建办督查组", "office", "OFFICE"),
    ("OFFICE-AW", "市爱卫办", "office", "CITY"),
    ("OFFICE-WM", "市文明办", "office", "CITY"),
)

# (code, name, short name)
DEPARTMENTS = (
    ("DEPT-CG", "市城市管理局", "市城管局"),
    ("DEPT-ZJ", "市住房和城乡建设局", "市住建局"),
    ("DEPT-SJ", "市市场监督管理局", "市场监管局"),
    ("DEPT-WJ", "市卫生健康委员会", "市卫健委"),
    ("DEPT-GA", "市公安局", "市公安局"),
    ("DEPT-JT", "市交通运输局", "市交通局"),
    ("DEPT-JY", "市教育局", "市教育局"),
    ("DEPT-ST", "市生态环境局", "市生态环境局"),
    ("DEPT-SW", "市水务局", "市水务局"),
    ("DEPT-ZR", "市自然资源和规划局", "市自然资源局"),
    ("DEPT-SY", "市商务局", "市商务局"),
    ("DEPT-WL", "市文化和旅游局", "市文旅局"),
    ("DEPT-MZ", "市民政局", "市民政局"),
    ("DEPT-XC", "市委宣传部", "市委宣传部"),
    ("DEPT-YL", "市园林和林业绿化局", "市园林局"),
    ("DEPT-NY", "市农业农村局", "市农业农村局"),
    ("DEPT-ZW", "市行政审批服务局", "市审批局"),
    ("DEPT-JG", "市机关事务服务中心", "市机关事务中心"),
    ("DEPT-YJ", "市应急管理局", "市应急局"),
    ("DEPT-TY", "市体育局", "市体育局"),
    ("DEPT-GX", "市工业和信息化局", "市工信局"),
    ("DEPT-CZ", "市财政局", "市财政局"),
    ("DEPT-TW", f"共青团{CITY_NAME}委员会", "团市委"),
    ("DEPT-FL", "市妇女联合会", "市妇联"),
    ("DEPT-GZ", "市国有资产监督管理委员会", "市国资委"),
)

# category code -> sectoral department code
CATEGORY_DEPARTMENT = {
    "main_road": "DEPT-CG",
    "commercial_street": "DEPT-CG",
    "intersection": "DEPT-GA",
    "back_alley": "DEPT-CG",
    "urban_village": "DEPT-ZJ",
    "urban_fringe": "DEPT-NY",
    "old_residential": "DEPT-ZJ",
    "farmers_market": "DEPT-SJ",
    "small_catering": "DEPT-SJ",
    "three_small": "DEPT-SJ",
    "four_small": "DEPT-WJ",
    "six_small": "DEPT-WJ",
    "construction_site": "DEPT-ZJ",
    "public_toilet": "DEPT-CG",
    "waste_transfer": "DEPT-CG",
    "river": "DEPT-SW",
    "hospital": "DEPT-WJ",
    "community_health": "DEPT-WJ",
    "school": "DEPT-JY",
    "station": "DEPT-JT",
    "bus_stop": "DEPT-JT",
    "park_square": "DEPT-YL",
    "mall_supermarket": "DEPT-SY",
    "hotel_restaurant": "DEPT-SY",
    "window_unit": "DEPT-ZW",
    "cultural_venue": "DEPT-WL",
    "institution": "DEPT-JG",
}

# Relative weights of the 3,000 demo sites (many small premises and alleys, few stations).
CATEGORY_WEIGHTS = {
    "small_catering": 14,
    "three_small": 8,
    "four_small": 8,
    "six_small": 6,
    "back_alley": 10,
    "old_residential": 8,
    "main_road": 5,
    "commercial_street": 3,
    "public_toilet": 6,
    "farmers_market": 3,
    "construction_site": 4,
    "waste_transfer": 3,
    "school": 3,
    "hospital": 2,
    "community_health": 2,
    "mall_supermarket": 3,
    "hotel_restaurant": 3,
    "bus_stop": 3,
    "intersection": 2,
    "park_square": 2,
    "urban_village": 2,
    "window_unit": 1,
    "institution": 1,
    "station": 1,
    "river": 1,
    "cultural_venue": 1,
    "urban_fringe": 1,
}

WORDS = (
    "幸福 和平 建设 解放 人民 文化 新华 光明 胜利 朝阳 东风 红旗 青年 振兴 富民 兴隆 永安 长青 金桥 明湖 "
    "泉水 花园 育才 友谊 团结 民生 康宁 吉祥 安居 锦绣 春晖 翠柳 荷花 银杏 梧桐 丰收 前进 新村 工农 和顺"
).split()
ROAD_SUFFIX = ("路", "街", "大道", "路", "街")
SHOP = ("张记", "李家", "老王", "刘姐", "陈氏", "赵记", "孙家", "周记", "吴家", "郑记", "马家", "黄记")


def road_name(rng: random.Random) -> str:
    return rng.choice(WORDS) + rng.choice(ROAD_SUFFIX)


def site_name(category: str, rng: random.Random, serial: int) -> str:
    word = rng.choice(WORDS)
    shop = rng.choice(SHOP)
    makers = {
        "main_road": lambda: f"{word}路",
        "commercial_street": lambda: f"{word}商业街",
        "intersection": lambda: f"{word}路与{rng.choice(WORDS)}街路口",
        "back_alley": lambda: f"{word}巷" if serial % 2 else f"{word}里{serial % 9 + 1}号胡同",
        "urban_village": lambda: f"{word}村",
        "urban_fringe": lambda: f"{word}片区城乡结合部",
        "old_residential": lambda: f"{word}小区" if serial % 3 else f"{word}新村{serial % 5 + 1}区",
        "farmers_market": lambda: f"{word}农贸市场",
        "small_catering": lambda: f"{shop}{rng.choice(('面馆', '快餐', '包子铺', '烧烤', '水饺馆', '米线'))}",
        "three_small": lambda: f"{shop}{rng.choice(('食品店', '熟食作坊', '糕点坊', '粮油店'))}",
        "four_small": lambda: f"{word}{rng.choice(('旅馆', '美容美发店', '浴池', '歌舞厅'))}",
        "six_small": lambda: f"{shop}{rng.choice(('理发店', '小旅店', '洗浴中心', '小吃店'))}",
        "construction_site": lambda: f"{word}{rng.choice(('花园', '公馆', '学校', '商业综合体'))}项目工地",
        "public_toilet": lambda: f"{word}路公厕",
        "waste_transfer": lambda: f"{word}垃圾中转站",
        "river": lambda: f"{word}河{rng.choice(('东段', '西段', '中段'))}",
        "hospital": lambda: f"{CITY_NAME}{word}医院" if serial % 4 else f"{CITY_NAME}第{serial % 7 + 1}人民医院",
        "community_health": lambda: f"{word}社区卫生服务中心",
        "school": lambda: f"{CITY_NAME}{word}{rng.choice(('小学', '中学', '实验小学', '幼儿园'))}",
        "station": lambda: f"{CITY_NAME}{rng.choice(('长途汽车站', '公交枢纽站', '客运东站', '客运西站'))}",
        "bus_stop": lambda: f"{word}路公交站",
        "park_square": lambda: f"{word}{rng.choice(('公园', '广场', '游园'))}",
        "mall_supermarket": lambda: f"{word}{rng.choice(('超市', '购物中心', '商场'))}",
        "hotel_restaurant": lambda: f"{word}{rng.choice(('宾馆', '大酒店', '饭店'))}",
        "window_unit": lambda: f"{word}{rng.choice(('政务服务中心', '营业厅', '银行网点'))}",
        "cultural_venue": lambda: f"{CITY_NAME}{rng.choice(('图书馆', '博物馆', '文化馆', '大剧院'))}{word}分馆",
        "institution": lambda: f"{CITY_NAME}{word}{rng.choice(('机关大院', '集团公司', '事业单位办公区'))}",
    }
    return makers.get(category, lambda: f"{word}点位")()
