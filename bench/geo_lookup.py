"""Point → area lookup: 1,000,000 random points among 20,000 grid cells (plus their parent areas).

Run: ``.venv/bin/python bench/geo_lookup.py [--points N] [--grids N]``

The areas are the demo city's plan (``places.demo.layout.plan_city``) at the scale that gives
about 20,000 grids, built into the same ``AreaIndex`` the application uses (no database needed).
Measured in the same run:

* **batched**: ``AreaIndex.locate_ids`` over all points at once (vectorised STRtree query,
  deepest level first) — the production path;
* **baseline A, per-point STRtree**: a plain Python loop calling ``tree.query(point,
  predicate="intersects")`` for each point (bbox-prefiltered by the tree, exact test by shapely),
  on a sample, extrapolated to points/s;
* **baseline B, naive loop**: a plain Python loop over every grid's bounding box, then
  ``shapely.intersects`` on the candidates, on a small sample, extrapolated.

Batched and baseline answers are compared on the sample (they must agree).
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

import shapely  # noqa: E402

from chuangcheng.places.demo.layout import plan_city  # noqa: E402
from chuangcheng.places.lookup import index_from_rows  # noqa: E402


def cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=1_000_000)
    parser.add_argument("--grids", type=int, default=20_000)
    parser.add_argument("--sample", type=int, default=20_000, help="points for baseline A")
    parser.add_argument("--naive-sample", type=int, default=500, help="points for baseline B")
    args = parser.parse_args()

    started = time.perf_counter()
    plan = plan_city(max(1, round(args.grids / 2000)))
    areas = plan.areas + plan.grids
    ids = {area.code: n for n, area in enumerate(areas, start=1)}
    rows = [(ids[a.code], a.code, a.level, ids.get(a.parent_code), a.geometry) for a in areas]
    plan_s = time.perf_counter() - started
    started = time.perf_counter()
    index = index_from_rows(rows, "bench")
    build_s = time.perf_counter() - started

    rng = np.random.default_rng(42)
    min_lng, min_lat, max_lng, max_lat = plan.bounds  # the demo city's bounding box (淮北市)
    lngs = rng.uniform(min_lng, max_lng, args.points)
    lats = rng.uniform(min_lat, max_lat, args.points)

    started = time.perf_counter()
    found = index.locate_ids(lngs, lats)
    batched_s = time.perf_counter() - started
    batched_rate = args.points / batched_s

    grid_level = index.levels[0]
    tree, grid_ids = grid_level.tree, grid_level.ids
    geoms = tree.geometries
    sample = min(args.sample, args.points)
    started = time.perf_counter()
    loop_found = np.zeros(sample, dtype=np.int64)
    for i in range(sample):
        hits = tree.query(shapely.Point(lngs[i], lats[i]), predicate="intersects")
        if hits.size:
            loop_found[i] = grid_ids[hits.min()]
    loop_s = time.perf_counter() - started
    loop_rate = sample / loop_s

    bounds = [g.bounds for g in geoms]
    naive = min(args.naive_sample, args.points)
    started = time.perf_counter()
    naive_found = np.zeros(naive, dtype=np.int64)
    for i in range(naive):
        x, y = lngs[i], lats[i]
        point = shapely.Point(x, y)
        for position, (x0, y0, x1, y1) in enumerate(bounds):
            if x0 <= x <= x1 and y0 <= y <= y1 and shapely.intersects(geoms[position], point):
                naive_found[i] = grid_ids[position]
                break
    naive_s = time.perf_counter() - started
    naive_rate = naive / naive_s

    agree_loop = bool((loop_found == found[:sample]).all())
    agree_naive = bool((naive_found == found[:naive]).all())
    print(
        f"machine: {cpu_name()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"shapely {shapely.__version__} (GEOS {shapely.geos_version_string}), numpy {np.__version__}"
    )
    print(
        f"areas: {len(plan.grids):,} grids + {len(plan.areas):,} higher areas; plan {plan_s:.2f} s, "
        f"index build {build_s:.2f} s"
    )
    print(f"points: {args.points:,} uniform over the city; not found: {(found == 0).sum():,}")
    print(f"batched (AreaIndex.locate_ids):      {batched_s:8.2f} s  {batched_rate:>12,.0f} points/s")
    print(
        f"baseline A (per-point STRtree loop): {loop_s:8.2f} s  {loop_rate:>12,.0f} points/s  "
        f"(sample {sample:,}; agrees: {agree_loop})"
    )
    print(
        f"baseline B (naive bbox loop):        {naive_s:8.2f} s  {naive_rate:>12,.0f} points/s  "
        f"(sample {naive:,}; agrees: {agree_naive})"
    )
    print(f"speed-up: {batched_rate / loop_rate:.1f}x over A, {batched_rate / naive_rate:.0f}x over B")
    if not (agree_loop and agree_naive):
        sys.exit("batched and baseline answers differ")


if __name__ == "__main__":
    main()
