"""Pages for the working-day calendar (office only)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views import generic

from chuangcheng.accounts.models import OFFICE_ROLES
from chuangcheng.core import services
from chuangcheng.core.errors import DomainError
from chuangcheng.core.forms import WorkdayOverrideForm
from chuangcheng.core.models import WorkdayOverride
from chuangcheng.core.params import year_param
from chuangcheng.core.views import RoleRequiredMixin
from chuangcheng.core.workdays import official_years


class CalendarView(RoleRequiredMixin, generic.View):
    required_roles = tuple(OFFICE_ROLES)
    template_name = "core/calendar.html"

    def get(self, request, form=None, status=200):
        year = year_param(request.GET)
        rows = WorkdayOverride.objects.filter(date__year=year).order_by("date")
        return render(
            request,
            self.template_name,
            {
                "year": year,
                "rows": rows,
                "form": form or WorkdayOverrideForm(),
                "has_official": year in official_years(),
                "years": (year - 1, year, year + 1),
            },
            status=status,
        )

    def post(self, request):
        form = WorkdayOverrideForm(request.POST)
        if form.is_valid():
            try:
                services.set_workday_override(
                    actor=request.user,
                    day=form.cleaned_data["day"],
                    is_working_day=form.cleaned_data["is_working_day"],
                    name=form.cleaned_data["name"],
                )
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, "工作日历已调整")
                return redirect(f"{request.path}?year={form.cleaned_data['day'].year}")
        return self.get(request, form=form, status=400)


class CalendarDeleteView(RoleRequiredMixin, generic.View):
    required_roles = tuple(OFFICE_ROLES)

    def post(self, request, pk):
        override = WorkdayOverride.objects.filter(pk=pk).first()
        if override is None:
            raise Http404("对象不存在或无权访问")
        try:
            services.delete_workday_override(actor=request.user, override=override)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "已删除本地调整")
        return redirect(f"/calendar/?year={override.date.year}")
