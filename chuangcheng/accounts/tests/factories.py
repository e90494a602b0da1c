import factory

from chuangcheng.accounts.models import Membership, Role, User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"测试用户{n}")
    password = factory.PostGenerationMethodCall("set_password", "Test-pass-2026")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    unit = factory.SubFactory("chuangcheng.org.tests.factories.UnitFactory")
    role = Role.UNIT_HANDLER


def user_with_role(role: str, unit, **kwargs) -> User:
    user = UserFactory(**kwargs)
    MembershipFactory(user=user, unit=unit, role=role)
    return user
