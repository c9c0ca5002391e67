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


def test_scale_quick() -> None:
    results = importlib.import_module("bench_scale").main(["--quick"])
    assert [r.unit for r in results] == ["ms", "ms", "MB", "ms", "ms"]
    assert [r.name.split(",")[0].split(" (")[0] for r in results[3:]] == ["home screen", "resume"]
    assert all(r.ours > 0 and r.baseline > 0 for r in results)


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


def test_learner_quick_runs_the_three_policies(capsys: pytest.CaptureFixture[str]) -> None:
    import json

    rows = importlib.import_module("learner").main(["--quick", "--json", "--seed", "3"])
    out = capsys.readouterr().out
    assert [row.policy for row in rows] == ["exam", "missed", "due"]
    results = json.loads(out.split("RESULTS ", 1)[1])["results"]
    assert [r["policy"] for r in results] == ["exam", "missed", "due"]
    views = {r["views"] for r in results}
    assert len(views) == 1 and views.pop() > 0  # the same budget for every policy
    for r in results:
        for key in ("bank", "held_out"):
            assert isinstance(r[key], float) and 0 <= r[key] <= 100
    for policy in ("exam", "missed", "due"):  # the table has a row per policy
        assert any(line.split()[:1] == [policy] for line in out.splitlines())


def test_learner_is_deterministic_for_a_seed() -> None:
    learner = importlib.import_module("learner")
    assert learner.run(60, 15, 3, 1, 7) == learner.run(60, 15, 3, 1, 7)


def test_learner_memory_decays_and_a_wrong_answer_is_due_next_session() -> None:
    import random
    from datetime import timedelta

    learner = importlib.import_module("learner")
    bank = learner.validate_bank(learner.bank_data(80, 1))
    student = learner.new_learner(bank, random.Random(1))
    qid = bank.questions[0].id
    now = learner.START
    assert student.questions[qid].memory(now) == 0.0  # never studied
    student.answer(qid, now, random.Random(1))
    later = [student.questions[qid].memory(now + timedelta(days=d)) for d in (0, 1, 5)]
    assert later[0] == 1.0 and later[0] > later[1] > later[2] > 0
    # examsim's scheduler: wrong -> due the same day, served first; right -> not tomorrow
    due = learner.DueReview(bank, 3, random.Random(1))
    wrong, right = bank.questions[1].id, bank.questions[2].id
    due.seen(wrong, False, None, now)
    due.seen(right, True, None, now)
    tomorrow = due.today(1, now + timedelta(days=1))
    assert tomorrow[0] == wrong and right not in tomorrow and len(tomorrow) == 3
    missed = learner.MissedRetries(bank, 2, random.Random(1))
    missed.seen(wrong, False, None, now)
    missed.seen(right, True, None, now)
    assert missed.today(1, now)[0] == wrong


def test_compared_cases_run_the_other_build_on_its_own_sample_and_dirs(
        tmp_path: Path) -> None:
    common = importlib.import_module("common")
    bench_keys = importlib.import_module("bench_keys")
    other = tmp_path / "other"
    (other / ".venv" / "bin").mkdir(parents=True)
    (other / "banks").mkdir()
    (other / "banks" / "sample.toml").write_text("")
    script = str(other / ".venv" / "bin" / "examsim")
    big = tmp_path / "big.toml"
    env = {"EXAMSIM_DATA_DIR": "ours"}
    cases = {"sample": (common.run_argv(common.SAMPLE), [["Question 1/"]], env),
             "big": (common.run_argv(big), [["Question 1/"]], env)}
    compared = common.compared_cases(script, tmp_path, cases, ("sample", "big"))
    assert set(compared) == {"sample (compared)", "big (compared)"}
    argv, needles, case_env = compared["sample (compared)"]
    assert argv == ["env", "-C", str(tmp_path), script, "run",
                    str(other / "banks" / "sample.toml"), "--seed", str(common.SEED)]
    assert needles == [["Question 1/"]]
    assert case_env["EXAMSIM_DATA_DIR"] == str(tmp_path / "data-compared")
    assert case_env["EXAMSIM_CACHE_DIR"] == str(tmp_path / "cache-compared")
    assert compared["big (compared)"][0][5] == str(big)
    # an installed build (no banks/ beside its venv) runs its bundled sample by id
    installed = common.compared_cases(str(tmp_path / "a" / "b" / "examsim"), tmp_path,
                                      cases, ("sample",))
    assert installed["sample (compared)"][0][5] == "sample"
    assert "--compare" in bench_keys.__doc__


def test_the_text_baseline_shows_what_the_question_needles_look_for() -> None:
    common = importlib.import_module("common")
    texts = common.question_texts(common.SAMPLE, 3)
    needles = common.question_needles(common.SAMPLE, 3)
    assert len(texts) == 3
    for text, wanted in zip(texts, needles, strict=True):
        assert all(needle in text for needle in wanted)
        assert "Not answered" in text and " A ○ " in text
    app = importlib.import_module("minimal_app").TextApp(texts)
    assert app.texts == texts
