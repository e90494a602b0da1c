"""API authentication by a service account's scoped token.

``Authorization: Bearer cct_…`` (or ``Token cct_…``). Other ``Token`` values are left to
``TokenAuthentication`` below (DRF's, its lookup by ``core.fetch``), which follows this class in
``DEFAULT_AUTHENTICATION_CLASSES``.

Scopes are checked here, once, for every API view, so no view can forget them:
- a view declares ``token_scopes``: a string (the scope for every method) or a pair
  ``(read_scope, write_scope)`` (GET/HEAD/OPTIONS need the first, other methods the second);
- views that declare nothing fall back to ``PATH_SCOPES`` below (by URL prefix);
- a view with neither refuses every token (403, naming the missing scope).
A token's *data* scope is its account's memberships: objects outside them answer 404 like for a person
(the scoped querysets do that), whereas a missing scope on an endpoint answers 403.
An unknown, revoked or expired token answers 401 with ``WWW-Authenticate: Bearer``.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions, status
from rest_framework.authtoken.models import Token

from chuangcheng.accounts.models import ApiToken, TokenScope
from chuangcheng.accounts.service_accounts import TOKEN_PREFIX, hash_token, touch_token
from chuangcheng.core.fetch import Select

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
ANY_TOKEN = "*"
# Endpoints of apps that predate tokens, by URL prefix (first match wins).
PATH_SCOPES: tuple[tuple[str, str | tuple[str, str]], ...] = (
    ("/api/v1/me/", ANY_TOKEN),
    ("/api/v1/cases/", (TokenScope.CASES_READ, TokenScope.CASES_WRITE)),
)


class InvalidToken(exceptions.APIException):
    """401 (not DRF's AuthenticationFailed, which becomes 403 behind session authentication)."""

    status_code = status.HTTP_401_UNAUTHORIZED
    default_detail = "API 令牌无效、已吊销或已过期"
    default_code = "invalid_token"
    auth_header = 'Bearer realm="api", error="invalid_token"'


class MissingScope(exceptions.PermissionDenied):
    default_code = "insufficient_scope"


def required_scope(view, method: str, path: str) -> str | None:
    """The scope a request needs (``ANY_TOKEN`` for any token, None: tokens are not accepted)."""
    declared = getattr(view, "token_scopes", None)
    if declared is None:
        declared = next((scopes for prefix, scopes in PATH_SCOPES if path.startswith(prefix)), None)
    if declared is None or isinstance(declared, str):
        return declared
    read_scope, write_scope = declared
    return read_scope if method in SAFE_METHODS else write_scope


# Every API request by token reads its token and user: one SELECT written once per process (``core.fetch``).
SERVICE_TOKENS = Select(ApiToken, related=("user",))
PERSONAL_TOKENS = Select(Token, related=("user",))


class ServiceTokenAuthentication(authentication.BaseAuthentication):
    keywords = ("bearer", "token")

    def authenticate(self, request):
        parts = authentication.get_authorization_header(request).split()
        if len(parts) != 2 or parts[0].lower().decode("latin-1") not in self.keywords:
            return None
        try:
            raw = parts[1].decode("ascii")
        except UnicodeDecodeError as exc:
            raise InvalidToken() from exc
        if not raw.startswith(TOKEN_PREFIX):
            if parts[0].lower() == b"token":
                return None  # a DRF token: TokenAuthentication decides
            raise InvalidToken()
        token = SERVICE_TOKENS.first(f"{SERVICE_TOKENS.col('key_hash')} = %s", [hash_token(raw)])
        now = timezone.now()
        if token is None or not token.is_usable(now) or not token.user.is_active:
            raise InvalidToken()
        view = (getattr(request, "parser_context", None) or {}).get("view")
        needed = required_scope(view, request.method, request.path)
        if needed is None:
            raise MissingScope("此接口不接受 API 令牌访问")
        if needed != ANY_TOKEN and needed not in token.scopes:
            label = dict(TokenScope.choices).get(needed, needed)
            raise MissingScope(f"该令牌缺少权限范围“{needed}”（{label}）")
        touch_token(token=token, address=request.META.get("REMOTE_ADDR") or None)
        return token.user, token


class TokenAuthentication(authentication.TokenAuthentication):
    """DRF's ``Token`` authentication (same header, answers and messages) with its lookup by ``core.fetch``."""

    def authenticate_credentials(self, key):
        token = PERSONAL_TOKENS.first(f"{PERSONAL_TOKENS.col('key')} = %s", [key])
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        return (token.user, token)
