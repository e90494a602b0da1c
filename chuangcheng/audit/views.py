"""audit:index — the office's view of the audit chain: the last verification, its result, earlier runs."""

from django.contrib import messages
from django.shortcuts import redirect
from django.views import generic

from chuangcheng.accounts.models import OFFICE_ROLES
from chuangcheng.audit.models import AuditVerification
from chuangcheng.audit.services import pending_count
from chuangcheng.audit.verification import run_verification
from chuangcheng.core.views import RoleRequiredMixin


class IndexView(RoleRequiredMixin, generic.TemplateView):
    template_name = "audit/index.html"
    required_roles = tuple(OFFICE_ROLES)

    def get_context_data(self, **kwargs):
        runs = list(AuditVerification.objects.all()[:20])
        return super().get_context_data(**kwargs) | {
            "last": runs[0] if runs else None,
            "runs": runs,
            "pending": pending_count(),
        }

    def post(self, request):
        run = run_verification(actor=request.user)
        if run.ok:
            messages.success(request, f"校验通过：{run.checked} 条审计记录完整")
        else:
            messages.error(request, f"校验失败：发现 {len(run.problems)} 处异常")
        return redirect("audit:index")
