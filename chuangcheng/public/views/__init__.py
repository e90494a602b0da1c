"""Pages of the public app, one module per sub-domain."""
