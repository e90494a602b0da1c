"""Writes for satisfaction surveys: build, publish, close, and collect responses."""

from __future__ import annotations

import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone

from chuangcheng.audit.services import diff, record
from chuangcheng.core.errors import Conflict, DomainError, NotPermitted
from chuangcheng.public import ratelimit
from chuangcheng.public.models import Answer, Indicator, Question, QuestionKind, Survey, SurveyResponse, SurveyStatus
from chuangcheng.public.permissions import can_manage_surveys
from chuangcheng.public.privacy import is_mobile, keyed_hash, phone_hash

SURVEY_FIELDS = ("title", "description", "area", "ask_area", "ask_phone")

# A starting questionnaire: 群众满意度 as national evaluations ask it (wording is ours, marked 示例 in the UI).
TEMPLATE_QUESTIONS = (
    {
        "kind": QuestionKind.SINGLE,
        "text": "您对所在区域的市容环境卫生是否满意？",
        "options": "满意*\n基本满意*\n不满意\n不了解",
        "counts_for_satisfaction": True,
    },
    {
        "kind": QuestionKind.SINGLE,
        "text": "您对背街小巷、农贸市场等重点场所的整治效果是否满意？",
        "options": "满意*\n基本满意*\n不满意\n不了解",
        "counts_for_satisfaction": True,
    },
    {"kind": QuestionKind.RATING, "text": "请为本地创建工作总体打分（1-5分）", "counts_for_satisfaction": True},
    {
        "kind": QuestionKind.MULTIPLE,
        "text": "您认为最需要改进的方面有（可多选）",
        "options": "乱堆乱放\n占道经营\n垃圾清运\n公共厕所\n车辆乱停\n其他",
        "required": False,
    },
    {"kind": QuestionKind.TEXT, "text": "您还有哪些意见和建议？", "required": False},
)


def _require_manager(actor) -> None:
    if not can_manage_surveys(actor):
        raise NotPermitted("只有创建办可以管理满意度调查")


def _office_unit(actor):
    """The creator's office unit (the root for the root's office), so that unit's 督查员 can collect."""
    from chuangcheng.core.scoping import scope_of
    from chuangcheng.org.models import Unit

    scope = scope_of(actor)
    units = (
        Unit.objects.filter(parent__isnull=True)
        if scope.sees_all
        else Unit.objects.filter(pk__in=scope.office_unit_ids)
    )
    return units.order_by("pk").first()


def parse_options(text: str) -> list[dict]:
    """One option per line; a trailing ``*`` marks an answer that counts as satisfied."""
    options = []
    for index, line in enumerate(line.strip() for line in (text or "").splitlines()):
        if not line:
            continue
        satisfied = line.endswith("*")
        label = line.rstrip("*").strip()
        if label:
            options.append({"key": str(index + 1), "label": label, "satisfied": satisfied})
    return options


@transaction.atomic
def create_survey(
    *,
    actor,
    title: str,
    description: str = "",
    area=None,
    unit=None,
    ask_area: bool = True,
    ask_phone: bool = False,
    with_template: bool = False,
) -> Survey:
    _require_manager(actor)
    if not title.strip():
        raise DomainError("问卷标题不能为空", field="title")
    if unit is None:
        unit = _office_unit(actor)
    survey = Survey(
        title=title.strip(),
        description=description,
        area=area,
        unit=unit,
        ask_area=ask_area,
        ask_phone=ask_phone,
        token=secrets.token_urlsafe(12)[:16],
        created_by=actor,
    )
    survey.save()
    record(actor=actor, verb="public.survey_created", target=survey, unit=unit, changes={"title": [None, title]})
    if with_template:
        for spec in TEMPLATE_QUESTIONS:
            add_question(survey=survey, actor=actor, **spec)
    return survey


def _lock_draft(survey: Survey) -> Survey:
    survey = Survey.objects.select_for_update(no_key=True).get(pk=survey.pk)
    if survey.status != SurveyStatus.DRAFT:
        raise Conflict("问卷已发布，不能再修改题目或设置")
    return survey


@transaction.atomic
def update_survey(*, survey: Survey, actor, **changes) -> Survey:
    _require_manager(actor)
    unknown = set(changes) - set(SURVEY_FIELDS)
    if unknown:
        raise DomainError(f"不可修改的字段：{'、'.join(sorted(unknown))}")
    survey = _lock_draft(survey)
    delta = diff(survey, changes)
    for name, value in changes.items():
        setattr(survey, name, value)
    survey.save()
    if delta:
        record(actor=actor, verb="public.survey_updated", target=survey, unit=survey.unit, changes=delta)
    return survey


@transaction.atomic
def add_question(
    *,
    survey: Survey,
    actor,
    kind: str,
    text: str,
    options: str | list = "",
    required: bool = True,
    counts_for_satisfaction: bool = False,
    scale: int = 5,
    satisfied_from: int = 4,
    indicator: str = "",
    indicator_name: str = "",
) -> Question:
    """``indicator`` marks what the question counts for (满意率, 知晓率, ...); its “yes” answers are the
    options marked ``*`` (choice) or a score at ``satisfied_from`` or above (rating)."""
    _require_manager(actor)
    survey = _lock_draft(survey)
    if kind not in QuestionKind.values:
        raise DomainError("未知题型", field="kind")
    if counts_for_satisfaction and not indicator:
        indicator = Indicator.SATISFACTION
    if indicator and indicator not in Indicator.values:
        raise DomainError("未知指标", field="indicator")
    indicator_name = (indicator_name or "").strip()
    if indicator == Indicator.CUSTOM and not indicator_name:
        raise DomainError("自定义指标须填写指标名称", field="indicator_name")
    counts_for_satisfaction = indicator == Indicator.SATISFACTION
    if not text.strip():
        raise DomainError("题目不能为空", field="text")
    parsed = parse_options(options) if isinstance(options, str) else list(options)
    if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE) and len(parsed) < 2:
        raise DomainError("选择题至少需要两个选项（每行一个）", field="options")
    if kind == QuestionKind.RATING and not (2 <= scale <= 10 and 1 <= satisfied_from <= scale):
        raise DomainError("评分分制应为 2-10，满意起评分应在分制之内", field="scale")
    label = Indicator(indicator).label if indicator and indicator != Indicator.CUSTOM else indicator_name
    if indicator and kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        if not any(option.get("satisfied") for option in parsed):
            raise DomainError(f"计入{label}的选择题须用“*”标出计为“是”的选项", field="options")
    if indicator and kind == QuestionKind.TEXT:
        raise DomainError(f"文本题不能计入{label}", field="indicator")
    order = survey.questions.count()
    question = Question(
        survey=survey,
        kind=kind,
        text=text.strip(),
        options=parsed if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE) else [],
        required=required,
        counts_for_satisfaction=counts_for_satisfaction,
        indicator=indicator,
        indicator_name=indicator_name if indicator == Indicator.CUSTOM else "",
        scale=scale,
        satisfied_from=satisfied_from,
        sort_order=order,
    )
    question.save()
    record(
        actor=actor,
        verb="public.survey_question_added",
        target=survey,
        unit=survey.unit,
        changes={"question": [None, question.text], "kind": [None, kind]},
    )
    return question


@transaction.atomic
def delete_question(*, question: Question, actor) -> None:
    _require_manager(actor)
    survey = _lock_draft(question.survey)
    text = question.text
    question.delete()
    record(
        actor=actor,
        verb="public.survey_question_deleted",
        target=survey,
        unit=survey.unit,
        changes={"question": [text, None]},
    )


@transaction.atomic
def publish_survey(*, survey: Survey, actor) -> Survey:
    _require_manager(actor)
    survey = _lock_draft(survey)
    if not survey.questions.exists():
        raise DomainError("问卷至少需要一道题目才能发布")
    survey.status = SurveyStatus.PUBLISHED
    survey.published_at = timezone.now()
    survey.save(update_fields=["status", "published_at"])
    record(
        actor=actor,
        verb="public.survey_published",
        target=survey,
        unit=survey.unit,
        changes={"status": ["draft", "published"]},
    )
    return survey


@transaction.atomic
def close_survey(*, survey: Survey, actor) -> Survey:
    _require_manager(actor)
    survey = Survey.objects.select_for_update(no_key=True).get(pk=survey.pk)
    if survey.status != SurveyStatus.PUBLISHED:
        raise Conflict("只有进行中的问卷可以结束")
    survey.status = SurveyStatus.CLOSED
    survey.closed_at = timezone.now()
    survey.save(update_fields=["status", "closed_at"])
    record(
        actor=actor,
        verb="public.survey_closed",
        target=survey,
        unit=survey.unit,
        changes={"status": ["published", "closed"]},
    )
    return survey


def _answer_value(question: Question, raw) -> tuple[object, bool | None]:
    """Validate one answer; return ``(value, satisfied)`` where satisfied is None when not scored."""
    keys = {option["key"]: option for option in question.options}
    field = f"q{question.pk}"
    offered = "、".join(option["label"] for option in question.options)
    if question.kind == QuestionKind.SINGLE:
        if not isinstance(raw, str | int) or str(raw) not in keys:
            raise DomainError(f"“{question.text}”的答案“{raw}”不是本题的选项（可选：{offered}）", field=field)
        raw = str(raw)
        return raw, bool(keys[raw].get("satisfied"))
    if question.kind == QuestionKind.MULTIPLE:
        values = list(dict.fromkeys(str(v) for v in (raw if isinstance(raw, list | tuple) else [raw])))
        wrong = [value for value in values if value not in keys]
        if not values or wrong:
            raise DomainError(
                f"“{question.text}”的答案“{'、'.join(wrong)}”不是本题的选项（可选：{offered}）", field=field
            )
        return values, any(keys[value].get("satisfied") for value in values)
    if question.kind == QuestionKind.RATING:
        try:
            score = int(str(raw).strip())
        except (TypeError, ValueError):
            raise DomainError(f"“{question.text}”的评分“{raw}”不是整数，请选择 1-{question.scale} 分", field=field)
        if not 1 <= score <= question.scale:
            raise DomainError(f"“{question.text}”的评分 {score} 超出分制，请选择 1-{question.scale} 分", field=field)
        return score, score >= question.satisfied_from
    text = str(raw).strip()[:2000]
    return text, None


@transaction.atomic
def submit_response(
    *,
    survey: Survey,
    answers: dict,
    area=None,
    phone: str = "",
    device_id: str = "",
    client_address: str = "",
    actor=None,
    household_ref: str = "",
    surveyor=None,
) -> SurveyResponse:
    """One response per phone (when given), per device (signed cookie) and per household (入户, when a
    surveyor records ``household_ref``). ``answers`` maps a question id to its raw value (a key, a list of
    keys, a score or text). Every answer is checked before anything is stored (all-or-nothing)."""
    survey = Survey.objects.select_for_update(no_key=True).get(pk=survey.pk)
    if survey.status != SurveyStatus.PUBLISHED:
        raise Conflict("该问卷未在进行中")
    if survey.ask_phone and not phone:
        raise DomainError("请填写手机号", field="phone")
    if phone and not is_mobile(phone):
        raise DomainError("手机号格式不正确", field="phone")
    if area is not None and survey.area_id and area.pk != survey.area_id:
        pass  # a respondent may live in a sub-area of the survey's area
    p_hash, d_hash = phone_hash(phone), keyed_hash("device", device_id)
    duplicates = SurveyResponse.objects.filter(survey=survey)
    if p_hash and duplicates.filter(phone_hash=p_hash).exists():
        raise Conflict("该手机号已提交过本问卷，感谢参与", field="phone")
    if d_hash and duplicates.filter(device_hash=d_hash).exists():
        raise Conflict("您已提交过本问卷，感谢参与")
    if surveyor is None:  # an authenticated surveyor enters many households from one phone
        ratelimit.check_and_hit({"survey:addr": keyed_hash("addr", client_address)})
    household_ref = (household_ref or "").strip()[:60]
    if household_ref and duplicates.filter(area=area or survey.area, household_ref=household_ref).exists():
        raise Conflict(f"户号“{household_ref}”已在该区域登记过答卷", field="household_ref")
    rows, scored, satisfied = [], 0, 0
    for question in survey.questions.all():
        raw = answers.get(question.pk, answers.get(str(question.pk)))
        if raw in (None, "", []):
            if question.required:
                raise DomainError(f"请回答：{question.text}", field=f"q{question.pk}")
            continue
        value, is_satisfied = _answer_value(question, raw)
        if question.counts_for_satisfaction and is_satisfied is not None:
            scored += 1
            satisfied += int(is_satisfied)
        rows.append((question, value, is_satisfied if question.indicator else None))
    response = SurveyResponse(
        survey=survey,
        area=area or survey.area,
        phone_hash=p_hash,
        device_hash=d_hash,
        address_hash=keyed_hash("addr", client_address),
        scored=scored,
        satisfied=satisfied,
        household_ref=household_ref,
        surveyor=surveyor,
    )
    try:
        with transaction.atomic():
            response.save()
    except IntegrityError:
        raise Conflict("您已提交过本问卷，感谢参与")
    Answer.objects.bulk_create([Answer(response=response, question=q, value=v, counted=c) for q, v, c in rows])
    record(
        actor=actor,
        verb="public.survey_answered",
        target=response,
        unit=survey.unit,
        changes={"survey": [None, survey.pk], "scored": [None, scored], "satisfied": [None, satisfied]},
    )
    return response
