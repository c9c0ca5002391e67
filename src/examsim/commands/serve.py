"""``examsim serve [--host 127.0.0.1] [--port 8000] [--data-dir DIR]``: the app in a browser.

textual-serve (the ``examsim[web]`` extra) runs a small web server; every browser tab
that opens the page starts its own ``examsim`` process on the same data dir, so the
attempt lease keeps two tabs off one attempt as it keeps two terminals off it.

Security: the server has no login. It binds to 127.0.0.1 unless ``--host`` says
otherwise, and then it warns that anyone who can reach the port can use the app and
read its history.
"""

from __future__ import annotations

import argparse
import ipaddress
import shlex
import sys

from ..storage.locations import data_dir
from . import CommandError

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
WEB_EXTRA = "pip install 'examsim[web]' (or pipx inject examsim textual-serve)"


def is_loopback(host: str) -> bool:
    """True for a host name or address that only this machine can reach."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def url(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host and not host.startswith("[") else host
    return f"http://{shown}:{port}"


def warning(host: str, port: int) -> str | None:
    """What to tell the user before serving on ``host``; None for a loopback host."""
    if is_loopback(host):
        return None
    return (f"examsim: warning: serving on {host}, not 127.0.0.1: anyone who can reach "
            f"port {port} of this machine can use examsim and read its history "
            "(there is no login)")


def app_command(data: str) -> str:
    """The command each browser tab runs: this Python, this examsim, this data dir."""
    return shlex.join([sys.executable, "-m", "examsim", "--data-dir", data])


def run(args: argparse.Namespace) -> int:
    try:  # an optional dependency (the web extra): imported here to say when it is missing
        from textual_serve.server import Server
    except ImportError:
        raise CommandError(f"examsim serve needs textual-serve: {WEB_EXTRA}") from None
    data = str(data_dir(args.data_dir).resolve())
    message = warning(args.host, args.port)
    if message:
        print(message, file=sys.stderr)
    address = url(args.host, args.port)
    print(f"examsim in your browser: {address}  (data: {data}; ctrl+c stops)", flush=True)
    server = Server(app_command(data), host=args.host, port=args.port, title="examsim",
                    public_url=address)
    server.serve()
    return 0
