import factory

from chuangcheng.org.models import Unit, UnitKind


class UnitFactory(factory.django.DjangoModelFactory):
    """Units get a correct materialised path from their parent after insert."""

    class Meta:
        model = Unit
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"U{n:05d}")
    name = factory.Sequence(lambda n: f"测试单位{n}")
    kind = UnitKind.DEPARTMENT
    parent = None
    path = "/"

    @factory.post_generation
    def place(obj, create, extracted, **kwargs):
        if create:
            obj.path = f"{obj.parent.path if obj.parent else '/'}{obj.pk}/"
            obj.depth = obj.path.count("/") - 2
            obj.save(update_fields=["path", "depth"])
