"""Open311 GeoReport v2 server (mounted at /open311/v2/ and at /public/open311/v2/)."""
