"""Pure predicates: who may moderate, run surveys, import 12345 orders and manage Open311 keys."""

from chuangcheng.accounts.permissions import is_office, is_office_admin


def can_moderate(user) -> bool:
    return is_office(user)


def can_manage_surveys(user) -> bool:
    return is_office(user)


def can_import_hotline(user) -> bool:
    return is_office(user)


def can_manage_api_keys(user) -> bool:
    return is_office_admin(user)


def can_collect_surveys(user) -> bool:
    """入户 surveyors: the office, or an inspector (督查员) of a unit the survey belongs to."""
    from chuangcheng.accounts.models import Role
    from chuangcheng.core.scoping import scope_of

    return is_office(user) or scope_of(user).has_role(Role.INSPECTOR)
