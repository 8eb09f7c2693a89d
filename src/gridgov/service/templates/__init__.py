"""Workflow templates shipped with gridgov (TOML files; see :mod:`gridgov.service.workflow`)."""
