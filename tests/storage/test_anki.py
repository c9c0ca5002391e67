"""Anki export: the .apkg opened as Anki would (a zip holding a SQLite collection)."""

from __future__ import annotations

import json
import sqlite3
import zipfile
from pathlib import Path

import pytest

from examsim.cli import main
from examsim.core.bank import Bank
from examsim.core.bank_model import validate_bank
from examsim.core.formats.native import load_bank
from examsim.storage.anki import (
    FIELDS,
    MODEL_ID,
    AnkiWriteError,
    cards,
    deck_id,
    escape,
    note_guid,
    tag,
    write_deck,
)
from examsim.storage.history import open_history

from .helpers import FakeSession, make_bank

SEP = "\x1f"  # Anki's field separator in notes.flds


def hostile_bank() -> Bank:
    return validate_bank({
        "bank": {"id": "hostile", "title": "Hostile <b>bank</b>"},
        "domains": [{"id": "net ops", "name": "Network operations", "weight": 100}],
        "questions": [
            {"id": "q1", "domain": "net ops", "topics": ["Route 53", "a\tb  c"],
             "stem": '<script>alert("x")</script> & [sound:boom.mp3]\nsecond line',
             "options": [{"text": "<b>bold</b>", "why": "because <i>so</i>"},
                         "{{c1::cloze}}", "plain & simple"],
             "answer": ["A"], "explanation": "See <img src=x onerror=alert(1)>",
             "references": ["https://example.com/?a=1&b=<2>"]},
            {"id": "q2", "domain": "net ops", "stem": "Pick two.",
             "options": ["one", "two", "three", "four"], "answer": ["B", "D"]},
        ],
    })


def read_apkg(path: Path) -> tuple[list[dict[str, object]], dict[str, object]]:
    """The notes (guid, fields by name, tags) and the models of an .apkg."""
    with zipfile.ZipFile(path) as archive:
        assert set(archive.namelist()) == {"collection.anki2", "media"}
        assert json.loads(archive.read("media")) == {}
        data = archive.read("collection.anki2")
    db = path.with_suffix(".anki2")
    db.write_bytes(data)
    conn = sqlite3.connect(db)
    try:
        models = json.loads(conn.execute("SELECT models FROM col").fetchone()[0])
        decks = json.loads(conn.execute("SELECT decks FROM col").fetchone()[0])
        rows = conn.execute("SELECT guid, mid, flds, tags FROM notes ORDER BY id").fetchall()
        card_count = conn.execute("SELECT count(*) FROM cards").fetchone()[0]
    finally:
        conn.close()
        db.unlink()
    notes = [{"guid": guid, "mid": mid, "fields": dict(zip(FIELDS, flds.split(SEP), strict=True)),
              "tags": tags.split()} for guid, mid, flds, tags in rows]
    return notes, {"models": models, "decks": decks, "cards": card_count}


def test_escape_and_tags() -> None:
    assert escape('<a href="x">&</a>') == "&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;"
    assert escape("[sound:x.mp3]\nnext") == "&#91;sound:x.mp3]<br>next"
    assert tag("Route 53") == "Route_53"
    assert tag("  a\t b\x07c ") == "a_bc"
    assert tag("\x1b[31m") == "[31m"


def test_deck_of_every_question(tmp_path: Path) -> None:
    bank = hostile_bank()
    target = tmp_path / "deck.apkg"
    write_deck(target, bank, cards(bank), now=1_700_000_000.0)
    notes, col = read_apkg(target)
    assert col["cards"] == 2
    assert str(MODEL_ID) in col["models"]
    assert [f["name"] for f in col["models"][str(MODEL_ID)]["flds"]] == list(FIELDS)
    assert str(deck_id("hostile")) in col["decks"]
    assert col["decks"][str(deck_id("hostile"))]["name"] == "examsim::Hostile <b>bank</b>"

    first, second = notes
    assert first["guid"] == note_guid("hostile", "q1") != note_guid("hostile", "q2")
    assert first["tags"] == ["net_ops", "Route_53", "a_b_c"]
    fields = first["fields"]
    assert fields["Stem"] == ("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; "
                              "&#91;sound:boom.mp3]<br>second line")
    assert fields["Options"] == ("<li><b>A.</b> &lt;b&gt;bold&lt;/b&gt;</li>"
                                 "<li><b>B.</b> {{c1::cloze}}</li>"
                                 "<li><b>C.</b> plain &amp; simple</li>")
    assert fields["Answer"] == "Answer: A<br>A. &lt;b&gt;bold&lt;/b&gt;"
    assert fields["Explanation"] == "See &lt;img src=x onerror=alert(1)&gt;"
    assert fields["Whys"] == "<li><b>A.</b> because &lt;i&gt;so&lt;/i&gt;</li>"
    assert fields["References"] == "<li>https://example.com/?a=1&amp;b=&lt;2&gt;</li>"
    assert fields["Source"] == "hostile · q1"
    for value in fields.values():  # no tag from the bank survives: only ours
        assert "<script" not in value and "<img" not in value and "<i>" not in value

    assert second["fields"]["Stem"] == "Pick two.<br><i>(Choose 2.)</i>"
    assert second["fields"]["Answer"] == "Answer: B, D<br>B. two<br>D. four"
    assert second["fields"]["Whys"] == second["fields"]["References"] == ""
    assert second["tags"] == ["net_ops"]


def test_reexport_keeps_the_guids_after_an_edit(tmp_path: Path) -> None:
    bank = hostile_bank()
    write_deck(tmp_path / "one.apkg", bank, cards(bank), now=1_700_000_000.0)
    data = bank.model_dump(by_alias=True)
    data["questions"] = list(reversed(data["questions"]))
    data["questions"][1]["stem"] = "Reworded stem"
    edited = validate_bank(data)
    write_deck(tmp_path / "two.apkg", edited, cards(edited), now=1_800_000_000.0)
    before, _ = read_apkg(tmp_path / "one.apkg")
    after, _ = read_apkg(tmp_path / "two.apkg")
    assert {n["guid"] for n in before} == {n["guid"] for n in after}
    by_guid = {n["guid"]: n for n in after}
    assert by_guid[note_guid("hostile", "q1")]["fields"]["Stem"] == "Reworded stem"
    # the same question id in another bank is another note
    assert note_guid("other", "q1") != note_guid("hostile", "q1")


def test_cards_of_some_ids_keep_bank_order() -> None:
    bank = make_bank(6)
    chosen = cards(bank, ["q4", "q1", "gone"])
    assert [c.guid for c in chosen] == [note_guid("demo", "q1"), note_guid("demo", "q4")]


def test_write_refuses_existing_and_symlinks(tmp_path: Path) -> None:
    bank = make_bank(2)
    target = tmp_path / "deck.apkg"
    target.write_text("keep me")
    with pytest.raises(AnkiWriteError, match="exists; use --force"):
        write_deck(target, bank, cards(bank))
    assert target.read_text() == "keep me"
    victim = tmp_path / "victim.txt"
    victim.write_text("untouched")
    link = tmp_path / "link.apkg"
    link.symlink_to(victim)
    with pytest.raises(AnkiWriteError, match="exists"):
        write_deck(link, bank, cards(bank))
    write_deck(link, bank, cards(bank), force=True)  # replaces the link, not its target
    assert victim.read_text() == "untouched" and not link.is_symlink()
    assert zipfile.is_zipfile(link)
    dangling = tmp_path / "dangling.apkg"
    dangling.symlink_to(tmp_path / "nowhere.apkg")
    with pytest.raises(AnkiWriteError, match="exists"):
        write_deck(dangling, bank, cards(bank))
    assert not (tmp_path / "nowhere.apkg").exists()
    with pytest.raises(AnkiWriteError, match="cannot write in"):
        write_deck(tmp_path / "missing" / "x.apkg", bank, cards(bank))
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "dangling.apkg", "deck.apkg", "link.apkg", "victim.txt"]  # no partial file left


def bank_file(tmp_path: Path, bank: Bank) -> Path:
    path = tmp_path / f"{bank.id}.json"
    path.write_text(json.dumps(bank.model_dump(by_alias=True, mode="json")), encoding="utf-8")
    return path


def finished(session: FakeSession) -> None:
    with open_history() as history:
        attempt_id = history.start_attempt(session)
        session.submit()
        history.finish(attempt_id, session)


def test_export_anki_command(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    source = bank_file(tmp_path, make_bank(5))
    bank = load_bank(source)  # history records where the bank file is
    assert main(["export", "--anki", "x.apkg"]) == 2
    assert "name it with --bank ID" in capsys.readouterr().err
    assert main(["export", "--anki", "x.apkg", "--bank", str(source), "--missed"]) == 2
    assert "no history yet" in capsys.readouterr().err

    # q0 right, q1 wrong, q2 unanswered, q3 right and flagged, q4 wrong and flagged
    session = FakeSession(bank)
    session.mark(0, chosen="AC").mark(1, chosen="A").mark(3, chosen="D", flagged=True)
    session.mark(4, chosen="B", flagged=True)
    finished(session)

    assert main(["export", "--anki", str(tmp_path), "--bank", str(source), "--missed"]) == 0
    assert capsys.readouterr().out == f"wrote 3 notes to {tmp_path / 'examsim-demo-missed.apkg'}\n"
    notes, _ = read_apkg(tmp_path / "examsim-demo-missed.apkg")
    assert [n["guid"] for n in notes] == [note_guid("demo", q) for q in ("q1", "q2", "q4")]

    assert main(["export", "--anki", "flagged.apkg", "--flagged"]) == 0  # bank from history
    notes, _ = read_apkg(tmp_path / "flagged.apkg")
    assert [n["guid"] for n in notes] == [note_guid("demo", q) for q in ("q3", "q4")]

    # due today: the wrong and unanswered seen ones, right after the attempt (spaced review)
    assert main(["export", "--anki", "due.apkg", "--due"]) == 0
    notes, _ = read_apkg(tmp_path / "due.apkg")
    assert sorted(n["guid"] for n in notes) == sorted(
        note_guid("demo", q) for q in ("q1", "q2", "q4"))

    assert main(["export", "--anki", "all.apkg", "--bank", str(source)]) == 0
    assert "wrote 5 notes" in capsys.readouterr().out
    assert main(["export", "--anki", "all.apkg", "--bank", str(source), "--all"]) == 2
    assert "exists; use --force" in capsys.readouterr().err
    assert main(["export", "--anki", "all.apkg", "--bank", "nosuch"]) == 2
    assert "no bank file or bank id 'nosuch'" in capsys.readouterr().err
    assert main(["export", "--anki", "y.apkg", "--last"]) == 2
    assert "--last chooses attempts for CSV" in capsys.readouterr().err
    assert main(["export", "--missed"]) == 2
    assert "--missed goes with --anki" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["export", "--anki", "z.apkg", "--missed", "--flagged"])


def test_export_anki_nothing_missed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bank = make_bank(2)
    source = bank_file(tmp_path, bank)
    session = FakeSession(bank)
    session.mark(0, chosen="AC").mark(1, chosen="B")
    finished(session)
    target = tmp_path / "m.apkg"
    assert main(["export", "--anki", str(target), "--bank", str(source), "--missed"]) == 1
    assert "no missed questions on bank 'demo'" in capsys.readouterr().err
    assert not target.exists()
