"""Tests for gridgov.report.model: computed fields and a lossless JSON round trip."""

from __future__ import annotations

from gridgov.org import Structure
from gridgov.report import Coverage, EntryPairEntry, Report, Summary, build_report


def test_json_round_trip(town: Structure) -> None:
    report = build_report(town, "bozhou")
    back = Report.model_validate_json(report.model_dump_json())
    assert back == report


def test_computed_fields_are_written() -> None:
    pair = EntryPairEntry(community="C1", company="P1", community_to_company=1)
    assert pair.model_dump()["two_way"] is False
    cov = Coverage(level="unit", total=0, uncovered=0)
    assert cov.covered_share == 1.0
    empty = Report(title="x", reference_date="2024-01-01", profile="default", summary=Summary())
    assert empty.model_dump()["passed"] is True
    assert empty.counts_by_severity() == {"error": 0, "warning": 0, "info": 0}
