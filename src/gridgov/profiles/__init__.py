"""Locality profiles shipped with gridgov (TOML data files; see gridgov.org.profiles)."""
