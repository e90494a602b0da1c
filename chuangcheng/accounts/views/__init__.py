"""Pages of the accounts app: signing in and out, the home page, and the office's account management."""

from chuangcheng.accounts.views.service_accounts import (
    ServiceAccountCreateView,
    ServiceAccountDetailView,
    ServiceAccountListView,
    TokenIssueView,
    TokenRevokeView,
    TokenRotateView,
)
from chuangcheng.accounts.views.session import HomeView, LoginView, LogoutView, PasswordChangeView, client_address
from chuangcheng.accounts.views.users import (
    UserActiveView,
    UserCreateView,
    UserDetailView,
    UserEditView,
    UserImportView,
    UserListView,
    UserPasswordResetView,
    UserRoleGrantView,
    UserRoleRevokeView,
)

__all__ = [
    "HomeView",
    "LoginView",
    "LogoutView",
    "PasswordChangeView",
    "ServiceAccountCreateView",
    "ServiceAccountDetailView",
    "ServiceAccountListView",
    "TokenIssueView",
    "TokenRevokeView",
    "TokenRotateView",
    "UserActiveView",
    "UserCreateView",
    "UserDetailView",
    "UserEditView",
    "UserImportView",
    "UserListView",
    "UserPasswordResetView",
    "UserRoleGrantView",
    "UserRoleRevokeView",
    "client_address",
]
