"""Pages of 调度会/推进会: list, call, the meeting page with its roll, attendance and decisions."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse

from chuangcheng.campaigns import permissions, services
from chuangcheng.campaigns.filters import MeetingFilterSet
from chuangcheng.campaigns.meeting_forms import DecisionForm, MeetingForm
from chuangcheng.campaigns.meeting_models import AttendanceStatus, Meeting
from chuangcheng.campaigns.meeting_selectors import meeting_roll
from chuangcheng.campaigns.views.responsibility import OFFICE, FormPageMixin
from chuangcheng.core.errors import DomainError, ValidationFailed
from chuangcheng.core.views import ScopedDetailView, ScopedListView, ServiceFormView

MEETING_ROLES = ("office_admin", "office_staff", "leader", "unit_head", "unit_handler")


class MeetingListView(ScopedListView):
    model = Meeting
    filterset_class = MeetingFilterSet
    template_name = "campaigns/meeting_list.html"
    required_roles = MEETING_ROLES

    def get_queryset(self):
        return super().get_queryset().select_related("unit")

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"can_manage": permissions.can_manage_meetings(self.request.user)}


class MeetingCreateView(FormPageMixin, ServiceFormView):
    form_class = MeetingForm
    template_name = "campaigns/form.html"
    required_roles = OFFICE
    success_message = "会议已安排"
    title = "安排调度会/推进会"
    back_name = "campaigns:meeting_list"

    def perform(self, form):
        return services.create_meeting(actor=self.request.user, **form.cleaned_data)

    def get_success_url(self):
        return reverse("campaigns:meeting_detail", args=[self.object.pk])


class MeetingDetailView(ScopedDetailView):
    model = Meeting
    template_name = "campaigns/meeting_detail.html"
    required_roles = MEETING_ROLES

    def get_queryset(self):
        return super().get_queryset().select_related("unit")

    def get_context_data(self, **kwargs):
        meeting, user = self.object, self.request.user
        roll = meeting_roll(meeting)
        attendees = kwargs.pop("attendees", None) or sorted(
            (a for rows in roll.values() for a in rows), key=lambda a: (a.sort_order, a.pk)
        )
        return super().get_context_data(**kwargs) | {
            "attendees": attendees,
            "absent": roll[AttendanceStatus.ABSENT],
            "late": roll[AttendanceStatus.LATE],
            "leave": roll[AttendanceStatus.LEAVE],
            "statuses": AttendanceStatus.choices,
            "decisions": meeting.decisions.select_related("unit", "task", "notice"),
            "can_manage": permissions.can_run_meeting(user, meeting),
            "decision_form": kwargs.get("decision_form") or DecisionForm(user=user),
        }


class MeetingAttendanceView(MeetingDetailView):
    """POST one status (and reason) per invitee: ``status-<id>``, ``reason-<id>``; all or nothing."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        self.object = meeting = self.get_object()
        attendees = sorted(
            (a for rows in meeting_roll(meeting).values() for a in rows), key=lambda a: (a.sort_order, a.pk)
        )
        entries = []
        for attendee in attendees:
            attendee.status = request.POST.get(f"status-{attendee.pk}", attendee.status)
            attendee.reason = request.POST.get(f"reason-{attendee.pk}", attendee.reason)
            entries.append({"attendee": attendee.pk, "status": attendee.status, "reason": attendee.reason})
        try:
            services.record_attendance(actor=request.user, meeting=meeting, entries=entries)
        except DomainError as exc:
            if exc.status_code == 403:
                raise PermissionDenied(exc.message) from exc
            errors = exc.errors if isinstance(exc, ValidationFailed) else {exc.field: [exc.message]}
            context = self.get_context_data(attendees=attendees)
            context["attendance_errors"] = [message for items in errors.values() for message in items]
            return self.render_to_response(context, status=400)
        messages.success(request, "考勤已登记")
        return redirect("campaigns:meeting_detail", meeting.pk)


class MeetingDecisionView(MeetingDetailView):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        self.object = meeting = self.get_object()
        form = DecisionForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                services.add_meeting_decision(actor=request.user, meeting=meeting, **form.cleaned_data)
            except DomainError as exc:
                if exc.status_code == 403:
                    raise PermissionDenied(exc.message) from exc
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, "议定事项已记录")
                return redirect("campaigns:meeting_detail", meeting.pk)
        return self.render_to_response(self.get_context_data(decision_form=form), status=400)
