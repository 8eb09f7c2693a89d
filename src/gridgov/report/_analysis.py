"""Build and print the report's place-and-time section (:mod:`gridgov.report.reach`).

:func:`build_analysis` runs :func:`gridgov.analysis.service_circles` and
:func:`gridgov.analysis.mobilisation` on a located structure; :func:`render_analysis` prints
the section in text or Markdown, :func:`analysis_html` in the HTML page (with a chart of the
grids' probabilities and one of each circle's coverage per community). Kept apart from
``build.py``, ``render.py`` and ``html.py``, which only call in.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, Literal

from gridgov.report.reach import (
    CircleRow,
    GridReach,
    MobilisationSummary,
    ServiceCircle,
    SpatialAnalysis,
)

if TYPE_CHECKING:
    from gridgov.org.privacy import Privacy
    from gridgov.org.profiles import Profile
    from gridgov.org.structure import Structure

__all__ = ["DEFAULT_RUNS", "analysis_html", "build_analysis", "circle_specs", "render_analysis"]

Lang = Literal["en", "zh"]

#: Monte Carlo runs of a report's mobilisation (``build_report(..., runs=...)``): enough for
#: intervals about ±4 points around 90 %, quick enough for ``gridgov demo``.
DEFAULT_RUNS = 200
#: A grid below this probability on either target is listed as missing it.
MISS_LEVEL = 0.9
#: Grids listed in the table of the worst; grids drawn in the HTML chart.
WORST = 10
CHART_GRIDS = 40

#: Labels of the facility kinds the profiles name (English, Chinese).
KIND_LABELS: dict[str, tuple[str, str]] = {
    "party_mass_service_centre": ("party-mass centre", "党群服务中心"),
    "clinic": ("clinic", "卫生服务站"),
    "elderly_care": ("elderly care", "养老服务"),
    "kindergarten": ("kindergarten", "幼儿园"),
    "grocery": ("grocery", "便民商店"),
}

_EN = {
    "section": "Service circles and mobilisation",
    "circles": "Service circles",
    "community": "community",
    "name": "name",
    "circle_meta": "{minutes} minutes' {mode} (profile value {key}); households within reach of "
    "each kind, per community",
    "circle_gap": "{n} building(s) miss at least one kind within {minutes} minutes",
    "walk": "walk",
    "drive": "drive",
    "all_kinds": "all kinds",
    "uncovered": "buildings missing",
    "e.g.": "e.g.",
    "mob": "Mobilisation: {reach:g} and {cadre:g} minutes",
    "mob_meta": "Targets: an instruction reaches every household within {reach:g} minutes, every "
    "cadre is in place within {cadre:g} minutes. {runs} Monte Carlo runs (seed {seed}); 95 % "
    "Wilson intervals.",
    "p_reach": "P(all households ≤ {t:g} min)",
    "p_cadres": "P(all cadres ≤ {t:g} min)",
    "spread": "{label}: median over grids {mid}, lowest {lo} ({grid}); {ok} of {n} grids at "
    "{level} or more",
    "misses": "{n} grid(s) below {level} on a target",
    "worst": "Grids least likely to meet a target",
    "grid": "grid",
    "why": "why",
    "no_cause": "no structural cause found",
    "far": "{n} cadre(s) live far from the meeting point",
    "chart": "Probability of meeting each target, per grid (dashed: {level})",
    "chart_shown": "Showing the {n} grids least likely to meet a target of {total}.",
    "cov_chart": "{label}: households within reach of every kind, per community (%)",
    "cov_shown": "Showing the {n} least covered communities of {total}.",
}
_ZH = {
    "section": "服务圈与应急动员",
    "circles": "服务圈覆盖",
    "community": "社区",
    "name": "名称",
    "circle_meta": "{mode}{minutes}分钟（规则配置值 {key}）；各社区可达各类设施的户数占比",
    "circle_gap": "{n} 个楼栋在{minutes}分钟内至少缺少一类设施",
    "walk": "步行",
    "drive": "驾车",
    "all_kinds": "全部设施",
    "uncovered": "未覆盖楼栋",
    "e.g.": "例如",
    "mob": "应急动员：{reach:g}分钟与{cadre:g}分钟",
    "mob_meta": "目标：指令在{reach:g}分钟内覆盖全部群众，{cadre:g}分钟内党员干部全部到位。"
    "蒙特卡洛模拟{runs}次（种子 {seed}）；95% Wilson 置信区间。",
    "p_reach": "{t:g}分钟内覆盖全部群众的概率",
    "p_cadres": "{t:g}分钟内干部全部到位的概率",
    "spread": "{label}：各网格中位数 {mid}，最低 {lo}（{grid}）；{n} 个网格中 {ok} 个达到 {level}",
    "misses": "{n} 个网格至少一项目标的概率低于 {level}",
    "worst": "最难达到目标的网格",
    "grid": "网格",
    "why": "原因",
    "no_cause": "无明显原因",
    "far": "{n}名党员干部住得离集合点远",
    "chart": "各网格达到目标的概率（虚线：{level}）",
    "chart_shown": "共 {total} 个网格，仅显示最难达到目标的 {n} 个。",
    "cov_chart": "{label}：各社区可达全部设施的户数占比（%）",
    "cov_shown": "共 {total} 个社区，仅显示覆盖率最低的 {n} 个。",
}


def _t(lang: Lang) -> dict[str, str]:
    return _ZH if lang == "zh" else _EN


def kind_label(kind: str, lang: Lang) -> str:
    """A facility kind's label in ``lang`` (the kind itself when unknown)."""
    pair = KIND_LABELS.get(kind)
    return kind if pair is None else pair[1 if lang == "zh" else 0]


def _pct(value: float) -> str:
    return f"{100 * value:.1f}%"


# -- building ---------------------------------------------------------------------------------
def circle_specs(profile: Profile) -> list[tuple[str, str, float, list[str], str, str]]:
    """The circles the profile sets: ``(rule, key, minutes, kinds, label_en, label_zh)``.

    桦南县's walking party-and-mass circle (``service_circle.party_mass_walk_minutes``, the
    centres only), 友谊县's community life circle (``service_circle.community_life_minutes``,
    every kind); a profile with neither gets GB 50180-2018's largest level
    (``service_circle.levels_minutes``) over every kind.

    Examples
    --------
    >>> from gridgov.org.profiles import load_profile
    >>> [(r, m) for r, _, m, *_ in circle_specs(load_profile("huanan"))]
    [('party_mass_walk_circle', 10.0)]
    >>> circle_specs(load_profile("youyi"))[0][4]
    '15-minute community life circle'
    """
    from gridgov.analysis._space import number, numbers, strings

    kinds = strings(profile, "service_circle.facility_kinds")
    out: list[tuple[str, str, float, list[str], str, str]] = []
    key = "service_circle.party_mass_walk_minutes"
    if profile.has(key) and "party_mass_service_centre" in kinds:
        m = number(profile, key)
        out.append(
            (
                "party_mass_walk_circle",
                key,
                m,
                ["party_mass_service_centre"],
                f"{m:g}-minute walking party-and-mass service circle",
                f"{m:g}分钟步行党群服务圈",
            )
        )
    key = "service_circle.community_life_minutes"
    if profile.has(key):
        m = number(profile, key)
        out.append(
            (
                "community_life_circle",
                key,
                m,
                kinds,
                f"{m:g}-minute community life circle",
                f"{m:g}分钟社区生活圈",
            )
        )
    if not out:
        key = "service_circle.levels_minutes"
        m = max(numbers(profile, key))
        out.append(
            (
                "",
                key,
                m,
                kinds,
                f"{m:g}-minute life circle (GB 50180-2018)",
                f"{m:g}分钟生活圈（GB 50180-2018）",
            )
        )
    return out


def build_analysis(
    structure: Structure,
    profile: Profile,
    day: dt.date,
    *,
    runs: int,
    seed: int,
    privacy: Privacy,
) -> SpatialAnalysis | None:
    """The section for ``structure`` (``None`` when it has no located points).

    The analyses run on the structure as given (where cadres live is what the cadre target
    measures); below the ``internal`` level the reasons that name a cadre become a count.
    """
    geo = structure.geography
    if geo is None or len(geo.points) == 0:
        return None
    import polars as pl

    if structure.reference_date != day:  # posts held and report-backs in force on the day
        structure = structure.model_copy(update={"reference_date": day})
    names: dict[str, str] = {
        a: n or ""
        for a, n in structure.areas.frame.filter(pl.col("level").is_in(["community", "grid"]))
        .select("id", "name")
        .iter_rows()
    }
    return SpatialAnalysis(
        circles=_circles(structure, profile, names),
        mobilisation=_mobilisation(structure, profile, names, runs, seed, privacy),
    )


def _circles(
    structure: Structure, profile: Profile, names: dict[str, str]
) -> tuple[ServiceCircle, ...]:
    import numpy as np

    from gridgov.analysis import service_circles

    specs = circle_specs(profile)
    wanted = sorted({k for spec in specs for k in spec[3]})
    sc = service_circles(structure, profile=profile, kinds=wanted)
    comm = np.asarray([c or "" for c in sc.communities])
    blds = np.asarray(sc.buildings)
    hh = np.asarray(sc.households)
    out = []
    for rule, key, minutes, kinds, en, zh in specs:
        ok = sc.minutes[:, [sc.kinds.index(k) for k in kinds]] <= minutes
        every = ok.all(axis=1)
        rows = []
        for c in sorted(set(comm.tolist())):
            mask = comm == c
            h, total = hh[mask], int(hh[mask].sum())
            ok_c = ok[mask]
            missing = blds[mask][~every[mask]].tolist()
            rows.append(
                CircleRow(
                    community=c,
                    community_name=names.get(c, ""),
                    buildings=int(mask.sum()),
                    households=total,
                    share_households={
                        k: float(h[ok_c[:, j]].sum() / total) if total else 1.0
                        for j, k in enumerate(kinds)
                    },
                    share_buildings={k: float(ok_c[:, j].mean()) for j, k in enumerate(kinds)},
                    uncovered_by_kind={k: int((~ok_c[:, j]).sum()) for j, k in enumerate(kinds)},
                    share_all=float(h[every[mask]].sum() / total) if total else 1.0,
                    uncovered=len(missing),
                    examples=tuple(missing[:5]),
                )
            )
        out.append(
            ServiceCircle(
                rule=rule,
                key=key,
                label_en=en,
                label_zh=zh,
                minutes=minutes,
                mode="walk",
                kinds=tuple(kinds),
                rows=tuple(rows),
            )
        )
    return tuple(out)


def _mobilisation(  # noqa: PLR0917  # the structure, its names and the run's settings
    structure: Structure,
    profile: Profile,
    names: dict[str, str],
    runs: int,
    seed: int,
    privacy: Privacy,
) -> MobilisationSummary:
    from gridgov.analysis import mobilisation

    m = mobilisation(structure, runs=runs, seed=seed, profile=profile)
    frame = m.to_frame()
    people = {p.id for p in structure.people}
    named = privacy.level not in ("internal", "full")
    grids = []
    for r in frame.iter_rows(named=True):
        g = r["grid"]
        en, zh = list(m.reasons.get(g, [])), list(m.reasons_zh.get(g, []))
        if named:
            en, zh = (
                _without_people(en, people, _EN["far"]),
                _without_people(zh, people, _ZH["far"]),
            )
        grids.append(
            GridReach(
                grid=g,
                name=names.get(g, ""),
                p_reach=float(r["p_reach"]),
                p_reach_low=float(r["p_reach_low"]),
                p_reach_high=float(r["p_reach_high"]),
                reach_median=float(r["reach_median"]),
                p_cadres=float(r["p_cadres"]),
                p_cadres_low=float(r["p_cadres_low"]),
                p_cadres_high=float(r["p_cadres_high"]),
                cadres_median=float(r["cadres_median"]),
                reasons_en=tuple(en),
                reasons_zh=tuple(zh),
            )
        )
    return MobilisationSummary(
        runs=m.runs,
        seed=m.seed,
        reach_target=m.reach_target,
        cadre_target=m.cadre_target,
        level=MISS_LEVEL,
        grids=tuple(grids),
        misses=tuple(m.misses(MISS_LEVEL)),
    )


def _without_people(reasons: list[str], people: set[str], template: str) -> list[str]:
    """Reasons naming a person (a space-delimited id) replaced by one count of them."""
    kept = [r for r in reasons if not people & set(r.split())]
    n = len(reasons) - len(kept)
    return [*kept, template.format(n=n)] if n else kept


# -- text and Markdown ------------------------------------------------------------------------
def circle_table(c: ServiceCircle, lang: Lang) -> tuple[list[str], list[list[object]]]:
    """Headers and rows of a circle's coverage table (shares as percentages)."""
    t = _t(lang)
    headers = [
        t["community"],
        t["name"],
        *(kind_label(k, lang) for k in c.kinds),
    ]
    if len(c.kinds) > 1:
        headers.append(t["all_kinds"])
    headers.append(t["uncovered"])
    rows: list[list[object]] = []
    for r in c.rows:
        row: list[object] = [r.community, r.community_name]
        row += [_pct(r.share_households[k]) for k in c.kinds]
        if len(c.kinds) > 1:
            row.append(_pct(r.share_all))
        missing = str(r.uncovered)
        if r.examples:
            missing += f" ({t['e.g.']} {', '.join(r.examples[:3])})"
        row.append(missing)
        rows.append(row)
    return headers, rows


def mobilisation_lines(m: MobilisationSummary, lang: Lang) -> list[str]:
    """The paragraph under the mobilisation heading: targets, spread over grids, misses."""
    import statistics

    t = _t(lang)
    level = f"{100 * m.level:.0f}%"
    out = [
        t["mob_meta"].format(reach=m.reach_target, cadre=m.cadre_target, runs=m.runs, seed=m.seed)
    ]
    if not m.grids:
        return out
    for attr, key, target in (
        ("p_reach", "p_reach", m.reach_target),
        ("p_cadres", "p_cadres", m.cadre_target),
    ):
        values = [getattr(g, attr) for g in m.grids]
        low = min(m.grids, key=lambda g: (getattr(g, attr), g.grid))
        out.append(
            t["spread"].format(
                label=t[key].format(t=target),
                mid=_pct(statistics.median(values)),
                lo=_pct(getattr(low, attr)),
                grid=low.grid,
                ok=sum(1 for v in values if v >= m.level),
                n=len(values),
                level=level,
            )
        )
    out.append(t["misses"].format(n=len(m.misses), level=level))
    return out


def worst_table(
    m: MobilisationSummary, lang: Lang, n: int | None = WORST
) -> tuple[list[str], list[list[object]]]:
    """Headers and rows of the grids least likely to meet a target, with the reasons."""
    t = _t(lang)
    sep = "；" if lang == "zh" else "; "
    headers = [
        t["grid"],
        t["name"],
        t["p_reach"].format(t=m.reach_target),
        t["p_cadres"].format(t=m.cadre_target),
        t["why"],
    ]
    rows: list[list[object]] = [
        [
            g.grid,
            g.name,
            f"{_pct(g.p_reach)} ({_pct(g.p_reach_low)}–{_pct(g.p_reach_high)})",
            f"{_pct(g.p_cadres)} ({_pct(g.p_cadres_low)}–{_pct(g.p_cadres_high)})",
            sep.join(g.reasons(lang)) or t["no_cause"],
        ]
        for g in m.worst(n)
    ]
    return headers, rows


def render_analysis(r: Any, a: SpatialAnalysis, lang: Lang) -> None:
    """Print the section with a text/Markdown renderer (``render._Renderer``)."""
    t = _t(lang)
    if a.circles:
        r.heading(t["circles"])
        for c in a.circles:
            r.heading(c.label(lang), level=3)
            brk = "  " if r.md else ""
            meta = t["circle_meta"].format(minutes=f"{c.minutes:g}", mode=t[c.mode], key=c.key)
            r.para(meta + brk)
            r.para(t["circle_gap"].format(n=c.uncovered, minutes=f"{c.minutes:g}") + brk)
            r.lines.append("")
            r.table(*circle_table(c, lang))
    m = a.mobilisation
    if m is not None:
        r.heading(t["mob"].format(reach=m.reach_target, cadre=m.cadre_target))
        for line in mobilisation_lines(m, lang):
            r.para(line + ("  " if r.md else ""))
        if m.grids:
            r.heading(t["worst"], level=3)
            r.table(*worst_table(m, lang))


# -- HTML -------------------------------------------------------------------------------------
def analysis_html(p: Any) -> str:
    """The HTML section (an entry of :data:`gridgov.report.html.SECTIONS`)."""
    from gridgov.report import svg
    from gridgov.report.html import _figure, _section

    a: SpatialAnalysis | None = p.report.analysis
    if a is None:
        return ""
    lang: Lang = p.lang
    t = _t(lang)
    e = svg.escape_text
    parts: list[str] = []
    for c in a.circles:
        parts.append(f"<h3>{e(c.label(lang))}</h3>")
        meta = t["circle_meta"].format(minutes=f"{c.minutes:g}", mode=t[c.mode], key=c.key)
        gap = t["circle_gap"].format(n=c.uncovered, minutes=f"{c.minutes:g}")
        parts.append(f'<p class="note">{e(meta)}</p><p>{e(gap)}</p>')
        caption = t["cov_chart"].format(label=c.label(lang))
        ranked = sorted(c.rows, key=lambda r: (r.share_all, r.community))[:CHART_GRIDS]
        if len(ranked) == len(c.rows):
            ranked = list(c.rows)  # all of them: in the table's order
        items = [(r.community_name or r.community, round(100 * r.share_all, 1)) for r in ranked]
        parts.append(_figure(caption, svg.bar_chart(items, title=caption)))
        if len(ranked) < len(c.rows):
            note = t["cov_shown"].format(n=len(ranked), total=len(c.rows))
            parts.append(f'<p class="note">{e(note)}</p>')
        parts.append(p.table(*circle_table(c, lang)))
    m = a.mobilisation
    if m is not None:
        title = t["mob"].format(reach=m.reach_target, cadre=m.cadre_target)
        parts.append(f"<h3>{e(title)}</h3>")
        parts += [f"<p>{e(line)}</p>" for line in mobilisation_lines(m, lang)]
        if m.grids:
            shown = m.worst(CHART_GRIDS)
            caption = t["chart"].format(level=f"{100 * m.level:.0f}%")
            series = (
                t["p_reach"].format(t=m.reach_target),
                t["p_cadres"].format(t=m.cadre_target),
            )
            chart = svg.interval_chart(
                [
                    (
                        g.name or g.grid,
                        (
                            (g.p_reach, g.p_reach_low, g.p_reach_high),
                            (g.p_cadres, g.p_cadres_low, g.p_cadres_high),
                        ),
                    )
                    for g in shown
                ],
                title=caption,
                series=series,
                mark=m.level,
            )
            parts.append(_figure(caption, chart))
            if len(shown) < len(m.grids):
                note = t["chart_shown"].format(n=len(shown), total=len(m.grids))
                parts.append(f'<p class="note">{e(note)}</p>')
            parts.append(f"<h3>{e(t['worst'])}</h3>")
            parts.append(p.table(*worst_table(m, lang)))
    if not parts:
        return ""
    return _section("analysis", t["section"], "".join(parts))
