"""The demo city's users: one per role, tied to unit codes created by ``seed_demo``.

Demo data only; shown on the login hint of `make run`. Passwords of real
deployments are set by the office admin.
"""

DEMO_PASSWORD = "Demo-2026"

# (username, full name, role label, unit label); roles and unit codes in DEMO_MEMBERSHIPS.
DEMO_USERS = (
    ("office", "王建国", "创建办管理员", "市创建办"),
    ("staff", "李晓梅", "创建办工作人员", "市创建办"),
    ("leader", "张书记", "领导", "淮北市（演示）"),
    ("district", "陈区长", "单位负责人", "相山区"),
    ("street", "刘主任", "单位负责人", "相山区相南街道"),
    ("handler", "赵承办", "单位承办人", "市城管局"),
    ("inspector", "孙督查", "督查员", "市创建办督查组"),
    ("grid", "周网格", "网格员", "相南街道春秋社区"),
)

# username -> (role, unit code)
DEMO_MEMBERSHIPS = {
    "office": ("office_admin", "OFFICE"),
    "staff": ("office_staff", "OFFICE"),
    "leader": ("leader", "CITY"),
    "district": ("unit_head", "D01"),
    "street": ("unit_head", "D01-S01"),
    "handler": ("unit_handler", "DEPT-CG"),
    "inspector": ("inspector", "OFFICE-INSP"),
    "grid": ("grid_worker", "D01-S01-C01"),
}
