"""Run every benchmark, then print one table of our figures, the baselines' and the ratios.

    python bench/run_all.py [--quick] [--only NAME ...] [--markdown FILE]

Each benchmark runs in its own process (so none disturbs another's memory or timing) and
prints its own table as it goes; the summary at the end gathers them, with the machine
they ran on. ``--markdown FILE`` also writes the summary as a Markdown table (the one in
docs/performance.md). ``--quick`` runs tiny sizes once: it checks that everything still
works, its figures mean nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
SCRIPTS = {
    "startup": "bench_startup.py",
    "keys": "bench_keys.py",
    "load": "bench_load.py",
    "autosave": "bench_autosave.py",
    "stats": "bench_stats.py",
    "memory": "bench_memory.py",
    "scale": "bench_scale.py",
}


def machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    tmux = subprocess.run(["tmux", "-V"], capture_output=True, text=True, check=False).stdout
    from importlib.metadata import version

    libraries = ", ".join(f"{name} {version(name)}" for name in ("textual", "pydantic"))
    return (f"{os.cpu_count()} CPUs ({model}), Python {platform.python_version()}, "
            f"{platform.system()} {platform.release()}, {libraries}, "
            f"{tmux.strip() or 'no tmux'}")


def run(name: str, quick: bool, extra: list[str]) -> list[dict]:
    argv = [sys.executable, str(BENCH / SCRIPTS[name]), "--json", *(["--quick"] if quick else []),
            *extra]
    print(f"\n### {name}: {' '.join(argv[1:])}", flush=True)
    started = time.perf_counter()
    done = subprocess.run(argv, stdout=subprocess.PIPE, text=True, check=False)
    results = []
    for line in done.stdout.splitlines():
        if line.startswith("RESULTS "):
            results += json.loads(line[len("RESULTS "):])["results"]
        else:
            print(line)
    print(f"({name}: {time.perf_counter() - started:.0f} s)", flush=True)
    if done.returncode != 0:
        print(f"!! {name} failed with exit code {done.returncode}", file=sys.stderr)
    return results


def fmt(value: float) -> str:
    return f"{value:.1f}" if abs(value) >= 10 else f"{value:.2f}"


def summary(rows: list[tuple[str, dict]], markdown: bool) -> str:
    head = ("| benchmark | ours | baseline | ratio | target | met |\n"
            "|---|---:|---|---:|---|---|") if markdown else (
            f"{'benchmark':46} {'ours':>10} {'baseline':>34} {'ratio':>7}  target")
    lines = [head]
    for _, r in rows:
        met = {None: "", True: "yes", False: "**no**" if markdown else "NO"}[r["met"]]
        ours = f"{fmt(r['ours'])} {r['unit']}"
        base = f"{fmt(r['baseline'])} {r['unit']} ({r['baseline_name']})"
        if markdown:
            lines.append(f"| {r['name']} | {ours} | {base} | {r['ratio']:.2f}x | "
                         f"{r['target'] or '(info)'} | {met} |")
        else:
            lines.append(f"{r['name']:46} {ours:>10} {base:>34} {r['ratio']:6.2f}x  "
                         f"{r['target'] or '(info)'} {met}")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny sizes, one run each")
    parser.add_argument("--only", nargs="+", choices=sorted(SCRIPTS), metavar="NAME",
                        help=f"run only these ({', '.join(SCRIPTS)})")
    parser.add_argument("--markdown", metavar="FILE", help="also write the summary here")
    args = parser.parse_args()
    names = args.only or list(SCRIPTS)
    info = machine()
    print(f"machine: {info}; load average {os.getloadavg()[0]:.2f}")
    started = time.perf_counter()
    rows: list[tuple[str, dict]] = []
    for name in names:
        rows += [(name, r) for r in run(name, args.quick, [])]
    load = "load average {:.2f} {:.2f} {:.2f}".format(*os.getloadavg())
    print(f"\n== Summary (medians; {time.perf_counter() - started:.0f} s in all) ==")
    print(f"machine: {info}; at the end: {load}")
    print(summary(rows, markdown=False))
    if args.markdown:
        stamp = time.strftime("%Y-%m-%d")
        Path(args.markdown).write_text(
            f"Measured {stamp} on {info}; {load} at the end of the run.\n\n"
            f"{summary(rows, markdown=True)}\n", encoding="utf-8")
        print(f"\nwrote {args.markdown}")
    missed = [r["name"] for _, r in rows if r["met"] is False]
    if missed:
        print(f"\ntargets not met: {len(missed)} of {sum(r['met'] is not None for _, r in rows)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
