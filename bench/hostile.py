"""Hostile import and bank files, and how the time to read them grows with their size.

Every importer (GIFT, Aiken, checklist Markdown, CSV, Moodle XML) and the bank loader
(TOML, JSON) reads long runs of its format's special characters: backticks, braces,
tildes, equals signs, backslashes, angle brackets, quotes... A parser that backtracks
(a regular expression with nested or overlapping quantifiers) takes quadratic or
exponential time on them: a 2 KB Markdown file of backticks once did not finish in
120 s. Each case makes a file of about N bytes; :func:`ratio` times it at 1 KB and
100 KB in one process (best of a few runs) and divides.

    python bench/hostile.py            # every case at 1, 10 and 100 KB, and the ratios
    python bench/hostile.py --quick    # 1 and 10 KB only

tests/formats/test_linear_time.py holds every case to :func:`verdict` (100 KB / 1 KB under
300, linear being ~100 and quadratic ~10,000; between 300 and 3000, 400 KB / 1 KB under
4000), measured so that the machine's speed or load cannot decide (:func:`growth`).
tests/core/test_qualifiers.py holds the reading aid's patterns to the same rule.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

SIZES = (1_000, 10_000, 100_000)
# what the tests allow (:func:`verdict`): linear is ~N for N times the size, quadratic ~N^2
LINEAR = 300.0  # 100 KB / 1 KB under this is linear
QUADRATIC = 3000.0  # 100 KB / 1 KB over this is not (30 times linear: no load does that)
LIMIT_400 = 4000.0  # in between, 400 KB / 1 KB must stay under this (linear ~400)
MIDDLE_LIMIT = 100.0  # 10 KB / 1 KB (linear ~10): a runaway parser stops here


def _fill(head: str, unit: str, tail: str, size: int) -> str:
    """``head`` + ``unit`` repeated to about ``size`` bytes + ``tail``."""
    count = max(1, (size - len(head) - len(tail)) // max(1, len(unit)))
    return head + unit * count + tail


def _lines(head: str, line: str, tail: str, size: int) -> str:
    return _fill(head, line + "\n", tail, size)


# -- the cases: format -> name -> (size -> text) --------------------------------------------

MARKDOWN: dict[str, Callable[[int], str]] = {
    "backticks in a heading": lambda n: _fill("#### Q1. ", "`", "\n\n- [x] a\n- [ ] b\n", n),
    "backticks in an option": lambda n: _fill("#### Q1. Stem\n\n- [x] ", "`", "\n- [ ] b\n", n),
    "spaces before a heading end": lambda n: _fill("#### Q1. a", " \t", "x\n\n- [x] a\n", n),
    "hashes closing a heading": lambda n: _fill("#### Q1. a ", "# ", "x\n\n- [x] a\n", n),
    "open images": lambda n: _fill("#### Q1. ", "![", "\n\n- [x] a\n- [ ] b\n", n),
    "image without end": lambda n: _fill("#### Q1. ![a](<", "x ", "\n\n- [x] a\n", n),
    "link lines": lambda n: _fill("#### Q1. S\n\n- [x] a\n\n", "[", "](x\n", n),
    "img tags": lambda n: _fill("#### Q1. ", "<img src=a ", "\n\n- [x] a\n", n),
    "img attributes": lambda n: _fill("#### Q1. <img ", "src=", ">\n\n- [x] a\n", n),
    "backslashes": lambda n: _fill("#### Q1. ", "\\", "\n\n- [x] a\n- [ ] b\n", n),
    "ampersands": lambda n: _fill("#### Q1. ", "&#", "\n\n- [x] a\n", n),
    "tildes": lambda n: _fill("#### Q1. S\n\n", "~", "\n\n- [x] a\n", n),
    "fences": lambda n: _lines("#### Q1. S\n\n- [x] a\n", "```", "", n),
    "explanation stars": lambda n: _fill("#### Q1. S\n\n- [x] a\n\n", "**", "x\n", n),
    "many questions": lambda n: _lines("", "#### Q1. S\n- [x] a\n- [ ] `b`", "", n),
    "many headings": lambda n: _lines("#### Q1. S\n- [x] a\n", "# h", "", n),
}

GIFT: dict[str, Callable[[int], str]] = {
    "open braces": lambda n: _fill("::Q1:: Stem ", "{", "{=a ~b}\n", n),
    "tildes": lambda n: _fill("::Q1:: Stem {=a ", "~", "}\n", n),
    "equals": lambda n: _fill("::Q1:: Stem {", "=", "}\n", n),
    "backslashes": lambda n: _fill("::Q1:: Stem {=a ~b", "\\", "}\n", n),
    "escaped braces": lambda n: _fill("::Q1:: Stem ", "\\{", " {=a ~b}\n", n),
    "colons": lambda n: _fill("::", ":", " Stem {=a ~b}\n", n),
    "id brackets": lambda n: _fill("// [id:", "\\]", "\n::Q1:: S {=a ~b}\n", n),
    "open id brackets": lambda n: _fill("// ", "[id:", "\n::Q1:: S {=a ~b}\n", n),
    "open tag brackets": lambda n: _fill("// ", "[tag:x", "\n::Q1:: S {=a ~b}\n", n),
    "percents": lambda n: _fill("::Q1:: S {~", "%", "a ~b}\n", n),
    "formats": lambda n: _fill("::Q1:: [html]", "[html", " S {=a ~b}\n", n),
    "open tags in html": lambda n: _fill("::Q1:: [html]", "<a ", " S {=a ~b}\n", n),
    "blank lines in a block": lambda n: _fill("::Q1:: S {=a\n", "\n", "~b}\n", n),
    "many questions": lambda n: _lines("", "::Q:: S {=a ~b ~c}\n", "", n),
    "comments": lambda n: _lines("", "// " + "{~=" * 10, "::Q1:: S {=a ~b}\n", n),
    "titles without blank lines": lambda n: _lines("::Q1:: S {=a ~b}", "::T\\:: S {=a ~b}", "", n),
    "open titles in a question": lambda n: _lines("::Q1:: S {=a ~b}", "::" + "\\:" * 8, "", n),
}

AIKEN: dict[str, Callable[[int], str]] = {
    "option letters": lambda n: _fill("Stem\nA. ", "A.", "\nB. b\nANSWER: A\n", n),
    "answer separators": lambda n: _fill("Stem\nA. a\nB. b\nANSWER: ", " ,;/", "A\n", n),
    "many questions": lambda n: _lines("", "Stem\nA) a\nB) b\nANSWER: A\n", "", n),
    "option lines": lambda n: _lines("Stem\n", "A. a", "ANSWER: A\n", n),
}

CSV: dict[str, Callable[[int], str]] = {
    "quotes": lambda n: _fill('question,a,b,answer\n"', '""', '",x,y,A\n', n),
    "open quote": lambda n: _fill('question,a,b,answer\n"', "x,", "\n", n),
    "answer separators": lambda n: _fill("question,a,b,answer\nS,x,y,", ";|", "A\n", n),
    "topic separators": lambda n: _fill("question,a,b,answer,topics\nS,x,y,A,", ";|,", "t\n",
                                        n),
    "header spaces": lambda n: _fill("question,", " -_" , "a,b,answer\nS,x,y,A\n", n),
    "many rows": lambda n: _lines("question,a,b,answer\n", "Stem,x,y,A", "", n),
}

MOODLE_XML: dict[str, Callable[[int], str]] = {
    "angle brackets": lambda n: _fill(
        '<quiz><question type="multichoice"><questiontext><text>', "&lt;",
        '</text></questiontext><answer fraction="100"><text>a</text></answer>'
        '<answer fraction="0"><text>b</text></answer></question></quiz>', n),
    "html tags": lambda n: _fill(
        '<quiz><question type="multichoice"><questiontext format="html"><text><![CDATA[',
        "<b>", ']]></text></questiontext><answer fraction="100"><text>a</text></answer>'
        "</question></quiz>", n),
    "open tags in cdata": lambda n: _fill(
        '<quiz><question type="multichoice"><questiontext format="html"><text><![CDATA[',
        "<a ", ']]></text></questiontext><answer fraction="100"><text>a</text></answer>'
        "</question></quiz>", n),
    "script end tags": lambda n: _fill(
        '<quiz><question type="multichoice"><questiontext format="html"><text><![CDATA[S'
        "<script>", "</", ']]></text></questiontext><answer fraction="100"><text>a</text>'
        "</answer></question></quiz>", n),
    "many attributes": lambda n: _fill(
        '<quiz><question type="multichoice"><questiontext format="html"><text><![CDATA[<a',
        " b=c", '>S]]></text></questiontext><answer fraction="100"><text>a</text>'
        "</answer></question></quiz>", n),
    "nested links": lambda n: (
        '<quiz><question type="multichoice"><questiontext format="html"><text><![CDATA['
        + "<a href='http://x'>a" * (n // 24) + "</a>" * (n // 24)
        + ']]></text></questiontext><answer fraction="100"><text>a</text></answer>'
        "</question></quiz>"),
    "open comments in html": lambda n: _fill(
        '<quiz><question type="multichoice"><questiontext format="html"><text><![CDATA[',
        "<!--", ']]></text></questiontext><answer fraction="100"><text>a</text>'
        "</answer></question></quiz>", n),
    "comments": lambda n: _fill("<quiz>", "<!-- <question -->", "</quiz>", n),
    "cdata": lambda n: _fill("<quiz><!-- ", "<![CDATA[", " --></quiz>", n),
    "entities": lambda n: _fill(
        '<quiz><question type="multichoice"><questiontext><text>', "&amp;#",
        '</text></questiontext><answer fraction="100"><text>a</text></answer>'
        "</question></quiz>", n),
    "many questions": lambda n: _fill(
        "<quiz>", '<question type="multichoice"><questiontext><text>S</text>'
        '</questiontext><answer fraction="100"><text>a</text></answer></question>',
        "</quiz>", n),
}


# what `examsim import` reads before it knows the format (a file named .txt)
GUESS: dict[str, Callable[[int], str]] = {
    "tildes in a brace": lambda n: _fill("{", "~", "", n),
    "equals in a brace": lambda n: _fill("{", "=", "", n),
    "open braces": lambda n: _fill("", "{~", "", n),
    "checklist lines": lambda n: _lines("", " - [x] a", "", n),
    "answer lines": lambda n: _lines("", "  ANSWER: ", "", n),
}


def _toml_questions(n: int, broken: bool) -> str:
    head = '[bank]\nid = "x"\ntitle = "X"\n\n'
    one = ('[[questions]]\nid = "q{i}"\nstem = "S \\\\ \\" `` {{}}"\n'
           'options = ["a", "b"]\nanswer = [{key}]\n\n')
    parts = [head]
    i = 0
    while sum(map(len, parts)) < n:
        parts.append(one.format(i=i, key='"Z"' if broken else '"A"'))
        i += 1
    return "".join(parts)


def _json_questions(n: int, broken: bool) -> str:
    questions = []
    size = 0
    while size < n:
        q = {"id": f"q{len(questions)}", "stem": 'S \\ " `` {}', "options": ["a", "b"],
             "answer": ["Z" if broken else "A"]}
        questions.append(q)
        size += len(json.dumps(q, indent=1)) + 2
    return json.dumps({"bank": {"id": "x", "title": "X"}, "questions": questions}, indent=1)


BANK_TOML: dict[str, Callable[[int], str]] = {
    "backslashes in a string": lambda n: _fill('[bank]\nid = "x"\ntitle = "', "\\\\", '"\n', n),
    "quotes in a string": lambda n: _fill("[bank]\nid = \"x\"\ntitle = '''", "\"'", "'''\n",
                                          n),
    "brackets": lambda n: _fill("x = ", "[", "\n", n),
    "valid questions": lambda n: _toml_questions(n, broken=False),
    "a problem in every question": lambda n: _toml_questions(n, broken=True),
}

BANK_JSON: dict[str, Callable[[int], str]] = {
    "backslashes in a string": lambda n: _fill('{"bank": {"id": "x", "title": "', "\\\\",
                                               '"}}', n),
    "braces": lambda n: _fill("", "{", "", n),
    "valid questions": lambda n: _json_questions(n, broken=False),
    "a problem in every question": lambda n: _json_questions(n, broken=True),
}


# -- the readers --------------------------------------------------------------------------


def _importer(module: str) -> Callable[[str], object]:
    def read(text: str) -> object:
        import importlib

        from examsim.core.formats.common import FormatError

        reader = importlib.import_module(f"examsim.core.formats.{module}")
        try:
            return reader.read(text)
        except FormatError as exc:  # refusing the file is a fine answer, if it is quick
            return exc

    return read


def _bank(suffix: str) -> Callable[[str], object]:
    folder = Path(tempfile.mkdtemp(prefix="examsim-hostile-"))

    def read(text: str) -> object:
        from examsim.core.errors import BankError
        from examsim.core.formats.native import load_bank

        path = folder / f"bank{suffix}"
        path.write_text(text, encoding="utf-8")
        try:
            return load_bank(path)
        except BankError as exc:
            return exc

    return read


def _guess(text: str) -> object:
    from examsim.commands.importer import guess

    return guess(Path("file.txt"), text)


FORMATS: dict[str, tuple[Callable[[str], object], dict[str, Callable[[int], str]]]] = {
    "import-guess": (_guess, GUESS),
    "markdown": (_importer("markdown"), MARKDOWN),
    "gift": (_importer("gift"), GIFT),
    "aiken": (_importer("aiken"), AIKEN),
    "csv": (_importer("csv_format"), CSV),
    "moodle-xml": (_importer("moodle_xml"), MOODLE_XML),
    "bank-toml": (_bank(".toml"), BANK_TOML),
    "bank-json": (_bank(".json"), BANK_JSON),
}


def cases() -> list[tuple[str, str]]:
    return [(fmt, name) for fmt, (_, made) in FORMATS.items() for name in made]


def _cpu_seconds(read: Callable[[str], object], text: str) -> float:
    start = time.thread_time()
    read(text)
    return time.thread_time() - start


def seconds(fmt: str, name: str, size: int, runs: int = 3, budget: float = 20.0) -> float:
    """The best time of ``runs`` reads of the case at ``size`` bytes (one run when a run
    takes over ``budget`` / 4 seconds). The garbage collector is held off while a run is
    timed, and the time is this thread's CPU time: what is measured is the parser's work,
not when a collection happens to fall or what else the machine runs."""
    import gc

    reader, made = FORMATS[fmt]
    text = made[name](size)
    best = float("inf")
    gc.collect()
    gc.disable()
    try:
        for _ in range(runs):
            best = min(best, _cpu_seconds(reader, text))
            if best > budget / 4:
                break
    finally:
        gc.enable()
    return best


def growth(read: Callable[[str], object], small: str, large: str, rounds: int = 3,
           small_runs: int = 5, budget: float = 20.0) -> tuple[float, float, float]:
    """(best seconds on ``small``, best on ``large``, large / small) for ``read``.

    What makes the ratio a property of the code and not of the machine: the time is
    this thread's CPU time (time the process waits for a CPU, under load, is not counted),
    the garbage collector is held off, and the two sizes are read in turns (a round reads
    the small text ``small_runs`` times, then the large once), the best of each kept, so
    a slow spell of the machine falls on both or is dropped by the minimum. A faster or
    slower machine changes both alike. The limits sit ten times from linear on one side
    and from quadratic on the other (LIMIT), a margin no load crosses."""
    import gc

    gc.collect()
    gc.disable()
    try:
        read(small)  # warm up: imports, caches, compiled patterns
        low = high = float("inf")
        for _ in range(rounds):
            for _ in range(small_runs):
                low = min(low, _cpu_seconds(read, small))
            high = min(high, _cpu_seconds(read, large))
            if high > budget / 4:  # a runaway: one run says enough
                break
    finally:
        gc.enable()
    return low, high, high / max(low, 1e-6)


def verdict(read: Callable[[str], object], made: Callable[[int], str]) -> tuple[bool, str]:
    """(linear?, the figures) for ``read`` on texts ``made(size)`` of 1 and 100 KB, read in
    turns (:func:`growth`). Under ``LINEAR`` (3 times linear) it is linear; over
    ``QUADRATIC`` (30 times linear) it is not. In between, a machine under load and a
    quadratic term beside a large fixed cost look alike, so it is measured again at 400 KB,
    where linear (~400) and quadratic (~160,000) are further apart: linear if under
    ``LIMIT_400`` (10 times linear). No verdict hangs on the machine's speed or load."""
    small_text = made(1_000)
    low, high, times = growth(read, small_text, made(100_000))
    figures = (f"1 KB {low * 1000:.3f} ms, 100 KB {high * 1000:.1f} ms: {times:.0f} times "
               "for 100 times the size")
    if times < LINEAR or times >= QUADRATIC:
        return times < LINEAR, figures
    low, higher, times = growth(read, small_text, made(400_000), rounds=2)
    return times < LIMIT_400, (f"{figures}; 400 KB {higher * 1000:.1f} ms: {times:.0f} "
                               "times for 400 times the size")


def ratio(fmt: str, name: str, small: int = 1_000, large: int = 100_000) -> tuple[float, float,
                                                                                   float]:
    """(seconds at ``small``, seconds at ``large``, large / small), one process, read in
    turns (:func:`growth`)."""
    reader, made = FORMATS[fmt]
    return growth(reader, made[name](small), made[name](large))


def _case_in_child(fmt: str, name: str, sizes: tuple[int, ...], timeout: float) -> list[str]:
    """The case's times at each size, measured in a child process (a parser that never
    ends is stopped after ``timeout`` seconds: "> N s")."""
    import subprocess

    code = ("import sys, json; sys.path.insert(0, sys.argv[1]); import hostile; "
            "fmt, name = sys.argv[2], sys.argv[3]; "
            "hostile.seconds(fmt, name, int(sys.argv[4]), runs=1)\n"
            "for size in map(int, sys.argv[4:]):\n"
            "    print(hostile.seconds(fmt, name, size, runs=15 if size <= 10000 else 3),"
            " flush=True)")
    shown: list[str] = []
    try:
        out = subprocess.run([sys.executable, "-c", code, str(Path(__file__).parent), fmt,
                              name, *map(str, sizes)], capture_output=True, text=True,
                             timeout=timeout, check=False).stdout
    except subprocess.TimeoutExpired as exc:
        out = exc.stdout.decode() if isinstance(exc.stdout, bytes) else (exc.stdout or "")
    shown = [line for line in out.split("\n") if line.strip()]
    return shown + [f"> {timeout:.0f} s"] * (len(sizes) - len(shown))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="1 and 10 KB only")
    parser.add_argument("--format", choices=list(FORMATS), help="one format only")
    parser.add_argument("--timeout", type=float, default=60.0,
                        help="seconds a case may take in all (default 60)")
    args = parser.parse_args(argv)
    sizes = SIZES[:2] if args.quick else SIZES
    worst = 0.0
    print(f"{'format':<11} {'case':<30} " + " ".join(f"{s // 1000:>7} KB" for s in sizes)
          + "   ratio")
    for fmt, name in cases():
        if args.format and fmt != args.format:
            continue
        times = _case_in_child(fmt, name, sizes, args.timeout)
        shown = [f"{float(t) * 1000:>8.1f}ms" if not t.startswith(">") else f"{t:>10}"
                 for t in times]
        if any(t.startswith(">") for t in times):
            growth = float("inf")
        else:
            growth = float(times[-1]) / max(float(times[0]), 1e-6)
        worst = max(worst, growth)
        print(f"{fmt:<11} {name:<30} " + " ".join(shown) + f" {growth:>7.0f}", flush=True)
    largest = sizes[-1] // sizes[0]
    print(f"worst ratio {worst:.0f} ({largest}x the size; linear ~{largest}, the test's "
          f"verdict: linear under {LINEAR * largest / 100:.0f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
