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
from chuangcheng.public.services.surveys import create_survey, publish_survey, submit_response

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


@transaction.atomic
def seed_public_demo() -> str:
    if Report.objects.exists() or Survey.objects.exists():
        return "已有市民参与数据，跳过"
    office = User.objects.filter(username="office").first()
    if office is None:
        return "没有演示账号，跳过"
    rng = random.Random(12345)
    survey = create_survey(actor=office, title="2026 年群众满意度调查（示例）", with_template=True)
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
    sites = list(Site.objects.select_related("category").order_by("code")[:8])
    reports = 0
    for index, site in enumerate(sites[:6]):
        report, _ = submit_report(
            category=site.category,
            description=DESCRIPTIONS[index % len(DESCRIPTIONS)],
            lng=site.lng + 0.0003,
            lat=site.lat + 0.0002,
            address=site.address or site.name,
            photos=[_photo(index)],
            client_address=f"demo-report-{index}",
        )
        if index < 4:
            accept_report(report=report, actor=office, public_description=report.description)
        reports += 1
    return f"问卷 1 份（40 份答卷），随手拍 {reports} 条（4 条已公开）"
