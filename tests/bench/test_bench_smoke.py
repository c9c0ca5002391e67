"""The benchmarks are not tests and CI never runs them; these checks only keep them from
rotting: every script compiles and imports, the small ones run in --quick mode, and the
tmux harness still sees a program's first screen."""

from __future__ import annotations

import importlib
import py_compile
import shutil
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"
SCRIPTS = sorted(BENCH.glob("*.py"))


@pytest.fixture(autouse=True)
def _bench_on_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(BENCH))


def test_there_is_a_script_per_benchmark_and_one_to_run_them_all() -> None:
    names = {p.name for p in SCRIPTS}
    for name in ("bench_startup.py", "bench_keys.py", "bench_load.py", "bench_autosave.py",
                 "bench_stats.py", "bench_memory.py", "minimal_app.py", "run_all.py"):
        assert name in names
    run_all = importlib.import_module("run_all")
    assert set(run_all.SCRIPTS.values()) <= names


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_every_script_compiles_and_imports(script: Path, tmp_path: Path) -> None:
    py_compile.compile(str(script), cfile=str(tmp_path / "x.pyc"), doraise=True)
    module = importlib.import_module(script.stem)
    if script.name.startswith("bench_"):
        assert callable(module.main)


def test_result_ratios_and_targets() -> None:
    from benchlib import Result

    assert Result("a", 13, 10, "ms", "b", "<= 1.3x").met is True
    assert Result("a", 14, 10, "ms", "b", "<= 1.3x").met is False
    assert Result("a", 110, 30, "MB", "b", "<= +80 MB").met is True
    assert Result("a", 111, 30, "MB", "b", "<= +80 MB").met is False
    assert Result("a", 1, 2, "ms", "b").met is None
    assert "1.30x" in Result("a", 13, 10, "ms", "b", "<= 1.3x").line()


def test_autosave_quick(capsys: pytest.CaptureFixture[str]) -> None:
    results = importlib.import_module("bench_autosave").main(["--quick", "--json"])
    assert results and results[0].ours > 0 and results[0].baseline > 0
    assert "RESULTS " in capsys.readouterr().out


def test_stats_quick(monkeypatch: pytest.MonkeyPatch) -> None:
    bench_stats = importlib.import_module("bench_stats")
    monkeypatch.setattr(bench_stats, "REPEAT", 1)
    results = bench_stats.main(5, 4)
    assert {r.name for r in results} >= {"stats: accuracy by domain", "stats: pacing"}


def test_fresh_process_timing() -> None:
    from benchlib import time_in_fresh_process

    assert 0 <= time_in_fresh_process("x = 1", "y = x + 1") < 5


@pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux")
def test_tmux_harness_sees_the_minimal_app() -> None:
    from benchlib import Tmux, minimal_app_argv
    from minimal_app import line

    with Tmux() as tmux:
        pane = tmux.launch(minimal_app_argv(), {"TERM": "tmux-256color"})
        try:
            assert 0 < pane.wait_for(line(1), timeout=30) < 30
            assert pane.press("n", line(2), timeout=10) < 10
            peak, current = pane.memory_mb()
            assert peak >= current > 0
        finally:
            pane.close()
    assert sys.executable == sys.modules["benchlib"].PYTHON
