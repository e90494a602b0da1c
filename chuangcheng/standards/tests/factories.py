import factory

from chuangcheng.standards.models import (
    CheckItem,
    Clause,
    ClauseLevel,
    Indicator,
    MaterialRequirement,
    SamplingQuota,
    Standard,
    StandardKind,
    StandardStatus,
)


class TreeRowFactory(factory.django.DjangoModelFactory):
    """Rows may be added to a published standard in tests (the model guard is bypassed here only)."""

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        manager = cls._get_manager(model_class)
        instance = model_class(*args, **kwargs)
        instance._allow_published_save = True
        instance.save(using=manager.db)
        del instance._allow_published_save
        return instance


class StandardFactory(factory.django.DjangoModelFactory):
    """A draft by default; pass ``status=StandardStatus.PUBLISHED`` for a published one."""

    class Meta:
        model = Standard

    kind = StandardKind.SANITARY_CITY
    code = factory.Sequence(lambda n: f"STD{n:04d}")
    name = factory.Sequence(lambda n: f"测试标准{n}")
    version = "2026"
    status = StandardStatus.DRAFT


class ClauseFactory(TreeRowFactory):
    class Meta:
        model = Clause

    standard = factory.SubFactory(StandardFactory)
    level = ClauseLevel.ARTICLE
    number = factory.Sequence(lambda n: f"C{n}")
    title = factory.Sequence(lambda n: f"条款{n}")


class CheckItemFactory(TreeRowFactory):
    class Meta:
        model = CheckItem
        skip_postgeneration_save = True

    standard = factory.SubFactory(StandardFactory)
    clause = factory.SubFactory(ClauseFactory, standard=factory.SelfAttribute("..standard"))
    code = factory.Sequence(lambda n: f"K{n:04d}")
    title = factory.Sequence(lambda n: f"检查项{n}")
    points = 1

    @factory.post_generation
    def site_categories(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.site_categories.set(extracted)


class IndicatorFactory(TreeRowFactory):
    class Meta:
        model = Indicator

    standard = factory.SubFactory(StandardFactory)
    code = factory.Sequence(lambda n: f"I{n:04d}")
    name = factory.Sequence(lambda n: f"指标{n}")
    unit = "%"
    operator = ">="
    threshold = 90


class MaterialRequirementFactory(TreeRowFactory):
    class Meta:
        model = MaterialRequirement

    standard = factory.SubFactory(StandardFactory)
    title = factory.Sequence(lambda n: f"材料{n}")
    years = 3


class SamplingQuotaFactory(TreeRowFactory):
    class Meta:
        model = SamplingQuota

    standard = factory.SubFactory(StandardFactory)
    category_name = factory.Sequence(lambda n: f"检查对象{n}")
    min_samples_small = 1
    min_samples_medium = 2
    min_samples_large = 3
