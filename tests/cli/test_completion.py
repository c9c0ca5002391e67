"""`examsim completion bash|zsh|fish`: scripts that parse, and complete in the real shells.

bash is always run; zsh and fish when they are installed (else those tests skip, saying
so). The scripts call `examsim completion --list-banks` for bank ids, so the venv's
`examsim` is put first on PATH.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from examsim.cli import build_parser, main
from examsim.commands.completion import commands, script

BIN = Path(sys.executable).parent
GOOD = ('[bank]\nid = "{id}"\n[[questions]]\nid = "q"\nstem = "s"\n'
        'options = ["a", "b"]\nanswer = "A"\n')


def shell(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} is not installed here (apt-get install {name} to run this test)")
    return path


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    if not (BIN / "examsim").exists():
        pytest.skip(f"no examsim script beside {sys.executable}")
    data = Path(os.environ["EXAMSIM_DATA_DIR"])
    (data / "banks").mkdir(parents=True)
    (data / "banks" / "mine.toml").write_text(GOOD.format(id="my-bank"))
    return {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
            "HOME": str(tmp_path)}


def run(args: list[str], env: dict[str, str], cwd: Path) -> str:
    done = subprocess.run(args, env=env, cwd=cwd, capture_output=True, text=True, timeout=120,
                          check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_list_banks(capsys: pytest.CaptureFixture[str]) -> None:
    data = Path(os.environ["EXAMSIM_DATA_DIR"])
    (data / "banks").mkdir(parents=True)
    (data / "banks" / "mine.toml").write_text(GOOD.format(id="my-bank"))
    (data / "banks" / "broken.toml").write_text("[[questions]]\n")
    assert main(["completion", "--list-banks"]) == 0
    ids = capsys.readouterr().out.split()
    assert "my-bank" in ids and "sample" in ids and ids == sorted(ids)


def test_no_shell_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["completion"]) == 2
    assert "examsim completion bash|zsh|fish" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["completion", "tcsh"])


@pytest.mark.parametrize("name", ["bash", "zsh", "fish"])
def test_every_command_and_option_is_in_the_script(name: str) -> None:
    text = script(name, build_parser())
    _top, found = commands(build_parser())
    assert {c.name for c in found} >= {"run", "import", "export", "stats", "completion"}
    for command in found:
        assert command.name in text
        for arg in command.args:
            for flag in arg.flags:
                assert (flag if name != "fish" else flag.lstrip("-")) in text
    for mode in ("exam", "practice", "drill", "missed", "flagged", "due", "qti"):
        assert mode in text
    assert "--list-banks" in text and "--version" in text.replace("-l version", "--version")


@pytest.mark.parametrize("name", ["bash", "zsh", "fish"])
def test_the_script_parses(name: str, tmp_path: Path) -> None:
    binary = shell(name)
    path = tmp_path / f"examsim.{name}"
    path.write_text(script(name, build_parser()), encoding="utf-8")
    done = subprocess.run([binary, "-n", str(path)], capture_output=True, text=True,
                          timeout=60, check=False)
    assert done.returncode == 0, done.stderr


BASH_PROBE = """
source <(examsim completion bash)
probe() {
    COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); COMPREPLY=()
    _examsim
    printf '%s\\n' "${COMPREPLY[@]}" | sort | tr '\\n' ' '; echo
}
probe examsim ''
probe examsim run --mode ''
probe examsim run ''
probe examsim stats --bank m
probe examsim import quiz.zip --from m
probe examsim export --a
probe examsim completion ''
probe examsim --data-dir ''
complete -p examsim
"""


def test_bash_completes(env: dict[str, str], tmp_path: Path) -> None:
    shell("bash")
    (tmp_path / "folder").mkdir()
    (tmp_path / "local.toml").write_text("x")
    (tmp_path / "notes.txt").write_text("x")
    lines = run(["bash", "-c", BASH_PROBE], env, tmp_path).splitlines()
    every = sorted(command.name for command in commands(build_parser())[1])
    assert {"run", "import", "export", "serve", "completion"} <= set(every)
    assert lines[0].split() == every
    assert lines[1].split() == ["drill", "due", "exam", "flagged", "missed", "practice"]
    banks = lines[2].split()
    assert {"my-bank", "sample", "aws-sap-practice-1", "local.toml", "folder"} <= set(banks)
    assert "notes.txt" not in banks
    assert lines[3].split() == ["my-bank"]
    assert lines[4].split() == ["markdown", "moodle-xml"]
    assert lines[5].split() == ["--all", "--anki", "--attempt"]
    assert lines[6].split() == ["bash", "fish", "zsh"]
    assert lines[7].split() == ["folder"]
    assert lines[8].startswith("complete -o filenames -F _examsim examsim")


def test_fish_completes(env: dict[str, str], tmp_path: Path) -> None:
    shell("fish")
    (tmp_path / "local.toml").write_text("x")
    probe = ("source (examsim completion fish | psub); "
             "for line in 'examsim ' 'examsim run --mode ' 'examsim run ' "
             "'examsim stats --bank my' 'examsim import x --from ' 'examsim export --an'; "
             "echo (complete -C $line | string split -f1 \\t | sort); end")
    lines = run(["fish", "--no-config", "-c", probe], env, tmp_path).splitlines()
    assert "run" in lines[0].split() and "completion" in lines[0].split()
    assert lines[1].split() == ["drill", "due", "exam", "flagged", "missed", "practice"]
    assert {"my-bank", "sample", "local.toml"} <= set(lines[2].split())
    assert lines[3].split() == ["my-bank"]
    assert "qti" in lines[4].split()
    assert lines[5].split() == ["--anki"]


def test_zsh_registers(env: dict[str, str], tmp_path: Path) -> None:
    shell("zsh")
    probe = ("autoload -U compinit && compinit -u -d $HOME/.zcompdump && "
             "source <(examsim completion zsh) && print -r -- $_comps[examsim] && "
             "_examsim_banks() { examsim completion --list-banks }; _examsim_banks")
    lines = run(["zsh", "-f", "-c", probe], env, tmp_path).split()
    assert lines[0] == "_examsim"
    assert "my-bank" in lines[1:]


def test_version_is_the_installed_version(capsys: pytest.CaptureFixture[str]) -> None:
    from importlib.metadata import version

    import examsim

    with pytest.raises(SystemExit) as exited:
        main(["--version"])
    assert exited.value.code == 0
    assert capsys.readouterr().out == f"examsim {examsim.__version__}\n"
    assert version("examsim") == examsim.__version__  # one source: pyproject reads __init__
