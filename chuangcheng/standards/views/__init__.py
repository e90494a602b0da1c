"""Pages of the standards app, split by sub-domain."""
