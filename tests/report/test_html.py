"""Tests for gridgov.report.html: the self-contained HTML page, read as text and in a browser.

The browser tests open the page in the system's headless Chromium (the Debian ``chromium``
package, installed by ``python3 tasks.py test`` when missing) through Playwright over the
DevTools protocol: every request other than the file itself is aborted and fails the test, and
the page must log no console error, draw every chart with a non-zero size and render its
Chinese text with a CJK font. A missing Chromium fails the tests: it never skips them.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import struct
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from gridgov.datasets import events, load
from gridgov.org import Structure
from gridgov.report import (
    CircleRow,
    CoBuildingLink,
    FindingEntry,
    GridReach,
    MobilisationSummary,
    RateRow,
    Report,
    RollupRow,
    ServiceCircle,
    SpatialAnalysis,
    Summary,
    build_report,
    render,
)
from gridgov.report.html import SECTIONS

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Playwright

EVIL = '<script>window.__pwned = 1</script>"><img src=x onerror="window.__pwned = 2">'
LAUNCH_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium() -> str:
    """The system Chromium; the test fails (never skips) without it."""
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        pytest.fail(
            "Chromium is not installed: run `python3 tasks.py test` (it installs the Debian "
            "packages chromium and fonts-noto-cjk) or `apt-get install -y chromium "
            "fonts-noto-cjk`"
        )
    return path


@pytest.fixture(scope="module")
def youyi() -> Report:
    return build_report(load("youyi"), "youyi", events=events("youyi"))


@pytest.fixture(scope="module")
def playwright() -> Iterator[Playwright]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        yield pw


@pytest.fixture
def browser(playwright: Playwright, tmp_path: Path) -> Iterator[BrowserContext]:
    context = playwright.chromium.launch_persistent_context(
        tmp_path / "profile",  # a fresh --user-data-dir per test
        executable_path=chromium(),
        headless=True,
        args=LAUNCH_FLAGS,
        viewport={"width": 1280, "height": 900},
    )
    yield context
    context.close()


@dataclass
class Visit:
    """What a page did in the browser."""

    requests: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    charts: list[dict[str, Any]] = field(default_factory=list)
    fonts: list[str] = field(default_factory=list)
    pwned: object = None
    texts: list[str] = field(default_factory=list)
    printed: dict[str, Any] = field(default_factory=dict)


def visit(context: BrowserContext, html: Path, screenshot: Path) -> Visit:
    """Open ``html`` with every other request blocked; record what happened."""
    out = Visit()
    url = html.resolve().as_uri()

    def route(r: Any) -> None:
        if r.request.url == url:
            r.continue_()
        else:
            out.blocked.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("request", lambda r: out.requests.append(r.url))
    page.on("console", lambda m: out.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: out.errors.append(str(e)))
    page.goto(url, wait_until="load")
    page.screenshot(path=screenshot, full_page=True)
    out.charts = page.eval_on_selector_all(
        "svg.chart",
        """els => els.map(svg => {
            const box = svg.getBoundingClientRect();
            const marks = [...svg.querySelectorAll('rect, polyline, path, circle')]
                .map(m => m.getBoundingClientRect())
                .filter(b => b.width > 0 && b.height > 0).length;
            return {title: svg.querySelector('title').textContent,
                    width: box.width, height: box.height, marks};
        })""",
    )
    out.pwned = page.evaluate("window.__pwned")
    out.texts = page.eval_on_selector_all("td, h1, li", "els => els.map(e => e.textContent)")
    cdp = context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    for selector in ("h1", "svg.chart text"):
        node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
        if node:
            fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
            out.fonts += [f["familyName"] for f in fonts if f["glyphCount"] > 0]
    # printed: navigation hidden, charts still drawn, an A4 PDF of several pages
    page.emulate_media(media="print")
    out.printed = page.evaluate(
        """() => ({nav: getComputedStyle(document.querySelector('nav')).display,
                   charts: [...document.querySelectorAll('svg.chart')]
                       .map(s => s.getBoundingClientRect().width)})"""
    )
    pdf = page.pdf(format="A4")
    out.printed["pdf"] = pdf[:5]
    out.printed["pages"] = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    page.close()
    return out


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


# -- the page as text ---------------------------------------------------------------------------
def test_html_is_one_self_contained_page(youyi: Report) -> None:
    page = render(youyi, "html", lang="zh")
    assert page.startswith("<!DOCTYPE html>")
    assert page.endswith("</html>\n")
    assert '<html lang="zh-CN">' in page
    assert '<meta charset="utf-8">' in page
    # nothing to fetch: no script, no external stylesheet, image, font or link to another host
    assert "<script" not in page
    assert not re.search(r'(?:src|href)="(?!#|data:)', page)
    assert "url(" not in page
    assert "@import" not in page
    assert "@font-face" not in page
    assert "@media print" in page


def test_html_holds_every_part_and_chart(youyi: Report) -> None:
    page = render(youyi, "html", lang="en")
    for anchor in ("summary", "rules", "findings", "rollup-grid", "rollup-community", "rates"):
        assert f'<section id="{anchor}">' in page
    assert '<section id="cobuilding">' in page
    titles = re.findall(r'<svg [^>]*class="chart"[^>]*><title>([^<]*)</title>', page)
    assert titles == [
        "Households per community",
        "Posts filled and vacant by community",
        "Households per grid",
        "Cases filed by month",
        "Rates by month",
        "Co-building network (共驻共建)",
        "15-minute community life circle: households within reach of every kind, per community (%)",
        "Probability of meeting each target, per grid (dashed: 90%)",
    ]
    charts = re.findall(r'<svg [^>]*class="chart".*?</svg>', page, re.DOTALL)
    # the circle: a bar per community; mobilisation: a dot per grid and target (40 worst grids)
    assert youyi.analysis is not None
    assert youyi.analysis.mobilisation is not None
    assert charts[6].count("<rect") == len(youyi.analysis.circles[0].rows) == 8
    assert charts[7].count("<circle") == 2 * 40 + 2  # and the legend's two keys
    worst = youyi.analysis.mobilisation.worst(1)[0]
    assert f"{worst.name}: P(all cadres ≤ 30 min) {100 * worst.p_cadres:.1f}%" in charts[7]
    # 8 communities: one bar each; 76 grids: a histogram whose bars count every grid
    assert charts[0].count("<rect") == len(youyi.rollups["community"]) == 8
    counts = [int(n) for n in re.findall(r"<rect [^>]*><title>[^<]*: (\d+)</title>", charts[2])]
    assert sum(counts) == youyi.summary.grids == 76
    assert f"{youyi.summary.grids} grids; households per grid: min" in page


def test_html_in_chinese_and_english(youyi: Report) -> None:
    zh, en = render(youyi, "html", lang="zh"), render(youyi, "html", lang="en")
    assert "<h2>概况</h2>" in zh
    assert "<h2>Summary</h2>" in en
    assert "各网格户数" in zh
    assert "Households per grid" in en
    assert "满意率" in zh
    assert "satisfaction rate" in en


def test_rates_table_has_one_row_per_month(youyi: Report) -> None:
    page = render(youyi, "html", lang="en", max_rows=None)
    months = sorted({r.period for r in youyi.rates})
    section = page[page.index('<section id="rates">') :]
    section = section[: section.index("</section>")]
    assert re.findall(r"<tr><td>(\d{4}-\d{2})</td>", section) == months


def test_everything_is_escaped() -> None:
    report = evil_report()
    for lang in ("en", "zh"):
        page = render(report, "html", lang)
        assert "<script" not in page
        assert "<img" not in page
        assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;&quot;&gt;&lt;img" in page


def test_no_personal_field(town: Structure) -> None:
    page = render(build_report(town, "bozhou"), "html", "zh", max_rows=None)
    assert "13800000000" not in page
    assert "SYN-000042" not in page


def test_sections_are_small_functions_of_the_page(youyi: Report) -> None:
    page = render(youyi, "html")
    assert all(callable(s) for s in SECTIONS)
    # a report without rates or co-building leaves those sections (and their links) out
    bare = render(youyi.model_copy(update={"rates": (), "cobuilding": ()}), "html")
    assert 'href="#rates"' in page
    assert 'href="#rates"' not in bare
    assert '<section id="cobuilding">' not in bare


def test_long_tables_are_cut_but_charts_draw_every_row(youyi: Report) -> None:
    cut = render(youyi, "html", max_rows=5)
    full = render(youyi, "html", max_rows=None)
    grids = len(youyi.rollups["grid"])
    assert f"… and {grids - 5} more" in cut
    assert full.count("<tr><td>S0") > cut.count("<tr><td>S0")
    chart = re.compile(r"<svg .*?</svg>", re.DOTALL)
    assert chart.findall(cut) == chart.findall(full)


def evil_report() -> Report:
    """A report whose every free text is markup that would run or load if not escaped."""
    row = RollupRow(id=EVIL, name=EVIL, households=3, posts=2, posts_filled=1, posts_vacant=1)
    return Report(
        title=EVIL,
        reference_date=dt.date(2024, 6, 30),
        profile=EVIL,
        profile_label_zh=EVIL,
        summary=Summary(grids=1, households=3),
        findings=(
            FindingEntry(rule=EVIL, severity="error", subject=EVIL, message=EVIL, message_zh=EVIL),
        ),
        rollups={"community": (row,), "grid": (row,)},
        cobuilding=(
            CoBuildingLink(community=EVIL, community_name=EVIL, unit=EVIL, unit_name=EVIL),
        ),
        rates=(
            RateRow(
                metric="filed_count", label_en=EVIL, label_zh=EVIL, period="2024-01", numerator=4
            ),
            RateRow(
                metric="closing_rate",
                label_en=EVIL,
                label_zh=EVIL,
                period="2024-01",
                numerator=1,
                denominator=2,
                rate=0.5,
            ),
        ),
        analysis=evil_analysis(),
    )


def evil_analysis() -> SpatialAnalysis:
    """The place-and-time section with markup in every free text."""
    row = CircleRow(
        community=EVIL,
        community_name=EVIL,
        buildings=2,
        households=3,
        share_households={EVIL: 0.5},
        share_buildings={EVIL: 0.5},
        uncovered_by_kind={EVIL: 1},
        share_all=0.5,
        uncovered=1,
        examples=(EVIL,),
    )
    circle = ServiceCircle(
        rule=EVIL, key=EVIL, label_en=EVIL, label_zh=EVIL, minutes=15, kinds=(EVIL,), rows=(row,)
    )
    grid = GridReach(
        grid=EVIL,
        name=EVIL,
        p_reach=0.5,
        p_reach_low=0.4,
        p_reach_high=0.6,
        p_cadres=1.0,
        p_cadres_low=0.9,
        p_cadres_high=1.0,
        reasons_en=(EVIL,),
        reasons_zh=(EVIL,),
    )
    mob = MobilisationSummary(
        runs=10, seed=0, reach_target=10, cadre_target=30, grids=(grid,), misses=(EVIL,)
    )
    return SpatialAnalysis(circles=(circle,), mobilisation=mob)


# -- the page in a browser ----------------------------------------------------------------------
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_browser_draws_the_charts_offline(
    youyi: Report, browser: BrowserContext, tmp_path: Path, lang: str
) -> None:
    html = tmp_path / f"youyi-{lang}.html"
    html.write_text(render(youyi, "html", lang), encoding="utf-8")  # type: ignore[arg-type]
    shot = tmp_path / f"youyi-{lang}.png"
    seen = visit(browser, html, shot)
    assert seen.requests == [html.resolve().as_uri()]
    assert seen.blocked == []
    assert seen.errors == []
    assert len(seen.charts) == 8
    mobilisation = {"en": "Probability of meeting each target", "zh": "各网格达到目标的概率"}[lang]
    assert next(c for c in seen.charts if c["title"].startswith(mobilisation))["marks"] >= 80
    for chart in seen.charts:
        assert chart["width"] > 100, chart
        assert chart["height"] > 20, chart
        assert chart["marks"] > 0, chart
    # Chinese text is drawn with a CJK font, not as empty boxes of a Latin font
    assert any("CJK" in f or "Han" in f or "Hei" in f for f in seen.fonts), seen.fonts
    assert seen.printed["nav"] == "none"
    assert all(w > 100 for w in seen.printed["charts"])
    assert seen.printed["pdf"] == b"%PDF-"
    assert seen.printed["pages"] > 3
    width, height = png_size(shot)
    assert width == 1280
    assert height > 3000


def test_browser_shows_markup_as_text(browser: BrowserContext, tmp_path: Path) -> None:
    html = tmp_path / "evil.html"
    html.write_text(render(evil_report(), "html", "zh"), encoding="utf-8")
    seen = visit(browser, html, tmp_path / "evil.png")
    assert seen.pwned is None
    assert seen.blocked == []
    assert seen.errors == []
    assert EVIL in seen.texts
    assert all(c["marks"] > 0 for c in seen.charts)
