"""Bank load: load_bank and the validated cache on a 10,000-question bank, against the
parsers alone, each timed in a fresh interpreter.

    python bench/bench_load.py [--runs N] [--size N] [--quick] [--json]

The bank comes from bench/genbank.py in TOML and in JSON (the same content). Every case
runs in its own new process, imports done before the clock starts, so each starts from
the same state (heap, garbage collector) and the OS page cache holds the file for all:

- cold: ``load_bank(path)`` (read, sha256, parse, validate; no cache involved) against
  ``tomllib.load`` / ``json.load`` of the same file;
- warm: ``load_cached(path)`` with its cache entry in place (read and hash the file, read
  and check the entry, rebuild the settings, domains and the index; each question is made
  when first used) against ``json.load`` of the same content;
- warm, every question made: the same, then a pass over ``bank.questions`` (what a caller
  that reads every question pays), against ``json.load``;
- first load through the cache (a miss: load_bank, then the entry written), for
  information.

``load_bank`` and ``load_cached`` pause the cyclic garbage collector while they build the
bank; ``tomllib.load`` / ``json.load`` run as a caller would run them, collector on. The
table also shows ``tomllib.load`` with the collector paused, for what that alone is worth.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchlib import (
    Result,
    arguments,
    generated_bank,
    interleave,
    median,
    report,
    time_in_fresh_process,
    workdir,
)


def main(argv: list[str] | None = None) -> list[Result]:
    parser = arguments(__doc__.splitlines()[0], runs=5)
    parser.add_argument("--size", type=int, default=10_000, help="questions (default 10,000)")
    args = parser.parse_args(argv)
    runs = 1 if args.quick else args.runs
    size = 200 if args.quick else args.size
    work = workdir("load")
    try:
        toml = generated_bank(size, ".toml")
        json_file = generated_bank(size, ".json")
        cache = work / "cache"
        misses = work / "misses"
        bank_imports = "from examsim.core.formats.native import load_bank"
        cached_imports = (f"from pathlib import Path\n"
                          f"from examsim.storage.bank_cache import load_cached\n"
                          f"cache = Path({str(cache)!r})")
        for path in (toml, json_file):  # write the entries the warm cases use
            time_in_fresh_process(cached_imports, f"load_cached({str(path)!r}, cache)")

        def miss(path: Path) -> float:
            shutil.rmtree(misses, ignore_errors=True)
            return time_in_fresh_process(
                "from pathlib import Path\nfrom examsim.storage.bank_cache import load_cached",
                f"load_cached({str(path)!r}, Path({str(misses)!r}))")

        cases = {
            "tomllib.load": lambda: time_in_fresh_process(
                f"import tomllib\nf = open({str(toml)!r}, 'rb')", "tomllib.load(f)"),
            "tomllib.load, gc paused": lambda: time_in_fresh_process(
                f"import gc, tomllib\nf = open({str(toml)!r}, 'rb')\ngc.disable()",
                "tomllib.load(f)"),
            "json.load": lambda: time_in_fresh_process(
                f"import json\nf = open({str(json_file)!r}, 'rb')", "json.load(f)"),
            "load_bank toml": lambda: time_in_fresh_process(
                bank_imports, f"load_bank({str(toml)!r})"),
            "load_bank json": lambda: time_in_fresh_process(
                bank_imports, f"load_bank({str(json_file)!r})"),
            "load_cached toml warm": lambda: time_in_fresh_process(
                cached_imports, f"load_cached({str(toml)!r}, cache)"),
            "load_cached json warm": lambda: time_in_fresh_process(
                cached_imports, f"load_cached({str(json_file)!r}, cache)"),
            "load_cached json warm, all": lambda: time_in_fresh_process(
                cached_imports, f"for _ in load_cached({str(json_file)!r}, cache).questions: pass"),
            "load_cached toml miss": lambda: miss(toml),
            "load_cached json miss": lambda: miss(json_file),
        }
        for case in cases.values():  # warm-up: .pyc files, the OS page cache
            case()
        samples = interleave(cases, runs)
        mb = toml.stat().st_size / 1e6, json_file.stat().st_size / 1e6
    finally:
        shutil.rmtree(work, ignore_errors=True)
    ms = {name: median(values) * 1000 for name, values in samples.items()}

    def result(name: str, ours: str, base: str, target: str = "", note: str = "") -> Result:
        return Result(name, ms[ours], ms[base], "ms", base, target, runs, note,
                      samples={"ours": samples[ours], "baseline": samples[base]})

    results = [
        result("cold load_bank, TOML", "load_bank toml", "tomllib.load", "<= 1.2x"),
        result("cold load_bank, JSON", "load_bank json", "json.load",
               note="no target; a hook that refuses duplicate keys makes json.loads slower"),
        result("warm load (cache), TOML file", "load_cached toml warm", "json.load", "<= 1.5x"),
        result("warm load (cache), JSON file", "load_cached json warm", "json.load", "<= 1.5x"),
        result("warm load (cache), JSON file, every question made",
               "load_cached json warm, all", "json.load",
               note="questions are made when first used; this pass makes all 10,000"),
        result("first load through the cache, TOML", "load_cached toml miss", "tomllib.load"),
        result("first load through the cache, JSON", "load_cached json miss", "json.load"),
        result("(tomllib.load, gc paused)", "tomllib.load, gc paused", "tomllib.load"),
    ]
    report(f"Bank load, {size:,} questions ({mb[0]:.1f} MB TOML, {mb[1]:.1f} MB JSON), "
           "fresh process per run", results, args.json)
    return results


if __name__ == "__main__":
    main()
