"""Print a :class:`~gridgov.report.model.Report` as text, Markdown, JSON or HTML, in two languages.

``lang="en"`` prints English headings and messages; ``lang="zh"`` prints Chinese ones (labels
come from the bilingual vocabularies, ``label_zh``, and each finding's ``message_zh``). Text
tables align Chinese characters by their display width (two columns each). JSON is the report
itself (``Report.model_dump_json``), complete and language-neutral: it carries both languages'
messages.

Long tables (a city has thousands of grids) are cut at ``max_rows`` rows in text and Markdown,
with a line saying how many were left out; ``max_rows=None`` prints everything.

Examples
--------
>>> from gridgov.report.model import Report, Summary
>>> r = Report(title="演示", reference_date="2024-06-30", profile="default",
...            summary=Summary(grids=2, households=480))
>>> print(render(r, lang="zh").splitlines()[0])
gridgov 报告：演示
>>> print(render(r, "md").splitlines()[0])
# gridgov report: 演示
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from typing import Literal

from gridgov.org.vocab import AreaLevel, PostKind, Sector
from gridgov.report.model import AssessmentSummary, Coverage, Report, RollupRow

__all__ = ["RENDER_FORMATS", "RenderFormat", "render"]

RenderFormat = Literal["text", "md", "json", "html"]
Lang = Literal["en", "zh"]
#: Formats :func:`render` prints.
RENDER_FORMATS: tuple[str, ...] = ("text", "md", "json", "html")

_EN = {
    "title": "gridgov report: {title}",
    "meta": "reference date {date} · profile {profile}",
    "summary": "Summary",
    "rules": "Rules of profile {profile}: {passed} of {total} passed",
    "pass": "pass",
    "fail": "FAIL",
    "findings_n": "{n} finding(s)",
    "findings": "Findings",
    "by_severity": "{error} error(s), {warning} warning(s), {info} info",
    "none": "none",
    "rollup": "Roll-up by {level}",
    "spread": "{n} {plural}; households per {level}: min {lo}, median {mid}, max {hi}",
    "cross": "Cross-appointments",
    "pairs": "Community–company entry (双向进入)",
    "two_way": "two-way",
    "one_way": "one way",
    "coverage": "Coverage",
    "cov_building": "buildings with a building head",
    "cov_unit": "units with a unit head",
    "cov_household": "households with a linked party member",
    "missing_eg": "e.g. without: {ids}",
    "more": "… and {n} more",
    "rule": "rule",
    "severity": "severity",
    "result": "result",
    "id": "id",
    "name": "name",
    "person": "person",
    "post": "post",
    "organisation": "organisation",
    "then": "concurrent post",
    "sectors": "sectors",
    "community": "community",
    "company": "company",
    "c2p": "community→company",
    "p2c": "company→community",
    "entry": "entry",
    "colon": ": ",
    "semi": "; ",
    "error": "error",
    "warning": "warning",
    "info": "info",
    "assessment": "Assessment: {label}",
    "assess_meta": "scheme {scheme} · period {start} to {end} · {n} subject(s)",
    "red": "red list",
    "black": "black list",
    "ranking": "Ranking",
    "rank": "rank",
    "score": "score",
    "grade": "grade",
    "list": "list",
    "reason": "reason",
    "suppressed": "public: counts of people and households from 1 to {k1} are shown as {mark}, "
    "and cells hidden so that none can be recovered from a total as x; no person-level item; "
    "findings counted per rule, not listed",
    "spread_hidden": " ({n} not shown)",
}
_ZH = {
    "title": "gridgov 报告：{title}",
    "meta": "参考日期 {date} · 规则配置 {profile}",
    "summary": "概况",
    "rules": "规则配置 {profile}：{total} 条规则，通过 {passed} 条",
    "pass": "通过",
    "fail": "未通过",
    "findings_n": "{n} 个问题",
    "findings": "问题清单",
    "by_severity": "错误 {error} 个，警告 {warning} 个，提示 {info} 个",
    "none": "无",
    "rollup": "按{level}汇总",
    "spread": "共 {n} 个{plural}；每个{level}户数：最少 {lo}，中位 {mid}，最多 {hi}",
    "cross": "交叉任职",
    "pairs": "社区与物业企业双向进入",
    "two_way": "双向",
    "one_way": "单向",
    "coverage": "覆盖情况",
    "cov_building": "有楼长的楼栋",
    "cov_unit": "有单元长的单元",
    "cov_household": "有党员联系的户",
    "missing_eg": "例如未覆盖：{ids}",
    "more": "……另有 {n} 条",
    "rule": "规则",
    "severity": "级别",
    "result": "结果",
    "id": "编号",
    "name": "名称",
    "person": "人员",
    "post": "岗位",
    "organisation": "组织",
    "then": "兼任岗位",
    "sectors": "领域",
    "community": "社区",
    "company": "物业企业",
    "c2p": "社区→企业",
    "p2c": "企业→社区",
    "entry": "进入方式",
    "colon": "：",
    "semi": "；",
    "error": "错误",
    "warning": "警告",
    "info": "提示",
    "assessment": "考核评价：{label}",
    "assess_meta": "方案 {scheme} · 期间 {start} 至 {end} · 共 {n} 家",
    "red": "红榜",
    "black": "黑榜",
    "ranking": "排名",
    "rank": "名次",
    "score": "得分",
    "grade": "等级",
    "list": "榜单",
    "reason": "原因",
    "suppressed": "公开级别：1 至 {k1} 的人员和户数显示为 {mark}，为防止由合计反推而隐藏的"
    "单元格显示为 x；不含个人层面信息；问题只按规则计数，不逐条列出",
    "spread_hidden": "（{n} 个未显示）",
}
_SUMMARY: dict[str, tuple[str, str]] = {
    "streets": ("streets", "街道"),
    "communities": ("communities", "社区"),
    "grids": ("grids", "网格"),
    "buildings": ("buildings", "楼栋"),
    "units": ("units", "单元"),
    "households": ("households", "户数"),
    "residents": ("residents", "居民"),
    "compounds": ("compounds", "小区"),
    "organisations": ("organisations", "组织"),
    "party_organisations": ("party organisations", "党组织"),
    "people": ("people", "人员"),
    "party_members": ("party members", "党员"),
    "posts": ("posts", "岗位"),
    "posts_filled": ("posts filled", "在岗岗位"),
    "posts_vacant": ("posts vacant", "空缺岗位"),
    "appointments": ("appointments", "任职"),
    "cross_appointments": ("cross-appointments", "交叉任职"),
    "linked_households": ("linked households", "党员联系户"),
    "report_backs": ("report-backs", "在职党员报到"),
    "agreements": ("co-building agreements", "共建协议"),
    "projects": ("projects", "共建项目"),
    "joint_committees": ("joint committees", "大党委"),
}
_PLURAL = {
    AreaLevel.DISTRICT: "districts / counties",
    AreaLevel.STREET: "streets / towns",
    AreaLevel.COMMUNITY: "communities",
    AreaLevel.GRID: "grids",
}
_COUNTS: dict[str, tuple[str, str]] = {
    "households": ("households", "户数"),
    "residents": ("residents", "居民"),
    "party_members": ("party members", "党员"),
    "posts": ("posts", "岗位"),
    "posts_filled": ("filled", "在岗"),
    "posts_vacant": ("vacant", "空缺"),
    "linked_households": ("linked", "联系户"),
}


def render(
    report: Report,
    format: RenderFormat = "text",  # noqa: A002  # the public parameter name the CLI mirrors
    lang: Lang = "en",
    *,
    max_rows: int | None = 25,
) -> str:
    """The report as text, Markdown (``"md"``), JSON or HTML, in English or Chinese.

    Parameters
    ----------
    report
        The report (:func:`~gridgov.report.build_report`).
    format
        ``"text"``, ``"md"``, ``"json"`` or ``"html"`` (one self-contained page with charts:
        :func:`gridgov.report.html.render_html`).
    lang
        ``"en"`` or ``"zh"`` (ignored by JSON, which carries both).
    max_rows
        Rows shown per table in text, Markdown and HTML; ``None`` shows all.

    Returns
    -------
    str
        The rendered report, ending with a newline.

    Raises
    ------
    ValueError
        For an unknown format or language (the message lists the valid ones).
    """
    if format not in RENDER_FORMATS:
        raise ValueError(f"unknown format {format!r}; choose one of {', '.join(RENDER_FORMATS)}")
    if lang not in ("en", "zh"):
        raise ValueError(f"unknown language {lang!r}; choose 'en' or 'zh'")
    if format == "json":
        return report.model_dump_json(indent=2) + "\n"
    if format == "html":
        from gridgov.report.html import render_html  # it reuses this module's strings

        return render_html(report, lang, max_rows=max_rows)
    return _Renderer(report, lang, md=format == "md", max_rows=max_rows).render()


class _Renderer:
    def __init__(self, report: Report, lang: Lang, *, md: bool, max_rows: int | None) -> None:
        self.r = report
        self.lang = lang
        self.md = md
        self.max_rows = max_rows
        self.t = _ZH if lang == "zh" else _EN
        self.lines: list[str] = []
        self.rule_label = {
            x.rule: (x.label_zh or x.rule) if lang == "zh" else x.rule for x in report.rules
        }
        self.marks = Marks(report, lang)
        self.mark, self.val, self.num = self.marks.mark, self.marks.val, self.marks.num

    # -- layout helpers -----------------------------------------------------------------
    def heading(self, text: str, level: int = 2) -> None:
        if self.md:
            self.lines += ["", "#" * level + " " + text, ""]
        elif level == 1:
            self.lines += [text, "=" * _width(text)]
        else:
            self.lines += ["", text, "-" * _width(text)]

    def para(self, text: str) -> None:
        self.lines.append(text if self.md else f"  {text}" if text else "")

    def table(self, headers: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
        shown = rows if self.max_rows is None else rows[: self.max_rows]
        cells = [[self.mark if v is None else _cell(v) for v in row] for row in shown]
        numeric = [
            all(isinstance(row[i], int | float | Mark | None) for row in shown)
            for i in range(len(headers))
        ]
        if self.md:
            self.lines += ["", "| " + " | ".join(_md(h) for h in headers) + " |"]
            self.lines.append("|" + "|".join("---:" if n else "---" for n in numeric) + "|")
            self.lines += ["| " + " | ".join(_md(c) for c in row) + " |" for row in cells]
        else:
            widths = [_width(h) for h in headers]
            for row in cells:
                widths = [max(w, _width(c)) for w, c in zip(widths, row, strict=True)]
            self.lines.append(_line(headers, widths, numeric))
            self.lines.append("  " + "  ".join("-" * w for w in widths))
            self.lines += [_line(row, widths, numeric) for row in cells]
        if len(rows) > len(shown):
            if self.md:
                self.lines.append("")
            self.para(self.t["more"].format(n=len(rows) - len(shown)))

    # -- sections -----------------------------------------------------------------------
    def render(self) -> str:
        t, r = self.t, self.r
        self.heading(t["title"].format(title=r.title or "—"), level=1)
        profile = r.profile
        if r.profile_label_zh:
            profile += (
                f"（{r.profile_label_zh}）" if self.lang == "zh" else f" ({r.profile_label_zh})"
            )
        self.lines.append("")
        self.para(t["meta"].format(date=r.reference_date.isoformat(), profile=profile))
        if r.suppressed_below is not None:
            self.para(t["suppressed"].format(k1=r.suppressed_below - 1, mark=self.mark))
        self.summary()
        self.rules()
        self.findings()
        for level, rows in r.rollups.items():
            self.rollup(AreaLevel(level), rows)
        self.crosses()
        self.pairs()
        self.coverage()
        if r.analysis is not None:
            from gridgov.report._analysis import render_analysis

            render_analysis(self, r.analysis, self.lang)
        if r.assessment is not None:
            self.assessment(r.assessment)
        return re.sub(r"\n{3,}", "\n\n", "\n".join(self.lines)).strip("\n") + "\n"

    def summary(self) -> None:
        self.heading(self.t["summary"])
        data = self.r.summary.model_dump()
        pairs = [(k, _SUMMARY[k][1 if self.lang == "zh" else 0], v) for k, v in data.items()]
        sep = "；" if self.lang == "zh" else "; "
        groups = [pairs[0:5], pairs[5:8], pairs[8:12], pairs[12:17], pairs[17:]]
        for group in groups:
            if self.lang == "zh":
                text = sep.join(f"{k} {self.num(v, f'summary::{c}')}" for c, k, v in group)
            else:
                text = sep.join(f"{self.num(v, f'summary::{c}')} {k}" for c, k, v in group)
            self.para(text + ("  " if self.md else ""))

    def rules(self) -> None:
        t, r = self.t, self.r
        passed = sum(1 for x in r.rules if x.passed)
        self.heading(t["rules"].format(profile=r.profile, passed=passed, total=len(r.rules)))
        rows = []
        for x in r.rules:
            label = x.label_zh if self.lang == "zh" else x.label_en
            result = (
                t["pass"]
                if x.passed
                else f"{t['fail']}{t['colon']}" + t["findings_n"].format(n=x.findings)
            )
            rows.append([x.rule, label, t[x.severity], result])
        self.table([t["rule"], t["name"], t["severity"], t["result"]], rows)

    def findings(self) -> None:
        t, r = self.t, self.r
        self.heading(
            f"{t['findings']} ({len(r.findings)})"
            if self.lang == "en"
            else f"{t['findings']}（{len(r.findings)}）"
        )
        if not r.findings:
            self.para(t["none"])
            return
        self.para(t["by_severity"].format(**r.counts_by_severity()))
        self.lines.append("")
        shown = r.findings if self.max_rows is None else r.findings[: self.max_rows]
        for f in shown:
            line = f"{t[f.severity]} [{self.rule_label.get(f.rule, f.rule)}] {f.text(self.lang)}"
            self.lines.append(f"- {_md(line)}" if self.md else f"  {line}")
        if len(r.findings) > len(shown):
            self.para(t["more"].format(n=len(r.findings) - len(shown)))

    def rollup(self, level: AreaLevel, rows: Sequence[RollupRow]) -> None:
        t = self.t
        label = level.label(self.lang)
        self.heading(t["rollup"].format(level=label))
        counts = sorted(x.households for x in rows if x.households is not None)
        if counts:
            mid = (
                counts[len(counts) // 2]
                if len(counts) % 2
                else (counts[len(counts) // 2 - 1] + counts[len(counts) // 2]) / 2
            )
            self.para(
                t["spread"].format(
                    n=len(rows),
                    level=label,
                    plural=label if self.lang == "zh" else _PLURAL[level],
                    lo=_num(counts[0]),
                    mid=_num(mid),
                    hi=_num(counts[-1]),
                )
                + (
                    t["spread_hidden"].format(n=len(rows) - len(counts))
                    if len(rows) > len(counts)
                    else ""
                )
            )
            self.lines.append("")
        keys = list(_COUNTS)
        headers = [t["id"], t["name"], *(_COUNTS[k][1 if self.lang == "zh" else 0] for k in keys)]
        table = [
            [x.id, x.name, *(self.val(f"{level.value}:{x.id}:{k}", getattr(x, k)) for k in keys)]
            for x in rows
        ]
        self.table(headers, table)

    def crosses(self) -> None:
        t, r = self.t, self.r
        self.heading(
            f"{t['cross']} ({len(r.cross_appointments)})"
            if self.lang == "en"
            else f"{t['cross']}（{len(r.cross_appointments)}）"
        )
        if not r.cross_appointments:
            self.para(t["none"])
            return
        rows = []
        for x in r.cross_appointments:
            first = PostKind(x.first_post_kind).label(self.lang)
            second = PostKind(x.second_post_kind).label(self.lang)
            sectors = " → ".join(
                Sector(s).label_zh if self.lang == "zh" else Sector(s).value for s in x.sectors
            )
            rows.append(
                [
                    f"{x.person} {x.name}".strip(),
                    f"{first} · {x.first_organisation_name or x.first_organisation}",
                    f"{second} · {x.second_organisation_name or x.second_organisation}",
                    sectors,
                ]
            )
        self.table([t["person"], t["post"], t["then"], t["sectors"]], rows)

    def pairs(self) -> None:
        t, r = self.t, self.r
        if not r.entry_pairs:
            return
        self.heading(t["pairs"])
        rows = [
            [
                f"{p.community} {p.community_name}".strip(),
                f"{p.company} {p.company_name}".strip(),
                p.community_to_company,
                p.company_to_community,
                t["two_way"] if p.two_way else t["one_way"],
            ]
            for p in r.entry_pairs
        ]
        self.table([t["community"], t["company"], t["c2p"], t["p2c"], t["entry"]], rows)

    def coverage(self) -> None:
        t, r = self.t, self.r
        self.heading(t["coverage"])
        for c in r.coverage:
            self.para(coverage_line(c, t, self.marks) + ("  " if self.md else ""))

    def assessment(self, a: AssessmentSummary) -> None:
        t = self.t
        self.heading(t["assessment"].format(label=a.label(self.lang)))
        self.para(assessment_meta(a, self.lang))
        for name in ("red", "black"):
            rows = a.listed(name)
            self.heading(f"{t[name]}{t['colon']}{len(rows)}", level=3)
            if not rows:
                self.para(t["none"])
                continue
            self.table(*assessment_lists_table(a, name, self.lang))
        self.heading(t["ranking"], level=3)
        self.table(*assessment_ranking_table(a, self.lang))


Cells = tuple[list[str], list[list[object]]]


class Mark(str):
    """The mark of a suppressed cell (a number's column stays right-aligned around it)."""

    __slots__ = ()


class Marks:
    """How a report's suppressed cells print: ``<k`` (``＜k``), or ``x`` when complementary."""

    def __init__(self, report: Report, lang: Lang) -> None:
        self.mark = suppressed_mark(report, lang)
        self.others = frozenset(report.complementary)

    def val(self, path: str, value: object) -> object:
        """``value``, or the mark of the suppressed cell ``path`` (a :class:`Mark`)."""
        if value is not None:
            return value
        return Mark("x" if path in self.others else self.mark)

    def num(self, value: object, path: str = "") -> str:
        """A count as printed, or the mark of the suppressed cell ``path``."""
        return str(self.val(path, value)) if value is None else _num(value)


def coverage_line(c: Coverage, t: dict[str, str], marks: Marks) -> str:
    """One line of the coverage section: covered / total (share), e.g. ids not covered."""
    covered = None if c.total is None or c.uncovered is None else c.total - c.uncovered
    hidden = marks.num(c.uncovered, "summary::households_unlinked")
    share = hidden if c.covered_share is None else f"{100 * c.covered_share:.1f}%"
    text = (
        f"{t['cov_' + c.level]}{t['colon']}{hidden if covered is None else _num(covered)} / "
        f"{marks.num(c.total, 'summary::households')} ({share})"
    )
    if c.uncovered and c.examples and c.level != "household":
        text += t["semi"] + t["missing_eg"].format(ids=", ".join(c.examples[:5]))
    return text


def suppressed_mark(report: Report, lang: Lang) -> str:
    """How a suppressed count prints: ``<k`` (``＜k`` in Chinese), ``—`` outside ``public``."""
    if report.suppressed_below is None:
        return "—"
    from gridgov.report._suppress import marker

    return marker(report.suppressed_below, lang)


def assessment_meta(a: AssessmentSummary, lang: Lang) -> str:
    """The line under an assessment's heading: scheme, period (end inclusive), subjects."""
    import datetime as dt

    end = a.period[1] - dt.timedelta(days=1)
    t = _ZH if lang == "zh" else _EN
    return t["assess_meta"].format(
        scheme=a.scheme, start=a.period[0].isoformat(), end=end.isoformat(), n=len(a.rows)
    )


def assessment_lists_table(a: AssessmentSummary, name: str, lang: Lang) -> Cells:
    """Headers and rows of the red (``name="red"``) or black list table."""
    t = _ZH if lang == "zh" else _EN
    rows: list[list[object]] = [
        [x.rank, x.id, x.name, x.score, x.grade, x.reason(lang)] for x in a.rows if x.list == name
    ]
    return [t["rank"], t["id"], t["name"], t["score"], t["grade"], t["reason"]], rows


def assessment_ranking_table(a: AssessmentSummary, lang: Lang) -> Cells:
    """Headers and rows of the ranking table, best first."""
    t = _ZH if lang == "zh" else _EN
    rows: list[list[object]] = [
        [x.rank, x.id, x.name, x.score, x.grade, t[x.list] if x.list else ""] for x in a.rows
    ]
    return [t["rank"], t["id"], t["name"], t["score"], t["grade"], t["list"]], rows


def _width(text: str) -> int:
    """Display width: East Asian wide and full-width characters take two columns."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _line(cells: Sequence[str], widths: Sequence[int], right: Sequence[bool]) -> str:
    padded = (_pad(c, w, r) for c, w, r in zip(cells, widths, right, strict=True))
    return ("  " + "  ".join(padded)).rstrip()


def _pad(text: str, width: int, right: bool) -> str:
    gap = " " * (width - _width(text))
    return gap + text if right else text + gap


def _num(value: object) -> str:
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.1f}" if not value.is_integer() else f"{int(value):,}"
    return str(value)


def _cell(value: object) -> str:
    return _num(value) if isinstance(value, int | float) else str(value)


def _md(text: str) -> str:
    """Escape what Markdown would read as markup in a table cell or list item."""
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("*", "\\*").replace("_", "\\_")
