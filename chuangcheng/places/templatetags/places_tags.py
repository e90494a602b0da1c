"""Template helpers for maps: the note that some boundaries shown are generated for the demo (演示)."""

from django import template

from chuangcheng.places.models import Area, GeometrySource

register = template.Library()


@register.inclusion_tag("places/_demo_boundary_note.html")
def demo_boundary_note():
    """Shown under a map when any area has a demo-generated shape (one EXISTS query)."""
    return {"show": Area.objects.filter(geometry_source=GeometrySource.DEMO).exists()}
