"""The wheel carries everything kg needs: built from the checkout, installed in a fresh venv outside it, it builds
the graph and answers a query there."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(*command: str | Path, cwd: Path, cache: Path | None = None) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "VIRTUAL_ENV")}
    if cache is not None:  # its own, so that the build is made there rather than copied from one the tests kept
        env["KG_CACHE_DIR"] = str(cache)
    result = subprocess.run([str(part) for part in command], cwd=cwd, env=env, capture_output=True, text=True,
                            timeout=600)
    assert result.returncode == 0, f"{command}: {result.stdout}\n{result.stderr}"
    return result


def test_the_wheel_installed_in_a_fresh_venv_builds_the_graph_and_answers_queries(tmp_path):
    dist = tmp_path / "dist"
    run(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", dist, ROOT, cwd=tmp_path)
    (wheel,) = dist.glob("fam_kg-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {path.relative_to(ROOT).as_posix() for folder in ("data", "queries") for path in (ROOT / folder).iterdir()}
    assert {f"kg/{name}" for name in shipped} <= names
    assert {"kg/templates/graph.html", "kg/static/vis-timeline-graph2d.min.js"} <= names
    assert any(name.endswith(".dist-info/licenses/LICENSE") for name in names)

    environment = tmp_path / "venv"
    venv.create(environment, with_pip=True)
    run(environment / "bin" / "python", "-m", "pip", "install", "--quiet", wheel, cwd=tmp_path)
    elsewhere = tmp_path / "elsewhere"  # not the checkout: nothing may be read from it
    elsewhere.mkdir()
    where = run(environment / "bin" / "python", "-c", "import kg; print(kg.__file__)", cwd=elsewhere).stdout
    assert where.startswith(str(environment)), where
    built = run(environment / "bin" / "kg", "build", "--out-dir", "out", cwd=elsewhere, cache=tmp_path / "cache")
    assert "✓ built" in built.stdout
    assert sorted(path.name for path in (elsewhere / "out").iterdir()) == [
        "fam-kg.jsonld", "fam-kg.nq", "fam-kg.trig", "fam-kg.void.ttl", "graph.html"]
    assert (elsewhere / "out" / "fam-kg.trig").read_bytes() == _checkout_build(tmp_path / "here")
    cast = run(environment / "bin" / "kg", "query", "cast", "-p", "show=Star City", "-f", "csv", cwd=elsewhere)
    assert "Rhys Ifans" in cast.stdout
    version = run(environment / "bin" / "kg", "--version", cwd=elsewhere).stdout.strip()
    assert version.startswith("fam-kg ") and "unknown" not in version


def _checkout_build(out: Path) -> bytes:
    from kg.builder import build

    build(out_dir=out)
    return (out / "fam-kg.trig").read_bytes()
