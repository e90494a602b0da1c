"""Password rules of our own, beside Django's (see ``AUTH_PASSWORD_VALIDATORS``)."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError

_NOT_ALNUM = re.compile(r"[\W_]+", re.UNICODE)


def _letters_and_digits(text: str) -> str:
    return _NOT_ALNUM.sub("", text).casefold()


class UsernamePlusDigitsValidator:
    """Refuses a password made of the username plus digits (``zhangsan2026``, ``2026Zhangsan!``, ``wg01@123``).

    Symbols and case are ignored; what is left once the username is taken out must not be digits only. Django's
    similarity check misses these when the digits make the password long enough.
    """

    message = "密码不能由用户名加数字组成，请换一个更难猜的密码"

    def validate(self, password: str, user=None) -> None:
        username = _letters_and_digits(getattr(user, "username", "") or "")
        core = _letters_and_digits(password or "")
        if not username or username not in core:
            return
        rest = core.replace(username, "", 1)
        if rest == "" or rest.isdigit():
            raise ValidationError(self.message, code="password_username_digits")

    def get_help_text(self) -> str:
        return "密码不能是用户名加数字（如 zhangsan123）"
