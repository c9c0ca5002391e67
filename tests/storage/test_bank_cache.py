"""The validated bank cache: same bank as load_bank, never trusted when anything differs."""

from __future__ import annotations

import io
import json
import os
import pickle
import zlib
from pathlib import Path

import pytest

from examsim.core.bank import Bank
from examsim.core.errors import BankError
from examsim.core.formats.native import load_bank
from examsim.storage import bank_cache
from examsim.storage.bank_cache import entry_path, load_cached
from examsim.storage.catalog import discover, resolve

BANK = """\
[bank]
title = "Cache test"
scaled_score = { min = 100, max = 1000, pass = 750 }

[[domains]]
id = "net"
name = "Networking"
weight = 60

[[domains]]
id = "sec"
weight = 40

[[questions]]
id = "q1"
domain = "net"
topics = ["VPC", "Routing"]
stem = \"\"\"
Which {n} is right?
\"\"\"
options = ["Right", { text = "Wrong", why = "Because." }, "Also   wrong"]
answer = "a"
explanation = "It is."
references = ["https://example.com/a"]

[[questions]]
id = "q2"
domain = "sec"
stem = "Choose two."
options = ["One", "Two", "Three", "Four"]
answer = ["D", "B"]
"""


def write(path: Path, n: int = 1) -> Path:
    path.write_text(BANK.replace("{n}", str(n)), encoding="utf-8")
    return path


@pytest.fixture
def cache(tmp_path: Path) -> Path:
    return tmp_path / "cache"


@pytest.fixture
def bank_file(tmp_path: Path) -> Path:
    return write(tmp_path / "mine.toml")


class Loads:
    """Counts the full loads (parse and validate) that load_cached falls back to."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.count = 0

        def counted(path: object) -> Bank:
            self.count += 1
            return load_bank(path)

        monkeypatch.setattr(bank_cache, "load_bank", counted)


@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch) -> Loads:
    return Loads(monkeypatch)


def fields(value: object) -> list[tuple[str, object]]:
    return [(name, getattr(value, name)) for name in type(value).model_fields]


def assert_same_bank(revived: Bank, validated: Bank) -> None:
    assert revived == validated
    assert revived.model_dump(by_alias=True) == validated.model_dump(by_alias=True)
    assert revived.model_fields_set == validated.model_fields_set
    for private in ("_by_id", "_by_domain", "_source", "_source_hash"):
        assert getattr(revived, private) == getattr(validated, private), private
    assert (revived.source, revived.source_hash) == (validated.source, validated.source_hash)
    pairs = [(revived.settings, validated.settings)]
    pairs += [(revived.settings.scaled_score, validated.settings.scaled_score)]
    pairs += list(zip(revived.domains, validated.domains, strict=True))
    for q1, q2 in zip(revived.questions, validated.questions, strict=True):
        pairs.append((q1, q2))
        pairs += list(zip(q1.options, q2.options, strict=True))
    for ours, theirs in pairs:
        assert type(ours) is type(theirs)
        if ours is None:
            continue
        assert fields(ours) == fields(theirs)  # names, order and values
        assert [type(value) for _, value in fields(ours)] == [
            type(value) for _, value in fields(theirs)]
        assert ours.model_fields_set == theirs.model_fields_set
        assert hash(ours) == hash(theirs)
    for question in revived.questions:
        assert revived.question(question.id) is question
    for domain in revived.domains:
        assert revived.questions_in(domain.id) == validated.questions_in(domain.id)


# -- a hit gives the same bank without parsing -------------------------------------------


@pytest.mark.parametrize("suffix", [".toml", ".json"])
def test_second_load_comes_from_the_cache_and_is_the_same_bank(
    tmp_path: Path, cache: Path, loads: Loads, suffix: str
) -> None:
    path = write(tmp_path / "mine.toml")
    if suffix == ".json":
        data = load_bank(path).model_dump(by_alias=True, exclude_unset=True)
        path = tmp_path / "mine.json"
        path.write_text(json.dumps(data), encoding="utf-8")
    first = load_cached(path, cache)
    assert loads.count == 1 and entry_path(path, cache).is_file()
    second = load_cached(path, cache)
    assert loads.count == 1, "the second load must not parse the file"
    assert second is not first
    assert_same_bank(second, load_bank(path))
    assert second.id == "mine" and second.settings.scaled_score is not None


def test_bundled_banks_round_trip(cache: Path) -> None:
    for path in sorted((Path(__file__).resolve().parents[2] / "banks").glob("*.toml")):
        load_cached(path, cache)
        assert_same_bank(load_cached(path, cache), load_bank(path))


def test_default_cache_dir_honours_EXAMSIM_CACHE_DIR(
    bank_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EXAMSIM_CACHE_DIR", str(tmp_path / "elsewhere"))
    load_cached(bank_file)
    assert entry_path(bank_file, tmp_path / "elsewhere" / "banks").is_file()


# -- never trusted when the key differs -----------------------------------------------------


def test_another_path_does_not_use_the_entry(tmp_path: Path, cache: Path, loads: Loads) -> None:
    one = write(tmp_path / "one.toml")
    two = tmp_path / "two.toml"
    two.write_bytes(one.read_bytes())
    os.utime(two, ns=(one.stat().st_atime_ns, one.stat().st_mtime_ns))
    load_cached(one, cache)
    # the entry of one.toml put where two.toml's would be: same size, mtime and content
    entry_path(two, cache).write_bytes(entry_path(one, cache).read_bytes())
    bank = load_cached(two, cache)
    assert loads.count == 2
    assert bank.id == "two" and bank.source == str(two)


def test_a_symlink_keeps_its_own_name(tmp_path: Path, cache: Path) -> None:
    target = write(tmp_path / "target.toml")
    link = tmp_path / "alias.toml"
    link.symlink_to(target)
    assert load_cached(target, cache).id == "target"
    assert load_cached(link, cache).id == "alias"
    assert load_cached(link, cache).id == "alias"
    assert load_cached(target, cache).id == "target"


def test_a_changed_size_is_a_miss(bank_file: Path, cache: Path, loads: Loads) -> None:
    load_cached(bank_file, cache)
    write(bank_file, n=12345)
    bank = load_cached(bank_file, cache)
    assert loads.count == 2
    assert "12345" in bank.questions[0].stem
    assert load_cached(bank_file, cache) == bank and loads.count == 2


def test_a_changed_mtime_is_a_miss(bank_file: Path, cache: Path, loads: Loads) -> None:
    load_cached(bank_file, cache)
    stat = bank_file.stat()
    os.utime(bank_file, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    load_cached(bank_file, cache)
    assert loads.count == 2


def test_changed_content_with_the_same_size_and_mtime_is_a_miss(
    bank_file: Path, cache: Path, loads: Loads
) -> None:
    load_cached(bank_file, cache)
    stat = bank_file.stat()
    write(bank_file, n=2)  # "Which 2 is right?": same size
    os.utime(bank_file, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert bank_file.stat().st_size == stat.st_size
    assert bank_file.stat().st_mtime_ns == stat.st_mtime_ns
    bank = load_cached(bank_file, cache)
    assert loads.count == 2
    assert "Which 2 is right?" in bank.questions[0].stem
    assert bank.source_hash == load_bank(bank_file).source_hash


def test_another_examsim_pydantic_or_model_shape_is_a_miss(
    bank_file: Path, cache: Path, loads: Loads, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_cached(bank_file, cache)
    real = bank_cache._versions
    for key in ("format", "examsim", "pydantic", "models"):
        monkeypatch.setattr(bank_cache, "_versions", lambda key=key: {**real(), key: "other"})
        before = loads.count
        load_cached(bank_file, cache)
        assert loads.count == before + 1, key
    monkeypatch.setattr(bank_cache, "_versions", real)


# -- a damaged entry is ignored and rebuilt ------------------------------------------------


def damage_truncate(data: bytes) -> bytes:
    return data[: len(data) // 2]


def damage_empty(data: bytes) -> bytes:
    return b""


def damage_garbage(data: bytes) -> bytes:
    return os.urandom(len(data))


def damage_flip_last_body_byte(data: bytes) -> bytes:
    # inside the body: a changed byte the pickle may still load, which the CRC refuses
    index = len(data) - 40
    return data[:index] + bytes([data[index] ^ 0x01]) + data[index + 1 :]


def damage_flip_in_a_text(data: bytes) -> bytes:
    return data.replace(b"Also   wrong", b"Also   wronG")


def damage_trailing_bytes(data: bytes) -> bytes:
    return data + b"more"


def damage_magic(data: bytes) -> bytes:
    return b"X" + data[1:]


DAMAGES = [damage_truncate, damage_empty, damage_garbage, damage_flip_last_body_byte,
           damage_flip_in_a_text, damage_trailing_bytes, damage_magic]


@pytest.mark.parametrize("damage", DAMAGES, ids=lambda f: f.__name__)
def test_a_damaged_entry_is_ignored_and_rebuilt(
    bank_file: Path, cache: Path, loads: Loads, damage
) -> None:
    load_cached(bank_file, cache)
    entry = entry_path(bank_file, cache)
    good = entry.read_bytes()
    entry.write_bytes(damage(good))
    bank = load_cached(bank_file, cache)
    assert loads.count == 2
    assert_same_bank(bank, load_bank(bank_file))
    assert entry.read_bytes() == good, "the entry is rewritten"
    load_cached(bank_file, cache)
    assert loads.count == 2


def test_an_entry_with_a_global_is_refused_not_run(
    bank_file: Path, cache: Path, loads: Loads, tmp_path: Path
) -> None:
    load_cached(bank_file, cache)
    entry = entry_path(bank_file, cache)
    data = entry.read_bytes()
    marker = tmp_path / "ran"
    evil = pickle.dumps(_Evil(str(marker)), protocol=5)
    header = {**_header(data), "length": len(evil), "crc": zlib.crc32(evil)}
    entry.write_bytes(bank_cache.MAGIC + pickle.dumps(header, protocol=5) + evil)
    bank = load_cached(bank_file, cache)
    assert not marker.exists()
    assert loads.count == 2 and bank.id == "mine"


class _Evil:
    def __init__(self, path: str) -> None:
        self.path = path

    def __reduce__(self):
        return (Path.touch, (Path(self.path),))


def _header(data: bytes) -> dict:
    stream = io.BytesIO(data[len(bank_cache.MAGIC) :])
    return pickle.load(stream)


# -- failures ------------------------------------------------------------------------------


def test_a_bad_bank_raises_like_load_bank_and_drops_its_entry(
    bank_file: Path, cache: Path
) -> None:
    load_cached(bank_file, cache)
    entry = entry_path(bank_file, cache)
    assert entry.is_file()
    stat = bank_file.stat()
    text = bank_file.read_text(encoding="utf-8").replace('answer = "a"', 'answer = "Z"')
    bank_file.write_text(text, encoding="utf-8")  # same size, same mtime: the hash differs
    os.utime(bank_file, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    with pytest.raises(BankError) as cached:
        load_cached(bank_file, cache)
    with pytest.raises(BankError) as direct:
        load_bank(bank_file)
    assert list(map(str, cached.value.problems)) == list(map(str, direct.value.problems))
    assert not entry.exists()


@pytest.mark.parametrize("name", ["missing.toml", "folder.toml", "notes.txt"])
def test_unreadable_paths_raise_like_load_bank(tmp_path: Path, cache: Path, name: str) -> None:
    path = tmp_path / name
    if name == "folder.toml":
        path.mkdir()
    if name == "notes.txt":
        path.write_text("hello")
    with pytest.raises(BankError) as cached:
        load_cached(path, cache)
    with pytest.raises(BankError) as direct:
        load_bank(path)
    assert str(cached.value) == str(direct.value)
    assert not cache.exists() or not any(cache.iterdir())


def test_an_unwritable_cache_dir_still_loads(bank_file: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the cache dir would be")
    bank = load_cached(bank_file, blocker / "banks")
    assert bank == load_bank(bank_file)
    assert load_cached(bank_file, blocker / "banks") == bank


def test_no_temp_files_are_left_behind(bank_file: Path, cache: Path) -> None:
    load_cached(bank_file, cache)
    write(bank_file, n=99)
    load_cached(bank_file, cache)
    assert [p.name for p in cache.iterdir()] == [entry_path(bank_file, cache).name]


def test_clear_removes_every_entry(tmp_path: Path, cache: Path) -> None:
    load_cached(write(tmp_path / "a.toml"), cache)
    load_cached(write(tmp_path / "b.toml"), cache)
    assert bank_cache.clear(cache) == 2
    assert not list(cache.iterdir())


def test_gc_is_back_on_after_a_load_and_after_a_failure(bank_file: Path, cache: Path) -> None:
    import gc

    load_cached(bank_file, cache)
    load_cached(bank_file, cache)
    assert gc.isenabled()
    with pytest.raises(BankError):
        load_cached(bank_file.with_name("missing.toml"), cache)
    assert gc.isenabled()


# -- the catalog uses it ------------------------------------------------------------------


def test_catalog_resolve_and_discover_go_through_the_cache(
    tmp_path: Path, loads: Loads
) -> None:
    cwd = tmp_path / "cwd"
    (cwd / "banks").mkdir(parents=True)
    path = write(cwd / "banks" / "mine.toml")
    cache = Path(os.environ["EXAMSIM_CACHE_DIR"]) / "banks"
    assert resolve(str(path), tmp_path / "data", cwd).id == "mine"
    assert entry_path(path, cache).is_file()
    count = loads.count
    assert resolve(str(path), tmp_path / "data", cwd).id == "mine"
    entries = discover(tmp_path / "data", cwd)
    mine = next(e for e in entries if e.path == cwd / "banks" / "mine.toml")
    assert mine.bank is not None and mine.bank.id == "mine"
    # resolving a path looks at the other banks too (an id they share is refused), so
    # every bank was parsed once by the first resolve and none since
    assert loads.count == count, "nothing parsed twice"


def test_entries_validated_by_older_rules_are_rebuilt(tmp_path: Path, monkeypatch) -> None:
    """Issue 20 tightened validation (time_limit = inf was valid before): an entry written
    under the older format is never served; the bank is loaded and validated again."""
    path = tmp_path / "b.toml"
    path.write_text(BANK, encoding="utf-8")
    cache = tmp_path / "cache"
    monkeypatch.setattr(bank_cache, "FORMAT", 1)
    load_cached(path, cache)
    monkeypatch.setattr(bank_cache, "FORMAT", 3)
    calls = []
    real = bank_cache.load_bank
    monkeypatch.setattr(bank_cache, "load_bank", lambda p: calls.append(p) or real(p))
    load_cached(path, cache)
    assert calls == [path]
    load_cached(path, cache)  # the rebuilt entry is used
    assert calls == [path]


# -- format 4: the index at load, each question when it is used ----------------------------


def big_bank(path: Path, count: int = 40) -> Path:
    """``count`` questions over two domains and three topics."""
    lines = ['[bank]\ntitle = "Big"\n',
             '[[domains]]\nid = "a"\nweight = 50\n', '[[domains]]\nid = "b"\nweight = 50\n']
    for i in range(count):
        lines.append(
            f'[[questions]]\nid = "q{i:03d}"\ndomain = "{"ab"[i % 2]}"\n'
            f'topics = ["T{i % 3}"]\nstem = "Question {i}?"\n'
            f'options = ["Yes {i}", {{ text = "No {i}", why = "Why {i}." }}]\nanswer = "A"\n')
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def test_a_cached_bank_makes_only_the_questions_used(tmp_path: Path, cache: Path) -> None:
    from examsim.core.assemble import AttemptPlan, assemble
    from examsim.core.bank import LazyQuestions
    from examsim.core.session import ExamSession

    path = big_bank(tmp_path / "big.toml")
    validated = load_cached(path, cache)  # the miss: load_bank's bank, a tuple
    assert isinstance(validated.questions, tuple)
    bank = load_cached(path, cache)
    questions = bank.questions
    assert isinstance(questions, LazyQuestions)
    assert questions.made() == 0
    # what the home screen and the start form read comes from the index
    assert len(bank.questions) == 40 and bank.title == "Big"
    assert [len(bank.questions_in(d)) for d in ("a", "b")] == [20, 20]
    assert bank.has_question("q007") and not bank.has_question("nope")
    assert bank.question_ids() == validated.question_ids()
    assert bank.question_domains() == validated.question_domains()
    assert bank.question_topics() == validated.question_topics()
    assert questions.made() == 0
    # an exam of 6 makes its 6 questions
    session = ExamSession.start(bank, AttemptPlan(questions=6, seed=3))
    assert questions.made() == 6
    same = assemble(validated, AttemptPlan(questions=6, seed=3))
    assert session.question_ids == same.question_ids
    assert session.option_orders == same.option_orders
    # a drill on one topic makes the questions of that topic, no others
    drill = assemble(bank, AttemptPlan(mode="drill", topics=("t1",), seed=1, shuffle=False))
    assert drill == assemble(validated, AttemptPlan(mode="drill", topics=("t1",), seed=1,
                                                    shuffle=False))
    assert questions.made() <= 6 + 14
    assert bank.question("q007") is bank.questions[7]
    assert_same_bank(bank, load_bank(path))  # every question, made now
    assert questions.made() == 40


def test_a_cached_bank_dumps_and_compares_as_the_validated_one(
    tmp_path: Path, cache: Path
) -> None:
    path = big_bank(tmp_path / "big.toml", 5)
    load_cached(path, cache)
    bank, validated = load_cached(path, cache), load_bank(path)
    assert bank.model_dump(exclude_unset=True) == validated.model_dump(exclude_unset=True)
    assert bank.model_dump_json() == validated.model_dump_json()
    assert hash(bank.questions) == hash(validated.questions)
    assert bank.questions[1:3] == validated.questions[1:3]
    assert bank.questions[-1] == validated.questions[-1]
    with pytest.raises(IndexError):
        bank.questions[5]


def _format_3_entry(bank: Bank, key: dict) -> bytes:
    """An entry as examsim wrote it before format 4: one pickle of every model's
    (__dict__, fields set)."""

    def state(model, **nested):
        return ({**{n: getattr(model, n) for n in type(model).model_fields}, **nested},
                frozenset(model.model_fields_set))

    scaled = bank.settings.scaled_score
    body = pickle.dumps((
        state(bank.settings, scaled_score=None if scaled is None else state(scaled)),
        tuple(state(d) for d in bank.domains),
        tuple(state(q, options=tuple(state(o) for o in q.options)) for q in bank.questions),
        frozenset(bank.model_fields_set),
    ), protocol=5)
    header = {"versions": {**bank_cache._versions(), "format": 3}, "key": key,
              "length": len(body), "crc": zlib.crc32(body)}
    return bank_cache.MAGIC + pickle.dumps(header, protocol=5) + body


def test_an_entry_of_format_3_is_rebuilt(bank_file: Path, cache: Path, loads: Loads) -> None:
    load_cached(bank_file, cache)
    entry = entry_path(bank_file, cache)
    header = _header(entry.read_bytes())
    entry.write_bytes(_format_3_entry(load_bank(bank_file), header["key"]))
    assert loads.count == 1
    bank = load_cached(bank_file, cache)
    assert loads.count == 2, "a format 3 entry is never read"
    assert_same_bank(bank, load_bank(bank_file))
    assert _header(entry.read_bytes())["versions"]["format"] == bank_cache.FORMAT == 5
    load_cached(bank_file, cache)
    assert loads.count == 2


def _format_4_entry(bank: Bank, key: dict) -> bytes:
    """An entry as examsim wrote it before format 5: an index of pydantic states (field
    values, fields set), then one such state per question."""

    def state(model, **nested):
        return ({**{n: getattr(model, n) for n in type(model).model_fields}, **nested},
                frozenset(model.model_fields_set))

    scaled = bank.settings.scaled_score
    questions = []
    ends = []
    for question in bank.questions:
        values, names = state(question, options=tuple(state(o) for o in question.options))
        for name in ("id", "domain", "topics"):
            del values[name]
        questions.append(pickle.dumps((values, names), protocol=5))
        ends.append(sum(map(len, questions)))
    index = (
        state(bank.settings, scaled_score=None if scaled is None else state(scaled)),
        tuple(state(d) for d in bank.domains),
        frozenset(bank.model_fields_set),
        tuple(q.id for q in bank.questions),
        tuple(q.domain for q in bank.questions),
        tuple(q.topics for q in bank.questions),
        tuple(ends),
    )
    body = b"".join([pickle.dumps(index, protocol=5), *questions])
    header = {"versions": {**bank_cache._versions(), "format": 4}, "key": key,
              "length": len(body), "crc": zlib.crc32(body)}
    return bank_cache.MAGIC + pickle.dumps(header, protocol=5) + body


def test_an_entry_of_format_4_is_rebuilt(bank_file: Path, cache: Path, loads: Loads) -> None:
    load_cached(bank_file, cache)
    entry = entry_path(bank_file, cache)
    header = _header(entry.read_bytes())
    entry.write_bytes(_format_4_entry(load_bank(bank_file), header["key"]))
    assert loads.count == 1
    bank = load_cached(bank_file, cache)
    assert loads.count == 2, "a format 4 entry is never read"
    assert_same_bank(bank, load_bank(bank_file))
    assert _header(entry.read_bytes())["versions"]["format"] == bank_cache.FORMAT == 5
    load_cached(bank_file, cache)
    assert loads.count == 2


def test_a_global_in_a_question_pickle_is_refused_when_the_question_is_made(
    tmp_path: Path, cache: Path
) -> None:
    """The CRC says an entry is the one written; one forged to match it still runs no code:
    the question whose pickle holds a global fails to be made, the others are made."""
    path = big_bank(tmp_path / "big.toml", 3)
    load_cached(path, cache)
    entry = entry_path(path, cache)
    data = entry.read_bytes()
    header = _header(data)
    body = data[len(data) - header["length"]:]
    stream = io.BytesIO(body)
    index = pickle.load(stream)  # the index comes first; its last item: the end offsets
    start, ends = stream.tell(), index[-1]
    marker = tmp_path / "ran"
    evil = pickle.dumps(_Evil(str(marker)), protocol=5)
    first, rest = body[start:start + ends[0]], body[start + ends[0]:]
    assert first.startswith(b"\x80\x05")  # the first question's own pickle
    ends = tuple(end - len(first) + len(evil) for end in ends)
    new_body = pickle.dumps((*index[:-1], ends), protocol=5) + evil + rest
    new_header = {**header, "length": len(new_body), "crc": zlib.crc32(new_body)}
    entry.write_bytes(bank_cache.MAGIC + pickle.dumps(new_header, protocol=5) + new_body)
    bank = load_cached(path, cache)
    assert bank.question("q001").stem == "Question 1?"
    with pytest.raises(pickle.UnpicklingError):
        bank.question("q000")
    assert not marker.exists()
