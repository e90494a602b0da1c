"""Demo data for the public side: a published satisfaction survey with responses, and citizen
reports at demo sites (some accepted, so the exposure board and Open311 lists have content).
Idempotent: does nothing when any report or survey exists."""

from __future__ import annotations

import random

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from chuangcheng.accounts.models import User
from chuangcheng.places.models import Area, Site
from chuangcheng.public.models import Report, Survey
from chuangcheng.public.services.moderation import accept_report
from chuangcheng.public.services.reports import submit_report
from chuangcheng.public.services.sampling import collect_response, set_quota
from chuangcheng.public.services.surveys import add_question, create_survey, publish_survey, submit_response

DESCRIPTIONS = (
    "门口垃圾桶满溢，垃圾散落一地，气味很大",
    "人行道上有流动摊贩占道经营，行人只能走机动车道",
    "墙面上贴满了小广告，反复清理又出现",
    "路边绿化带里有建筑垃圾，堆了好几天",
    "公共厕所没有洗手液，地面湿滑有异味",
    "非机动车乱停乱放，堵住了盲道",
)


def _photo(seed: int) -> SimpleUploadedFile:
    import io

    from PIL import Image, ImageDraw

    image = Image.new("RGB", (480, 360), (200 - seed * 10, 190, 170))
    draw = ImageDraw.Draw(image)
    draw.rectangle([120, 120, 360, 300], fill=(90, 80 + seed * 20, 60))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG")
    return SimpleUploadedFile(f"demo{seed}.jpg", buffer.getvalue(), content_type="image/jpeg")


# 示例 wording of our own for two indicator questions (no official questionnaire text is in the facts).
DEMO_INDICATOR_QUESTIONS = (
    ("您是否知道本市正在创建全国文明城市？", "非常了解*\n了解一些*\n不了解\n没听说过", "awareness"),
    ("您是否支持本市创建全国文明城市？", "支持*\n比较支持*\n不支持\n说不清", "support"),
)
DEMO_QUOTA_HOUSEHOLDS = 20  # 示例 quota per district, editable on the survey page


def _quota_plan(survey, office, questions, rng) -> int:
    """A 示例 入户 plan: a quota per district and a few households entered by the office as surveyor."""
    districts = list(Area.objects.filter(level=2).order_by("code")[:4])
    for area in districts:
        set_quota(survey=survey, actor=office, area=area, households=DEMO_QUOTA_HOUSEHOLDS)
    entered = 0
    for index, area in enumerate(districts):
        for house in range(3):
            answers = {q.pk: rng.choice(["1", "2", "2", "3"]) for q in questions if q.kind == "single"}
            answers |= {q.pk: rng.choice([3, 4, 5]) for q in questions if q.kind == "rating"}
            collect_response(
                survey=survey, actor=office, area=area, household_ref=f"示例-{index + 1}-{house + 101}", answers=answers
            )
            entered += 1
    return entered


@transaction.atomic
def seed_public_demo() -> str:
    if Report.objects.exists() or Survey.objects.exists():
        return "已有市民参与数据，跳过"
    office = User.objects.filter(username="office").first()
    if office is None:
        return "没有演示账号，跳过"
    rng = random.Random(12345)
    survey = create_survey(actor=office, title="2026 年群众满意度调查（示例）", with_template=True)
    for text, options, indicator in DEMO_INDICATOR_QUESTIONS:
        add_question(survey=survey, actor=office, kind="single", text=text, options=options, indicator=indicator)
    survey = publish_survey(survey=survey, actor=office)
    questions = list(survey.questions.all())
    areas = list(Area.objects.filter(level__in=(2, 3)).order_by("code")[:6])
    for index in range(40):
        answers = {}
        for question in questions:
            if question.kind == "single":
                answers[question.pk] = rng.choice(["1", "1", "2", "2", "3", "4"])
            elif question.kind == "rating":
                answers[question.pk] = rng.choice([3, 4, 4, 5, 5])
        submit_response(
            survey=survey,
            answers=answers,
            area=areas[index % len(areas)] if areas else None,
            device_id=f"demo-device-{index}",
            client_address=f"demo-{index}",
        )
    households = _quota_plan(survey, office, questions, rng)
    sites = list(Site.objects.select_related("category").order_by("code")[:8])
    reports, accepted = 0, []
    for index, site in enumerate(sites[:6]):
        report, _ = submit_report(
            category=site.category,
            description=DESCRIPTIONS[index % len(DESCRIPTIONS)],
            lng=site.lng + 0.0003,
            lat=site.lat + 0.0002,
            address=site.address or site.name,
            photos=[_photo(index)],
            phone=f"1380000{index:04d}",
            client_address=f"demo-report-{index}",
        )
        if index < 4:
            report = accept_report(report=report, actor=office, public_description=report.description)
            accepted.append(report)
        reports += 1
    answered = _close_and_answer(accepted[:2], office) if accepted else "无"
    return f"问卷 1 份（40 份答卷，入户 {households} 户），随手拍 {reports} 条（4 条已公开；办结并评价：{answered}）"


def _close_and_answer(reports, office) -> str:
    """The first accepted reports are rectified, verified and then rated (one 满意, one 不满意 → 回访) and praised."""
    from chuangcheng.accounts.models import Role
    from chuangcheng.cases.demo import Actors
    from chuangcheng.cases.workflow import Action, transition
    from chuangcheng.public.services.feedback import rate_handling, submit_praise

    done = 0
    for index, report in enumerate(reports):
        case = report.case
        if case.lead_unit is None or case.status != "dispatched":
            continue
        handler = User.objects.filter(
            memberships__unit=case.lead_unit, memberships__role__in=(Role.UNIT_HANDLER, Role.UNIT_HEAD)
        ).first() or Actors().for_unit(case.lead_unit)  # the demo's acting handler (演示) when none exists yet
        case = transition(case, Action.SIGN, actor=handler)
        case = transition(case, Action.START, actor=handler)
        note = ("已安排保洁人员清理，并增加巡查频次（演示）", "已联系执法中队现场处置（演示）")[index % 2]
        case = transition(case, Action.SUBMIT, actor=handler, evidence=[_photo(10 + index)], note=note)
        transition(case, Action.VERIFY, actor=office)
        report.refresh_from_db()
        level, reason = (("satisfied", ""), ("unsatisfied", "处理后第二天又出现了（演示）"))[index % 2]
        rate_handling(report=report, level=level, reason=reason, client_address=f"demo-rate-{index}")
        submit_praise(
            unit_id=case.lead_unit_id,
            worker="",
            message="处理很及时，感谢！（演示）",
            name="",
            report_number=report.number,
            client_address=f"demo-praise-{index}",
        )
        done += 1
    return f"{done} 条"
