from django.urls import path
from django.views.generic import RedirectView

from chuangcheng.accounts import views

app_name = "accounts"
urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("login/", views.LoginView.as_view(), name="login"),
    # Django's default address for signing in, which people and tools try first: the one login page.
    path("accounts/login/", RedirectView.as_view(pattern_name="accounts:login", query_string=True)),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("users/", views.UserListView.as_view(), name="user_list"),
    path("users/new/", views.UserCreateView.as_view(), name="user_create"),
    path("users/import/", views.UserImportView.as_view(), name="user_import"),
    path("users/<int:pk>/", views.UserDetailView.as_view(), name="user_detail"),
    path("users/<int:pk>/edit/", views.UserEditView.as_view(), name="user_edit"),
    path("users/<int:pk>/roles/", views.UserRoleGrantView.as_view(), name="user_role_grant"),
    path(
        "users/<int:pk>/roles/<int:membership_pk>/revoke/", views.UserRoleRevokeView.as_view(), name="user_role_revoke"
    ),
    path("users/<int:pk>/active/", views.UserActiveView.as_view(), name="user_active"),
    path("users/<int:pk>/password/", views.UserPasswordResetView.as_view(), name="user_password_reset"),
    path("users/service/", views.ServiceAccountListView.as_view(), name="service_account_list"),
    path("users/service/new/", views.ServiceAccountCreateView.as_view(), name="service_account_create"),
    path("users/service/<int:pk>/", views.ServiceAccountDetailView.as_view(), name="service_account_detail"),
    path("users/service/<int:pk>/tokens/", views.TokenIssueView.as_view(), name="service_token_issue"),
    path(
        "users/service/<int:pk>/tokens/<int:token_pk>/rotate/",
        views.TokenRotateView.as_view(),
        name="service_token_rotate",
    ),
    path(
        "users/service/<int:pk>/tokens/<int:token_pk>/revoke/",
        views.TokenRevokeView.as_view(),
        name="service_token_revoke",
    ),
]
