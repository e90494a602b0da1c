"""身份证号 and phone handling for the registry (pure).

- A full 18-character number (GB 11643: 17 digits and a check character, a real birth date) is stored as
  ``mask_id`` (first six and last four kept) and ``id_hash``, an HMAC-SHA256 with the installation's
  secret (``public.privacy.keyed_hash``, the product's one keyed hash); the full number is never stored.
- A number already masked by another system (``110101********1234``: 18 characters, digits/X and ``*``)
  cannot be hashed. It is accepted and stored as given, with no hash (shown as 待核实), and de-duplicated
  by (姓名, masked number) instead: a registration whose name and masked form equal another volunteer's
  (masked or full) is refused as a suspected duplicate. Two different people with the same name, the same
  region code and the same last four are refused too; the office registers the full number to tell them apart.
  Rotating ``SECRET_KEY`` changes every hash: re-hashing needs the numbers and cannot be done from stored data.
- Phones: an 11-digit mobile, or one masked by another system (``138****5678``; stored, but the volunteer
  cannot use self sign-in, which matches the phone). Phones are shown masked everywhere (pages, exports).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from chuangcheng.public.privacy import is_mobile, keyed_hash, mask_phone, normalise_phone

__all__ = ["IdNumber", "check_phone", "id_hash", "mask_phone", "parse_id_number"]

_FULL = re.compile(r"^\d{17}[\dX]$")
_MASKED = re.compile(r"^[\dX*]{18}$")
_MASKED_PHONE = re.compile(r"^1\d{2}\*{4}\d{4}$")
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"


@dataclass(frozen=True)
class IdNumber:
    masked: str
    hash: str  # empty when the number came masked

    @property
    def verified(self) -> bool:
        return bool(self.hash)


def with_check_character(body: str) -> str:
    """The 18-character number whose first 17 digits are ``body`` (GB 11643 check character appended)."""
    return body + _CHECK[sum(int(d) * w for d, w in zip(body, _WEIGHTS, strict=True)) % 11]


def id_hash(number: str) -> str:
    return keyed_hash("volunteer-id", number)


def mask_id(number: str) -> str:
    return f"{number[:6]}{'*' * 8}{number[-4:]}"


def parse_id_number(text: str) -> IdNumber:
    """The stored form of an ID number; ``ValueError`` with the Chinese reason when it is not one."""
    number = re.sub(r"\s", "", text or "").upper().replace("＊", "*")
    if not number:
        raise ValueError("请填写身份证号")
    if "*" in number:
        if not _MASKED.match(number) or number.count("*") > 12:
            raise ValueError("已脱敏的身份证号应为18位（如 110101********1234）")
        return IdNumber(masked=number, hash="")
    if len(number) == 15:
        raise ValueError("请填写18位身份证号（15位旧号码请换算为18位）")
    if not _FULL.match(number):
        raise ValueError("身份证号应为18位数字（最后一位可为X）")
    if with_check_character(number[:17]) != number:
        raise ValueError("身份证号校验位不正确，请核对")
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise ValueError("身份证号中的出生日期不存在，请核对") from None
    if born.year < 1900 or born > date.today():
        raise ValueError("身份证号中的出生日期不合理，请核对")
    return IdNumber(masked=mask_id(number), hash=id_hash(number))


def check_phone(text: str) -> str:
    """The stored phone: a normalised mobile or a masked one; ``ValueError`` otherwise."""
    phone = normalise_phone(text or "")
    if not phone:
        raise ValueError("请填写手机号")
    if is_mobile(phone) or _MASKED_PHONE.match(phone):
        return phone
    raise ValueError("手机号应为11位手机号码")


def phone_is_masked(phone: str) -> bool:
    return "*" in (phone or "")
