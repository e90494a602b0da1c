"""Pure predicates: the office configures endpoints, reads the exchange log and resends; the office
administrator also creates the endpoints' system accounts."""

from chuangcheng.accounts.permissions import is_office, is_office_admin


def can_manage_exchange(user) -> bool:
    return is_office(user)


def can_configure_endpoints(user) -> bool:
    return is_office_admin(user)


def can_send_case(user) -> bool:
    """转派外部系统 from a case page."""
    return is_office(user)
