"""Reads that need thought: satisfaction figures, the public board, nearby problems, Open311 lists."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Prefetch, Q, Sum
from django.db.models.functions import TruncMonth

from chuangcheng.places.models import Area
from chuangcheng.public import casebridge
from chuangcheng.public.models import Report, ReportPhoto, ReportStatus, SurveyResponse
from chuangcheng.public.privacy import keyed_hash

NEARBY_METRES = 250


@dataclass(frozen=True)
class Satisfaction:
    """``rate`` = satisfied answers / scored answers (0..1), None when nobody answered."""

    responses: int
    scored: int
    satisfied: int

    @property
    def rate(self) -> float | None:
        return (self.satisfied / self.scored) if self.scored else None

    @property
    def percent(self) -> float | None:
        return None if self.rate is None else round(self.rate * 100, 1)


def area_subtree_ids(area: Area) -> list[int]:
    ids, frontier = [area.pk], [area.pk]
    while frontier:
        frontier = list(Area.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
        ids.extend(frontier)
    return ids


def _responses(area=None, since: datetime | None = None, survey=None):
    queryset = SurveyResponse.objects.all()
    if area is not None:
        queryset = queryset.filter(area_id__in=area_subtree_ids(area))
    if since is not None:
        queryset = queryset.filter(submitted_at__gte=since)
    if survey is not None:
        queryset = queryset.filter(survey=survey)
    return queryset


def satisfaction(area=None, since: datetime | None = None, survey=None) -> Satisfaction:
    """Residents' satisfaction (群众满意率) over every survey, for an area (with its sub-areas)
    and from a moment on. Readiness and assessments read this."""
    totals = _responses(area, since, survey).aggregate(n=Count("id"), scored=Sum("scored"), satisfied=Sum("satisfied"))
    return Satisfaction(responses=totals["n"] or 0, scored=totals["scored"] or 0, satisfied=totals["satisfied"] or 0)


def satisfaction_by_area_month(area=None, since: datetime | None = None, survey=None) -> list[dict]:
    """Rows ``{area, month, responses, satisfied, scored, percent}`` for a table or a chart."""
    rows = (
        _responses(area, since, survey)
        .annotate(month=TruncMonth("submitted_at"))
        .values("area_id", "area__name", "month")
        .annotate(n=Count("id"), scored=Sum("scored"), satisfied=Sum("satisfied"))
        .order_by("area__name", "month")
    )
    result = []
    for row in rows:
        figure = Satisfaction(responses=row["n"], scored=row["scored"] or 0, satisfied=row["satisfied"] or 0)
        result.append(
            {
                "area_id": row["area_id"],
                "area": row["area__name"] or "未选择区域",
                "month": row["month"].strftime("%Y-%m") if row["month"] else "",
                "responses": figure.responses,
                "scored": figure.scored,
                "satisfied": figure.satisfied,
                "percent": figure.percent,
            }
        )
    return result


def question_breakdown(survey) -> list[dict]:
    """Per question: the count of each option (choice), the average (rating) or the texts."""
    from chuangcheng.public.models import Answer, QuestionKind

    answers_by_question: dict[int, list] = {}
    for question_id, value in Answer.objects.filter(response__survey=survey).values_list("question_id", "value"):
        answers_by_question.setdefault(question_id, []).append(value)
    result = []
    for question in survey.questions.all():
        values = answers_by_question.get(question.pk, [])
        item = {"question": question, "count": len(values)}
        if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            counts = {option["key"]: 0 for option in question.options}
            for value in values:
                for key in value if isinstance(value, list) else [value]:
                    counts[key] = counts.get(key, 0) + 1
            item["options"] = [
                {"label": option["label"], "count": counts.get(option["key"], 0), "satisfied": option.get("satisfied")}
                for option in question.options
            ]
        elif question.kind == QuestionKind.RATING:
            item["average"] = round(sum(values) / len(values), 2) if values else None
        else:
            item["texts"] = [value for value in values if value][-50:]
        result.append(item)
    return result


# --- citizen reports -------------------------------------------------------------------------


def public_reports():
    """Accepted reports only: the single source for the exposure board, its feed and Open311 lists."""
    photos = Prefetch("photos", queryset=ReportPhoto.objects.order_by("sort_order", "id"))
    return (
        Report.objects.filter(status=ReportStatus.ACCEPTED)
        .select_related(*casebridge.REPORT_RELATED)
        .prefetch_related(photos)
        .order_by("-created_at", "-id")
    )


def find_for_follow(number: str, code: str) -> Report | None:
    """A report by its number and follow code (both needed: numbers are guessable)."""
    number, code = (number or "").strip().upper(), (code or "").strip()
    if not number or not code:
        return None
    report = Report.objects.select_related(*casebridge.REPORT_RELATED).filter(number=number).first()
    if report is None or report.follow_code_hash != keyed_hash("follow", f"{number}:{code}"):
        return None
    return report


def public_followable(number: str) -> Report | None:
    """A report by number for a session that has already proven the follow code (``views.followed``)."""
    return Report.objects.select_related(*casebridge.REPORT_RELATED).filter(number=number).first()


def ratings_of(report: Report) -> list:
    """The ratings a resident gave a report's closures (shown back to the session that proved the follow code)."""
    from chuangcheng.public.models import HandlingRating

    return list(HandlingRating.objects.filter(report=report).order_by("created_at", "id"))


def distance_m(lng1: float, lat1: float, lng2: float, lat2: float) -> float:
    rad = math.radians
    dlat, dlng = rad(lat2 - lat1), rad(lng2 - lng1)
    a = math.sin(dlat / 2) ** 2 + math.cos(rad(lat1)) * math.cos(rad(lat2)) * math.sin(dlng / 2) ** 2
    return 2 * 6_371_000 * math.asin(math.sqrt(a))


def nearby_open(*, category_id: int, lng: float, lat: float, metres: int = NEARBY_METRES, limit: int = 5) -> list:
    """Accepted, still open reports of the same category within ``metres``: offered before a new report."""
    dlat = metres / 111_320
    dlng = metres / (111_320 * max(math.cos(math.radians(lat)), 0.01))
    candidates = public_reports().filter(
        category_id=category_id,
        lng__range=(lng - dlng, lng + dlng),
        lat__range=(lat - dlat, lat + dlat),
    )
    found = []
    for report in candidates[:200]:
        if not casebridge.state_of(report).is_open:
            continue
        distance = distance_m(lng, lat, report.lng, report.lat)
        if distance <= metres:
            found.append((distance, report))
    found.sort(key=lambda pair: pair[0])
    return [(round(distance), report) for distance, report in found[:limit]]


def moderation_queue(user):
    return (
        Report.objects.visible_to(user)
        .filter(status=ReportStatus.PENDING)
        .select_related("category", "area", "unit")
        .annotate(photo_count=Count("photos"))
        .order_by("created_at")
    )


def pending_count() -> int:
    return Report.objects.filter(Q(status=ReportStatus.PENDING)).count()


def public_photo(pk: int):
    return ReportPhoto.objects.filter(pk=pk, report__status=ReportStatus.ACCEPTED).first()


def open_surveys():
    from chuangcheng.public.models import Survey, SurveyStatus

    return Survey.objects.filter(status=SurveyStatus.PUBLISHED).order_by("-published_at")


def published_survey(token: str):
    from chuangcheng.public.models import Survey, SurveyStatus

    return (
        Survey.objects.filter(token=token, status__in=[SurveyStatus.PUBLISHED, SurveyStatus.CLOSED])
        .prefetch_related("questions")
        .first()
    )


def survey_areas() -> list:
    """Areas a respondent may pick (district, street, community), at most a few hundred."""
    return list(Area.objects.filter(level__in=(2, 3, 4)).order_by("level", "code")[:300])


def map_center() -> tuple[float, float]:
    """The centre of the city's area (or of any area with a box); a neutral default otherwise."""
    area = Area.objects.filter(min_lng__isnull=False).order_by("level", "code").first()
    if area is None:
        return (120.0, 30.0)
    return ((area.min_lng + area.max_lng) / 2, (area.min_lat + area.max_lat) / 2)


def survey_scope_areas():
    """Areas a survey can be aimed at (city, districts, streets)."""
    return Area.objects.filter(level__lte=3).order_by("level", "code")


def category_by_code(code: str):
    from chuangcheng.places.models import SiteCategory

    return SiteCategory.objects.filter(code=code).first()


def report_by_token(token: str):
    return Report.objects.filter(token=token).only("number", "status", "token").first() if token else None


def public_timeline(report: Report) -> list[casebridge.TimelineEntry]:
    """Everything the resident may see about a report, oldest first: submission, moderation, the public
    steps of its case (and of a closed case it disputed), and the disputes."""
    entries = [casebridge.TimelineEntry(report.created_at, "市民提交")]
    if report.moderated_at and report.status != ReportStatus.PENDING:
        entries.append(casebridge.TimelineEntry(report.moderated_at, report.get_status_display()))
    disputes = list(report.disputes.all())
    case_ids = [dispute.previous_case_id for dispute in disputes] + ([report.case_id] if report.case_id else [])
    entries += casebridge.case_timeline(case_ids)
    entries += [casebridge.TimelineEntry(d.created_at, "市民对办结结果提出异议，问题重新办理") for d in disputes]
    entries.sort(key=lambda entry: entry.at)
    return entries
