"""Registry pages: volunteers (list, register, edit, import, export, detail) and teams."""

from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse

from chuangcheng.core.tabular import XLSX_CONTENT_TYPE
from chuangcheng.core.views import (
    DetailFormPostMixin,
    ScopedDetailView,
    ScopedListView,
    ServiceFormView,
    TabularImportView,
)
from chuangcheng.volunteers import permissions, services
from chuangcheng.volunteers.filters import TeamFilterSet, VolunteerFilterSet
from chuangcheng.volunteers.forms import TeamForm, TeamMembersForm, VolunteerForm, VolunteerUpdateForm
from chuangcheng.volunteers.models import Team, Volunteer
from chuangcheng.volunteers.selectors import volunteers_with_hours
from chuangcheng.volunteers.services.imports import COLUMNS, REQUIRED
from chuangcheng.volunteers.views.common import PAGE_ROLES, FormPageMixin


class VolunteerListView(ScopedListView):
    model = Volunteer
    filterset_class = VolunteerFilterSet
    template_name = "volunteers/volunteer_list.html"
    required_roles = PAGE_ROLES

    def get_queryset(self):
        return volunteers_with_hours(super().get_queryset().select_related("unit", "area")).order_by(
            "unit__path", "name", "id"
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"can_manage": permissions.can_manage_any(self.request.user)}


class VolunteerExportView(VolunteerListView):
    def get(self, request, *args, **kwargs):
        content = services.export_volunteer_rows(super().get_queryset())
        response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = (
            "attachment; filename*=UTF-8''%E5%BF%97%E6%84%BF%E8%80%85%E5%90%8D%E5%86%8C.xlsx"
        )
        return response


class VolunteerCreateView(FormPageMixin, ServiceFormView):
    form_class = VolunteerForm
    title = "登记志愿者"
    success_message = "志愿者已登记"

    def perform(self, form):
        return services.register_volunteer(actor=self.request.user, **form.cleaned_data)

    def get_success_url(self):
        return reverse("volunteers:volunteer_detail", args=[self.object.pk])


class VolunteerDetailView(ScopedDetailView):
    model = Volunteer
    template_name = "volunteers/volunteer_detail.html"
    required_roles = PAGE_ROLES

    def get_queryset(self):
        return super().get_queryset().select_related("unit", "area")

    def get_context_data(self, **kwargs):
        volunteer = self.object
        rows = volunteer.participations.select_related("activity").order_by("-activity__starts_at")
        return super().get_context_data(**kwargs) | {
            "participations": rows,
            "total_hours": sum((p.effective_hours for p in rows if p.checked_in_at), 0),
            "teams": volunteer.teams.all(),
            "can_manage": permissions.can_manage_unit(self.request.user, volunteer.unit_id),
        }


class VolunteerUpdateView(FormPageMixin, ServiceFormView):
    form_class = VolunteerUpdateForm
    title = "修改志愿者信息"
    success_message = "已保存"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.volunteer = get_object_or_404(Volunteer.objects.visible_to(request.user), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        v = self.volunteer
        return {
            "name": v.name,
            "phone": v.phone,
            "unit": v.unit_id,
            "area": v.area_id,
            "skills": v.skills,
            "joined_on": v.joined_on,
            "note": v.note,
            "status": v.status,
        }

    def perform(self, form):
        data = dict(form.cleaned_data)
        return services.update_volunteer(actor=self.request.user, volunteer=self.volunteer, **data)

    def get_success_url(self):
        return reverse("volunteers:volunteer_detail", args=[self.object.pk])


class VolunteerImportView(TabularImportView):
    required_roles = ("office_admin", "office_staff", "unit_head", "unit_handler", "grid_worker")
    title = "导入志愿者"
    columns = COLUMNS
    required = "、".join(REQUIRED)
    back = "volunteers:volunteer_list"
    success = "已导入 {count} 名志愿者"

    def run(self, upload):
        return services.import_volunteers(actor=self.request.user, data=upload.read(), filename=upload.name)


class TeamListView(ScopedListView):
    model = Team
    filterset_class = TeamFilterSet
    template_name = "volunteers/team_list.html"
    required_roles = PAGE_ROLES

    def get_queryset(self):
        queryset = super().get_queryset().select_related("unit", "leader")
        return queryset.annotate(member_count=Count("members")).order_by("unit__path", "name")

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"can_manage": permissions.can_manage_any(self.request.user)}


class TeamCreateView(FormPageMixin, ServiceFormView):
    form_class = TeamForm
    title = "新建志愿服务队"
    back_name = "volunteers:team_list"
    success_message = "队伍已建立"

    def perform(self, form):
        return services.create_team(actor=self.request.user, **form.cleaned_data)

    def get_success_url(self):
        return reverse("volunteers:team_detail", args=[self.object.pk])


class TeamDetailView(DetailFormPostMixin, ScopedDetailView):
    model = Team
    template_name = "volunteers/team_detail.html"
    required_roles = PAGE_ROLES
    success_message = "队员已更新"

    def get_queryset(self):
        return super().get_queryset().select_related("unit", "leader")

    def post_form_class(self, data, files=None):
        return TeamMembersForm(data, files, user=self.request.user)

    def perform(self, form):
        services.set_team_members(
            actor=self.request.user,
            team=self.object,
            members=form.cleaned_data["members"],
            leader=form.cleaned_data["leader"],
        )

    def get_context_data(self, **kwargs):
        team = self.object
        form = kwargs.pop("form", None) or TeamMembersForm(
            user=self.request.user, initial={"leader": team.leader_id, "members": list(team.members.all())}
        )
        return super().get_context_data(**kwargs) | {
            "members": team.members.select_related("unit").order_by("name"),
            "form": form,
            "can_manage": permissions.can_manage_unit(self.request.user, team.unit_id),
        }
