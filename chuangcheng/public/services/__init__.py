"""Writes of the public app, split by sub-domain; import from the submodules."""
