"""Registry services: registration, duplicate ID numbers (full and masked), updates, teams, rights."""

import pytest

from chuangcheng.audit.models import AuditEvent
from chuangcheng.core.errors import DomainError, NotPermitted
from chuangcheng.volunteers import services
from chuangcheng.volunteers.models import Volunteer, VolunteerStatus
from chuangcheng.volunteers.tests.factories import VolunteerFactory, id_number


def _register(world, actor=None, **kw):
    data = {"name": "张三", "phone": "13800000001", "id_number": id_number(1), "unit": world["east_community"]}
    return services.register_volunteer(actor=actor or world["community_worker"], **(data | kw))


def test_register_stores_only_the_masked_number_and_the_hash(world):
    number = id_number(1)
    volunteer = _register(world)
    stored = Volunteer.objects.filter(pk=volunteer.pk).values().get()
    assert number not in str(stored)
    assert volunteer.id_masked == f"{number[:6]}********{number[-4:]}" and volunteer.id_verified
    assert volunteer.phone_masked == "138****0001"
    event = AuditEvent.objects.get(verb="volunteers.volunteer_registered")
    assert number not in str(event.changes)


def test_duplicate_id_number_is_refused_naming_the_field(world):
    _register(world)
    with pytest.raises(DomainError) as caught:
        _register(world, name="张三丰", phone="13800000002", actor=world["admin"], unit=world["west_community"])
    assert caught.value.field == "id_number"
    assert "身份证号" in caught.value.message and "已登记" in caught.value.message and "张三" in caught.value.message
    assert Volunteer.objects.count() == 1


def test_masked_number_duplicates_by_name_and_masked_form(world):
    number = id_number(1)
    _register(world)
    masked = f"{number[:6]}********{number[-4:]}"
    with pytest.raises(DomainError, match="疑似重复"):
        _register(world, id_number=masked, phone="13800000009")
    other = _register(world, name="李四", id_number=masked, phone="13800000009")  # another name: accepted
    assert not other.id_verified
    with pytest.raises(DomainError, match="疑似重复"):
        _register(world, name="李四", id_number=masked, phone="13800000010")


def test_full_number_matching_a_masked_record_is_a_suspected_duplicate(world):
    number = id_number(5)
    _register(world, name="王五", id_number=f"{number[:6]}********{number[-4:]}")
    with pytest.raises(DomainError, match="疑似重复"):
        _register(world, name="王五", id_number=number)


@pytest.mark.parametrize(
    "field, value, message",
    [("name", " ", "请填写姓名"), ("phone", "123", "手机号"), ("id_number", "123", "身份证号")],
)
def test_bad_input_names_the_field(world, field, value, message):
    with pytest.raises(DomainError) as caught:
        _register(world, **{field: value})
    assert caught.value.field == field and message in caught.value.message


def test_rights_follow_the_unit_tree(world):
    assert _register(world, actor=world["street_head"]).unit == world["east_community"]
    with pytest.raises(NotPermitted):
        _register(world, actor=world["west_head"], id_number=id_number(2))
    with pytest.raises(NotPermitted):
        _register(world, actor=world["leader"], id_number=id_number(3))
    with pytest.raises(NotPermitted):
        _register(world, actor=world["inspector"], id_number=id_number(4))


def test_update_changes_fields_and_refuses_a_taken_number(world):
    volunteer = _register(world)
    other = VolunteerFactory(unit=world["east_community"])
    updated = services.update_volunteer(
        actor=world["street_head"], volunteer=volunteer, phone="13900000000", status=VolunteerStatus.PAUSED
    )
    assert updated.phone == "13900000000" and updated.status == VolunteerStatus.PAUSED
    event = AuditEvent.objects.filter(verb="volunteers.volunteer_updated").get()
    assert event.changes["status"] == ["active", "paused"]
    with pytest.raises(DomainError) as caught:
        services.update_volunteer(actor=world["admin"], volunteer=other, id_number=id_number(1))
    assert caught.value.field == "id_number"
    with pytest.raises(NotPermitted):  # moving needs rights over the new unit too
        services.update_volunteer(actor=world["street_head"], volunteer=volunteer, unit=world["west_community"])
    with pytest.raises(DomainError):
        services.update_volunteer(actor=world["admin"], volunteer=volunteer, id_hash="x")


def test_teams_leader_is_a_member_and_names_are_unique(world):
    a, b, c = (VolunteerFactory(unit=world["east_community"]) for _ in range(3))
    team = services.create_team(
        actor=world["street_head"], name="春秋社区志愿服务队", unit=world["east_street"], leader=a, members=[b]
    )
    assert set(team.members.all()) == {a, b} and team.leader == a
    with pytest.raises(DomainError, match="同名"):
        services.create_team(actor=world["admin"], name="春秋社区志愿服务队", unit=world["east_street"])
    services.set_team_members(actor=world["street_head"], team=team, members=[c], leader=c)
    assert set(team.members.all()) == {c}
    event = AuditEvent.objects.filter(verb="volunteers.team_members_set").get()
    assert sorted(event.changes["removed"][1]) == sorted([a.pk, b.pk])
    stranger = VolunteerFactory(unit=world["west_community"])
    with pytest.raises(DomainError, match="管理范围"):
        services.set_team_members(actor=world["street_head"], team=team, members=[stranger])
