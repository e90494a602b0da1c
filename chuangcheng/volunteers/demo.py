"""Demo volunteers for the demo city (演示): about 300 volunteers in 20 communities (a tenth with ID numbers
that came masked from another system, shown 待核实), 10 teams, 30 activities over the last two months (the
创卫 kinds among them) with sign-ups, sign-ins and sign-outs, one missing sign-out corrected with a reason,
two activities still open, and 8 文明交通/文明劝导 posts with morning and evening shifts, staffed and signed in
for the last three days and partly today. Deterministic (fixed seed; times relative to today), idempotent
(skipped when demo volunteers exist); all through the services. Every name and number is illustrative.
"""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from chuangcheng.accounts.models import User
from chuangcheng.org.models import Unit, UnitKind
from chuangcheng.volunteers import services
from chuangcheng.volunteers.identity import with_check_character
from chuangcheng.volunteers.models import ActivityKind, PostKind, Volunteer

SEED = 20260515
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰红梅建国志明海燕晓东春雨文博佳怡子涵浩然欣悦"
SKILLS = ("文明劝导", "交通疏导", "环境清洁", "健康宣讲", "急救", "心理疏导", "摄影宣传", "助老助残", "垃圾分类指导")
ACTIVITY_TITLES = {
    ActivityKind.TRAFFIC: "文明交通劝导进路口",
    ActivityKind.PERSUASION: "不文明行为劝导",
    ActivityKind.ENVIRONMENT: "背街小巷环境整治",
    ActivityKind.HEALTH_EDUCATION: "健康教育进社区",
    ActivityKind.PATRIOTIC_HEALTH: "爱国卫生运动·清洁家园",
    ActivityKind.OTHER: "关爱空巢老人志愿服务",
}
POST_PLACES = (
    "人民路与淮海路交叉口",
    "相山路与孟山路交叉口",
    "长山路与南黎路交叉口",
    "淮海路与古城路交叉口",
    "火车站广场",
    "市立医院门口",
    "万达广场公交站",
    "相山公园南门",
)
VOLUNTEERS, TEAMS, ACTIVITIES, POSTS = 300, 10, 30, 8


def _actor():
    return User.objects.filter(username="office").first()


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def _at(day, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


@transaction.atomic
def seed_volunteers_demo() -> str:
    if Volunteer.objects.filter(is_demo=True).exists():
        return "已有志愿服务演示数据，跳过"
    actor = _actor()
    communities = list(Unit.objects.filter(kind=UnitKind.COMMUNITY, is_active=True).order_by("code")[:20])
    streets = list(Unit.objects.filter(kind=UnitKind.STREET, is_active=True).order_by("code")[:8])
    if actor is None or not communities or not streets:
        return "没有示范市演示单位或账号，跳过"
    rng = random.Random(SEED)
    today = timezone.localdate()
    volunteers = _volunteers(actor, rng, communities, today)
    teams = _teams(actor, rng, volunteers)
    activities, records = _activities(actor, rng, volunteers, today)
    posts, shifts = _posts(actor, rng, streets, volunteers, today)
    return (
        f"志愿者 {len(volunteers)} 名（{sum(1 for v in volunteers if not v.id_verified)} 名身份证号待核实），"
        f"队伍 {teams} 支，活动 {activities} 场（签到记录 {records} 条），岗位 {posts} 个（班次活动 {shifts} 场）"
    )


def _volunteers(actor, rng, communities, today) -> list[Volunteer]:
    result = []
    for i in range(VOLUNTEERS):
        community = communities[i % len(communities)]
        born = today.replace(year=today.year - rng.randint(18, 68), day=1) + timedelta(days=rng.randint(0, 27))
        number = with_check_character(f"340602{born:%Y%m%d}{i:03d}")
        masked = i % 10 == 9  # came from another system already masked
        result.append(
            services.register_volunteer(
                actor=actor,
                name=_name(rng),
                phone=f"139{56000000 + i:08d}" if not masked else f"139****{i:04d}",
                id_number=f"{number[:6]}********{number[-4:]}" if masked else number,
                unit=community,
                skills="、".join(rng.sample(SKILLS, rng.randint(1, 3))),
                joined_on=today - timedelta(days=rng.randint(30, 900)),
                note="演示",
                is_demo=True,
            )
        )
    return result


def _teams(actor, rng, volunteers) -> int:
    by_unit: dict[int, list[Volunteer]] = {}
    for volunteer in volunteers:
        by_unit.setdefault(volunteer.unit_id, []).append(volunteer)
    groups = list(by_unit.values())
    for i in range(TEAMS):
        members = groups[(2 * i) % len(groups)] + groups[(2 * i + 1) % len(groups)]
        members = rng.sample(members, min(len(members), rng.randint(10, 25)))
        community = members[0].unit
        street = community.parent if community.parent_id else community
        services.create_team(
            actor=actor,
            name=f"{community.name}志愿服务{i + 1}队（演示）",
            unit=street,
            leader=members[0],
            members=members,
            note="演示队伍",
            is_demo=True,
        )
    return TEAMS


def _activities(actor, rng, volunteers, today) -> tuple[int, int]:
    kinds = list(ActivityKind.values)
    active = [v for v in volunteers if v.phone[3] != "*"]
    records = 0
    for i in range(ACTIVITIES):
        kind = kinds[i % len(kinds)]
        days_ago = max(0, 60 - i * 2) if i < ACTIVITIES - 2 else 0
        day = today - timedelta(days=days_ago)
        hour = 8 if i % 2 else 14
        start = _at(day, hour)
        pool = [v for v in active if v.unit_id == active[(i * 7) % len(active)].unit_id] + rng.sample(active, 8)
        people = list(dict.fromkeys(pool))[: rng.randint(6, 14)]
        activity = services.create_activity(
            actor=actor,
            title=f"{ACTIVITY_TITLES[kind]}（演示）",
            kind=kind,
            unit=people[0].unit,
            starts_at=start,
            ends_at=start + timedelta(hours=rng.choice((2, 3))),
            planned_headcount=len(people) + rng.randint(0, 6),
            place=f"{people[0].unit.name}",
            description="演示活动",
            code=f"{700000 + i:06d}",
            is_demo=True,
        )
        for volunteer in people:
            services.sign_up(actor=actor, activity=activity, volunteer=volunteer)
        if days_ago == 0:
            continue  # today's two activities stay open for the phone page
        for n, volunteer in enumerate(people[:-1]):  # the last one did not come
            arrived = start + timedelta(minutes=rng.randint(-20, 15))
            services.check_in(actor=actor, activity=activity, volunteer=volunteer, at=arrived)
            records += 1
            if n == 0 and i % 5 == 0:
                continue  # forgot to sign out: corrected below
            left = activity.ends_at + timedelta(minutes=rng.randint(-30, 40))
            services.check_out(actor=actor, activity=activity, volunteer=volunteer, at=left)
        services.close_activity(actor=actor, activity=activity)
        if i % 5 == 0:
            row = activity.participations.filter(checked_out_at__isnull=True, checked_in_at__isnull=False).first()
            services.correct_hours(
                actor=actor, participation=row, hours=activity.hours_cap, reason="忘记签退，按现场签到表核定（演示）"
            )
    return ACTIVITIES, records


def _posts(actor, rng, streets, volunteers, today) -> tuple[int, int]:
    shifts_made = 0
    active = [v for v in volunteers if v.phone[3] != "*"]
    for i in range(POSTS):
        street = streets[i % len(streets)]
        kind = PostKind.TRAFFIC if i % 2 == 0 else PostKind.PERSUASION
        post = services.create_post(
            actor=actor,
            name=f"{POST_PLACES[i][:6]}{'文明交通岗' if kind == PostKind.TRAFFIC else '文明劝导岗'}（演示）",
            kind=kind,
            unit=street,
            location=POST_PLACES[i],
            is_demo=True,
        )
        morning = services.add_post_shift(
            actor=actor, post=post, start_time=time(7, 0), end_time=time(9, 0), weekdays="1234567"
        )
        evening = services.add_post_shift(
            actor=actor, post=post, start_time=time(17, 0), end_time=time(19, 0), weekdays="1234567"
        )
        for back in (3, 2, 1, 0):
            day = today - timedelta(days=back)
            for shift in (morning, evening):
                if back == 0 and (shift == evening or i >= 6):
                    continue  # today: six morning shifts staffed, evenings and two posts not yet
                people = rng.sample(active, 2)
                activity = services.staff_shift(actor=actor, shift=shift, day=day, volunteers=people)
                shifts_made += 1
                signed = people if back else people[: 1 + i % 2]  # today: some posts only half staffed
                for volunteer in signed:
                    services.check_in(
                        actor=actor,
                        activity=activity,
                        volunteer=volunteer,
                        at=activity.starts_at + timedelta(minutes=3),
                    )
                    if back:
                        services.check_out(actor=actor, activity=activity, volunteer=volunteer, at=activity.ends_at)
                if back:
                    services.close_activity(actor=actor, activity=activity)
    return POSTS, shifts_made
