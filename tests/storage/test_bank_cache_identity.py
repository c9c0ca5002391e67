"""The bank cache's validity check (storage/bank_cache.py, docs/architecture.md): a warm
load does not read the bank file again when its device, inode and ctime are those
recorded, and any edit is still seen: one that keeps the size, one that also sets the
mtime back, a replacement by another file. A file cached right after a change is hashed."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

from examsim.core.formats.native import load_bank
from examsim.storage import bank_cache
from examsim.storage.bank_cache import load_cached

from .test_bank_cache import write

pytestmark = pytest.mark.skipif(os.name != "posix", reason="no ctime identity on Windows")


class Counts:
    """Full loads (parse and validate) and hashes of the bank file."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.loads = self.hashes = 0
        real_hash = bank_cache._sha256_of

        def load(path: Path) -> object:
            self.loads += 1
            return load_bank(path)

        def sha256_of(path: Path) -> str:
            self.hashes += 1
            return real_hash(path)

        monkeypatch.setattr(bank_cache, "load_bank", load)
        monkeypatch.setattr(bank_cache, "_sha256_of", sha256_of)


@pytest.fixture
def counts(monkeypatch: pytest.MonkeyPatch) -> Counts:
    return Counts(monkeypatch)


@pytest.fixture
def settled(monkeypatch: pytest.MonkeyPatch) -> None:
    """The file was last changed long before it is cached (a test writes it just now)."""
    monkeypatch.setattr(bank_cache, "_now_ns", lambda: time.time_ns() + 10 * 10**9)


def new_ctime(path: Path, old_ns: int) -> None:
    """Set the mtime back until the ctime differs from ``old_ns``: on a filesystem of
    coarse times an edit made in the same tick as the first write keeps its ctime."""
    info = path.stat()
    while path.stat().st_ctime_ns == old_ns:
        os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))


def test_a_settled_file_is_not_read_again(tmp_path: Path, counts: Counts, settled) -> None:
    bank_file = write(tmp_path / "mine.toml")
    first = load_cached(bank_file, tmp_path / "cache")
    assert (counts.loads, counts.hashes) == (1, 0)
    again = load_cached(bank_file, tmp_path / "cache")
    assert again == first and again.source_hash == first.source_hash
    assert (counts.loads, counts.hashes) == (1, 0)


def test_an_edit_that_keeps_the_size_is_seen(tmp_path: Path, counts: Counts, settled) -> None:
    bank_file = write(tmp_path / "mine.toml")
    load_cached(bank_file, tmp_path / "cache")
    before = bank_file.stat()
    write(bank_file, n=2)  # "Which 2 is right?": same size
    new_ctime(bank_file, before.st_ctime_ns)
    assert bank_file.stat().st_size == before.st_size
    bank = load_cached(bank_file, tmp_path / "cache")
    assert "Which 2 is right?" in bank.questions[0].stem
    assert counts.loads == 2


def test_an_edit_with_size_and_mtime_set_back_is_seen(
    tmp_path: Path, counts: Counts, settled
) -> None:
    bank_file = write(tmp_path / "mine.toml")
    load_cached(bank_file, tmp_path / "cache")
    before = bank_file.stat()
    write(bank_file, n=2)
    os.utime(bank_file, ns=(before.st_atime_ns, before.st_mtime_ns))
    new_ctime(bank_file, before.st_ctime_ns)
    after = bank_file.stat()
    assert (after.st_size, after.st_mtime_ns, after.st_ino) == (
        before.st_size, before.st_mtime_ns, before.st_ino)
    bank = load_cached(bank_file, tmp_path / "cache")
    assert "Which 2 is right?" in bank.questions[0].stem
    assert counts.loads == 2
    assert load_cached(bank_file, tmp_path / "cache") == bank and counts.loads == 2


def test_a_file_replaced_by_another_with_the_same_times_is_seen(
    tmp_path: Path, counts: Counts, settled
) -> None:
    bank_file = write(tmp_path / "mine.toml")
    load_cached(bank_file, tmp_path / "cache")
    before = bank_file.stat()
    other = write(tmp_path / "other.toml", n=3)
    os.utime(other, ns=(before.st_atime_ns, before.st_mtime_ns))
    os.replace(other, bank_file)  # a new inode, as an editor that saves by renaming
    assert bank_file.stat().st_mtime_ns == before.st_mtime_ns
    bank = load_cached(bank_file, tmp_path / "cache")
    assert "Which 3 is right?" in bank.questions[0].stem
    assert counts.loads == 2


def test_a_file_cached_right_after_a_change_is_hashed(tmp_path: Path, counts: Counts) -> None:
    """Its ctime is too close to the moment it was read: a change in the same clock tick
    could keep it. Such an entry records no identity, and every load hashes the file."""
    bank_file = write(tmp_path / "mine.toml")
    load_cached(bank_file, tmp_path / "cache")
    load_cached(bank_file, tmp_path / "cache")
    load_cached(bank_file, tmp_path / "cache")
    assert (counts.loads, counts.hashes) == (1, 2)
    before = bank_file.stat()
    write(bank_file, n=2)
    os.utime(bank_file, ns=(before.st_atime_ns, before.st_mtime_ns))  # ctime may not move
    bank = load_cached(bank_file, tmp_path / "cache")
    assert "Which 2 is right?" in bank.questions[0].stem


def test_a_copy_keeps_nothing_of_the_identity(tmp_path: Path, counts: Counts, settled) -> None:
    """The cache is keyed by path: a copy at the same path (restored from a backup with
    its times) is a new inode, hashed, and served from the entry when the bytes match."""
    bank_file = write(tmp_path / "mine.toml")
    first = load_cached(bank_file, tmp_path / "cache")
    before = bank_file.stat()
    backup = tmp_path / "backup.toml"
    shutil.copy2(bank_file, backup)
    bank_file.unlink()
    shutil.copy2(backup, bank_file)
    new_ctime(bank_file, before.st_ctime_ns)
    assert load_cached(bank_file, tmp_path / "cache") == first
    assert (counts.loads, counts.hashes) == (1, 1)
