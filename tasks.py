#!/usr/bin/env python3
"""Set up a virtual environment and run gridgov's jobs; needs only Python 3.11+ and PyPI.

    python3 tasks.py demo     # install gridgov[all] and print the bilingual youyi report
    python3 tasks.py test     # install gridgov[dev] and run every quality gate and the tests
    python3 tasks.py bench    # run the benchmark scripts (ratios against in-run baselines)

The environment lives in ``.venv`` (override with ``GRIDGOV_VENV``); it is reused when present,
and gridgov is reinstalled only when ``pyproject.toml`` or the extras asked for changed.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import time
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = Path(os.environ.get("GRIDGOV_VENV", ROOT / ".venv"))
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / "python"


def run(*args: str | Path, check: bool = True) -> bool:
    print("+", " ".join(str(a) for a in args), flush=True)
    ok = subprocess.run([str(a) for a in args], check=False, cwd=ROOT).returncode == 0
    if check and not ok:
        sys.exit(f"tasks.py: failed: {' '.join(str(a) for a in args)}")
    return ok


def ensure_env(extras: str) -> None:
    """Create the environment, and install gridgov with ``extras`` unless it is up to date.

    A stamp in the environment records what the last install was made from (Python version,
    extras and a hash of ``pyproject.toml``); when it matches, nothing is reinstalled. The
    install is editable, so changes to the source never need a reinstall.
    """
    if sys.version_info < (3, 11):
        sys.exit(f"gridgov needs Python 3.11 or newer; this is {sys.version.split()[0]}")
    if not PY.exists():
        venv.EnvBuilder(with_pip=True, clear=False).create(VENV)
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    stamp = VENV / ".gridgov-install"
    wanted = f"{sys.version_info[:2]} {extras} {digest}"
    installed = stamp.read_text(encoding="utf-8").splitlines() if stamp.exists() else []
    if wanted in installed:
        print(f"tasks.py: environment {VENV} is up to date ({extras})", flush=True)
        return
    quiet = ("--quiet", "--disable-pip-version-check")
    run(PY, "-m", "pip", "install", *quiet, "--upgrade", "pip")
    run(PY, "-m", "pip", "install", *quiet, "-e", f".[{extras}]")
    # installs add packages and never remove any: earlier extras of this pyproject still hold
    kept = [line for line in installed if line.endswith(digest)]
    stamp.write_text("\n".join([*kept, wanted]) + "\n", encoding="utf-8")


def _installed(package: str) -> bool:
    """Whether dpkg lists ``package`` as installed (False where there is no dpkg)."""
    if shutil.which("dpkg-query") is None:
        return False
    out = subprocess.run(
        ["dpkg-query", "-W", "-f=${Status}", package], capture_output=True, text=True, check=False
    )
    return out.returncode == 0 and out.stdout.strip() == "install ok installed"


def ensure_debian_packages(*packages: str) -> bool:
    """Install the Debian ``packages`` the tests need that are missing; True when all are there.

    Quick when everything is installed (one ``dpkg-query`` per package, no network); otherwise
    runs ``apt-get update`` once and ``apt-get install -y`` on the missing ones (as root, or
    through ``sudo`` when there is one), printing what it does. Where it cannot install (no
    apt-get, not root, the install fails) it says so and returns False: the tests that need
    the packages then fail, they are never skipped.
    """
    missing = [p for p in packages if not _installed(p)]
    if not missing:
        print(f"tasks.py: system packages present: {' '.join(packages)}", flush=True)
        return True
    print(f"tasks.py: installing missing system packages: {' '.join(missing)}", flush=True)
    sudo: list[str] = []
    if hasattr(os, "geteuid") and os.geteuid() != 0:
        if shutil.which("sudo") is None:
            print("tasks.py: cannot install them: not root and no sudo", flush=True)
            return False
        sudo = ["sudo", "-n"]
    if shutil.which("apt-get") is None:
        print("tasks.py: cannot install them: no apt-get (install them by hand)", flush=True)
        return False
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for cmd in (["apt-get", "update"], ["apt-get", "install", "-y", *missing]):
        print("+", " ".join([*sudo, *cmd]), flush=True)
        if subprocess.run([*sudo, *cmd], check=False, env=env).returncode != 0:
            print(f"tasks.py: failed: {' '.join(cmd)}", flush=True)
            return False
    still = [p for p in missing if not _installed(p)]
    if still:
        print(f"tasks.py: still missing after apt-get: {' '.join(still)}", flush=True)
    return not still


def demo() -> None:
    ensure_env("all")  # everything the README's tour uses (graph needs scipy, plots matplotlib)
    run(BIN / "gridgov", "demo")


def test() -> None:
    """Run every gate, even after one fails, and fail at the end naming the failed ones."""
    ensure_env("dev")
    paths = ("src", "tests", "bench", "tasks.py")
    pytest = (PY, "-m", "pytest", "-q", "-p", "no:cacheprovider")
    # the suite on every core (pytest-xdist), naming its slowest tests so the budget is watched
    suite = (*pytest, "-n", "auto", "--durations=15")
    notebooks = ("--nbmake", "examples", "-o", "addopts=", "-o", "testpaths=examples")
    # the documentation site: --strict fails on a broken link, a missing page or API reference
    # (not --quiet: it hides the warnings that --strict counts)
    docs = (PY, "-m", "mkdocs", "build", "--strict", "--site-dir", ROOT / "site")
    gates = {
        "ruff check": (PY, "-m", "ruff", "check", *paths),
        "ruff format": (PY, "-m", "ruff", "format", "--check", *paths),
        "mypy --strict": (PY, "-m", "mypy", "--strict", "src"),
        "notebooks": (*pytest, *notebooks),
        "docs build": docs,
        "tests and doctests": suite,  # last, so its summary closes the log
    }
    failed, took = [], {}
    start = time.perf_counter()
    # chromium opens the HTML report in tests/report/test_html.py and fonts-noto-cjk draws its
    # Chinese text (without a CJK font it shows as boxes); postgresql: the case store's contract
    # tests start a throwaway server with initdb and pg_ctl (tests/service/conftest.py)
    if not ensure_debian_packages("chromium", "fonts-noto-cjk", "postgresql"):
        failed.append("system packages")
    took["system packages"] = time.perf_counter() - start
    for name, cmd in gates.items():
        start = time.perf_counter()
        if not run(*cmd, check=False):
            failed.append(name)
        took[name] = time.perf_counter() - start
    for name, seconds in took.items():
        print(f"tasks.py: {name:<20} {seconds:7.1f} s  {'FAILED' if name in failed else 'ok'}")
    if failed:
        sys.exit(f"tasks.py: failed gates: {', '.join(failed)}")
    print("tasks.py: all gates passed", flush=True)


def bench() -> None:
    ensure_env("dev")
    for script in sorted((ROOT / "bench").glob("bench_*.py")):
        run(PY, script)


JOBS = {"demo": demo, "test": test, "bench": bench}

if __name__ == "__main__":
    if len(sys.argv) != 2 or sys.argv[1] not in JOBS:
        sys.exit(f"usage: python3 tasks.py {{{'|'.join(JOBS)}}}")
    JOBS[sys.argv[1]]()
