"""Pages for campaigns, split by sub-domain."""
