"""``?format=geojson``: list and detail responses as GeoJSON (FeatureCollection / Feature)."""

from rest_framework.renderers import JSONRenderer


def feature(item: dict) -> dict:
    properties = dict(item)
    geometry = properties.pop("geometry", None)
    line = properties.get("line")
    if geometry is None and line:
        geometry = line
    if geometry is None and properties.get("lng") is not None and properties.get("lat") is not None:
        geometry = {"type": "Point", "coordinates": [properties["lng"], properties["lat"]]}
    return {"type": "Feature", "id": properties.get("id"), "geometry": geometry, "properties": properties}


class GeoJSONRenderer(JSONRenderer):
    media_type = "application/geo+json"
    format = "geojson"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        response = (renderer_context or {}).get("response")
        if response is not None and response.status_code >= 400:
            return super().render(data, accepted_media_type, renderer_context)
        if isinstance(data, dict) and "results" in data:
            body = {
                "type": "FeatureCollection",
                "count": data.get("count"),
                "next": data.get("next"),
                "previous": data.get("previous"),
                "features": [feature(item) for item in data["results"]],
            }
        elif isinstance(data, list):
            body = {"type": "FeatureCollection", "features": [feature(item) for item in data]}
        elif isinstance(data, dict) and "id" in data:
            body = feature(data)
        else:
            body = data
        return super().render(body, accepted_media_type, renderer_context)
