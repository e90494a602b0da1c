"""Pages for residents, no account needed: report a problem, follow it, "me too", photos."""

from __future__ import annotations

from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from chuangcheng.core.errors import DomainError
from chuangcheng.places.models import SiteCategory
from chuangcheng.public import casebridge, selectors
from chuangcheng.public.forms import DisputeForm, FollowForm, ReportForm
from chuangcheng.public.privacy import client_address, keyed_hash
from chuangcheng.public.ratelimit import check_and_hit
from chuangcheng.public.services.disputes import dispute_closure, dispute_deadline
from chuangcheng.public.services.reports import add_interest, submit_report
from chuangcheng.public.views import followed
from chuangcheng.public.views.common import ensure_device, new_device_id
from chuangcheng.public.views.feedback import feedback_context


def index(request):
    return render(request, "public/index.html", {"surveys": selectors.open_surveys()})


def _form_context(form) -> dict:
    return {
        "form": form,
        "map_center": selectors.map_center(),
    }


def report(request):
    form = ReportForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["website"]:
            form.add_error(None, "提交失败，请刷新页面后重试")
            return render(request, "public/report_form.html", _form_context(form), status=400)
        try:
            created, code = submit_report(
                category=data["category"],
                description=data["description"],
                lng=data["lng"],
                lat=data["lat"],
                address=data["address"],
                photos=request.FILES.getlist("photos"),
                phone=data["phone"],
                name=data["name"],
                device_id=new_device_id(request),
                client_address=client_address(request),
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            status = exc.status_code
        else:
            followed.remember(request, created.number)
            response = render(request, "public/report_done.html", {"report": created, "code": code})
            ensure_device(request, response)
            return response
    elif request.method == "POST":
        status = 400
    return render(request, "public/report_form.html", _form_context(form), status=status)


@require_GET
def nearby(request):
    try:
        category = int(request.GET["category"])
        lng, lat = float(request.GET["lng"]), float(request.GET["lat"])
    except (KeyError, ValueError):
        return JsonResponse({"results": []})
    results = [
        {
            "number": found.number,
            "distance": distance,
            "description": found.shown_description[:80],
            "status": casebridge.state_of(found).label,
            "interest": found.interest_count,
            "url": reverse("public:board_detail", args=[found.number]),
            "metoo_url": reverse("public:metoo", args=[found.number]),
        }
        for distance, found in selectors.nearby_open(category_id=category, lng=lng, lat=lat)
    ]
    return JsonResponse({"results": results})


@require_POST
def metoo(request, number):
    found = selectors.public_reports().filter(number=number).first()
    if found is None:
        raise Http404("问题不存在或尚未公开")
    try:
        updated = add_interest(report=found, client_address=client_address(request), device_id=new_device_id(request))
        payload, status = {"ok": True, "interest": updated.interest_count, "message": "已记录，感谢反馈"}, 200
    except DomainError as exc:
        payload, status = {"ok": False, "message": exc.message}, exc.status_code
    if request.headers.get("Accept", "").startswith("application/json"):
        response = JsonResponse(payload, status=status)
    else:
        response = render(request, "public/metoo_done.html", payload | {"number": number}, status=status)
    ensure_device(request, response)
    return response


def follow(request):
    """The tracking page. The follow code travels only in POST bodies: a verified number is kept in the
    session for a while (``followed``), so the page can be reloaded and acted on without the code in any URL."""
    if request.method == "POST":
        form = FollowForm(request.POST)
        status = 400
        if form.is_valid():
            try:
                check_and_hit({"follow:addr": keyed_hash("addr", client_address(request))})
            except DomainError as exc:
                form.add_error(None, exc.message)
                status = exc.status_code
            else:
                found = selectors.find_for_follow(form.cleaned_data["number"], form.cleaned_data["code"])
                if found is not None:
                    followed.remember(request, found.number)
                    return redirect(followed.url(found.number))
                form.add_error(None, "编号或查询码不正确")
                status = 404
        return render(request, "public/follow.html", _follow_context(request, form, None), status=status)
    number = (request.GET.get("number") or "").strip().upper()
    found = followed.report(request, number)
    form = FollowForm(initial={"number": number})
    notice = ""
    if number and found is None:
        notice = "为保护您的信息，查询码不会出现在网址中：请输入受理编号和查询码查询。"
    context = _follow_context(request, form, found) | {"notice": notice}
    return render(request, "public/follow.html", context)


def _follow_context(request, form, found, dispute_form=None) -> dict:
    context = {"form": form, "report": found, "state": None, "timeline": [], "dispute_until": None}
    if found is not None:
        context |= {
            "state": casebridge.state_of(found),
            "timeline": selectors.public_timeline(found),
            "dispute_until": dispute_deadline(found),
            "dispute_form": dispute_form or DisputeForm(initial={"number": found.number}),
            "done": request.GET.get("done", ""),
        } | feedback_context(found)
    return context


@require_POST
def dispute(request):
    """Dispute a closure (a number verified in this session + reason); the problem goes back into the workflow."""
    form = DisputeForm(request.POST)
    found = followed.report_from_post(request)
    if found is None:
        return redirect(followed.url((request.POST.get("number") or "").strip().upper()))
    status = 400
    if form.is_valid():
        address = client_address(request)
        try:
            check_and_hit({"follow:addr": keyed_hash("addr", address)})
            dispute_closure(report=found, reason=form.cleaned_data["reason"], client_address=address)
            return redirect(followed.url(found.number, done="disputed"))
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            status = exc.status_code
    follow_form = FollowForm(initial={"number": found.number})
    return render(request, "public/follow.html", _follow_context(request, follow_form, found, form), status=status)


ELDER_COOKIE = "cc_elder"


def elder(request):
    """长辈模式 on or off (a cookie read by the public pages' template), then back to the page it was asked from."""
    target = request.GET.get("next") or reverse("public:index")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False):
        target = reverse("public:index")
    response = redirect(target)
    if request.GET.get("on") == "1":
        response.set_cookie(ELDER_COOKIE, "1", max_age=365 * 24 * 3600, samesite="Lax")
    else:
        response.delete_cookie(ELDER_COOKIE, samesite="Lax")
    return response


def photo(request, pk):
    """The public (EXIF-free, redacted) copy of a photo of an accepted report; 404 otherwise."""
    found = selectors.public_photo(pk)
    if found is None:
        raise Http404("图片不存在")
    response = FileResponse(found.public_image.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "public, max-age=300"
    return response


def categories_json(request):
    return JsonResponse({"results": list(SiteCategory.objects.order_by("sort_order").values("id", "code", "name"))})


def home_redirect(request):
    return redirect("public:index")
