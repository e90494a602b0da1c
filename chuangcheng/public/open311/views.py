"""GeoReport v2 endpoints. Reads show accepted (public) reports only; POST needs an office-issued
API key and creates a pending report, answered with a token (services are ``batch``: the
service_request_id appears on ``tokens/{token}`` once moderation publishes the report)."""

from __future__ import annotations

import re
import secrets
from datetime import datetime, time, timedelta

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
from chuangcheng.public.open311.render import errors, respond
from chuangcheng.public.open311.selectors import page_values
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


def _iso(value, tz=None) -> str | None:
    """W3C date-time in the current time zone (``tz``: that zone, which a list looks up once)."""
    if value is None:
        return None
    tz = tz or timezone.get_current_timezone()
    if isinstance(value, datetime):
        return value.astimezone(tz).isoformat(timespec="seconds")
    return datetime.combine(value, time(23, 59, 59), tzinfo=tz).isoformat(timespec="seconds")


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
        "changeset": _iso(STARTED_AT),
        "contact": getattr(settings, "OPEN311_CONTACT", "市创建办（请通过 12345 热线联系）"),
        "key_service": "接口密钥由市创建办发放（平台“市民参与 → Open311 密钥”）",
        "endpoints": [
            {
                "specification": "http://wiki.open311.org/GeoReport_v2",
                "url": base,
                "changeset": _iso(STARTED_AT),
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


def _payload(
    state, *, number, category, description, created_at, updated_at, address, lat, lng, media_url, tz=None
) -> dict:
    return {
        "service_request_id": number,
        "status": "open" if state.is_open else "closed",
        "status_notes": state.label,
        "service_name": category.name,
        "service_code": category.code,
        "description": description,
        "agency_responsible": state.responsible,
        "service_notice": "",
        "requested_datetime": _iso(created_at, tz),
        "updated_datetime": _iso(state.updated_at or updated_at, tz),
        "expected_datetime": _iso(state.expected, tz),
        "address": address,
        "address_id": "",
        "zipcode": "",
        "lat": lat,
        "long": lng,
        "media_url": media_url,
    }


def list_payloads(request, queryset, start: int, stop: int) -> list[dict]:
    """``request_payload`` of the reports ``queryset[start:stop]`` (a page of accepted reports)."""
    rows, categories = page_values(queryset, start, stop)
    photo_url = request.build_absolute_uri(reverse("public:photo", args=[0]))[: -len("0/")]
    tz = timezone.get_current_timezone()
    return [
        _payload(
            casebridge.accepted_state(
                unit_name=row["unit__name"],
                moderated_at=row["last_update"],
                case_status=row["case__status"],
                lead_unit_name=row["case__lead_unit__name"],
                case_updated_at=row["last_update"],
                deadline=row["case__deadline"],
            ),
            number=row["number"],
            category=categories[row["category_id"]],
            description=row["public_description"] or row["description"],
            created_at=row["created_at"],
            updated_at=None,
            address=row["address"],
            lat=row["lat"],
            lng=row["lng"],
            tz=tz,
            media_url=f"{photo_url}{row['first_photo']}/" if row["first_photo"] is not None else None,
        )  # fmt: skip
        for row in rows
    ]


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
    queryset = selectors.public_reports()
    ids = [part.strip() for part in (params.get("service_request_id") or "").split(",") if part.strip()]
    if ids:
        queryset = queryset.filter(number__in=ids)
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
        queryset = queryset.filter(created_at__gte=start, created_at__lte=end)
        codes = [part.strip() for part in (params.get("service_code") or "").split(",") if part.strip()]
        if codes:
            queryset = queryset.filter(category__code__in=codes)
        statuses = {part.strip() for part in (params.get("status") or "").split(",") if part.strip()}
        if statuses - {"open", "closed"}:
            return errors(fmt, 400, "status 只能是 open 或 closed（可用逗号分隔）")
        if statuses == {"open"}:
            queryset = queryset.filter(casebridge.open_q())
        elif statuses == {"closed"}:
            queryset = queryset.exclude(casebridge.open_q())
    try:
        # max_requests: what clients written for FixMyStreet send; an alias of page_size.
        size = params.get("page_size") or params.get("max_requests") or params.get("limit")
        page_size = _positive(size, "page_size", MAX_LIMIT, MAX_LIMIT)
        page = _positive(params.get("page"), "page", 1)
    except ValueError as exc:
        return errors(fmt, 400, str(exc))
    total = queryset.count()
    payload = list_payloads(request, queryset, (page - 1) * page_size, page * page_size)
    headers = {"X-Total-Count": str(total), "X-Page": str(page), "X-Page-Size": str(page_size)}
    return respond(fmt, "service_requests", payload, headers=headers)


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
