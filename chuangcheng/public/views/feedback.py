"""Residents answer back (rate a closed problem, praise a unit) and the office's side of it (回访, 表扬)."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views import View, generic
from django.views.decorators.http import require_POST

from chuangcheng.accounts.models import OFFICE_ROLES
from chuangcheng.core.errors import DomainError
from chuangcheng.core.views import RoleRequiredMixin, ScopedObjectMixin
from chuangcheng.public import casebridge, selectors
from chuangcheng.public.forms import CallbackForm, PraiseForm, PraiseHandleForm, RatingForm
from chuangcheng.public.models import CallbackStatus, CallbackTask, HandlingRating, Praise, PraiseStatus
from chuangcheng.public.privacy import client_address
from chuangcheng.public.services import feedback as services
from chuangcheng.public.views import followed

OFFICE = tuple(OFFICE_ROLES)


def feedback_context(report) -> dict:
    """What the tracking page shows after closure: the reply and after photos, the rating form or the ratings
    given, and the reporter's points."""
    return {
        "closure": casebridge.public_closure(report),
        "rating_until": services.rating_deadline(report),
        "rating_form": RatingForm(initial={"number": report.number}),
        "ratings": selectors.ratings_of(report),
        "points": services.points_summary(report),
    }


@require_POST
def rate(request):
    found = followed.report_from_post(request)
    if found is None:
        return redirect(followed.url((request.POST.get("number") or "").strip().upper()))
    form = RatingForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            services.rate_handling(
                report=found,
                level=form.cleaned_data["level"],
                reason=form.cleaned_data["reason"],
                client_address=client_address(request),
            )
            return redirect(followed.url(found.number, done="rated"))
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            status = exc.status_code
    from chuangcheng.public.forms import FollowForm
    from chuangcheng.public.views.citizen import _follow_context

    context = _follow_context(request, FollowForm(initial={"number": found.number}), found) | {"rating_form": form}
    return render(request, "public/follow.html", context, status=status)


def praise(request):
    units = list(services.praisable_units())
    form = PraiseForm(request.POST or None, units=units, initial={"report_number": request.GET.get("number", "")})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid() and not form.cleaned_data["website"]:
            data = form.cleaned_data
            try:
                services.submit_praise(
                    unit_id=data["unit"],
                    worker=data["worker"],
                    message=data["message"],
                    name=data["name"],
                    report_number=data["report_number"],
                    client_address=client_address(request),
                )
                return render(request, "public/praise_done.html")
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
                status = exc.status_code
        elif form.is_valid():
            form.add_error(None, "提交失败，请刷新页面后重试")
    return render(request, "public/praise_form.html", {"form": form}, status=status)


def after_photo(request, pk):
    """The public copy of an evidence (after) photo of a closed problem on the exposure board."""
    found = casebridge.public_after_photo(pk)
    if found is None:
        raise Http404("图片不存在")
    response = FileResponse(found.public_image.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "public, max-age=300"
    return response


class CallbackListView(RoleRequiredMixin, generic.TemplateView):
    template_name = "public/callbacks.html"
    required_roles = OFFICE

    def get_context_data(self, **kwargs):
        tasks = CallbackTask.objects.visible_to(self.request.user).select_related(
            "rating", "report", "report__category", "unit", "done_by"
        )
        user = self.request.user
        return super().get_context_data(**kwargs) | {
            "open_tasks": tasks.filter(status=CallbackStatus.OPEN).order_by("created_at")[:200],
            "done_tasks": tasks.filter(status=CallbackStatus.DONE).order_by("-done_at")[:50],
            "praises": Praise.objects.visible_to(user).select_related("unit", "report").order_by("-created_at")[:100],
            "ratings": HandlingRating.objects.visible_to(user).select_related("report", "unit")[:50],
            "form": CallbackForm(),
            "praise_form": PraiseHandleForm(),
        }


class CallbackCompleteView(RoleRequiredMixin, ScopedObjectMixin, View):
    model = CallbackTask
    required_roles = OFFICE

    def post(self, request, pk):
        task = self.get_object()
        form = CallbackForm(request.POST)
        if not form.is_valid():
            messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
            return redirect("public:callbacks")
        try:
            services.complete_callback(
                task=task, actor=request.user, outcome=form.cleaned_data["outcome"], note=form.cleaned_data["note"]
            )
            messages.success(request, f"已登记 {task.report.number} 的回访")
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect("public:callbacks")


class PraiseHandleView(RoleRequiredMixin, ScopedObjectMixin, View):
    model = Praise
    required_roles = OFFICE

    def post(self, request, pk):
        found = self.get_object()
        form = PraiseHandleForm(request.POST)
        if not form.is_valid():
            messages.error(request, "请选择处理方式")
            return redirect("public:callbacks")
        try:
            services.handle_praise(praise=found, actor=request.user, status=form.cleaned_data["status"])
            label = PraiseStatus(form.cleaned_data["status"]).label
            messages.success(request, f"表扬已{label}")
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect("public:callbacks")
