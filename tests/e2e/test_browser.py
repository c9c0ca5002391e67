"""`examsim serve` in a real browser: headless Chromium driven over the DevTools protocol.

The system's Chromium (Debian's `chromium`) is started headless with a DevTools port; the
test talks to it with aiohttp's websocket client (aiohttp comes with textual-serve), so
no browser download is needed. It opens the page, starts an exam on the sample bank by
keys, chooses, strikes, flags, checks that a second tab sees that attempt in use and
cannot resume it (each tab is its own examsim; the attempt lease), ends the exam, and
checks the results in what the page received and the attempt in the history database.
A screenshot of the exam in the page is saved (EXAMSIM_BROWSER_SCREENSHOT=PATH saves it
there too; screenshots/make.py does not make this one).

Skips, saying why, when Chromium or textual-serve is not installed.
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from examsim.storage.history import History
from examsim.storage.locations import history_path

pytestmark = pytest.mark.e2e

BIN = Path(sys.executable).parent
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
DEADLINE = 60.0  # seconds for one thing to appear; a slow machine only waits longer
_ESCAPE = re.compile(  # CSI, OSC, charset and one-character escapes
    r"\x1b(?:\[[0-9;?<>=]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[()][0-9A-Za-z]|[=>NOc])")


def browser() -> str:
    for name in BROWSERS:
        path = shutil.which(name)
        if path:
            return path
    pytest.skip("no Chromium here (Debian: apt-get install chromium); the browser test "
                "needs a real browser")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def poll(check: Callable[[], Any], what: str, deadline: float = DEADLINE) -> Any:
    """Wait until ``check()`` returns something true; fail naming ``what`` at the deadline."""
    end = time.monotonic() + deadline
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > end:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.05)


class Page:
    """One Chromium tab over the DevTools protocol; keeps what its websockets received."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws
        self.next_id = 0
        self.pending: dict[int, asyncio.Future[dict[str, Any]]] = {}
        self.received: list[bytes] = []
        self.reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        async for message in self.ws:
            data = json.loads(message.data)
            if "id" in data and data["id"] in self.pending:
                self.pending.pop(data["id"]).set_result(data)
            elif data.get("method") == "Network.webSocketFrameReceived":
                frame = data["params"]["response"]
                payload = frame["payloadData"]
                raw = base64.b64decode(payload) if frame["opcode"] == 2 else payload.encode()
                self.received.append(raw)

    async def call(self, method: str, **params: Any) -> dict[str, Any]:
        self.next_id += 1
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self.pending[self.next_id] = future
        await self.ws.send_str(json.dumps({"id": self.next_id, "method": method,
                                           "params": params}))
        reply = await asyncio.wait_for(future, DEADLINE)
        assert "error" not in reply, reply
        return reply.get("result", {})

    def text(self) -> str:
        """What the app drew so far, escape sequences removed."""
        return _ESCAPE.sub("", b"".join(self.received).decode("utf-8", "replace"))

    def mark(self) -> int:
        return len(self.received)

    def since(self, mark: int) -> str:
        return _ESCAPE.sub("", b"".join(self.received[mark:]).decode("utf-8", "replace"))

    async def wait_for(self, words: str, mark: int = 0) -> str:
        return await poll(lambda: words in self.since(mark) and self.since(mark), repr(words))

    async def key(self, key: str, code: str, keycode: int, text: str = "",
                  modifiers: int = 0) -> None:
        base = {"key": key, "code": code, "windowsVirtualKeyCode": keycode,
                "nativeVirtualKeyCode": keycode, "modifiers": modifiers}
        await self.call("Input.dispatchKeyEvent", type="keyDown" if text else "rawKeyDown",
                        text=text, unmodifiedText=text, **base)
        await self.call("Input.dispatchKeyEvent", type="keyUp", **base)

    async def letter(self, char: str) -> None:
        shift = 8 if char.isupper() else 0
        await self.key(char, f"Key{char.upper()}", ord(char.upper()), char, shift)

    async def ctrl(self, char: str) -> None:
        await self.key(char, f"Key{char.upper()}", ord(char.upper()), "", 2)

    async def special(self, name: str) -> None:
        codes = {"Enter": 13, "ArrowDown": 40, "Escape": 27}
        await self.key(name, name, codes[name], "\r" if name == "Enter" else "")


def start_server(port: int, data: Path, log: Path) -> subprocess.Popen[bytes]:
    examsim = BIN / "examsim"
    if not examsim.exists():
        pytest.skip(f"no examsim script beside {sys.executable}")
    with log.open("wb") as out:
        return subprocess.Popen([str(examsim), "serve", "--port", str(port), "--data-dir",
                                 str(data)], stdout=out, stderr=subprocess.STDOUT)


def start_browser(binary: str, profile: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [binary, "--headless=new", "--no-sandbox", "--no-first-run", "--no-default-browser-check",
         "--disable-dev-shm-usage", "--use-angle=swiftshader", "--enable-unsafe-swiftshader",
         "--remote-debugging-port=0", f"--user-data-dir={profile}", "--window-size=1280,800",
         "about:blank"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_exam_in_the_browser(tmp_path: Path) -> None:
    pytest.importorskip("textual_serve", reason="examsim[web] (textual-serve) not installed")
    aiohttp = pytest.importorskip("aiohttp", reason="aiohttp comes with textual-serve")
    binary = browser()
    data, port = tmp_path / "data", free_port()
    server = start_server(port, data, tmp_path / "serve.log")
    chrome = start_browser(binary, tmp_path / "profile")
    try:
        asyncio.run(drive(aiohttp, port, tmp_path))
    except BaseException:
        print((tmp_path / "serve.log").read_text(errors="replace"))
        raise
    finally:
        stop(chrome)
        stop(server)

    with History(history_path(data)) as history:
        (attempt,) = history.attempts()
        assert (attempt.bank_id, attempt.status, attempt.mode) == ("sample", "finished", "exam")
        first = history.answers(attempt.id)[0]
    assert first.chosen and first.struck and first.flagged
    assert set(first.chosen).isdisjoint(first.struck)


async def drive(aiohttp: Any, port: int, tmp_path: Path) -> None:
    async with aiohttp.ClientSession() as session:
        url = f"http://127.0.0.1:{port}/"

        async def server_up() -> bool:
            try:
                async with session.get(url) as response:
                    return response.status == 200
            except aiohttp.ClientError:
                return False

        end = time.monotonic() + DEADLINE
        while not await server_up():
            assert time.monotonic() < end, "examsim serve did not answer"
            await asyncio.sleep(0.1)
        active = tmp_path / "profile" / "DevToolsActivePort"
        await poll(lambda: active.exists() and len(active.read_text().split()) == 2,
                   "Chromium's DevTools port")
        devtools = int(active.read_text().split()[0])
        async with session.get(f"http://127.0.0.1:{devtools}/json/list") as response:
            targets = await response.json()
        target = next(t for t in targets if t["type"] == "page")
        async with session.ws_connect(target["webSocketDebuggerUrl"], max_msg_size=0) as ws:
            page = Page(ws)
            await page.call("Network.enable")
            await page.call("Page.enable")
            await page.call("Page.navigate", url=url)
            await page.wait_for("Banks (4)")
            await page.call("Runtime.evaluate",
                            expression="document.querySelector('.xterm-helper-textarea')"
                                       ".focus()")
            for _ in range(3):  # the sample bank, last of the four in file order
                await page.special("ArrowDown")
            await page.wait_for("Twelve original questions")
            mark = page.mark()
            await page.special("Enter")
            await page.wait_for("Start: Cloud fundamentals", mark)
            mark = page.mark()
            await page.special("Enter")
            await page.wait_for("Question 1/12", mark)
            mark = page.mark()
            await page.letter("b")
            await page.wait_for("Your answer: B", mark)
            mark = page.mark()
            await page.letter("C")  # shift+c strikes C out (shown by style only)
            await page.letter("m")  # keys are handled in order: once flagged, C is struck
            await page.wait_for("Flagged", mark)
            await page.call("Runtime.evaluate", awaitPromise=True,  # drawn on the canvas
                            expression="new Promise(r => requestAnimationFrame("
                                       "() => requestAnimationFrame(r)))")
            shot = await page.call("Page.captureScreenshot", format="png")
            picture = base64.b64decode(shot["data"])
            (tmp_path / "browser-exam.png").write_bytes(picture)
            if os.environ.get("EXAMSIM_BROWSER_SCREENSHOT"):
                Path(os.environ["EXAMSIM_BROWSER_SCREENSHOT"]).write_bytes(picture)
            await second_tab_is_kept_off(session, devtools, url)
            mark = page.mark()
            await page.ctrl("s")
            await page.wait_for("End the exam?", mark)
            mark = page.mark()
            await page.letter("y")
            results = await page.wait_for("Results: Cloud fundamentals", mark)
            assert re.search(r"[01] of 12 correct", results), results[-2000:]
            await page.ctrl("q")
            page.reader.cancel()


async def second_tab_is_kept_off(session: Any, devtools: int, url: str) -> None:
    """A second tab is another examsim on the same data dir: it sees the attempt of the
    first tab in use and cannot resume it (the attempt lease)."""
    async with session.put(f"http://127.0.0.1:{devtools}/json/new?{url}") as response:
        target = await response.json()
    try:
        async with session.ws_connect(target["webSocketDebuggerUrl"], max_msg_size=0) as ws:
            tab = Page(ws)
            await tab.call("Network.enable")
            await tab.call("Page.enable")
            await tab.call("Page.reload")  # frames are seen from here on
            await tab.wait_for("in use")
            await tab.call("Runtime.evaluate",
                           expression="document.querySelector('.xterm-helper-textarea')"
                                      ".focus()")
            mark = tab.mark()
            await tab.letter("r")
            await tab.wait_for("open in another examsim", mark)
            await tab.ctrl("q")
            tab.reader.cancel()
    finally:
        async with session.get(f"http://127.0.0.1:{devtools}/json/close/{target['id']}"):
            pass
