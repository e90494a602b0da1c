"""Values kept per process under a version token (``core.cache.Kept``), and the scopes kept that way: a
membership or unit change reaches the next request; a change still uncommitted (it may roll back) is never kept."""

import pytest
from django.db import transaction

from chuangcheng.accounts import services as accounts
from chuangcheng.accounts.models import Role, User
from chuangcheng.accounts.tests.factories import UserFactory, user_with_role
from chuangcheng.core.cache import Kept
from chuangcheng.core.scoping import scope_of
from chuangcheng.core.testing import assert_max_queries
from chuangcheng.org.models import UnitKind
from chuangcheng.org.tests.factories import UnitFactory


class Counter:
    def __init__(self):
        self.calls = 0

    def __call__(self):
        self.calls += 1
        return self.calls


@pytest.mark.django_db(transaction=True)
def test_kept_value_until_changed():
    kept, compute = Kept("test:kept"), Counter()
    assert kept.get("a", compute) == 1
    assert kept.get("a", compute) == 1
    kept.changed()
    assert kept.get("a", compute) == 2
    assert kept.get_many(["a", "b"], lambda keys: {key: key * 2 for key in keys}) == {"a": 2, "b": "bb"}


@pytest.mark.django_db(transaction=True)
def test_value_computed_during_an_uncommitted_change_is_not_kept():
    kept, compute = Kept("test:kept"), Counter()
    with pytest.raises(RuntimeError), transaction.atomic():
        kept.changed()
        assert kept.get("a", compute) == 1
        assert kept.get("a", compute) == 2  # not kept: the change may roll back
        raise RuntimeError("rolled back")
    assert kept.get("a", compute) == 3
    assert kept.get("a", compute) == 3


@pytest.mark.django_db(transaction=True)
def test_scope_kept_per_process_and_renewed_by_membership_changes():
    city = UnitFactory(code="C", name="市", kind=UnitKind.CITY)
    street = UnitFactory(code="S", name="街道", kind=UnitKind.STREET, parent=city)
    other = UnitFactory(code="T", name="另一街道", kind=UnitKind.STREET, parent=city)
    admin = user_with_role(Role.OFFICE_ADMIN, city)
    user = user_with_role(Role.UNIT_HANDLER, street)
    assert scope_of(User.objects.get(pk=user.pk)).unit_ids == {street.pk}
    with assert_max_queries(0):  # kept: a new request's user object reads no membership
        assert scope_of(User(pk=user.pk)).unit_ids == {street.pk}
    accounts.grant_role(actor=admin, user=user, unit=other, role=Role.UNIT_HANDLER)
    assert scope_of(User.objects.get(pk=user.pk)).unit_ids == {street.pk, other.pk}
    membership = user.memberships.get(unit=other)
    accounts.revoke_role(actor=admin, membership=membership)
    assert scope_of(User.objects.get(pk=user.pk)).unit_ids == {street.pk}
    street.is_active = False
    street.save()  # a unit change (here: deactivated) renews scopes as well
    assert scope_of(User.objects.get(pk=user.pk)).unit_ids == frozenset()


@pytest.mark.django_db(transaction=True)
def test_superuser_flag_is_part_of_the_kept_scope():
    user = UserFactory()
    assert not scope_of(User.objects.get(pk=user.pk)).sees_all
    User.objects.filter(pk=user.pk).update(is_superuser=True)
    assert scope_of(User.objects.get(pk=user.pk)).sees_all
