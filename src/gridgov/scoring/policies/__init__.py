"""Credit policies shipped with gridgov (TOML data files read with importlib.resources)."""
