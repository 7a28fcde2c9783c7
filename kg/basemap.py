"""The base maps the page's map view draws on, made from files shipped in ``kg/static``.

Earth's land is Natural Earth's 1:110m land outline (public domain) as the
``world-atlas`` package redistributes it in TopoJSON (ISC licence, see
``kg/static/world-atlas.LICENSE.txt``). It is decoded here, once a process,
into one SVG path in an equirectangular projection: x is longitude and y is
minus latitude, in degrees, so the page places a site at ``(lon, -lat)``. The
Moon and Mars get a graticule only: the story's sites sit at their real
selenographic and areographic coordinates on it.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib.resources import files

STATIC = files("kg") / "static"


def static_text(name: str) -> str:
    """A shipped asset (a JavaScript library, a licence, a map) as text."""
    return (STATIC / name).read_text(encoding="utf-8")


def _arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """The topology's arcs in degrees: TopoJSON stores them quantised and delta-encoded."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    decoded = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        decoded.append(points)
    return decoded


def _ring(arcs: list[list[tuple[float, float]]], indices: list[int]) -> list[tuple[float, float]]:
    """One ring: its arcs joined end to start; a negative index (``~i``) is arc ``i`` reversed."""
    points: list[tuple[float, float]] = []
    for index in indices:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc[1:] if points else arc)
    return points


@lru_cache(maxsize=1)
def earth_land_path() -> str:
    """Earth's land as the ``d`` of one SVG path (x = longitude, y = −latitude, degrees, 0.1° precision)."""
    topology = json.loads(static_text("land-110m.json"))
    arcs = _arcs(topology)
    parts = []
    for geometry in topology["objects"]["land"]["geometries"]:
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        for polygon in polygons:
            for ring in polygon:
                points = _ring(arcs, ring)
                parts.append("M" + "L".join(f"{x:.1f},{-y:.1f}" for x, y in points) + "Z")
    return "".join(parts)
