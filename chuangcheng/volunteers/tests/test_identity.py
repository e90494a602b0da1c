"""identity.py and hours.py (pure): ID numbers, phones, hour computation."""

from datetime import datetime, timedelta
from decimal import Decimal

import pytest

from chuangcheng.volunteers.hours import credited_hours, window_hours
from chuangcheng.volunteers.identity import check_phone, id_hash, parse_id_number
from chuangcheng.volunteers.tests.factories import id_number


def test_full_number_is_stored_masked_with_a_keyed_hash():
    number = id_number(1)
    parsed = parse_id_number(number.lower() if number.endswith("X") else number)
    assert parsed.masked == f"{number[:6]}********{number[-4:]}"
    assert parsed.hash == id_hash(number) and len(parsed.hash) == 64
    assert number not in parsed.hash and parsed.verified


def test_hash_depends_on_the_secret(settings):
    before = id_hash(id_number(1))
    settings.SECRET_KEY = "another-secret-key-for-the-test-only-0123456789"
    assert id_hash(id_number(1)) != before


def test_masked_number_is_accepted_without_hash():
    parsed = parse_id_number("340602********1234")
    assert parsed.masked == "340602********1234" and parsed.hash == "" and not parsed.verified


@pytest.mark.parametrize(
    "text, reason",
    [
        ("", "请填写身份证号"),
        ("340602900101123", "请填写18位身份证号"),
        ("34060219900101123", "应为18位"),
        ("3406021990010112A3", "应为18位"),
        ("34060219901301001", "应为18位"),
        ("3406**1234", "已脱敏的身份证号应为18位"),
    ],
)
def test_bad_numbers_are_refused_with_a_reason(text, reason):
    with pytest.raises(ValueError, match=reason):
        parse_id_number(text)


def test_wrong_check_character_and_impossible_birth_date():
    good = id_number(7)
    wrong = good[:17] + ("0" if good[17] != "0" else "1")
    with pytest.raises(ValueError, match="校验位"):
        parse_id_number(wrong)
    with pytest.raises(ValueError, match="出生日期"):
        parse_id_number(id_number(7, born="19900231"))


def test_phones():
    assert check_phone("138 0000 0001") == "13800000001"
    assert check_phone("+8613800000001") == "13800000001"
    assert check_phone("138****0001") == "138****0001"
    for bad in ("", "12345", "23800000001"):
        with pytest.raises(ValueError):
            check_phone(bad)


T0 = datetime(2026, 5, 9, 8, 0)


@pytest.mark.parametrize(
    "check_in, check_out, cap, expected",
    [
        (T0, T0 + timedelta(hours=2, minutes=59), 3, "2.9"),  # rounded down to a tenth
        (T0 - timedelta(minutes=40), T0 + timedelta(hours=1), 3, "1.0"),  # early arrival does not count
        (T0 + timedelta(hours=1), T0 + timedelta(hours=5), 3, "2.0"),  # after the end does not count
        (T0, T0 + timedelta(hours=3), Decimal("2.5"), "2.5"),  # capped
        (T0, None, 3, "0.0"),  # no sign-out, no hours
        (T0 + timedelta(hours=4), T0 + timedelta(hours=5), 3, "0.0"),  # wholly outside the window
    ],
)
def test_credited_hours(check_in, check_out, cap, expected):
    hours = credited_hours(
        checked_in_at=check_in, checked_out_at=check_out, starts_at=T0, ends_at=T0 + timedelta(hours=3), cap=cap
    )
    assert hours == Decimal(expected)


def test_window_hours_rounds_up():
    assert window_hours(T0, T0 + timedelta(minutes=100)) == Decimal("1.7")
