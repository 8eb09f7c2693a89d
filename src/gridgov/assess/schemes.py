"""Assessment schemes as data: which indicators, weights, raters, method, grades and lists.

Each shipped scheme is a TOML file in ``gridgov/assess/schemes/``; :func:`schemes` lists
them and :func:`load_scheme` reads one by name or from a user's file. A scheme names its
subject kind, its criteria (indicator ids with weights; ``rater_score`` is the multi-rater
aggregate of the ratings), the rater groups (weights from the locality profile), the scoring
method and normalisation, how a missing value is filled (``missing``), and either a credit
policy (grades, one-vote veto, red and black lists from :mod:`gridgov.scoring.credit`) or
score bands.

Examples
--------
>>> schemes()
['bozhou_property_redblack', 'huanan_grid_service', 'youyi_grid_service', \
'youyi_party_member_points']
>>> s = load_scheme("bozhou_property_redblack")
>>> [c.indicator for c in s.criteria]
['complaint_rate', 'resolution_rate', 'satisfaction', 'rater_score']
"""

from __future__ import annotations

import difflib
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from gridgov.errors import AssessError

__all__ = ["Band", "Criterion", "RaterSpec", "Scheme", "load_scheme", "schemes"]

#: The criterion id of the multi-rater aggregate.
RATER_SCORE = "rater_score"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Criterion(_Model):
    """One criterion: an indicator id (or ``rater_score``) and its weight.

    ``missing`` overrides the scheme's rule for a missing value for this criterion.
    """

    indicator: str = Field(min_length=1)
    weight: float = Field(ge=0, allow_inf_nan=False)
    missing: Literal["worst", "median", "error"] | None = None


class RaterGroupSpec(_Model):
    """A rater group of a scheme; its weight comes from the profile (``weights_key``)."""

    name: str = Field(min_length=1)
    label_zh: str = ""
    aggregate: Literal["mean", "median", "trimmed_mean"] = "mean"
    min_sample: int = Field(default=1, ge=1)


class RaterSpec(_Model):
    """The rater groups, the questionnaire item they score and where their weights are."""

    item: str = "overall"
    weights_key: str = Field(min_length=1)
    groups: tuple[RaterGroupSpec, ...]


class Band(_Model):
    """A grade band on the 0-100 score: ``score >= lower``, tried from the first band."""

    grade: str = Field(min_length=1)
    grade_en: str = ""
    lower: float


class Scheme(_Model):
    """An assessment scheme (see the module docstring)."""

    name: str = Field(min_length=1)
    label_en: str = ""
    label_zh: str = ""
    subject: Literal[
        "property_company", "grid", "community", "department", "party_member", "co_building_unit"
    ]
    profile: str = "default"
    source: str = Field(min_length=1)
    confidence: Literal["verified", "secondary", "assumed"]
    note: str = ""
    method: str = "weighted_sum"
    normalisation: Literal["minmax", "vector", "sum", "max"] = "minmax"
    missing: Literal["worst", "median", "error"] = "worst"
    credit_policy: str | None = None
    base_points: float = Field(default=100.0, gt=0)
    uses: tuple[str, ...] = ()
    criteria: tuple[Criterion, ...] = Field(min_length=1)
    raters: RaterSpec | None = None
    bands: tuple[Band, ...] = ()

    def indicator_ids(self) -> list[str]:
        """The criteria's indicator ids, without ``rater_score``."""
        return [c.indicator for c in self.criteria if c.indicator != RATER_SCORE]


def _shipped_dir() -> Any:
    return resources.files("gridgov.assess").joinpath("schemes")


def schemes() -> list[str]:
    """Names of the shipped schemes, sorted."""
    return sorted(
        p.name.removesuffix(".toml") for p in _shipped_dir().iterdir() if p.name.endswith(".toml")
    )


def _parse(text: str, origin: str) -> Scheme:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise AssessError(f"{origin}: not a readable TOML file: {exc}") from exc
    try:
        scheme = Scheme.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise AssessError(f"{origin}: invalid scheme: {problems}") from None
    if any(c.indicator == RATER_SCORE for c in scheme.criteria) and scheme.raters is None:
        raise AssessError(f"{origin}: criterion 'rater_score' needs a [raters] table")
    if scheme.credit_policy is None and not scheme.bands:
        raise AssessError(f"{origin}: a scheme needs a credit_policy or [[bands]]")
    return scheme


def load_scheme(name_or_path: str | Path | Scheme) -> Scheme:
    """A shipped scheme by name, or a scheme file (``.toml``).

    Raises
    ------
    AssessError
        An unknown name (the message lists the shipped ones) or an invalid file.

    Examples
    --------
    >>> load_scheme("bozhou_property_redblak")
    Traceback (most recent call last):
    ...
    gridgov.errors.AssessError: unknown scheme 'bozhou_property_redblak' (did you mean \
'bozhou_property_redblack'?); available: bozhou_property_redblack, huanan_grid_service, \
youyi_grid_service, youyi_party_member_points
    """
    if isinstance(name_or_path, Scheme):
        return name_or_path
    text = str(name_or_path)
    if text in schemes():
        return _parse(_shipped_dir().joinpath(f"{text}.toml").read_text("utf-8"), f"{text}.toml")
    path = Path(name_or_path)
    if path.suffix == ".toml" and path.is_file():
        from gridgov.io.safety import read_bounded

        return _parse(read_bounded(path).decode("utf-8"), str(path))
    close = difflib.get_close_matches(text, schemes(), n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    raise AssessError(f"unknown scheme {text!r}{hint}; available: {', '.join(schemes())}")
