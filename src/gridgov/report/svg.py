"""Small inline-SVG charts for the HTML report: bars, histograms, lines and a two-column network.

Each function returns one ``<svg>`` element as a string, sized in pixels (with a ``viewBox``
so it scales to the page), that draws itself with no script, stylesheet or font from
elsewhere: text stays text (``<text>``, so Chinese names display with the system's CJK fonts
and can be selected and searched), every label and title is escaped, and long labels are cut
with a full-text ``<title>`` tooltip. Nothing here imports more than the standard library.

Examples
--------
>>> svg = bar_chart([("网格<1>", 120), ("G2", 80)], title="households")
>>> svg.startswith("<svg") and "网格&lt;1&gt;" in svg and "<script" not in svg
True
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence
from html import escape

__all__ = [
    "ALERT",
    "FONT_FAMILY",
    "PALETTE",
    "bar_chart",
    "escape_text",
    "histogram",
    "interval_chart",
    "line_chart",
    "network",
    "stacked_bar_chart",
]

#: Font list of every chart and of the report page: common CJK fonts first (Linux, Windows,
#: macOS), then the generic family.
FONT_FAMILY = (
    "'Noto Sans CJK SC', 'Source Han Sans SC', 'Microsoft YaHei', 'PingFang SC', "
    "'Hiragino Sans GB', 'WenQuanYi Micro Hei', SimHei, 'Noto Sans', Arial, sans-serif"
)
#: Series colours (colour-blind-safe Okabe–Ito palette) and the colour of a gap or vacancy.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442")
ALERT = "#D55E00"
_FONT = 12
_ROW = 18
_LABEL_COLS = 22


# characters XML forbids (C0 controls but tab, newline and return; lone surrogates; U+FFFE/F)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def escape_text(value: object) -> str:
    r"""``value`` as text safe in HTML and SVG: markup escaped, XML-forbidden characters → U+FFFD.

    Examples
    --------
    >>> escape_text('<script>"x"\x00')
    '&lt;script&gt;&quot;x&quot;\ufffd'
    """
    return escape(_NOT_XML.sub("\ufffd", str(value)), quote=True)


_e = escape_text


def _cols(text: str) -> int:
    """Display width in columns: East Asian wide and full-width characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _cut(text: str, cols: int = _LABEL_COLS) -> str:
    if _cols(text) <= cols:
        return text
    out, used = "", 0
    for ch in text:
        w = _cols(ch)
        if used + w > cols - 1:
            break
        out, used = out + ch, used + w
    return out + "…"


def _legend(series: Sequence[str], colours: Sequence[str], x: float, marker: str) -> list[str]:
    """A legend in a row from ``x``: each series' marker filled with its colour, then its name.

    ``marker`` is a shape's opening tag up to its fill, formatted with ``x`` and ``x6`` (x + 6).
    """
    body = []
    for name, colour in zip(series, colours, strict=False):
        body.append(marker.format(x=x, x6=x + 6) + f'fill="{colour}"/>')
        body.append(f'<text x="{x + 16:.1f}" y="14">{_e(name)}</text>')
        x += 28 + _px(name)
    return body


def _px(text: str) -> float:
    """Rough width of ``text`` in pixels at the chart font size."""
    return _cols(text) * _FONT * 0.55


def _label(x: float, y: float, text: str, *, anchor: str = "end", cols: int = _LABEL_COLS) -> str:
    shown = _cut(text, cols)
    tip = f"<title>{_e(text)}</title>" if shown != text else ""
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}">{tip}{_e(shown)}</text>'


def _svg(width: float, height: float, title: str, body: Sequence[str]) -> str:
    w, h = math.ceil(width), math.ceil(height)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" width="{w}" '
        f'height="{h}" viewBox="0 0 {w} {h}" font-size="{_FONT}" font-family="{FONT_FAMILY}">'
        f"<title>{_e(title)}</title>" + "".join(body) + "</svg>"
    )


def _fmt(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def _nice(top: float) -> float:
    """A round axis maximum at or above ``top``."""
    if top <= 0:
        return 1.0
    base = 10.0 ** math.floor(math.log10(top))
    return next(m * base for m in (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10) if m * base >= top)


def bar_chart(
    items: Sequence[tuple[str, float]],
    *,
    title: str,
    width: int = 640,
    colour: str = PALETTE[0],
    colours: Sequence[str] | None = None,
) -> str:
    """Horizontal bars, one per ``(label, value)``, in the order given, each with its value.

    ``colours``, when given, is one colour per bar (``colour`` for the rest).

    Examples
    --------
    >>> bar_chart([("a", 3)], title="t").count("<rect")
    1
    >>> 'fill="#000"' in bar_chart([("a", 3), ("b", 1)], title="t", colours=["red", "#000"])
    True
    """
    left = min(max((_px(_cut(lab)) for lab, _ in items), default=0) + 12, width * 0.45)
    right = 56
    top = _nice(max((v for _, v in items), default=0))
    span = width - left - right
    body = []
    for i, (lab, value) in enumerate(items):
        y = 6 + i * _ROW
        w = max(span * value / top, 0.0)
        fill = colours[i] if colours is not None and i < len(colours) else colour
        body.append(_label(left - 6, y + 12, lab))
        body.append(
            f'<rect x="{left:.1f}" y="{y:.1f}" width="{w:.1f}" height="{_ROW - 5}" '
            f'fill="{_e(fill)}"><title>{_e(lab)}: {_fmt(value)}</title></rect>'
        )
        body.append(f'<text x="{left + w + 4:.1f}" y="{y + 12:.1f}">{_fmt(value)}</text>')
    return _svg(width, 12 + len(items) * _ROW, title, body)


def stacked_bar_chart(
    items: Sequence[tuple[str, Sequence[float]]],
    *,
    title: str,
    series: Sequence[str],
    colours: Sequence[str] = (PALETTE[0], ALERT),
    width: int = 640,
) -> str:
    """Horizontal stacked bars: per label, one segment per series, with a legend on top.

    Examples
    --------
    >>> svg = stacked_bar_chart([("C1", (5, 2))], title="posts", series=("filled", "vacant"))
    >>> svg.count("<rect")  # two segments and two legend keys
    4
    """
    left = min(max((_px(_cut(lab)) for lab, _ in items), default=0) + 12, width * 0.45)
    right = 64
    top = _nice(max((sum(v) for _, v in items), default=0))
    span = width - left - right
    body = _legend(series, colours, left, '<rect x="{x:.1f}" y="4" width="12" height="12" ')
    for i, (lab, values) in enumerate(items):
        y = 26 + i * _ROW
        body.append(_label(left - 6, y + 12, lab))
        x = left
        for name, value, colour in zip(series, values, colours, strict=False):
            w = span * value / top
            if w > 0:
                body.append(
                    f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{_ROW - 5}" '
                    f'fill="{colour}"><title>{_e(lab)}: {_e(name)} {_fmt(value)}</title></rect>'
                )
            x += w
        text = " / ".join(_fmt(v) for v in values)
        body.append(f'<text x="{x + 4:.1f}" y="{y + 12:.1f}">{_e(text)}</text>')
    return _svg(width, 32 + len(items) * _ROW, title, body)


def histogram(
    values: Sequence[float],
    *,
    title: str,
    x_label: str,
    y_label: str,
    bins: int = 20,
    width: int = 640,
    height: int = 240,
) -> str:
    """Counts of ``values`` in ``bins`` equal-width bins, as vertical bars with axis labels.

    Examples
    --------
    >>> histogram([1, 2, 2, 3], title="t", x_label="x", y_label="n", bins=2).count("<rect")
    2
    """
    lo, hi = (min(values), max(values)) if values else (0.0, 1.0)
    if all(float(v).is_integer() for v in values):  # whole bins for counts: 200–209, 210–219 …
        step: float = max(math.ceil((hi - lo + 1) / bins), 1)
        bins = math.ceil((hi - lo + 1) / step)
    else:
        step = ((hi - lo) or 1) / bins
    counts = [0] * bins
    for v in values:
        counts[min(int((v - lo) / step), bins - 1)] += 1
    left, bottom, top_pad = 48.0, 40.0, 10.0
    plot_w, plot_h = width - left - 12, height - bottom - top_pad
    top = _nice(max(counts))
    body = _axes(
        (left, top_pad, plot_w, plot_h), top, x_label=x_label, y_label=y_label, percent=False
    )
    bar_w = plot_w / bins
    for i, n in enumerate(counts):
        h = plot_h * n / top
        a, b = lo + i * step, lo + (i + 1) * step
        body.append(
            f'<rect x="{left + i * bar_w + 1:.1f}" y="{top_pad + plot_h - h:.1f}" '
            f'width="{bar_w - 2:.1f}" height="{h:.1f}" fill="{PALETTE[0]}">'
            f"<title>{_fmt(a)}–{_fmt(b)}: {n}</title></rect>"
        )
    for i in range(0, bins + 1, max(bins // 5, 1)):
        x = left + i * bar_w
        body.append(
            f'<text x="{x:.1f}" y="{top_pad + plot_h + 14:.1f}" text-anchor="middle">'
            f"{_fmt(lo + i * step)}</text>"
        )
    return _svg(width, height, title, body)


def _axes(
    box: tuple[float, float, float, float],
    top: float,
    *,
    x_label: str,
    y_label: str,
    percent: bool,
) -> list[str]:
    """Grid lines, ticks and axis labels of the plot area ``box`` (left, top, width, height)."""
    left, top_pad, plot_w, plot_h = box
    body = []
    for k in range(5):
        y = top_pad + plot_h - plot_h * k / 4
        tick = f"{100 * top * k / 4:.0f}%" if percent else _fmt(top * k / 4)
        body.append(
            f'<line x1="{left:.1f}" y1="{y:.1f}" x2="{left + plot_w:.1f}" y2="{y:.1f}" '
            'stroke="#ddd"/>'
        )
        body.append(f'<text x="{left - 4:.1f}" y="{y + 4:.1f}" text-anchor="end">{tick}</text>')
    body.append(
        f'<text x="{left + plot_w / 2:.1f}" y="{top_pad + plot_h + 32:.1f}" '
        f'text-anchor="middle">{_e(x_label)}</text>'
    )
    body.append(
        f'<text x="12" y="{top_pad + plot_h / 2:.1f}" text-anchor="middle" '
        f'transform="rotate(-90 12 {top_pad + plot_h / 2:.1f})">{_e(y_label)}</text>'
    )
    return body


def line_chart(
    periods: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    *,
    title: str,
    x_label: str,
    y_label: str,
    percent: bool = True,
    width: int = 640,
    height: int = 260,
) -> str:
    """One line per ``(name, values)`` over ``periods`` (a gap where a value is ``None``).

    With ``percent`` the axis runs from 0 to 100 %; otherwise from 0 to a round maximum.

    Examples
    --------
    >>> svg = line_chart(["2024-01", "2024-02"], [("closing", [0.9, 1.0])], title="t",
    ...                  x_label="month", y_label="rate")
    >>> svg.count("<polyline"), svg.count("<circle")
    (1, 2)
    """
    left, bottom, top_pad = 52.0, 40.0, 30.0
    plot_w, plot_h = width - left - 16, height - bottom - top_pad
    values = [v for _, vs in series for v in vs if v is not None]
    top = 1.0 if percent else _nice(max(values, default=0))
    body = _axes(
        (left, top_pad, plot_w, plot_h), top, x_label=x_label, y_label=y_label, percent=percent
    )
    n = max(len(periods), 1)
    step = plot_w / n

    def at(i: int, v: float) -> tuple[float, float]:
        return left + step * (i + 0.5), top_pad + plot_h - plot_h * v / top

    for i, p in enumerate(periods):
        x, _ = at(i, 0)
        body.append(
            f'<text x="{x:.1f}" y="{top_pad + plot_h + 14:.1f}" text-anchor="middle">'
            f"{_e(p[-2:] if len(periods) > 6 else p)}</text>"
        )
    x = left
    for k, (name, vs) in enumerate(series):
        colour = PALETTE[k % len(PALETTE)]
        body.append(f'<rect x="{x:.1f}" y="6" width="12" height="12" fill="{colour}"/>')
        body.append(f'<text x="{x + 16:.1f}" y="16">{_e(name)}</text>')
        x += 32 + _px(name)
        runs: list[list[tuple[float, float]]] = [[]]
        for i, v in enumerate(vs):
            if v is None:
                runs.append([])
                continue
            cx, cy = at(i, v)
            runs[-1].append((cx, cy))
            shown = f"{100 * v:.1f}%" if percent else _fmt(v)
            body.append(
                f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="3" fill="{colour}">'
                f"<title>{_e(name)} {_e(periods[i])}: {shown}</title></circle>"
            )
        for run in runs:
            if len(run) > 1:
                points = " ".join(f"{a:.1f},{b:.1f}" for a, b in run)
                body.append(
                    f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2"/>'
                )
    return _svg(width, height, title, body)


def network(
    left_nodes: Sequence[tuple[str, str]],
    right_nodes: Sequence[tuple[str, str]],
    edges: Sequence[tuple[str, str, float]],
    *,
    title: str,
    width: int = 640,
) -> str:
    """A two-column network: nodes on the left and right, edges as curves between them.

    Nodes are ``(id, label)``; edges ``(left id, right id, weight)``, drawn wider as the
    weight grows (an edge to an unknown id is left out).

    Examples
    --------
    >>> svg = network([("C1", "社区")], [("U1", "单位"), ("U2", "U2")],
    ...               [("C1", "U1", 2), ("C1", "U2", 0)], title="t")
    >>> svg.count("<path"), svg.count("<circle")
    (2, 3)
    """
    rows = max(len(left_nodes), len(right_nodes), 1)
    height = 16 + rows * _ROW
    lx, rx = width * 0.3, width * 0.7

    def ys(nodes: Sequence[tuple[str, str]]) -> dict[str, float]:
        gap = (height - 16) / max(len(nodes), 1)
        return {nid: 8 + gap * (i + 0.5) for i, (nid, _) in enumerate(nodes)}

    ly, ry = ys(left_nodes), ys(right_nodes)
    heaviest = max((w for *_, w in edges), default=0) or 1
    body = []
    for a, b, w in edges:
        if a not in ly or b not in ry:
            continue
        y1, y2, mid = ly[a], ry[b], (lx + rx) / 2
        stroke = 1 + 3 * w / heaviest
        body.append(
            f'<path d="M{lx:.1f},{y1:.1f} C{mid:.1f},{y1:.1f} {mid:.1f},{y2:.1f} {rx:.1f},'
            f'{y2:.1f}" fill="none" stroke="{PALETTE[0]}" stroke-opacity="0.55" '
            f'stroke-width="{stroke:.1f}"><title>{_e(a)} – {_e(b)}: {_fmt(w)}</title></path>'
        )
    cols = int(lx / (_FONT * 0.55)) - 2
    for nid, label in left_nodes:
        body.append(f'<circle cx="{lx:.1f}" cy="{ly[nid]:.1f}" r="5" fill="{ALERT}"/>')
        body.append(_label(lx - 9, ly[nid] + 4, label, cols=cols))
    for nid, label in right_nodes:
        body.append(f'<circle cx="{rx:.1f}" cy="{ry[nid]:.1f}" r="4" fill="{PALETTE[2]}"/>')
        body.append(_label(rx + 9, ry[nid] + 4, label, anchor="start", cols=cols))
    return _svg(width, height, title, body)


def interval_chart(
    items: Sequence[tuple[str, Sequence[tuple[float, float, float]]]],
    *,
    title: str,
    series: Sequence[str],
    mark: float | None = None,
    colours: Sequence[str] = PALETTE,
    width: int = 640,
) -> str:
    """Probabilities with intervals: per label one dot and whisker per series, 0–100 % axis.

    Each item is ``(label, ((value, low, high), …))`` with one triple per series, values in
    [0, 1]; ``mark`` draws a dashed vertical line (a level to reach, e.g. 0.9).

    Examples
    --------
    >>> svg = interval_chart([("G1", ((0.8, 0.7, 0.9), (1.0, 0.98, 1.0)))], title="t",
    ...                      series=("reach", "cadres"), mark=0.9)
    >>> svg.count("<circle")  # two dots and two legend keys
    4
    """
    left = min(max((_px(_cut(lab)) for lab, _ in items), default=0) + 12, width * 0.45)
    right = 24
    span = width - left - right
    head = 40
    body = _legend(series, colours, left, '<circle cx="{x6:.1f}" cy="10" r="5" ')
    bottom = head + len(items) * _ROW
    for k in range(5):
        gx = left + span * k / 4
        body.append(
            f'<line x1="{gx:.1f}" y1="{head - 4}" x2="{gx:.1f}" y2="{bottom:.1f}" '
            'stroke="#ddd" stroke-width="1"/>'
        )
        body.append(f'<text x="{gx:.1f}" y="{head - 8}" text-anchor="middle">{25 * k}%</text>')
    if mark is not None:
        mx = left + span * min(max(mark, 0.0), 1.0)
        body.append(
            f'<line x1="{mx:.1f}" y1="{head - 4}" x2="{mx:.1f}" y2="{bottom:.1f}" '
            f'stroke="{ALERT}" stroke-width="1.5" stroke-dasharray="4 3"/>'
        )
    n = max(len(series), 1)
    for i, (lab, triples) in enumerate(items):
        y = head + i * _ROW
        body.append(_label(left - 6, y + 12, lab))
        for j, ((value, low, high), name, colour) in enumerate(
            zip(triples, series, colours, strict=False)
        ):
            cy = y + 4 + (j + 0.5) * (_ROW - 8) / n
            x0, x1 = left + span * low, left + span * high
            tip = f"{lab}: {name} {100 * value:.1f}% ({100 * low:.1f}–{100 * high:.1f}%)"
            body.append(
                f'<line x1="{x0:.1f}" y1="{cy:.1f}" x2="{x1:.1f}" y2="{cy:.1f}" '
                f'stroke="{colour}" stroke-width="2"/>'
            )
            body.append(
                f'<circle cx="{left + span * value:.1f}" cy="{cy:.1f}" r="3.5" '
                f'fill="{colour}"><title>{_e(tip)}</title></circle>'
            )
    return _svg(width, bottom + 6, title, body)
