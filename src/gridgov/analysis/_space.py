"""Shared spatial helpers: profile values, projection to metres, the structure's points."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from gridgov.errors import Problem, ProfileError, StructureError, missing_extra

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from gridgov.org import Structure
    from gridgov.org.profiles import Profile, ProfileRef

Array = Any  # numpy arrays (kept loose for mypy on numpy's generics)


def profile_of(profile: ProfileRef | Profile) -> Profile:
    from gridgov.org.profiles import load_profile

    return load_profile(profile)


def number(profile: Profile, key: str) -> float:
    """A numeric profile value; anything else is a :class:`ProfileError` naming the key."""
    v = profile.get(key)
    if isinstance(v, bool) or not isinstance(v, int | float):
        raise ProfileError(f"profile {profile.name!r}: {key} must be a number (必须是数字)")
    return float(v)


def numbers(profile: Profile, key: str) -> list[float]:
    """A list of numbers from the profile."""
    v = profile.get(key)
    if not isinstance(v, list) or not all(
        isinstance(x, int | float) and not isinstance(x, bool) for x in v
    ):
        raise ProfileError(f"profile {profile.name!r}: {key} must be a list of numbers")
    return [float(x) for x in v]  # type: ignore[arg-type]  # checked just above


def strings(profile: Profile, key: str) -> list[str]:
    """A list of strings from the profile."""
    v = profile.get(key)
    if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
        raise ProfileError(f"profile {profile.name!r}: {key} must be a list of strings")
    return [str(x) for x in v]


def project(
    lon: NDArray[np.float64], lat: NDArray[np.float64], centre: tuple[float, float]
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """WGS84 degrees → metres in an azimuthal equidistant projection centred on ``centre``."""
    try:
        from pyproj import Transformer
    except ImportError:  # pragma: no cover - depends on the environment
        raise missing_extra("pyproj", "geo", "distances") from None
    proj = f"+proj=aeqd +lat_0={centre[1]} +lon_0={centre[0]} +datum=WGS84 +units=m"
    tr = Transformer.from_crs("EPSG:4326", proj, always_xy=True)
    x, y = tr.transform(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))
    return np.asarray(x, dtype=float), np.asarray(y, dtype=float)


@dataclass(frozen=True)
class Located:
    """The structure's points in metres about the locality's centre."""

    centre: tuple[float, float]
    ids: list[str]
    kind: NDArray[np.str_]
    subject: list[str | None]
    facility: list[str | None]
    x: NDArray[np.float64]
    y: NDArray[np.float64]

    def select(self, kind: str) -> tuple[list[str | None], NDArray[np.float64]]:
        """Subjects and ``(n, 2)`` coordinates of the points of one kind."""
        mask = self.kind == kind
        idx = np.flatnonzero(mask)
        return [self.subject[i] for i in idx], np.column_stack([self.x[idx], self.y[idx]])


def located(structure: Structure) -> Located:
    """Project the structure's points; a structure without geography is an error."""
    geo = structure.geography
    if geo is None or len(geo.points) == 0:
        raise StructureError(
            [
                Problem(
                    "no-geography",
                    "geography",
                    "the structure has no located points (结构没有位置数据); "
                    "add them or use gridgov.datasets.place",
                )
            ]
        )
    f = geo.points.frame
    lon = f.get_column("lon").to_numpy()
    lat = f.get_column("lat").to_numpy()
    centre = (float(np.median(lon)), float(np.median(lat)))
    x, y = project(lon, lat, centre)
    return Located(
        centre=centre,
        ids=f.get_column("id").to_list(),
        kind=np.asarray(f.get_column("kind").to_list()),
        subject=f.get_column("subject").to_list(),
        facility=f.get_column("facility").to_list(),
        x=x,
        y=y,
    )
