"""Reads for the accounts pages."""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse

from chuangcheng.accounts.models import Role
from chuangcheng.core.scoping import scope_of
from chuangcheng.org.models import Unit

# Per role: (title, description, url name). Cards whose page is not built yet are listed as "建设中".
ROLE_CARDS: dict[str, list[tuple[str, str, str]]] = {
    Role.OFFICE_ADMIN: [
        ("派遣台", "受理、立案、派遣问题，处理退回与仲裁", "cases:dispatch"),
        ("指挥中心", "全市问题态势、超期与反弹、单位排名", "dashboard:index"),
        ("督查测评", "安排明查、暗访与模拟测评", "inspections:round_list"),
        ("单位管理", "维护单位树、导入导出", "org:unit_list"),
        ("账号管理", "新增、批量导入账号，授予角色，停用与重置密码", "accounts:user_list"),
        ("工作日历", "法定节假日、调休与本地调整", "core:calendar"),
        ("市民参与", "随手拍审核、满意度调查、12345 工单导入", "public:moderation"),
    ],
    Role.OFFICE_STAFF: [
        ("派遣台", "受理、立案、派遣问题", "cases:dispatch"),
        ("待核查", "核查整改结果、销号或返工", "cases:verify_queue"),
        ("督查测评", "安排与审核督查轮次", "inspections:round_list"),
        ("市民参与", "随手拍审核、满意度调查、12345 工单导入", "public:moderation"),
    ],
    Role.LEADER: [
        ("指挥中心", "问题态势、排名与地图", "dashboard:index"),
        ("迎检预测", "如果明天迎检，能否通过，哪里丢分", "readiness:index"),
        ("考核排名", "红黑榜与通报", "assessments:period_list"),
    ],
    Role.UNIT_HEAD: [
        ("本单位待办", "待签收、整改中、即将超期、已超期", "cases:inbox"),
        ("考核得分", "本单位每一分的来源", "assessments:period_list"),
        ("任务台账", "工作方案分解到本单位的任务", "campaigns:index"),
    ],
    Role.UNIT_HANDLER: [
        ("本单位待办", "签收、整改、提交整改材料", "cases:inbox"),
        ("档案资料", "按条款上传本单位档案", "dossiers:index"),
    ],
    Role.INSPECTOR: [
        ("待核查", "核查整改结果、销号或返工", "cases:verify_queue"),
        ("我的督查任务", "按点位逐项检查，拍照取证", "inspections:my_visits"),
        ("点位", "负责范围内的点位", "places:site_list"),
    ],
    Role.GRID_WORKER: [
        ("网格巡查", "巡查网格、上报或当场处置问题", "inspections:patrol"),
        ("地图", "网格与点位", "places:map"),
    ],
}


def home_cards(user) -> list[dict]:
    scope = scope_of(user)
    seen, cards = set(), []
    for role in Role.values:
        if role not in scope.roles:
            continue
        for title, description, url_name in ROLE_CARDS.get(role, []):
            if url_name in seen:
                continue
            seen.add(url_name)
            try:
                url = reverse(url_name)
            except NoReverseMatch:
                url = None
            cards.append({"title": title, "description": description, "url": url})
    cards.append({"title": "我的范围", "description": scope_summary(user), "url": reverse("org:unit_list")})
    return cards


# What else “我的范围” counts besides units: (label, count(user)) registered by higher apps (places: 区域, 点位)
# in their AppConfig.ready(), so accounts never imports them.
SCOPE_COUNTERS: list[tuple[str, object]] = []


def register_scope_counter(label: str, count) -> None:
    if all(existing != label for existing, _ in SCOPE_COUNTERS):
        SCOPE_COUNTERS.append((label, count))


def scope_summary(user) -> str:
    parts = [f"可见单位 {Unit.objects.visible_to(user).count()} 个"]
    parts += [f"{label} {count(user)} 个" for label, count in SCOPE_COUNTERS]
    return "，".join(parts)


def manageable_users(actor):
    """Accounts an office administrator manages (``permissions.manages_user`` as one query)."""
    from chuangcheng.accounts.models import Membership, User
    from chuangcheng.core.scoping import scope_of

    users = User.objects.all()
    scope = scope_of(actor)
    if scope.sees_all:
        return users
    outside = Membership.objects.exclude(unit_id__in=scope.office_unit_ids).values("user_id")
    return users.filter(is_superuser=False).exclude(pk__in=outside)
