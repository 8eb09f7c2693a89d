"""Benchmark: SIGKILL a multi-file save at random moments; count what a load then finds.

Each trial starts from a folder holding the *old* city (``city.json`` and its Parquet tables),
runs ``gridgov.save`` of the *new* city into it in a child process, kills the child with
SIGKILL at a moment drawn uniformly over the save's measured duration, and loads the folder:

* ``old`` / ``new`` — the whole old or the whole new structure (main file and tables agree);
* ``refused`` — a typed refusal (``TableMismatchError`` or another ``GridgovError``);
* ``mixture`` — a load that *succeeds* with the main file of one save and tables of the
  other. The old ``save`` (tables renamed one by one, then the main file) gave this in about
  1 trial in 12; the one-rename switch must give 0, and 0 refusals.

It also counts the temporary files the killed saves left, before and after the load (the load
removes those of dead writers), and measures what the atomic switch costs: ``gridgov.save``
against a baseline that writes the same three Parquet tables and the JSON main file with
plain polars/pydantic-core and no fsync, no hashing, and ``load`` with the hash checks against
``load`` of the same files referred to without hashes (medians of 3, same run).

Run: ``python bench/bench_save_kill.py [--households N] [--trials T] [--seed S]``
(defaults 100 000 households, 50 trials).
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from gridgov import GridgovError, Structure
from gridgov.datasets import synthetic_city
from gridgov.io import load, save, to_data
from gridgov.io.tables import TABLE_FIELDS

CHILD = r"""
import sys, time
from gridgov.io import load, save

new = load(sys.argv[1])
print("ready", flush=True)
sys.stdin.readline()
t0 = time.perf_counter()
save(new, sys.argv[2], tables="parquet")
print(time.perf_counter() - t0, flush=True)
"""


def measure(fn: Callable[[], object], reps: int = 3) -> float:
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def baseline_save(city: Structure, folder: Path) -> None:
    """The same files with plain polars and pydantic-core: no temp files, fsync or hashes."""
    import pydantic_core

    for field in TABLE_FIELDS:
        getattr(city, field).frame.write_parquet(folder / f"base.{field}.parquet")
    data = to_data(city, exclude=set(TABLE_FIELDS))
    (folder / "base.json").write_bytes(pydantic_core.to_json(data, indent=2))


def without_hashes(main: Path) -> Path:
    """A copy of the main file whose references carry no ``sha256`` (as before hashes)."""
    data = json.loads(main.read_text("utf-8"))
    for field in TABLE_FIELDS:
        del data[field]["sha256"]
    copy = main.with_name("unhashed.json")
    copy.write_text(json.dumps(data), "utf-8")
    return copy


def classify(main: Path, old: Structure, new: Structure) -> str:
    try:
        loaded = load(main)
    except GridgovError as exc:
        return f"refused ({type(exc).__name__})"
    for label, expected in (("old", old), ("new", new)):
        if loaded.name == expected.name:
            same = all(getattr(loaded, f) == getattr(expected, f) for f in TABLE_FIELDS)
            return label if same else "mixture"
    return "mixture"


def start_child(source: Path, main: Path) -> subprocess.Popen[str]:
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(source), str(main)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdin is not None
    assert child.stdout is not None
    if child.stdout.readline() != "ready\n":
        raise SystemExit("the child did not start")
    child.stdin.write("go\n")
    child.stdin.flush()
    return child


def temps(folder: Path) -> int:
    return sum(".gridgov-tmp-" in p.name for p in folder.iterdir())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=100_000)
    parser.add_argument("--trials", type=int, default=50)
    parser.add_argument("--seed", type=int, default=8)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    old = synthetic_city(households=args.households, seed=1).model_copy(update={"name": "old"})
    new = synthetic_city(households=args.households, seed=2).model_copy(update={"name": "new"})
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        source = save(new, root / "new.json", tables="parquet")
        template = root / "template"
        template.mkdir()
        save(old, template / "city.json", tables="parquet")

        (root / "cost").mkdir()
        t_save = measure(lambda: save(new, root / "cost" / "city.json", tables="parquet"))
        t_base = measure(lambda: baseline_save(new, root / "cost"))
        t_load = measure(lambda: load(root / "cost" / "city.json"))
        unhashed = without_hashes(root / "cost" / "city.json")
        t_load_unhashed = measure(lambda: load(unhashed))

        calibrate = root / "calibrate"
        shutil.copytree(template, calibrate)
        child = start_child(source, calibrate / "city.json")
        duration = float(child.communicate(timeout=600)[0])

        outcomes: Counter[str] = Counter()
        left_before = left_after = 0
        for trial in range(args.trials):  # --trials 0 measures the cost only
            folder = root / f"trial{trial}"
            shutil.copytree(template, folder)
            child = start_child(source, folder / "city.json")
            time.sleep(rng.uniform(0, duration * 1.1))
            child.send_signal(signal.SIGKILL)
            child.communicate(timeout=600)
            left_before += temps(folder)
            outcomes[classify(folder / "city.json", old, new)] += 1
            left_after += temps(folder)
            shutil.rmtree(folder)

    print(
        f"save killed at random moments: {args.households:_} households, "
        f"{args.trials} trials, save takes {duration:.2f} s in the child"
    )
    for label in ("old", "new", "mixture"):
        print(f"  {label:<8} {outcomes.pop(label, 0)}")
    refused = sum(outcomes.values())
    print(f"  refused  {refused}" + (f"  {dict(outcomes)}" if outcomes else ""))
    print(f"temporary files left by the kills: {left_before}, after the next load: {left_after}")
    print(
        f"cost: gridgov.save {t_save:.3f} s, baseline (plain writes) {t_base:.3f} s, "
        f"ratio {t_save / t_base:.2f}x"
    )
    print(
        f"load with hash checks {t_load:.3f} s, without {t_load_unhashed:.3f} s, "
        f"ratio {t_load / t_load_unhashed:.2f}x"
    )


if __name__ == "__main__":
    main()
