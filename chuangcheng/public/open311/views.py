"""GeoReport v2 endpoints. Reads show accepted (public) reports only; POST needs an office-issued
API key and creates a pending report, answered with a token (services are ``batch``: the
service_request_id appears on ``tokens/{token}`` once moderation publishes the report)."""

from __future__ import annotations

import re
import secrets
from datetime import datetime, time, timedelta
from functools import lru_cache

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from chuangcheng.core.errors import DomainError
from chuangcheng.places.models import SiteCategory
from chuangcheng.public import casebridge, selectors
from chuangcheng.public.models import Report, ReportChannel, ReportStatus
from chuangcheng.public.open311.render import errors, respond, w3c
from chuangcheng.public.open311.selectors import list_page
from chuangcheng.public.ratelimit import RateLimited
from chuangcheng.public.services.keys import check_api_key
from chuangcheng.public.services.reports import submit_report

STARTED_AT = timezone.now()
MAX_LIMIT = 1000
WINDOW_DAYS = 90
ATTRIBUTES = (
    {
        "variable": True,
        "code": "place_desc",
        "datatype": "string",
        "required": False,
        "datatype_description": "门牌号、楼栋、参照物等",
        "order": 1,
        "description": "地点补充说明",
        "values": [],
    },
    {
        "variable": True,
        "code": "recurring",
        "datatype": "singlevaluelist",
        "required": False,
        "datatype_description": "",
        "order": 2,
        "description": "该问题是否反复出现",
        "values": [{"key": "yes", "name": "反复出现"}, {"key": "no", "name": "首次发现"}],
    },
)
ATTRIBUTE_RE = re.compile(r"^attribute\[(?P<code>[^\]]+)\](?P<many>\[\])?$")


def jurisdiction() -> str:
    return getattr(settings, "OPEN311_JURISDICTION", "chuangcheng.local")


def _wrong_jurisdiction(request, fmt):
    value = (request.GET.get("jurisdiction_id") or request.POST.get("jurisdiction_id") or "").strip()
    if value and value != jurisdiction():
        return errors(fmt, 404, f"jurisdiction_id 不存在：{value}")
    return None


def _service(category: SiteCategory) -> dict:
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": (category.focus or category.name)[:500],
        "metadata": True,
        "type": "batch",
        "keywords": category.name,
        "group": category.get_group_display(),
    }


def discovery(request, fmt):
    base = request.build_absolute_uri(reverse("open311:services", kwargs={"fmt": "json"})).rsplit("/", 1)[0] + "/"
    payload = {
        "changeset": w3c(STARTED_AT),
        "contact": getattr(settings, "OPEN311_CONTACT", "市创建办（请通过 12345 热线联系）"),
        "key_service": "接口密钥由市创建办发放（平台“市民参与 → Open311 密钥”）",
        "endpoints": [
            {
                "specification": "http://wiki.open311.org/GeoReport_v2",
                "url": base,
                "changeset": w3c(STARTED_AT),
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }
    return respond(fmt, "discovery", payload)


def services(request, fmt):
    wrong = _wrong_jurisdiction(request, fmt)
    if wrong:
        return wrong
    return respond(
        fmt, "services", [_service(category) for category in SiteCategory.objects.order_by("sort_order", "code")]
    )


def service_definition(request, fmt, code):
    wrong = _wrong_jurisdiction(request, fmt)
    if wrong:
        return wrong
    category = selectors.category_by_code(code)
    if category is None:
        return errors(fmt, 404, f"service_code 不存在：{code}")
    return respond(
        fmt, "service_definition", {"service_code": category.code, "attributes": [dict(a) for a in ATTRIBUTES]}
    )


def request_payload(request, report: Report) -> dict:
    photos = list(report.photos.all())
    media_url = request.build_absolute_uri(reverse("public:photo", args=[photos[0].pk])) if photos else None
    return _payload(
        casebridge.state_of(report), number=report.number, category=report.category,
        description=report.shown_description, created_at=report.created_at, updated_at=report.updated_at,
        address=report.address, lat=report.lat, lng=report.lng, media_url=media_url,
    )  # fmt: skip


def _payload(state, *, number, category, description, created_at, updated_at, address, lat, lng, media_url) -> dict:
    return {
        "service_request_id": number,
        "status": "open" if state.is_open else "closed",
        "status_notes": state.label,
        "service_name": category.name,
        "service_code": category.code,
        "description": description,
        "agency_responsible": state.responsible,
        "service_notice": "",
        "requested_datetime": w3c(created_at),
        "updated_datetime": w3c(state.updated_at or updated_at),
        "expected_datetime": w3c(state.expected),
        "address": address,
        "address_id": "",
        "zipcode": "",
        "lat": lat,
        "long": lng,
        "media_url": media_url,
    }


_DEADLINE = object()


@lru_cache(maxsize=4096)
def _listed_state(case_status: str | None, unit_name: str | None, lead_unit_name: str | None) -> tuple:
    """``(status, status_notes, agency_responsible, shows the deadline)``: ``casebridge.accepted_state``'s
    answer for an accepted report, asked once per process for each case status and pair of units (a list's
    row reads the time of its last update as that state's, see ``open311.selectors``)."""
    state = casebridge.accepted_state(
        unit_name=unit_name, moderated_at=None, case_status=case_status, lead_unit_name=lead_unit_name,
        deadline=_DEADLINE,
    )  # fmt: skip
    return "open" if state.is_open else "closed", state.label, state.responsible, state.expected is _DEADLINE


def list_payloads(request, rows, categories) -> list[dict]:
    """``request_payload`` of each row of ``open311.selectors.list_page`` (its times already written)."""
    photo_url = request.build_absolute_uri(reverse("public:photo", args=[0]))[: -len("0/")]
    services = {pk: (category.name, category.code) for pk, category in categories.items()}
    payloads = []
    append = payloads.append
    for (
        number, category_id, public_description, description, requested, address, lat, lng, unit_name,
        case_status, lead_unit_name, expected, first_photo, updated,
    ) in rows:  # fmt: skip
        status, notes, responsible, shows_deadline = _listed_state(case_status, unit_name, lead_unit_name)
        service_name, service_code = services[category_id]
        append({
            "service_request_id": number, "status": status, "status_notes": notes, "service_name": service_name,
            "service_code": service_code, "description": public_description or description,
            "agency_responsible": responsible, "service_notice": "", "requested_datetime": requested,
            "updated_datetime": updated, "expected_datetime": expected if shows_deadline else None,
            "address": address, "address_id": "", "zipcode": "", "lat": lat, "long": lng,
            "media_url": None if first_photo is None else f"{photo_url}{first_photo}/",
        })  # fmt: skip
    return payloads


def _parse_moment(raw: str, *, end: bool = False):
    moment = parse_datetime(raw)
    if moment is None:
        day = parse_date(raw)
        if day is None:
            raise ValueError(raw)
        moment = datetime.combine(day, time.max if end else time.min)
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def _positive(raw: str, name: str, default: int, maximum: int | None = None) -> int:
    if raw in (None, ""):
        return default
    if not raw.isdigit() or int(raw) < 1:
        raise ValueError(f"{name} 必须是正整数")
    return min(int(raw), maximum) if maximum else int(raw)


def list_requests(request, fmt):
    params = request.GET
    filters = {}
    ids = [part.strip() for part in (params.get("service_request_id") or "").split(",") if part.strip()]
    if ids:
        filters["numbers"] = ids
    else:
        try:
            start = _parse_moment(params["start_date"]) if params.get("start_date") else None
            end = _parse_moment(params["end_date"], end=True) if params.get("end_date") else None
        except ValueError:
            return errors(fmt, 400, "start_date/end_date 须为 W3C 日期时间格式，例如 2026-01-01T00:00:00+08:00")
        if start and end and end < start:
            return errors(fmt, 400, "end_date 不能早于 start_date")
        if start and end and end - start > timedelta(days=WINDOW_DAYS):
            return errors(fmt, 400, f"start_date 与 end_date 的跨度不能超过 {WINDOW_DAYS} 天")
        if start is None and end is None:
            end = timezone.now()
        if start is None:
            start = end - timedelta(days=WINDOW_DAYS)
        if end is None:
            end = start + timedelta(days=WINDOW_DAYS)
        filters.update(start=start, end=end)
        filters["codes"] = [part.strip() for part in (params.get("service_code") or "").split(",") if part.strip()]
        statuses = {part.strip() for part in (params.get("status") or "").split(",") if part.strip()}
        if statuses - {"open", "closed"}:
            return errors(fmt, 400, "status 只能是 open 或 closed（可用逗号分隔）")
        if len(statuses) == 1:
            filters["is_open"] = statuses == {"open"}
    try:
        # max_requests: what clients written for FixMyStreet send; an alias of page_size.
        size = params.get("page_size") or params.get("max_requests") or params.get("limit")
        page_size = _positive(size, "page_size", MAX_LIMIT, MAX_LIMIT)
        page = _positive(params.get("page"), "page", 1)
    except ValueError as exc:
        return errors(fmt, 400, str(exc))
    total, rows, categories = list_page(
        **filters, offset=(page - 1) * page_size, limit=page_size, tz=timezone.get_current_timezone()
    )
    headers = {"X-Total-Count": str(total), "X-Page": str(page), "X-Page-Size": str(page_size)}
    return respond(fmt, "service_requests", list_payloads(request, rows, categories), headers=headers)


def _attributes(post) -> tuple[dict, list[str]]:
    values, problems = {}, []
    for key in post:
        match = ATTRIBUTE_RE.match(key)
        if match:
            code = match["code"]
            values[code] = post.getlist(key) if match["many"] else post.get(key)
    by_code = {a["code"]: a for a in ATTRIBUTES}
    for code, spec in by_code.items():
        value = values.get(code)
        if spec["required"] and value in (None, "", []):
            problems.append(f"attribute[{code}] 为必填项")
        if value and spec["datatype"] == "singlevaluelist" and value not in {v["key"] for v in spec["values"]}:
            problems.append(f"attribute[{code}] 的取值无效：{value}")
    return {code: values[code] for code in values if code in by_code}, problems


def create_request(request, fmt):
    post = request.POST
    api_key = check_api_key(post.get("api_key") or request.GET.get("api_key") or "")
    if api_key is None:
        return errors(fmt, 403, "api_key 缺失或无效")
    wrong = _wrong_jurisdiction(request, fmt)
    if wrong:
        return wrong
    code = (post.get("service_code") or "").strip()
    if not code:
        return errors(fmt, 400, "缺少必填参数 service_code")
    category = selectors.category_by_code(code)
    if category is None:
        return errors(fmt, 404, f"service_code 不存在：{code}")
    lat, lng = (post.get("lat") or "").strip(), (post.get("long") or "").strip()
    address = (post.get("address_string") or "").strip()
    if not ((lat and lng) or address or (post.get("address_id") or "").strip()):
        return errors(fmt, 400, "须提供位置：lat 与 long，或 address_string，或 address_id")
    try:
        lat_f, lng_f = (float(lat), float(lng)) if lat and lng else (None, None)
    except ValueError:
        return errors(fmt, 400, "lat/long 须为数字")
    description = (post.get("description") or "").strip()
    if len(description) > 4000:
        return errors(fmt, 400, "description 不能超过 4000 个字符")
    attributes, problems = _attributes(post)
    if problems:
        return errors(fmt, 400, *problems)
    if post.get("media_url"):
        attributes["media_url"] = post["media_url"][:500]
    if post.get("address_id"):
        attributes["address_id"] = post["address_id"][:100]
    name = " ".join(filter(None, [post.get("last_name", "").strip(), post.get("first_name", "").strip()]))
    try:
        report, _code = submit_report(
            category=category,
            description=description or f"（Open311 提交：{category.name}）",
            lng=lng_f,
            lat=lat_f,
            address=address or attributes.get("place_desc", ""),
            phone=post.get("phone", ""),
            name=name,
            email=post.get("email", ""),
            device_id=post.get("device_id", ""),
            attributes=attributes,
            channel=ReportChannel.OPEN311,
            token=secrets.token_hex(12),
            api_key=api_key,
        )
    except RateLimited as exc:
        return errors(fmt, 429, exc.message)
    except DomainError as exc:
        field = "lat/long" if exc.field in ("lat", "lng") else (exc.field or "参数")
        return errors(fmt, 400, f"{field}：{exc.message}")
    payload = [{"token": report.token, "service_notice": "已收到，审核通过后公开并生成编号", "account_id": None}]
    return respond(fmt, "service_requests", payload, status=201)


@csrf_exempt
@require_http_methods(["GET", "POST", "OPTIONS"])
def requests_view(request, fmt):
    if request.method == "POST":
        return create_request(request, fmt)
    wrong = _wrong_jurisdiction(request, fmt)
    if wrong:
        return wrong
    return list_requests(request, fmt)


def single_request(request, fmt, request_id):
    wrong = _wrong_jurisdiction(request, fmt)
    if wrong:
        return wrong
    report = selectors.public_reports().filter(number=request_id).first()
    if report is None:
        return errors(fmt, 404, f"service_request_id 不存在：{request_id}")
    return respond(fmt, "service_requests", [request_payload(request, report)])


def token_view(request, fmt, token):
    wrong = _wrong_jurisdiction(request, fmt)
    if wrong:
        return wrong
    report = selectors.report_by_token(token)
    if report is None:
        return errors(fmt, 404, f"token 不存在：{token}")
    item = {"service_request_id": report.number if report.status == ReportStatus.ACCEPTED else None, "token": token}
    return respond(fmt, "service_requests", [item])
