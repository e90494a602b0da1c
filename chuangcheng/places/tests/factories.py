import factory

from chuangcheng.places.geometry import area_m2, bbox, parse_polygon
from chuangcheng.places.models import Area, AreaLevel, Site, SiteCategory


def square(lng: float, lat: float, size: float = 0.01) -> dict:
    return {
        "type": "Polygon",
        "coordinates": [[[lng, lat], [lng + size, lat], [lng + size, lat + size], [lng, lat + size], [lng, lat]]],
    }


class SiteCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SiteCategory
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"cat{n}")
    name = factory.Sequence(lambda n: f"类别{n}")


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"A{n:05d}")
    name = factory.Sequence(lambda n: f"区域{n}")
    level = AreaLevel.GRID
    geometry = factory.LazyFunction(lambda: square(120.0, 30.0))

    @factory.post_generation
    def bounds(obj, create, extracted, **kwargs):
        """bbox and size follow the geometry, as the services keep them."""
        if obj.geometry:
            shape = parse_polygon(obj.geometry)
            obj.min_lng, obj.min_lat, obj.max_lng, obj.max_lat = bbox(shape)
            obj.area_m2 = area_m2(shape)
            if create:
                obj.save(update_fields=["min_lng", "min_lat", "max_lng", "max_lat", "area_m2"])


class SiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Site

    code = factory.Sequence(lambda n: f"S{n:06d}")
    name = factory.Sequence(lambda n: f"点位{n}")
    category = factory.SubFactory(SiteCategoryFactory)
    lng = 120.005
    lat = 30.005
