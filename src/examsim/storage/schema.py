"""The history database's schema and its forward migrations.

The schema version lives in ``PRAGMA user_version``. ``MIGRATIONS[n]`` takes a database
from version ``n`` to ``n + 1``; a fresh database runs them all. Migrations only ever go
forward: a database newer than :data:`SCHEMA_VERSION` is not ours to touch (see db.py).

Version 1: attempts, answers, and the text of each question version answered.
Version 2: ``attempts.bank_source`` (the bank file, so resume can find it again),
``answer_topics`` (one row per answer and topic, backfilled from ``answers.topics``) so
per-topic queries need no JSON, and covering indexes for the stats queries.
Version 3: ``answers.strikes`` (options struck) and ``answers.strikes_in_key`` (of those,
how many were in the key), written with each answer and backfilled, with a partial
covering index, so strike accuracy is one aggregate rather than a loop in Python.
Version 4: a lease on an attempt in progress (``attempts.owner_pid``, ``owner_host``,
``heartbeat``: which examsim has it open, refreshed on every autosave, NULL when none),
so two processes never write one attempt; ``answers.display`` (the bank letters in the
order the screen showed them, e.g. "CADB"; NULL for answers stored before); and
``answer_topics.answered`` (0 for a question left unanswered, backfilled), so counts and
miss streaks can tell answers from questions asked (``answers_domain`` covers ``chosen``
for the same reason).
Version 5: ``answers_confidence``, a partial covering index over the answers with a
confidence, so confidence calibration reads those alone (issue #9).
Version 6: ``attempt_topics``, each attempt's totals per topic (answers, credit,
answered), written with its answers and backfilled, so accuracy by topic sums one row per
attempt and topic rather than one per answer and topic (issue #9).
Version 7: what an attempt counts (docs/architecture.md). ``answers.seen`` (the question
was shown on screen; backfilled as "anything was done to it or time was spent on it"),
``attempts.full`` (a full exam: exam mode on the bank's whole blueprint; backfilled as
an exam-mode attempt with as many questions as the bank's largest exam attempt),
``attempts.planned`` (questions in the attempt), ``attempts.seen`` and
``attempts.unanswered``. Sessions (not full) are rescored over their seen questions
without a verdict; ``answer_topics`` keeps seen answers only (so topic totals, miss
streaks and ``attempt_topics`` count what was seen), and the covering indexes of the
per-question and per-domain queries gain ``seen``.
Version 8: spaced review (core/spaced.py). ``cards``: one FSRS card per (bank, question)
seen, with the fingerprint it was reviewed on and its due time (UTC ISO 8601);
``review_log``: one row per reviewed answer (attempt, position), so a practice check and
the attempt's end never review one answer twice. Older histories are replayed into
cards by History on first open (it needs the scheduler, not SQL). ``answers.trail``
(every complete answer given, in order, "B>C"; '' before v8), ``answers.fresh`` (the
first seen answer of that bank's question by this user; backfilled as the seen answer
of the lowest attempt id) and ``answers.words`` (stem and option words, for the
"possibly remembered" rule; backfilled from the stored question text, approximately),
``answers.scored`` (0 for a question drawn as unscored in a full exam).
Version 9: what the learner writes (core/notes.py). ``answers.note`` (the scratchpad note
of the question, key ``w``; '' when none) and ``comments``: one row per comment on a
question (key ``c`` in the review and practice feedback), kept across attempts: the
attempt it was made in is kept as a plain id (a deleted attempt leaves its comments),
with the question's fingerprint at the time and the UTC time it was made.
Version 10: how an attempt in progress is saved (storage/progress.py). Instead of the
whole session snapshot and every answer row rewritten on every save (``snapshot``,
``progress``), ``attempts.outline`` (what never changes, JSON, written at start),
``attempt_questions`` (the attempt's questions and option orders, written at start),
``attempt_progress`` (one row per question shown or touched, UPSERTed when it changes)
and ``attempts.state`` (position, time, paused, end; JSON, every save). Attempts in
progress saved by v9 are converted (``progress.convert_v9``, in the same transaction);
finished and abandoned attempts are left as they are.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable

from .progress import convert_v9

V1 = """
CREATE TABLE attempts (
    id          INTEGER PRIMARY KEY,
    bank_id     TEXT NOT NULL,
    bank_title  TEXT NOT NULL,
    bank_hash   TEXT,
    domains     TEXT NOT NULL DEFAULT '{}',   -- JSON {domain id: label} at the time
    mode        TEXT NOT NULL,
    seed        INTEGER NOT NULL,
    started     TEXT NOT NULL,                -- UTC ISO 8601
    finished    TEXT,
    saved       TEXT,                         -- last autosave, UTC ISO 8601
    time_limit  REAL,                         -- seconds; NULL: untimed
    elapsed     REAL NOT NULL DEFAULT 0,      -- seconds
    status      TEXT NOT NULL DEFAULT 'in_progress'
                CHECK (status IN ('in_progress', 'finished', 'timed_out', 'abandoned')),
    note        TEXT,                         -- why an attempt was abandoned
    total       INTEGER,
    correct     REAL,
    percent     REAL,
    scaled      INTEGER,
    passed      INTEGER,
    snapshot    TEXT,                         -- session snapshot JSON while in progress
    progress    TEXT                          -- answer rows JSON while in progress
);
CREATE INDEX attempts_bank ON attempts (bank_id, status, id);
CREATE INDEX attempts_status ON attempts (status, id);

CREATE TABLE questions (
    hash        TEXT PRIMARY KEY,             -- sha256 of stem, options and answer
    question_id TEXT NOT NULL,
    stem        TEXT NOT NULL,
    options     TEXT NOT NULL,                -- JSON list of option texts, bank order
    answer      TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE answers (
    attempt_id    INTEGER NOT NULL REFERENCES attempts (id) ON DELETE CASCADE,
    position      INTEGER NOT NULL,           -- 0-based, in the order asked
    question_id   TEXT NOT NULL,
    question_hash TEXT NOT NULL,
    domain        TEXT,
    topics        TEXT NOT NULL DEFAULT '[]', -- JSON list
    chosen        TEXT NOT NULL DEFAULT '',   -- bank letters, sorted
    answer        TEXT NOT NULL,              -- the key, bank letters
    struck        TEXT NOT NULL DEFAULT '',
    correct       INTEGER NOT NULL,
    credit        REAL NOT NULL,
    flagged       INTEGER NOT NULL DEFAULT 0,
    confidence    INTEGER,                    -- 1 sure, 2 think so, 3 guessing
    seconds       REAL NOT NULL DEFAULT 0,
    changes       INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (attempt_id, position)
) WITHOUT ROWID;
CREATE INDEX answers_question ON answers (question_id, attempt_id);
"""

V2 = """
ALTER TABLE attempts ADD COLUMN bank_source TEXT;
CREATE TABLE answer_topics (
    attempt_id INTEGER NOT NULL,
    position   INTEGER NOT NULL,
    topic      TEXT NOT NULL,
    correct    INTEGER NOT NULL,              -- copies of the answer's, so that per-topic
    credit     REAL NOT NULL,                 -- queries read one index and nothing else
    PRIMARY KEY (attempt_id, position, topic),
    FOREIGN KEY (attempt_id, position) REFERENCES answers (attempt_id, position)
        ON DELETE CASCADE
) WITHOUT ROWID;
CREATE INDEX answer_topics_topic
    ON answer_topics (topic, correct, attempt_id, position, credit);
INSERT OR IGNORE INTO answer_topics (attempt_id, position, topic, correct, credit)
    SELECT a.attempt_id, a.position, t.value, a.correct, a.credit
    FROM answers a, json_each(a.topics) t
    WHERE t.type = 'text';
DROP INDEX answers_question;
CREATE INDEX answers_question ON answers (question_id, attempt_id, correct, flagged);
CREATE INDEX answers_domain ON answers (domain, attempt_id, credit, seconds);
"""

_IN_KEY = " + ".join(
    f"(instr(struck, '{letter}') > 0 AND instr(answer, '{letter}') > 0)"
    for letter in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
)
V3 = f"""
ALTER TABLE answers ADD COLUMN strikes INTEGER NOT NULL DEFAULT 0;
ALTER TABLE answers ADD COLUMN strikes_in_key INTEGER NOT NULL DEFAULT 0;
UPDATE answers SET strikes = length(struck), strikes_in_key = {_IN_KEY}
    WHERE struck != '';
CREATE INDEX answers_strikes ON answers (domain, attempt_id, strikes, strikes_in_key)
    WHERE strikes > 0;
"""

V4 = """
ALTER TABLE attempts ADD COLUMN owner_pid INTEGER;
ALTER TABLE attempts ADD COLUMN owner_host TEXT;
ALTER TABLE attempts ADD COLUMN heartbeat TEXT;
ALTER TABLE answers ADD COLUMN display TEXT;
ALTER TABLE answer_topics ADD COLUMN answered INTEGER NOT NULL DEFAULT 1;
UPDATE answer_topics SET answered = 0 WHERE EXISTS (
    SELECT 1 FROM answers a WHERE a.attempt_id = answer_topics.attempt_id
    AND a.position = answer_topics.position AND a.chosen = '');
DROP INDEX answer_topics_topic;
CREATE INDEX answer_topics_topic
    ON answer_topics (topic, correct, attempt_id, position, credit, answered);
DROP INDEX answers_domain;
CREATE INDEX answers_domain ON answers (domain, attempt_id, credit, seconds, chosen);
"""

V5 = """
CREATE INDEX answers_confidence ON answers (confidence, attempt_id, credit)
    WHERE confidence IS NOT NULL;
"""

V6 = """
CREATE TABLE attempt_topics (
    attempt_id INTEGER NOT NULL REFERENCES attempts (id) ON DELETE CASCADE,
    topic      TEXT NOT NULL,
    asked      INTEGER NOT NULL,              -- the attempt's answers on the topic
    credit     REAL NOT NULL,                 -- their credit, total()
    answered   INTEGER NOT NULL,              -- of them, answered
    PRIMARY KEY (attempt_id, topic)
) WITHOUT ROWID;
CREATE INDEX attempt_topics_topic ON attempt_topics (topic, attempt_id, asked, credit, answered);
INSERT OR REPLACE INTO attempt_topics (attempt_id, topic, asked, credit, answered)
    SELECT attempt_id, topic, count(*), total(credit), total(answered)
    FROM answer_topics GROUP BY attempt_id, topic;
"""

V7 = """
ALTER TABLE answers ADD COLUMN seen INTEGER NOT NULL DEFAULT 1;
UPDATE answers SET seen = 0 WHERE chosen = '' AND struck = '' AND flagged = 0
    AND confidence IS NULL AND seconds <= 0;
ALTER TABLE attempts ADD COLUMN full INTEGER NOT NULL DEFAULT 0;
ALTER TABLE attempts ADD COLUMN planned INTEGER;
ALTER TABLE attempts ADD COLUMN seen INTEGER;
ALTER TABLE attempts ADD COLUMN unanswered INTEGER;
UPDATE attempts SET planned = coalesce(
    (SELECT count(*) FROM answers a WHERE a.attempt_id = attempts.id AND status != 'in_progress'),
    total);
UPDATE attempts SET planned = total WHERE planned = 0 OR planned IS NULL;
UPDATE attempts SET full = 1 WHERE mode = 'exam' AND planned = (
    SELECT max(b.planned) FROM attempts b WHERE b.bank_id = attempts.bank_id AND b.mode = 'exam');
UPDATE attempts SET
    seen = (SELECT count(*) FROM answers a WHERE a.attempt_id = attempts.id AND a.seen),
    unanswered = (SELECT count(*) FROM answers a WHERE a.attempt_id = attempts.id
                  AND a.chosen = '' AND (attempts.full OR a.seen))
    WHERE status != 'in_progress';
UPDATE attempts SET
    total = seen,
    correct = (SELECT total(credit) FROM answers a WHERE a.attempt_id = attempts.id AND a.seen),
    scaled = NULL, passed = NULL
    WHERE full = 0 AND status != 'in_progress';
UPDATE attempts SET percent = CASE WHEN total > 0 THEN 100.0 * correct / total ELSE 0.0 END
    WHERE full = 0 AND status != 'in_progress';
DELETE FROM answer_topics WHERE EXISTS (
    SELECT 1 FROM answers a WHERE a.attempt_id = answer_topics.attempt_id
    AND a.position = answer_topics.position AND NOT a.seen);
DELETE FROM attempt_topics;
INSERT INTO attempt_topics (attempt_id, topic, asked, credit, answered)
    SELECT attempt_id, topic, count(*), total(credit), total(answered)
    FROM answer_topics GROUP BY attempt_id, topic;
DROP INDEX answers_question;
CREATE INDEX answers_question ON answers (question_id, attempt_id, correct, flagged, seen);
DROP INDEX answers_domain;
CREATE INDEX answers_domain ON answers (domain, attempt_id, credit, seconds, chosen, seen);
"""

V8 = """
CREATE TABLE cards (
    bank_id       TEXT NOT NULL,
    question_id   TEXT NOT NULL,
    question_hash TEXT NOT NULL,              -- the fingerprint the card was reviewed on
    domain        TEXT,
    card          TEXT NOT NULL,              -- FSRS Card.to_dict() as JSON
    due           TEXT NOT NULL,              -- UTC ISO 8601 (sorts as text)
    PRIMARY KEY (bank_id, question_id)
) WITHOUT ROWID;
CREATE INDEX cards_due ON cards (bank_id, due);
CREATE TABLE review_log (
    attempt_id  INTEGER NOT NULL REFERENCES attempts (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    bank_id     TEXT NOT NULL,
    question_id TEXT NOT NULL,
    reviewed    TEXT NOT NULL,                -- UTC ISO 8601
    rating      INTEGER NOT NULL,             -- FSRS: 1 again, 2 hard, 3 good
    correct     INTEGER NOT NULL,
    PRIMARY KEY (attempt_id, position)
) WITHOUT ROWID;
CREATE INDEX review_log_question ON review_log (bank_id, question_id, reviewed, correct);
ALTER TABLE answers ADD COLUMN trail TEXT NOT NULL DEFAULT '';
ALTER TABLE answers ADD COLUMN fresh INTEGER NOT NULL DEFAULT 0;
ALTER TABLE answers ADD COLUMN words INTEGER NOT NULL DEFAULT 0;
ALTER TABLE answers ADD COLUMN scored INTEGER NOT NULL DEFAULT 1;
UPDATE answers SET fresh = 1 WHERE seen AND (attempt_id, position) IN (
    SELECT attempt_id, position FROM (
        SELECT a.attempt_id, a.position, row_number() OVER (
            PARTITION BY t.bank_id, a.question_id ORDER BY a.attempt_id, a.position) AS n
        FROM answers a JOIN attempts t ON t.id = a.attempt_id WHERE a.seen)
    WHERE n = 1);
UPDATE answers SET words = coalesce((
    SELECT length(q.stem || ' ' || q.options)
         - length(replace(replace(q.stem || ' ' || q.options, char(10), ''), ' ', '')) + 1
    FROM questions q WHERE q.hash = answers.question_hash), 0);
"""

V9 = """
ALTER TABLE answers ADD COLUMN note TEXT NOT NULL DEFAULT '';
CREATE TABLE comments (
    id            INTEGER PRIMARY KEY,
    bank_id       TEXT NOT NULL,
    question_id   TEXT NOT NULL,
    question_hash TEXT NOT NULL,              -- the fingerprint the comment was made on
    attempt_id    INTEGER,                    -- the attempt it was made in (NULL: none)
    created       TEXT NOT NULL,              -- UTC ISO 8601 (sorts as text)
    text          TEXT NOT NULL
);
CREATE INDEX comments_bank ON comments (bank_id, question_id, id);
"""

V10 = """
ALTER TABLE attempts ADD COLUMN outline TEXT;
ALTER TABLE attempts ADD COLUMN state TEXT;
CREATE TABLE attempt_questions (
    attempt_id    INTEGER NOT NULL REFERENCES attempts (id) ON DELETE CASCADE,
    position      INTEGER NOT NULL,           -- 0-based, in the order asked
    question_id   TEXT NOT NULL,
    question_hash TEXT NOT NULL,              -- its fingerprint (rewritten on resume)
    display       TEXT NOT NULL,              -- option order: bank letters shown, "CADB"
    domain        TEXT,
    topics        TEXT NOT NULL DEFAULT '[]', -- JSON list
    answer        TEXT NOT NULL,              -- the key, bank letters
    words         INTEGER NOT NULL DEFAULT 0,
    scored        INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (attempt_id, position)
) WITHOUT ROWID;
CREATE TABLE attempt_progress (
    attempt_id  INTEGER NOT NULL,
    position    INTEGER NOT NULL,
    chosen      TEXT NOT NULL DEFAULT '',     -- bank letters, sorted
    struck      TEXT NOT NULL DEFAULT '',
    flagged     INTEGER NOT NULL DEFAULT 0,
    confidence  INTEGER,
    seconds     REAL NOT NULL DEFAULT 0,
    changes     INTEGER NOT NULL DEFAULT 0,
    checked     INTEGER NOT NULL DEFAULT 0,
    seen        INTEGER,                      -- NULL: saved before examsim kept it
    trail       TEXT NOT NULL DEFAULT '',     -- complete answers in order, "B>C"
    note        TEXT NOT NULL DEFAULT '',
    credit      REAL NOT NULL DEFAULT 0,      -- what the answer earns (for an abandon)
    PRIMARY KEY (attempt_id, position),
    FOREIGN KEY (attempt_id, position) REFERENCES attempt_questions (attempt_id, position)
        ON DELETE CASCADE
) WITHOUT ROWID;
"""

MIGRATIONS: tuple[str, ...] = (V1, V2, V3, V4, V5, V6, V7, V8, V9, V10)
# Data moved in Python after a version's statements, in the same transaction (each is
# idempotent): version -> function
CONVERSIONS: dict[int, Callable[[sqlite3.Connection], object]] = {10: convert_v9}
SCHEMA_VERSION = len(MIGRATIONS)
TABLES = frozenset({"attempts", "answers", "questions", "answer_topics", "attempt_topics",
                    "cards", "review_log", "comments", "attempt_questions",
                    "attempt_progress"})


def user_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def table_names(conn: sqlite3.Connection) -> set[str]:
    rows = conn.execute(
        "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    )
    return {name for (name,) in rows}


def migrate(conn: sqlite3.Connection, target: int = SCHEMA_VERSION) -> int:
    """Bring the database forward to ``target``; returns the version it was at.

    Runs in one immediate transaction and re-reads the version inside it, so two
    processes opening a fresh file at once migrate it once. The connection must be in
    autocommit mode (``isolation_level=None``).

    Idempotent: a step whose work is done already (a column, table or index that
    exists, an index already dropped) is skipped, and backfills recompute, so a database
    whose ``user_version`` was set back (by hand, or by a tool) migrates again cleanly.
    """
    conn.execute("BEGIN IMMEDIATE")
    try:
        start = user_version(conn)
        for version in range(start, target):
            for statement in _statements(MIGRATIONS[version]):
                if _needed(conn, statement):
                    conn.execute(statement)
            convert = CONVERSIONS.get(version + 1)
            if convert is not None:
                convert(conn)
            conn.execute(f"PRAGMA user_version = {version + 1}")
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:  # a failed COMMIT (disk I/O) may have ended it already
            conn.execute("ROLLBACK")
        raise
    return start


_ADD_COLUMN = re.compile(r"ALTER TABLE (\w+) ADD COLUMN (\w+)", re.IGNORECASE)
_CREATE = re.compile(r"CREATE (?:UNIQUE )?(TABLE|INDEX) (\w+)", re.IGNORECASE)
_DROP_INDEX = re.compile(r"DROP INDEX (\w+)", re.IGNORECASE)


def _needed(conn: sqlite3.Connection, statement: str) -> bool:
    """False when the statement's change is in the database already."""
    if match := _ADD_COLUMN.match(statement):
        table, column = match.groups()
        columns = {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}
        return column not in columns
    if match := _CREATE.match(statement):
        return not _exists(conn, match.group(1).lower(), match.group(2))
    if match := _DROP_INDEX.match(statement):
        return _exists(conn, "index", match.group(1))
    return True


def _exists(conn: sqlite3.Connection, kind: str, name: str) -> bool:
    row = conn.execute("SELECT 1 FROM sqlite_schema WHERE type = ? AND name = ?",
                       (kind, name)).fetchone()
    return row is not None


def _statements(script: str) -> list[str]:
    """Split a migration script into statements (executescript would commit midway)."""
    statements: list[str] = []
    buffer = ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        raise ValueError(f"incomplete statement in migration: {buffer.strip()[:60]}")
    return statements
