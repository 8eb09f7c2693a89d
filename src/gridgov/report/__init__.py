"""Reports on a structure: what it holds, which rules it passes, where it falls short.

:func:`build_report` computes a :class:`Report` (pydantic data: summary, rule results and
findings, roll-ups per level, cross-appointments, entry pairs, coverage and, for a located
structure, service circles and mobilisation); :func:`render` prints
it as text, Markdown or JSON, in English or Chinese. The report never holds personal fields.

Examples
--------
>>> from gridgov.org import Structure
>>> s = Structure.model_validate({"name": "demo", "reference_date": "2024-06-30", "areas": [
...     {"id": "S1", "level": "street", "name": "桂花桥街道"}]})
>>> print(render(build_report(s), lang="zh").splitlines()[0])
gridgov 报告：demo
"""

from gridgov.report.build import REPORT_RATES, ROLLUP_LEVELS, build_report
from gridgov.report.model import (
    AssessmentRow,
    AssessmentSummary,
    CoBuildingLink,
    Coverage,
    CrossAppointmentEntry,
    EntryPairEntry,
    FindingEntry,
    RateRow,
    Report,
    RollupRow,
    RuleResult,
    Summary,
)
from gridgov.report.reach import (
    CircleRow,
    GridReach,
    MobilisationSummary,
    ServiceCircle,
    SpatialAnalysis,
)
from gridgov.report.render import RENDER_FORMATS, render

__all__ = [
    "RENDER_FORMATS",
    "REPORT_RATES",
    "ROLLUP_LEVELS",
    "AssessmentRow",
    "AssessmentSummary",
    "CircleRow",
    "CoBuildingLink",
    "Coverage",
    "CrossAppointmentEntry",
    "EntryPairEntry",
    "FindingEntry",
    "GridReach",
    "MobilisationSummary",
    "RateRow",
    "Report",
    "RollupRow",
    "RuleResult",
    "ServiceCircle",
    "SpatialAnalysis",
    "Summary",
    "build_report",
    "render",
]
