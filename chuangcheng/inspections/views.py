"""Pages: plan, assign, do (phone checklist), review and publish rounds; grid patrol."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views import generic

from chuangcheng.accounts.models import OFFICE_ROLES
from chuangcheng.core.errors import DomainError
from chuangcheng.core.tabular import XLSX_CONTENT_TYPE
from chuangcheng.core.views import RoleRequiredMixin, ScopedDetailView, ScopedListView, ServiceFormView
from chuangcheng.inspections import evaluation, reports, services
from chuangcheng.inspections.api import DOCX_CONTENT_TYPE
from chuangcheng.inspections.filters import RoundFilterSet
from chuangcheng.inspections.forms import DrawForm, PatrolForm, RoundForm
from chuangcheng.inspections.models import InspectionRound, PatrolRecord, RoundStatus, SiteVisit, VisitStatus
from chuangcheng.inspections.permissions import (
    can_inspect,
    can_manage_round,
    can_patrol,
    can_plan_rounds,
    can_see_report,
)
from chuangcheng.inspections.serializers import (
    CheckItemBriefSerializer,
    FindingSerializer,
    ObservationSerializer,
    VisitSerializer,
)
from chuangcheng.places.models import SiteCategory


class RoundListView(ScopedListView):
    model = InspectionRound
    filterset_class = RoundFilterSet
    template_name = "inspections/round_list.html"

    def get_queryset(self):
        return super().get_queryset().select_related("standard", "unit")

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"can_plan": can_plan_rounds(self.request.user)}


class RoundCreateView(ServiceFormView):
    form_class = RoundForm
    template_name = "inspections/round_form.html"
    required_roles = tuple(OFFICE_ROLES)
    success_message = "轮次已创建，请确认抽样方案"

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"user": self.request.user}

    def perform(self, form):
        data = dict(form.cleaned_data)
        data["is_secret"] = data["is_secret"] or None
        data["exclusion_days"] = data["exclusion_days"] or 0
        data["recheck_count"] = data["recheck_count"] or 0
        return services.create_round(actor=self.request.user, **data)

    def get_success_url(self):
        return reverse("inspections:round_detail", args=[self.object.pk])


class RoundDetailView(ScopedDetailView):
    model = InspectionRound
    template_name = "inspections/round_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("standard", "unit").prefetch_related("areas", "inspectors")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        round_, user = self.object, self.request.user
        office = can_manage_round(user, round_)
        visits = (
            SiteVisit.objects.visible_to(user)
            .filter(round=round_)
            .select_related("site", "category", "area", "inspector")
            .order_by("sort_order")
        )
        lines = {line.category_id: line for line in round_.sampling_lines.select_related("category")}
        context.update(
            office=office,
            visits=visits,
            draw=round_.draws.first(),
            draw_form=DrawForm(),
            inspectors=list(round_.inspectors.all()),
            plan_rows=[(c, lines.get(c.pk)) for c in SiteCategory.objects.all()] if office else [],
            lines=list(lines.values()),
        )
        if can_see_report(user, round_) and round_.status in (
            RoundStatus.CLOSED,
            RoundStatus.PUBLISHED,
            RoundStatus.DRAWN,
        ):
            data = reports.build(round_)
            context["report"] = data
        return context


class RoundActionView(RoleRequiredMixin, generic.View):
    """POST-only actions on a round: plan, draw, assign, close, publish."""

    def post(self, request, pk, action):
        round_ = InspectionRound.objects.visible_to(request.user).filter(pk=pk).first()
        if round_ is None:
            raise Http404("对象不存在或无权访问")
        try:
            message = self._do(request, round_, action)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, message)
        return redirect("inspections:round_detail", pk=round_.pk)

    def _do(self, request, round_, action):
        user, post = request.user, request.POST
        if action == "plan":
            quotas = {int(k[6:]): int(v or 0) for k, v in post.items() if k.startswith("quota_") and k[6:].isdigit()}
            services.set_sampling_plan(round_=round_, actor=user, quotas=quotas)
            return "抽样方案已保存"
        if action == "draw":
            form = DrawForm(post)
            if not form.is_valid():
                raise DomainError("随机种子须为非负整数", field="seed")
            draw = services.draw_round(round_=round_, actor=user, seed=form.cleaned_data.get("seed"))
            return f"已抽样：{sum(len(v) for v in draw.result.values())} 个点位，随机种子 {draw.seed}"
        if action == "assign":
            if post.get("auto"):
                assignments = "auto"
            else:
                assignments = {
                    int(k[6:]): (int(v) if v else None)
                    for k, v in post.items()
                    if k.startswith("visit_") and k[6:].isdigit()
                }
            changed = services.assign_visits(round_=round_, actor=user, assignments=assignments)
            return f"已分配 {changed} 个点位"
        if action == "close":
            services.close_round(round_=round_, actor=user)
            return "检查已结束"
        if action == "publish":
            services.publish_round(round_=round_, actor=user)
            return "已发布，问题已转为案件派至责任单位"
        raise Http404("未知操作")


class RoundReportView(RoleRequiredMixin, generic.View):
    def get(self, request, pk, fmt):
        round_ = InspectionRound.objects.visible_to(request.user).filter(pk=pk).first()
        if round_ is None or fmt not in ("xlsx", "docx"):
            raise Http404("对象不存在或无权访问")
        if not can_see_report(request.user, round_):
            raise Http404("轮次发布后方可查看报告")
        data = reports.build(round_)
        if fmt == "xlsx":
            response = HttpResponse(reports.to_xlsx(data), content_type=XLSX_CONTENT_TYPE)
        else:
            response = HttpResponse(reports.to_docx(data), content_type=DOCX_CONTENT_TYPE)
        name = f"{round_.name}督查情况.{fmt}".replace("/", "-")
        response["Content-Disposition"] = content_disposition_header(True, name)
        return response


class RoundEvaluationView(RoleRequiredMixin, generic.View):
    """模拟测评得分率 (page, or xlsx with ``fmt``): per 测评项目, 测评内容, district, category and point."""

    def get(self, request, pk, fmt="html"):
        round_ = InspectionRound.objects.visible_to(request.user).select_related("standard").filter(pk=pk).first()
        if round_ is None or not can_see_report(request.user, round_):
            raise Http404("对象不存在或无权访问")
        report = evaluation.build(round_)
        if fmt == "xlsx":
            response = HttpResponse(evaluation.to_xlsx(report), content_type=XLSX_CONTENT_TYPE)
            name = f"{round_.name}模拟测评得分率.xlsx".replace("/", "-")
            response["Content-Disposition"] = content_disposition_header(True, name)
            return response
        tables = [(label, report.tables[name]) for name, _attr, label in evaluation.TABLES]
        return render(
            request,
            "inspections/evaluation.html",
            {
                "object": round_,
                "report": report,
                "tables": tables,
                "headers": evaluation.HEADERS,
                "note": evaluation.NOTE,
            },
        )


class VerifyDrawView(ScopedDetailView):
    model = InspectionRound
    template_name = "inspections/verify_draw.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        draw = self.object.draws.first()
        if draw is not None:
            sites, rechecks = services.replay_draw(draw)
            context.update(
                draw=draw,
                matches=sites == draw.result and rechecks == draw.recheck_result,
                replayed=sum(len(v) for v in sites.values()),
            )
        return context


class MyVisitsView(ScopedListView):
    model = SiteVisit
    template_name = "inspections/my_visits.html"
    paginate_by = 100

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .filter(inspector=self.request.user, round__status=RoundStatus.DRAWN)
            .select_related("round", "site", "category", "area")
            .order_by("status", "round", "sort_order")
        )


class VisitFieldView(ScopedDetailView):
    """The phone checklist; field.js keeps the work on the device and syncs it."""

    model = SiteVisit
    template_name = "inspections/visit_field.html"

    def get_queryset(self):
        return super().get_queryset().select_related("round", "site", "category", "area")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        visit = self.object
        payload = {
            "visit": VisitSerializer(visit).data,
            "items": CheckItemBriefSerializer(services.checklist_items(visit), many=True).data,
            "findings": FindingSerializer(visit.findings.select_related("check_item"), many=True).data,
            "observations": ObservationSerializer(visit.observations.all(), many=True).data,
            "can_edit": can_inspect(self.request.user, visit),
            "sync_url": reverse("inspections-sync"),
        }
        context["payload"] = payload
        context["can_edit"] = payload["can_edit"]
        context["done"] = visit.status == VisitStatus.DONE
        return context


class PatrolView(ServiceFormView):
    form_class = PatrolForm
    template_name = "inspections/patrol.html"
    success_message = "已记录"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not can_patrol(request.user):
            raise Http404("仅网格员可用")
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"user": self.request.user}

    def get_context_data(self, **kwargs):
        recent = PatrolRecord.objects.visible_to(self.request.user).filter(reporter=self.request.user)
        return super().get_context_data(**kwargs) | {"recent": recent.select_related("area")[:20]}

    def perform(self, form):
        data = form.cleaned_data
        after = [data["photos_after"]] if data.get("photos_after") else []
        return services.record_patrol(
            actor=self.request.user,
            area=data["area"],
            kind=data["kind"],
            description=data["description"],
            client_uuid=data["client_uuid"],
            category=data.get("category"),
            lng=data.get("lng"),
            lat=data.get("lat"),
            photos_before=[data["photos_before"]],
            photos_after=after,
        )

    def get_success_url(self):
        return reverse("inspections:patrol")


def service_worker(request):
    """Served under /inspections/ so it may cache the field pages for offline reloads."""
    response = render(request, "inspections/sw.js", content_type="application/javascript")
    response["Service-Worker-Allowed"] = reverse("inspections:round_list")
    response["Cache-Control"] = "no-cache"
    return response
