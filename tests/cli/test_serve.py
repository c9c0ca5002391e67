"""`examsim serve`: loopback by default, a warning for other hosts, the command per tab."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path
from typing import Any

import pytest

from examsim.cli import main
from examsim.commands import app as app_command
from examsim.commands import serve


def test_loopback_hosts() -> None:
    for host in ("127.0.0.1", "127.1.2.3", "localhost", "LOCALHOST", "::1", "[::1]"):
        assert serve.is_loopback(host), host
        assert serve.warning(host, 8000) is None
    for host in ("0.0.0.0", "::", "192.168.1.5", "example.org", ""):
        assert not serve.is_loopback(host), host
        message = serve.warning(host, 8123)
        assert message is not None
        assert f"serving on {host}" in message and "port 8123" in message
        assert "read its history" in message


def test_url() -> None:
    assert serve.url("127.0.0.1", 8000) == "http://127.0.0.1:8000"
    assert serve.url("::1", 9000) == "http://[::1]:9000"


def test_each_tab_runs_this_examsim_on_the_data_dir(tmp_path: Path) -> None:
    data = tmp_path / "my data"
    assert shlex.split(serve.app_command(str(data))) == [
        sys.executable, "-m", "examsim", "--data-dir", str(data)]


class FakeServer:
    made: list[dict[str, Any]] = []

    def __init__(self, command: str, **options: Any) -> None:
        self.options = {"command": command, **options}

    def serve(self) -> None:
        FakeServer.made.append(self.options)


@pytest.fixture
def fake_server(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    pytest.importorskip("textual_serve", reason="examsim[web] (textual-serve) not installed")
    import textual_serve.server

    FakeServer.made = []
    monkeypatch.setattr(textual_serve.server, "Server", FakeServer)
    return FakeServer.made


def test_serve_defaults_to_this_machine(fake_server: list[dict[str, Any]], tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "data"
    assert main(["serve", "--data-dir", str(data)]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("examsim in your browser: http://127.0.0.1:8000 ")
    assert err == ""
    (made,) = fake_server
    assert (made["host"], made["port"], made["public_url"]) == \
        ("127.0.0.1", 8000, "http://127.0.0.1:8000")
    assert shlex.split(made["command"])[-1] == str(data.resolve())


def test_serve_on_another_host_warns(fake_server: list[dict[str, Any]],
                                     capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "--host", "0.0.0.0", "--port", "8080"]) == 0
    out, err = capsys.readouterr()
    assert "warning: serving on 0.0.0.0" in err and "port 8080" in err
    assert "http://0.0.0.0:8080" in out
    assert fake_server[0]["host"] == "0.0.0.0"


@pytest.mark.parametrize("port", ["0", "65536", "http"])
def test_bad_port(port: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["serve", "--port", port])
    assert exited.value.code == 2
    assert "--port" in capsys.readouterr().err


def test_without_the_web_extra(monkeypatch: pytest.MonkeyPatch,
                               capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setitem(sys.modules, "textual_serve.server", None)  # import fails
    assert main(["serve"]) == 2
    assert "examsim serve needs textual-serve: pip install 'examsim[web]'" in \
        capsys.readouterr().err


def test_the_app_runs_under_the_web_driver(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", None)  # pipes, as textual-serve gives them
    monkeypatch.delenv("TEXTUAL_DRIVER", raising=False)
    assert not app_command.has_terminal()
    monkeypatch.setenv("TEXTUAL_DRIVER", "textual.drivers.web_driver:WebDriver")
    assert app_command.has_terminal()
    monkeypatch.setenv("TEXTUAL_DRIVER", "something.else:Driver")
    assert not app_command.has_terminal()
