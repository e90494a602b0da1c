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
