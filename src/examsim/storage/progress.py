"""How an attempt in progress is saved (schema v10): three parts, each written when it
changes, so that a save costs in proportion to what changed, not to the bank.

- ``attempts.outline``: what the session snapshot holds that never changes (version,
  bank_id, plan, seed, time_limit, unscored, wall_start), JSON, written once at start.
- ``attempt_questions``: one row per question of the attempt (id, fingerprint, option
  order as the bank letters shown, domain, topics, key, words, scored), written once at
  start (a resume rewrites the rows of questions edited since).
- ``attempt_progress``: one row per question that is not blank (shown, or anything done
  to it): answer, strikes, flag, confidence, seconds, changes, checked, seen, trail, note
  and the credit it earns. A save UPSERTs the rows of the questions that changed.
- ``attempts.state``: the snapshot's fields that change (index, elapsed, paused,
  finished, end_reason), JSON, rewritten by every save.

:func:`read_snapshot` joins them back into the snapshot's JSON dict, which
``ExamSession.restore`` validates as before. Attempts saved by v9 (the whole snapshot in
``attempts.snapshot`` and every answer row in ``attempts.progress``, rewritten on every
save) are converted by :func:`convert_v9` when the database is migrated; one whose save
does not fit the columns (a damaged save) keeps its v9 columns, which
:func:`read_snapshot` and :func:`read_rows` still read, so it is abandoned on resume
with its answers kept, as before.
"""

from __future__ import annotations

import json
import math
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Protocol

from .. import __version__
from ..core.bank import Question
from ..core.frozen import Frozen, _set
from ..core.gc_pause import gc_paused

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"  # option order as letters (answers.display too)
STATE_KEYS = ("index", "elapsed", "paused", "finished", "end_reason")
# a snapshot question: the parts in attempt_questions, then those in attempt_progress
STATIC_KEYS = ("id", "fingerprint", "order")
PROGRESS_KEYS = ("chosen", "struck", "flagged", "confidence", "seconds", "changes",
                 "checked", "seen", "trail", "note")
BLANK: dict[str, Any] = {"chosen": "", "struck": "", "flagged": False, "confidence": None,
                         "seconds": 0.0, "changes": 0, "checked": False, "seen": False,
                         "trail": [], "note": ""}
INT64 = 2**63 - 1
FITTED = "fitted"  # attempts.bank_hash: "fitted <examsim version> <sha256 of the bank file>"

PROGRESS_COLUMNS = ("attempt_id, position, chosen, struck, flagged, confidence, seconds, "
                    "changes, checked, seen, trail, note, credit")
UPSERT_PROGRESS = (
    f"INSERT INTO attempt_progress ({PROGRESS_COLUMNS}) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (attempt_id, position) "
    "DO UPDATE SET chosen = excluded.chosen, struck = excluded.struck, "
    "flagged = excluded.flagged, confidence = excluded.confidence, "
    "seconds = excluded.seconds, changes = excluded.changes, checked = excluded.checked, "
    "seen = excluded.seen, trail = excluded.trail, note = excluded.note, "
    "credit = excluded.credit"
)
INSERT_QUESTION = (
    "INSERT INTO attempt_questions (attempt_id, position, question_id, question_hash, "
    "display, domain, topics, answer, words, scored) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def fit_mark(source_hash: str | None) -> str | None:
    """What ``attempts.bank_hash`` holds once the attempt's question rows were written
    against a bank file: this examsim's version and the sha256 of the file's bytes
    (None for a bank not read from a file). See :func:`rows_fit`."""
    return f"{FITTED} {__version__} {source_hash}" if source_hash else None


def rows_fit(stored: str | None, source_hash: str | None) -> bool:
    """Whether an attempt's question rows were written (at start, or by a resume that
    checked and refreshed them) by this examsim against this very bank file: then every
    saved question is in the bank with its saved option count, fingerprint, key, domain
    and topics, and a resume need not make the bank's questions to check them again.
    A plain sha256 (written at start by examsim before the mark, whose resumes refreshed
    the rows without updating it) or a mark of another examsim version never fits: that
    resume checks every question as before, then writes the mark."""
    return stored is not None and stored == fit_mark(source_hash)


class ProgressLike(Protocol):
    """One question's changing state (core.session.QuestionProgress)."""

    @property
    def position(self) -> int: ...
    @property
    def chosen(self) -> str: ...
    @property
    def struck(self) -> str: ...
    @property
    def flagged(self) -> bool: ...
    @property
    def confidence(self) -> int | None: ...
    @property
    def seconds(self) -> float: ...
    @property
    def changes(self) -> int: ...
    @property
    def checked(self) -> bool: ...
    @property
    def seen(self) -> bool | None: ...
    @property
    def trail(self) -> tuple[str, ...]: ...
    @property
    def note(self) -> str: ...
    @property
    def credit(self) -> float: ...


def progress_params(attempt_id: int, item: ProgressLike) -> tuple[Any, ...]:
    """Parameters of UPSERT_PROGRESS for one question."""
    return (attempt_id, item.position, item.chosen, item.struck, int(item.flagged),
            item.confidence, float(item.seconds), int(item.changes), int(item.checked),
            None if item.seen is None else int(item.seen), ">".join(item.trail), item.note,
            float(item.credit))


def display_letters(order: Iterable[int]) -> str:
    """An option order as the bank letters shown, e.g. (2, 0, 3, 1) -> "CADB"."""
    return "".join(LETTERS[index] for index in order)


def question_params(
    attempt_id: int, position: int, question: Question, order: Sequence[int], scored: bool
) -> tuple[Any, ...]:
    """Parameters of INSERT_QUESTION for one question of an attempt."""
    words = len(question.stem.split()) + sum(len(o.text.split()) for o in question.options)
    return (attempt_id, position, question.id, question.fingerprint, display_letters(order),
            question.domain, json.dumps(list(question.topics), ensure_ascii=False),
            "".join(question.answer), words, int(scored))


def write_outline(conn: sqlite3.Connection, attempt_id: int, outline: Mapping[str, Any],
                  questions: Iterable[tuple[Any, ...]]) -> None:
    """Inside a write: the parts of a new attempt that never change."""
    conn.execute("UPDATE attempts SET outline = ? WHERE id = ?",
                 (json.dumps(outline, ensure_ascii=False), attempt_id))
    conn.executemany(INSERT_QUESTION, questions)


def write_progress(conn: sqlite3.Connection, attempt_id: int,
                   items: Iterable[ProgressLike]) -> None:
    """Inside a write: one UPSERT of the rows of the questions that changed."""
    conn.executemany(UPSERT_PROGRESS, [progress_params(attempt_id, item) for item in items])


def clear(conn: sqlite3.Connection, attempt_id: int) -> None:
    """Inside a write: drop an attempt's saved questions and progress."""
    conn.execute("DELETE FROM attempt_progress WHERE attempt_id = ?", (attempt_id,))
    conn.execute("DELETE FROM attempt_questions WHERE attempt_id = ?", (attempt_id,))


# -- reading ---------------------------------------------------------------------------


def read_snapshot(
    conn: sqlite3.Connection, attempt_id: int, compact: bool = False
) -> dict[str, Any] | None:
    """The attempt's last saved snapshot as its JSON dict (the three parts joined), or
    None when none is kept. Raises ValueError when a part is not JSON (damaged).
    ``compact`` (for a resume): a question never shown is given by its id, fingerprint,
    order and ``seen: false`` only, the rest left to QuestionState's defaults (the blank
    values), so the snapshot validates to the same session at half the cost."""
    with gc_paused():  # one dict per question: many objects, no cycles
        return _read_snapshot(conn, attempt_id, compact)


def _read_snapshot(
    conn: sqlite3.Connection, attempt_id: int, compact: bool
) -> dict[str, Any] | None:
    found = conn.execute("SELECT outline, state, snapshot FROM attempts WHERE id = ?",
                         (attempt_id,)).fetchone()
    if found is None:
        return None
    outline, state, legacy = found
    if outline is None:  # a v9 save that could not be converted, or none
        return None if legacy is None else _json_object(legacy)
    progress = {row[0]: row[1:] for row in conn.execute(
        "SELECT position, chosen, struck, flagged, confidence, seconds, changes, checked, "
        "seen, trail, note FROM attempt_progress WHERE attempt_id = ?", (attempt_id,))}
    questions = []
    orders: dict[str, list[int]] = {}  # few distinct option orders: decoded once each
    for position, qid, fingerprint, display in conn.execute(
            "SELECT position, question_id, question_hash, display FROM attempt_questions "
            "WHERE attempt_id = ? ORDER BY position", (attempt_id,)):
        order = orders.get(display)
        if order is None:
            order = orders[display] = [LETTERS.index(letter) for letter in display]
        row = progress.get(position)
        if row is None and compact:
            questions.append({"id": qid, "fingerprint": fingerprint, "order": order,
                              "seen": False})
            continue
        if row is None:  # never shown: blank
            questions.append({"id": qid, "fingerprint": fingerprint, "order": list(order),
                              "chosen": "", "struck": "", "flagged": False,
                              "confidence": None, "seconds": 0.0, "changes": 0,
                              "checked": False, "seen": False, "trail": [], "note": ""})
            continue
        chosen, struck, flagged, confidence, seconds, changes, checked, seen, trail, note = row
        questions.append({
            "id": qid, "fingerprint": fingerprint, "order": list(order), "chosen": chosen,
            "struck": struck, "flagged": bool(flagged), "confidence": confidence,
            "seconds": seconds, "changes": changes, "checked": bool(checked),
            "seen": None if seen is None else bool(seen),
            "trail": trail.split(">") if trail else [], "note": note})
    return {**_json_object(outline), "questions": questions,
            **_json_object(state if state is not None else "{}")}


class Summary(Frozen):
    """What a line about an attempt in progress shows, read without building its
    snapshot (:func:`read_summary`): the snapshot's fields but ``questions``, how many
    questions it saved, how many are flagged, and the question id and letters chosen of
    each question with a choice (a handful, against the whole attempt)."""

    __slots__ = __match_args__ = ("fields", "total", "flagged", "choices")
    fields: dict[str, Any]
    total: int
    flagged: int
    choices: tuple[tuple[str, str], ...]

    def __init__(self, fields: dict[str, Any], total: int, flagged: int,
                 choices: tuple[tuple[str, str], ...]) -> None:
        _set(self, "fields", fields)
        _set(self, "total", total)
        _set(self, "flagged", flagged)
        _set(self, "choices", choices)


def read_summary(conn: sqlite3.Connection, attempt_id: int) -> Summary | None:
    """The attempt's last save as a :class:`Summary`, from the progress rows (one count
    and one read of the rows with a choice, not one dict per question), or None when
    none is kept. Figures as :func:`read_snapshot` would give them: a v9 save not
    converted is read whole. Raises ValueError when a part is not JSON (damaged)."""
    found = conn.execute("SELECT outline, state, snapshot FROM attempts WHERE id = ?",
                         (attempt_id,)).fetchone()
    if found is None:
        return None
    outline, state, legacy = found
    if outline is None:
        if legacy is None:
            return None
        return _summary_of(_json_object(legacy))
    # positions are 0..n-1 (written in order, never deleted one by one): the last one
    # says how many, from the primary key, where COUNT(*) would read every row
    (total,) = conn.execute("SELECT COALESCE(MAX(position) + 1, 0) FROM attempt_questions "
                            "WHERE attempt_id = ?", (attempt_id,)).fetchone()
    flagged = 0
    choices = []
    for qid, chosen, flag in conn.execute(
            "SELECT q.question_id, p.chosen, p.flagged FROM attempt_progress p "
            "JOIN attempt_questions q ON q.attempt_id = p.attempt_id "
            "AND q.position = p.position WHERE p.attempt_id = ? "
            "AND (p.chosen != '' OR p.flagged != 0)", (attempt_id,)):
        flagged += bool(flag)
        chosen = str(chosen or "")  # as read_snapshot's dict would be read
        if chosen:
            choices.append((str(qid), chosen))
    fields = {**_json_object(outline), **_json_object(state if state is not None else "{}")}
    fields.pop("questions", None)
    return Summary(fields, total, flagged, tuple(choices))


def _summary_of(snapshot: dict[str, Any]) -> Summary:
    """A whole snapshot (a v9 save) as a Summary; entries that are not question dicts
    count in ``total`` only, as the home screen always read them."""
    questions = snapshot.get("questions")
    if not isinstance(questions, list):
        questions = []
    flagged = 0
    choices = []
    for state in questions:
        if not isinstance(state, dict):
            continue
        flagged += bool(state.get("flagged"))
        chosen = str(state.get("chosen") or "")
        if chosen:
            choices.append((str(state.get("id")), chosen))
    fields = {key: value for key, value in snapshot.items() if key != "questions"}
    return Summary(fields, len(questions), flagged, tuple(choices))


def read_rows(conn: sqlite3.Connection, attempt_id: int) -> list[dict[str, Any]]:
    """Every question of the attempt as an answer row (records.progress_rows' keys, with
    ``display``), as of its last save: what abandoning it without the session keeps."""
    found = conn.execute("SELECT outline, snapshot, progress FROM attempts WHERE id = ?",
                         (attempt_id,)).fetchone()
    if found is None:
        return []
    if found[0] is None and found[2] is not None:  # a v9 save not converted
        return _v9_rows(found[1], found[2])
    rows = []
    for (position, qid, qhash, display, domain, topics, answer, words, scored, chosen,
         struck, flagged, confidence, seconds, changes, seen, trail, note, credit) in \
            conn.execute(
                "SELECT q.position, q.question_id, q.question_hash, q.display, q.domain, "
                "q.topics, q.answer, q.words, q.scored, p.chosen, p.struck, p.flagged, "
                "p.confidence, p.seconds, p.changes, p.seen, p.trail, p.note, p.credit "
                "FROM attempt_questions q LEFT JOIN attempt_progress p "
                "ON p.attempt_id = q.attempt_id AND p.position = q.position "
                "WHERE q.attempt_id = ? ORDER BY q.position", (attempt_id,)):
        saved = credit is not None  # the question has a progress row (credit is NOT NULL)
        chosen = chosen or ""
        rows.append({
            "position": position, "question_id": qid, "question_hash": qhash,
            "domain": domain, "topics": json.loads(topics), "chosen": chosen,
            "answer": answer, "struck": struck or "", "correct": chosen == answer,
            "credit": float(credit or 0.0), "flagged": bool(flagged),
            "confidence": confidence, "seconds": float(seconds or 0.0),
            "changes": int(changes or 0),
            "seen": (None if seen is None else bool(seen)) if saved else False,
            "trail": trail or "", "words": words, "scored": bool(scored), "note": note or "",
            "display": display,
        })
    return rows


def touched_rows(conn: sqlite3.Connection, attempt_id: int) -> list[dict[str, Any]]:
    """The saved answer rows with anything in them (v9 saves: every row)."""
    found = conn.execute("SELECT outline, snapshot, progress FROM attempts WHERE id = ?",
                         (attempt_id,)).fetchone()
    if found is None:
        return []
    if found[0] is None and found[2] is not None:
        return _v9_rows(found[1], found[2])
    return [{"chosen": chosen, "struck": struck, "flagged": bool(flagged),
             "confidence": confidence, "note": note}
            for chosen, struck, flagged, confidence, note in conn.execute(
                "SELECT chosen, struck, flagged, confidence, note FROM attempt_progress "
                "WHERE attempt_id = ?", (attempt_id,))]


def _json_object(text: str) -> dict[str, Any]:
    data = json.loads(text)
    if not isinstance(data, dict):
        raise ValueError("not a JSON object")
    return data


# -- attempts saved by v9 ----------------------------------------------------------------


def _v9_rows(snapshot: str | None, progress: str | None) -> list[dict[str, Any]]:
    """A v9 save's answer rows, with the display order from its snapshot when readable."""
    try:
        rows = json.loads(progress) if progress else []
    except ValueError:
        return []
    if not isinstance(rows, list):
        return []
    rows = [row for row in rows if isinstance(row, dict)]
    orders = _v9_orders(snapshot)
    if orders is not None:
        for row in rows:
            position = row.get("position")
            if isinstance(position, int) and 0 <= position < len(orders):
                row["display"] = display_letters(orders[position])
    return rows


def _v9_orders(text: str | None) -> list[list[int]] | None:
    try:
        data: Any = json.loads(text) if text else {}
        orders = [list(map(int, q["order"])) for q in data["questions"]]
    except (ValueError, TypeError, KeyError):
        return None
    if any(not 0 <= index < len(LETTERS) for order in orders for index in order):
        return None
    return orders


def convert_v9(conn: sqlite3.Connection) -> int:
    """Inside the v10 migration: move each attempt in progress saved by v9 into the v10
    parts (idempotent: a converted attempt has no v9 progress left); returns how many
    were converted. One whose save does not fit is left as it is (see the module doc)."""
    done = 0
    for attempt_id, snapshot, progress in conn.execute(
            "SELECT id, snapshot, progress FROM attempts WHERE status = 'in_progress' "
            "AND snapshot IS NOT NULL AND progress IS NOT NULL").fetchall():
        parts = split_v9(snapshot, progress)
        if parts is None:
            continue
        outline, state, questions, rows = parts
        clear(conn, attempt_id)
        conn.executemany(INSERT_QUESTION, [(attempt_id, *q) for q in questions])
        conn.executemany(UPSERT_PROGRESS, [(attempt_id, *row) for row in rows])
        conn.execute("UPDATE attempts SET outline = ?, state = ?, snapshot = NULL, "
                     "progress = NULL WHERE id = ?",
                     (json.dumps(outline, ensure_ascii=False),
                      json.dumps(state, ensure_ascii=False), attempt_id))
        done += 1
    return done


def split_v9(
    snapshot: str, progress: str
) -> tuple[dict[str, Any], dict[str, Any], list[tuple[Any, ...]], list[tuple[Any, ...]]] | None:
    """A v9 save as (outline, state, question rows, progress rows), without the attempt
    id; None when a value does not fit its column exactly (the save is then damaged and
    stays as it is). Values are carried as they are, so ExamSession.restore judges the
    converted save as it judged the v9 one."""
    try:
        data, answer_rows = json.loads(snapshot), json.loads(progress)
    except ValueError:
        return None
    if not isinstance(data, dict) or not isinstance(answer_rows, list):
        return None
    states = data.get("questions")
    if not isinstance(states, list) or len(states) != len(answer_rows):
        return None
    outline = {k: v for k, v in data.items() if k not in STATE_KEYS and k != "questions"}
    state = {k: data[k] for k in STATE_KEYS if k in data}
    questions: list[tuple[Any, ...]] = []
    rows: list[tuple[Any, ...]] = []
    for position, (item, answer_row) in enumerate(zip(states, answer_rows, strict=True)):
        fitted = _fit_question(item, answer_row, position)
        if fitted is None:
            return None
        question, row = fitted
        questions.append(question)
        if row is not None:
            rows.append(row)
    return outline, state, questions, rows


def _fit_question(
    item: object, row: object, position: int
) -> tuple[tuple[Any, ...], tuple[Any, ...] | None] | None:
    if not isinstance(item, dict) or not isinstance(row, dict):
        return None
    if not set(item) <= {*STATIC_KEYS, *PROGRESS_KEYS} or not set(STATIC_KEYS) <= set(item):
        return None
    qid, fingerprint, order = item["id"], item["fingerprint"], item["order"]
    if not (isinstance(qid, str) and isinstance(fingerprint, str) and isinstance(order, list)
            and all(_int(i) and 0 <= i < len(LETTERS) for i in order)):
        return None
    topics, domain, answer = row.get("topics"), row.get("domain"), row.get("answer")
    words, scored, credit = row.get("words", 0), row.get("scored", True), row.get("credit", 0.0)
    if not (row.get("position") == position and row.get("question_id") == qid
            and isinstance(topics, list) and all(isinstance(t, str) for t in topics)
            and (domain is None or isinstance(domain, str)) and isinstance(answer, str)
            and _int(words) and isinstance(scored, bool) and _number(credit)):
        return None
    question = (position, qid, fingerprint, display_letters(order), domain,
                json.dumps(topics, ensure_ascii=False), answer, words, int(scored))
    state = {**BLANK, "seen": None, **{k: item[k] for k in PROGRESS_KEYS if k in item}}
    chosen, struck, flagged, confidence, seconds, changes, checked, seen, trail, note = (
        state[k] for k in PROGRESS_KEYS)
    if not (isinstance(chosen, str) and isinstance(struck, str) and isinstance(note, str)
            and isinstance(flagged, bool) and isinstance(checked, bool)
            and (confidence is None or _int(confidence)) and _number(seconds)
            and _int(changes) and (seen is None or isinstance(seen, bool))
            and isinstance(trail, list)
            and all(isinstance(t, str) and t and ">" not in t for t in trail)):
        return None
    if state == BLANK:
        return question, None  # never shown, nothing done: no row (a missing "seen" is
        # None, as QuestionState reads it, and kept as NULL)
    return question, (position, chosen, struck, int(flagged), confidence, float(seconds),
                      changes, int(checked), None if seen is None else int(seen),
                      ">".join(trail), note, float(credit))


def _int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and -INT64 - 1 <= value <= INT64


def _number(value: object) -> bool:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    try:
        return math.isfinite(value)
    except OverflowError:  # an int beyond any float
        return False
