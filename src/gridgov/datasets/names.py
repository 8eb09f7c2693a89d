"""Invented Chinese names for synthetic data: people, streets, communities, compounds, companies.

Every name is drawn from word lists with a seeded :class:`numpy.random.Generator`, so the same
generator state gives the same names. Place and company names combine auspicious two-character
stems with the usual suffixes (和平社区, 幸福里小区, 鑫源物业服务有限公司); they are plausible
but invented, and the few proper names that occur in the seed reports (streets, communities,
compounds and people of 播州区, 桦南县 and 友谊县) are never produced. Person names are a
surname drawn by frequency plus one or two given-name characters; a random name may of
course coincide with a real person's, as any common name does, but no other personal detail
is ever attached to it.

Examples
--------
>>> import numpy as np
>>> names = person_names(np.random.default_rng(1), np.array([True, False, True]))
>>> len(names), all(2 <= len(n) <= 3 for n in names)
(3, True)
>>> community_names(np.random.default_rng(1), 3)[0].endswith("社区")
True
>>> company_names(np.random.default_rng(1), 2)[1].endswith("公司")
True
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

__all__ = [
    "SEED_NAMES",
    "co_building_unit_names",
    "community_names",
    "company_names",
    "compound_names",
    "person_names",
    "street_names",
    "unique_names",
]

#: Proper names that occur in the seed reports; generators never return them.
SEED_NAMES: frozenset[str] = frozenset(
    {
        # people named in the reports
        "付仕凤",
        "王成飞",
        "邵婷婷",
        "梁正仙",
        "宋正芬",
        "赵勇",
        # streets, communities and compounds named in the reports
        "桂花桥街道",
        "影山湖街道",
        "龙坑街道",
        "播南街道",
        "遵南社区",
        "白龙社区",
        "火车站社区",
        "保利社区",
        "福庆社区",
        "铁东社区",
        "新建社区",
        "佳慧小区",
        "中凯华府小区",
    }
)

# Surnames with rough relative frequencies (86 common Han surnames).
_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶"
    "程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾"
)
_SURNAME_WEIGHTS = (
    [7.2, 7.0, 6.8, 5.4, 4.5, 3.1, 2.2, 2.0, 1.8, 1.7, 1.4, 1.3, 1.2, 1.2, 1.1, 1.1, 1.0, 0.9]
    + [0.9, 0.8, 0.8, 0.7, 0.7, 0.7, 0.6, 0.6, 0.6, 0.5, 0.5, 0.5, 0.5, 0.5, 0.45, 0.45, 0.45]
    + [0.4] * 51
)


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


_GIVEN_MALE = (
    "伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宁林海峰建国志文俊东浩宇龙成亮健永新春庆福德宏洪忠昌"
)
_GIVEN_FEMALE = "芳娜敏静丽艳娟霞燕玲桂英秀兰萍红梅琳洁婷雪慧颖倩琴云莉凤荣珍玉翠淑华丹晶月欣彩"

_STREET_STEMS = _words(
    """
    龙泉 桂园 东湖 西城 南山 北关 新华 文化 人民 解放 胜利 站前 河东 河西 兴华 光华
    红星 育才 长青 青山 松江 柳林 金桥 城南 城北 东山 西湖 中山 建设 新城 滨河 沿江
    平安 朝阳 永兴 安顺 太平 新兴 通达 丰乐 富强 向阳 清河 锦江 石桥 枫桥 双井 兴隆
    """
)
_COMMUNITY_STEMS = _words(
    """
    和平 幸福 光明 团结 繁荣 振兴 康乐 锦绣 阳光 春晖 民主 长安 兴隆 安康 祥和 丰收
    建国 新村 育英 文明 朝阳 曙光 红旗 东风 前进 先锋 向阳 永安 翠湖 秀水 金山 银河
    星光 新民 康宁 吉祥 瑞丰 富民 惠民 利民 兴民 安民 泰和 嘉禾 紫荆 丁香 桃源 柳岸
    松林 枫林 梧桐 杏坛 三江 五一 友爱 和谐 百合 明珠 怡园 华苑 青年 胜利 北苑 南苑
    东苑 西苑 荷花 牡丹
    """
)
_DIRECTIONS = ("", "东", "西", "南", "北", "中", "新")
_COMPOUND_STEMS = _words(
    """
    鑫源 锦华 金色 翠园 阳光 幸福 春天 盛世 御景 江南 书香 水岸 绿洲 紫金 宏达 华庭
    欣苑 康居 安居 和谐 祥瑞 富康 丽景 明珠 金地 银座 嘉禾 润泽 景苑 馨园 福苑 泰和
    怡景 华府 翠柳 梅园 兰亭 竹韵 松鹤 桂香 荷塘 月亮湾 枫丹 丽都 清华 育才 电力 粮食
    林业 纺织 化工
    """
)
_COMPOUND_SUFFIXES = (
    "小区",
    "小区",
    "花园",
    "家园",
    "嘉园",
    "苑",
    "雅苑",
    "里小区",
    "新城",
    "公寓",
)
_COMPANY_STEMS = _words(
    """
    鑫源 恒信 安居 诚信 德泰 宏达 众诚 瑞祥 嘉和 永盛 泰安 华信 正和 佳美 宜居 康居
    润泽 天成 久安 恒泰 和顺 金盾 佳和 博远 同心 合力 盈丰 兴业 广厦 信诚 顺达 长盛
    鼎盛 汇泽 安泰 福瑞 宏源 盛源 聚德 华宇 新元 友邦 腾达 明德 睿和 馨家 乐居 惠泽
    福满 居安
    """
)
_COMPANY_SUFFIXES = ("物业服务有限公司", "物业管理有限公司", "物业服务有限责任公司")

_AGENCIES = _words(
    """
    财政局 民政局 教育局 卫生健康局 住房和城乡建设局 自然资源局
    交通运输局 农业农村局 水务局 文化广电和旅游局 市场监督管理局 应急管理局
    人力资源和社会保障局 生态环境分局 统计局 审计局 医疗保障局 退役军人事务局
    税务局 供销合作社 工商业联合会 总工会 团委 妇联
    科协 残联 档案馆 图书馆 融媒体中心 疾病预防控制中心
    林业和草原局 商务局 发展和改革局 司法局 信访局
    """
)
_SCHOOLS = _words(
    """
    第一中学 第二中学 第三中学 实验小学 第一小学 第二小学
    实验幼儿园 职业技术学校
    """
)
_HOSPITALS = _words(
    """
    人民医院 中医医院 妇幼保健院 社区卫生服务中心
    """
)
_INDUSTRIES = _words(
    """
    建材 食品 商贸 物流 电子 纺织 农业科技 粮油 酒业 建筑工程 信息技术 餐饮
    """
)


def _choice(rng: np.random.Generator, items: Sequence[str], n: int) -> list[str]:
    idx = rng.integers(0, len(items), size=n)
    return [items[i] for i in idx.tolist()]


def person_names(rng: np.random.Generator, male: npt.NDArray[np.bool_] | list[bool]) -> list[str]:
    """Random names, one per entry of ``male`` (given-name characters follow the gender).

    Parameters
    ----------
    rng : numpy.random.Generator
        Source of randomness.
    male : array of bool
        Whether each person is male.

    Returns
    -------
    list of str
        Surname + one (35 %) or two (65 %) given-name characters; never a name from the
        seed reports (:data:`SEED_NAMES`).

    Examples
    --------
    >>> import numpy as np
    >>> a = person_names(np.random.default_rng(7), [True] * 4)
    >>> a == person_names(np.random.default_rng(7), [True] * 4)
    True
    """
    import numpy as np
    import polars as pl

    is_male = np.asarray(male, dtype=bool)
    n = int(is_male.size)
    weights = np.asarray(_SURNAME_WEIGHTS, dtype=np.float64)
    sur = rng.choice(len(_SURNAMES), size=n, p=weights / weights.sum())
    two = rng.random(n) < 0.65
    n_m, n_f = len(_GIVEN_MALE), len(_GIVEN_FEMALE)
    g1 = rng.integers(0, n_m * n_f, size=n)
    g2 = rng.integers(0, n_m * n_f, size=n)
    # one table of given-name characters: male ones first, then female ones
    chars = pl.Series(list(_GIVEN_MALE + _GIVEN_FEMALE), dtype=pl.String)
    first = np.where(is_male, g1 % n_m, n_m + g1 % n_f)
    second = np.where(is_male, g2 % n_m, n_m + g2 % n_f)
    frame = pl.DataFrame(
        {
            "s": pl.Series(list(_SURNAMES), dtype=pl.String).gather(sur),
            "a": chars.gather(first),
            "b": chars.gather(second).zip_with(pl.Series(two), pl.Series([""] * n)),
        }
    )
    names = frame.select(pl.concat_str("s", "a", "b").alias("n")).get_column("n")
    clash = names.is_in(pl.Series(sorted(SEED_NAMES)).implode())
    if clash.any():  # a seed name: add a third character
        names = pl.select(
            pl.when(pl.lit(clash)).then(names + chars.gather(first)).otherwise(names)
        ).to_series()
    out: list[str] = names.to_list()
    return out


def unique_names(
    rng: np.random.Generator,
    n: int,
    stems: Sequence[str],
    suffixes: tuple[str, ...],
    *,
    prefixes: tuple[str, ...] = ("",),
    exclude: frozenset[str] = SEED_NAMES,
) -> list[str]:
    """``n`` distinct names ``prefix + stem + suffix`` in random order.

    When the combinations run out, further names repeat a combination with an ordinal
    (``和平二社区``-style: ``"{stem}{k}{suffix}"``), so any ``n`` can be served.

    Examples
    --------
    >>> import numpy as np
    >>> names = unique_names(np.random.default_rng(0), 5, ["和平", "幸福"], ("社区",))
    >>> len(set(names)), {"和平社区", "幸福社区", "和平2社区", "幸福2社区"} <= set(names)
    (5, True)
    """
    combos = [p + s + x for p in prefixes for s in stems for x in suffixes]
    combos = [c for c in dict.fromkeys(combos) if c not in exclude]
    order = rng.permutation(len(combos)).tolist()
    out = [combos[i] for i in order[:n]]
    k = 2
    while len(out) < n:
        for i in order:
            if len(out) >= n:
                break
            p_s_x = combos[i]
            suffix = next((x for x in suffixes if p_s_x.endswith(x)), "")
            out.append(f"{p_s_x[: len(p_s_x) - len(suffix)]}{k}{suffix}")
        k += 1
    return out


def street_names(rng: np.random.Generator, n: int) -> list[str]:
    """``n`` distinct street names (``龙泉街道``)."""
    return unique_names(rng, n, _STREET_STEMS, ("街道",))


def community_names(rng: np.random.Generator, n: int) -> list[str]:
    """``n`` distinct community names (``和平社区``, ``新华东社区``)."""
    if n <= len(_COMMUNITY_STEMS):
        return unique_names(rng, n, _COMMUNITY_STEMS, ("社区",))
    suffixes = tuple(f"{d}社区" for d in _DIRECTIONS)
    return unique_names(rng, n, _COMMUNITY_STEMS, suffixes)


def compound_names(rng: np.random.Generator, n: int) -> list[str]:
    """``n`` distinct residential-compound names (``幸福里小区``, ``锦华花园``)."""
    return unique_names(rng, n, _COMPOUND_STEMS, tuple(dict.fromkeys(_COMPOUND_SUFFIXES)))


def company_names(rng: np.random.Generator, n: int) -> list[str]:
    """``n`` distinct property-company names (``鑫源物业服务有限公司``)."""
    return unique_names(rng, n, _COMPANY_STEMS, _COMPANY_SUFFIXES)


def co_building_unit_names(
    rng: np.random.Generator, n: int, county: str = "县"
) -> list[tuple[str, str]]:
    """``n`` distinct co-building units as ``(name, category)``.

    Categories are ``"agency"``, ``"school"``, ``"hospital"``, ``"enterprise"`` and
    ``"bank"``; agencies, schools and hospitals carry the generic ``county`` prefix (``县``,
    ``区``), never a real county's name.

    Examples
    --------
    >>> import numpy as np
    >>> units = co_building_unit_names(np.random.default_rng(3), 4)
    >>> len({name for name, _ in units}), {c for _, c in units} <= {
    ...     "agency", "school", "hospital", "enterprise", "bank"}
    (4, True)
    """
    pool: list[tuple[str, str]] = [(county + a, "agency") for a in _AGENCIES]
    pool += [(county + s, "school") for s in _SCHOOLS]
    pool += [(county + h, "hospital") for h in _HOSPITALS]
    banks = ("农商银行", "邮政储蓄银行", "信用联社")
    branches = _choice(rng, _STREET_STEMS, len(banks))
    pool += [(f"{b}{s}支行", "bank") for b, s in zip(banks, branches, strict=True)]
    firms = [
        (f"{stem}{ind}有限公司", "enterprise") for stem in _COMPANY_STEMS for ind in _INDUSTRIES
    ]
    firm_order = rng.permutation(len(firms)).tolist()
    mixed = pool + [firms[i] for i in firm_order[: len(pool)]]
    rest = [firms[i] for i in firm_order[len(pool) :]]
    order = rng.permutation(len(mixed)).tolist()
    out = [mixed[i] for i in order[:n]] + rest[: max(0, n - len(mixed))]
    k = 2
    base = list(out)
    while len(out) < n:
        out += [(f"{name}第{k}分公司", cat) for name, cat in base[: n - len(out)]]
        k += 1
    return out[:n]
