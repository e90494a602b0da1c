"""POST endpoints of the pages: transitions, assignment, bulk actions, photos; and the xlsx export."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View

from chuangcheng.accounts.models import OFFICE_ROLES
from chuangcheng.cases import services, workflow
from chuangcheng.cases.filters import CaseFilterSet
from chuangcheng.cases.ledger import LEDGER_COLUMNS, LEDGER_WIDTHS, ledger_rows
from chuangcheng.cases.models import Case
from chuangcheng.core.errors import DomainError
from chuangcheng.core.tabular import XLSX_CONTENT_TYPE, write_xlsx
from chuangcheng.core.views import RoleRequiredMixin, ScopedObjectMixin
from chuangcheng.org.models import Unit


def _back(request, default: str):
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(default)


def _unit(request, name: str):
    value = request.POST.get(name)
    if not value:
        return None
    try:
        return Unit.objects.visible_to(request.user).get(pk=int(value))
    except (ValueError, Unit.DoesNotExist) as exc:
        raise DomainError("所选单位不存在", field=name) from exc


class CaseTransitionView(RoleRequiredMixin, ScopedObjectMixin, View):
    model = Case

    def post(self, request, pk):
        case = self.get_object()
        params = {}
        post = request.POST
        try:
            if post.get("lead_unit"):
                params["lead_unit"] = _unit(request, "lead_unit")
            if post.get("days"):
                params["days"] = post["days"]
            if post.get("plan"):
                params["plan"] = post["plan"]
            if post.get("target"):
                target = Case.objects.visible_to(request.user).filter(number=post["target"].strip()).first()
                if target is None:
                    raise DomainError("未找到要合并到的案件编号", field="target")
                params["target"] = target
            version = int(post["version"]) if post.get("version", "").isdigit() else None
            case = workflow.transition(
                case,
                post.get("action", ""),
                actor=request.user,
                note=post.get("note", ""),
                evidence=request.FILES.getlist("evidence"),
                expected_version=version,
                **params,
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request, f"已{workflow.Action(post['action']).label}，当前状态：{case.get_status_display()}"
            )
        return _back(request, reverse("cases:detail", args=[pk]))


class AssignView(RoleRequiredMixin, ScopedObjectMixin, View):
    model = Case
    required_roles = tuple(OFFICE_ROLES)

    def post(self, request, pk):
        case = self.get_object()
        try:
            units = [u for u in (_unit(request, "lead_unit"),) if u]
            cooperating = list(Unit.objects.visible_to(request.user).filter(pk__in=request.POST.getlist("cooperating")))
            services.assign_case(
                actor=request.user,
                case=case,
                lead_unit=units[0] if units else None,
                cooperating_units=cooperating,
                reason=request.POST.get("reason", ""),
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "已指定责任单位")
        return _back(request, reverse("cases:detail", args=[pk]))


class ReboundMarkView(RoleRequiredMixin, ScopedObjectMixin, View):
    """The office marks a case as a rebound (反弹), optionally naming the earlier case, or removes the mark."""

    model = Case
    required_roles = tuple(OFFICE_ROLES)

    def post(self, request, pk):
        case = self.get_object()
        post = request.POST
        try:
            rebound = post.get("rebound") == "1"
            origin = None
            if rebound and post.get("origin", "").strip():
                number = post["origin"].strip()
                origin = Case.objects.visible_to(request.user).filter(number=number).first()
                if origin is None:
                    raise DomainError(f"未找到原问题案件编号“{number}”", field="origin")
            version = int(post["version"]) if post.get("version", "").isdigit() else None
            services.mark_rebound(
                actor=request.user,
                case=case,
                rebound=rebound,
                reason=post.get("reason", ""),
                origin=origin,
                expected_version=version,
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "已标记为反弹" if rebound else "已取消反弹标记")
        return _back(request, reverse("cases:detail", args=[pk]))


class BulkView(RoleRequiredMixin, View):
    """批量派遣 / 批量签收 / 批量立案 of the checked cases."""

    def post(self, request):
        action = request.POST.get("action", "")
        if action not in (workflow.Action.DISPATCH, workflow.Action.SIGN, workflow.Action.REGISTER):
            messages.error(request, "不支持的批量操作")
            return _back(request, reverse("cases:list"))
        ids = [int(x) for x in request.POST.getlist("ids") if x.isdigit()]
        cases = list(Case.objects.visible_to(request.user).filter(pk__in=ids))
        params = {}
        try:
            unit = _unit(request, "lead_unit")
        except DomainError as exc:
            messages.error(request, exc.message)
            return _back(request, reverse("cases:list"))
        if unit is not None:
            params["lead_unit"] = unit
        result = services.bulk_transition(actor=request.user, cases=cases, action=action, **params)
        label = workflow.Action(action).label
        if result.done:
            messages.success(request, f"批量{label}成功 {len(result.done)} 件")
        for number, message in result.failed:
            messages.error(request, f"{number}：{message}")
        if not cases:
            messages.error(request, "请先勾选案件")
        return _back(request, reverse("cases:list"))


class PhotoUploadView(RoleRequiredMixin, ScopedObjectMixin, View):
    model = Case

    def post(self, request, pk):
        case = self.get_object()
        try:
            uploads = request.FILES.getlist("photos")
            if not uploads:
                raise DomainError("请选择照片", field="photos")
            services.add_case_photos(actor=request.user, case=case, uploads=uploads)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "照片已上传")
        return redirect(reverse("cases:detail", args=[pk]))


class CaseExportView(RoleRequiredMixin, View):
    def get(self, request):
        queryset = Case.objects.visible_to(request.user).order_by("-id")
        filterset = CaseFilterSet(request.GET or None, queryset=queryset, request=request)
        if filterset.is_bound:
            if not filterset.is_valid():
                raise Http404("筛选条件无效")
            queryset = filterset.qs
        content = write_xlsx(
            title="问题整改台账", headers=LEDGER_COLUMNS, rows=ledger_rows(queryset), widths=LEDGER_WIDTHS
        )
        response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = (
            "attachment; filename*=UTF-8''%E9%97%AE%E9%A2%98%E6%95%B4%E6%94%B9%E5%8F%B0%E8%B4%A6.xlsx"
        )
        return response
