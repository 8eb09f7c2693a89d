"""Tests for gridgov.report.svg: well-formed, escaped, sized charts with text kept as text."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from hypothesis import given
from hypothesis import strategies as st

from gridgov.report import svg

NS = "{http://www.w3.org/2000/svg}"
# printable labels (control characters are replaced, so they cannot be found back)
labels = st.text(st.characters(exclude_categories=("Cc", "Cs")), min_size=1, max_size=40)
values = st.integers(min_value=0, max_value=10**6)


def parse(chart: str) -> ET.Element:
    root = ET.fromstring(chart)  # our own output, parsed to check it is XML
    assert root.tag == f"{NS}svg"
    assert int(root.get("width", "0")) > 0
    assert int(root.get("height", "0")) > 0
    assert root.get("font-family") == svg.FONT_FAMILY
    return root


def texts(root: ET.Element) -> list[str]:
    return ["".join(t.itertext()) for t in root.iter(f"{NS}text")]


@given(st.lists(st.tuples(labels, values), min_size=1, max_size=30))
def test_bar_chart_is_well_formed_and_keeps_every_label(items: list[tuple[str, int]]) -> None:
    root = parse(svg.bar_chart(items, title="<t>"))
    bars = list(root.iter(f"{NS}rect"))
    assert len(bars) == len(items)
    widths = [float(b.get("width", "-1")) for b in bars]
    assert all(w >= 0 for w in widths)
    top = max(v for _, v in items)
    if top:  # the longest bar is the largest value, and bars keep the values' order
        assert widths[[v for _, v in items].index(top)] == max(widths)
    # every label's full text is there: shown whole, or cut with the whole in a tooltip
    shown = "".join(texts(root))
    titles = [t.text or "" for t in root.iter(f"{NS}title")]
    for label, _ in items:
        assert label in shown or label in titles or any(label in t for t in titles)


@given(st.text(max_size=20), st.text(max_size=20))
def test_any_text_gives_well_formed_svg(label: str, name: str) -> None:
    parse(svg.stacked_bar_chart([(label, (1, 2))], title=label, series=(name, label)))
    parse(svg.network([(label, label)], [(name, name)], [(label, name, 1)], title=name))


@given(st.lists(st.integers(min_value=0, max_value=5000), min_size=1, max_size=500))
def test_histogram_counts_every_value(data: list[int]) -> None:
    root = parse(svg.histogram(data, title="h", x_label="x", y_label="n", bins=10))
    counts = [
        int((r.findtext(f"{NS}title") or "").rsplit(": ", 1)[1]) for r in root.iter(f"{NS}rect")
    ]
    assert sum(counts) == len(data)


def test_line_chart_leaves_gaps_for_missing_values() -> None:
    root = parse(
        svg.line_chart(
            ["2024-01", "2024-02", "2024-03", "2024-04"],
            [("结案率", [0.5, None, 0.75, 1.0])],
            title="rates",
            x_label="月份",
            y_label="比率",
        )
    )
    assert len(list(root.iter(f"{NS}circle"))) == 3
    (line,) = root.iter(f"{NS}polyline")  # the lone January point makes no line
    assert len(line.get("points", "").split()) == 2
    assert "结案率" in texts(root)
    assert "100%" in texts(root)


def test_network_draws_known_edges_only() -> None:
    root = parse(
        svg.network(
            [("C1", "幸福社区"), ("C2", "<C2>")],
            [("U1", "县第一中学附属实验小学教育集团"), ("U2", "U2")],
            [("C1", "U1", 3), ("C2", "U2", 0), ("C9", "U1", 1)],
            title="net",
        )
    )
    paths = list(root.iter(f"{NS}path"))
    assert len(paths) == 2  # C9 is not a node
    assert [float(p.get("stroke-width", "0")) for p in paths] == [4.0, 1.0]
    assert "<C2>" in texts(root)
    # a long name is cut on screen and whole in its tooltip
    assert "县第一中学附属实验小学教育集团" in [t.text for t in root.iter(f"{NS}title")]


def test_stacked_bars_and_legend() -> None:
    root = parse(
        svg.stacked_bar_chart(
            [("C1", (3, 1)), ("C2", (4, 0))], title="posts", series=("filled", "vacant")
        )
    )
    # two legend keys, then C1's two segments and C2's one (a zero segment is not drawn)
    assert len(list(root.iter(f"{NS}rect"))) == 5
    assert {"filled", "vacant", "3 / 1", "4 / 0"} <= set(texts(root))
