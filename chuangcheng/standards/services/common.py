"""Helpers shared by the standards services."""

from __future__ import annotations

from chuangcheng.core.errors import DomainError, NotPermitted
from chuangcheng.standards.models import Standard, StandardStatus
from chuangcheng.standards.permissions import can_edit_standards


def require_editor(actor) -> None:
    """``actor=None`` is the system (built-in loader); people must be the office."""
    if actor is not None and not can_edit_standards(actor):
        raise NotPermitted("只有创建办可以维护标准")


def lock_draft(standard: Standard) -> Standard:
    """Re-read the standard under a row lock and refuse anything but a draft."""
    locked = Standard.objects.select_for_update(no_key=True).get(pk=standard.pk)
    if locked.status != StandardStatus.DRAFT:
        raise DomainError("已发布的标准版本不可修改，请基于它新建草稿", field="standard")
    return locked
