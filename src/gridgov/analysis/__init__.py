"""Space and simulation over a structure: travel times, service circles, mobilisation.

Every analysis is a function of the structure (with geography, see
:mod:`gridgov.org.geo` and :func:`gridgov.datasets.place`) whose parameters default to a
profile's values, and returns a result object with ``.to_frame()`` and ``.explain(...)``:

* :func:`travel_times` — walking or driving minutes, many-to-many (:mod:`.travel`);
* :func:`service_circles` — GB 50180-2018 5/10/15-minute circles per building (:mod:`.circles`);
* :func:`mobilisation` — Monte Carlo of the instruction cascade and cadres' travel
  (:mod:`.mobilisation`);
* :func:`assign_report_back` — 双报到 on HiGHS, 就地 before 就近 (:mod:`.assignment`);
* :func:`partition_grids` — contiguous grids within the household band (:mod:`.partition`);
* :func:`plot_grids`, :func:`plot_circles` — maps (matplotlib, ``plot`` extra; :mod:`.maps`);
* :func:`geography_findings` — buildings outside their grid's polygon (:mod:`.checks`).

Distances need the ``geo`` extra (pyproj, scipy): ``pip install 'gridgov[geo]'``.
"""

from gridgov.analysis.assignment import (
    ReportBackAssignment,
    assign_report_back,
    solve_assignment,
    solve_assignment_xy,
)
from gridgov.analysis.checks import geography_findings
from gridgov.analysis.circles import ServiceCircles, service_circles
from gridgov.analysis.maps import plot_circles, plot_grids
from gridgov.analysis.mobilisation import Mobilisation, mobilisation, wilson_interval
from gridgov.analysis.partition import Partition, hilbert_order, partition_grids
from gridgov.analysis.travel import (
    StreetNetwork,
    read_street_network,
    travel_times,
    travel_times_xy,
)

__all__ = [
    "Mobilisation",
    "Partition",
    "ReportBackAssignment",
    "ServiceCircles",
    "StreetNetwork",
    "assign_report_back",
    "geography_findings",
    "hilbert_order",
    "mobilisation",
    "partition_grids",
    "plot_circles",
    "plot_grids",
    "read_street_network",
    "service_circles",
    "solve_assignment",
    "solve_assignment_xy",
    "travel_times",
    "travel_times_xy",
    "wilson_interval",
]
