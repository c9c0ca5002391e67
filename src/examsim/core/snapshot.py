"""A saved attempt: the pydantic models of :meth:`ExamSession.snapshot
<examsim.core.session.ExamSession.snapshot>`, which also validate a stored snapshot when
an attempt is resumed (``ExamSession.restore``).

A module of its own so that starting an attempt imports no pydantic: core/session.py
imports it where a snapshot is taken or validated (a documented lazy point). It imports
nothing of core/session.py (the version and bounds are in core/limits.py).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from .assemble import MAX_TIME_MINUTES, AttemptPlan, EndReason
from .limits import MAX_SECONDS, MAX_SEED, SNAPSHOT_VERSION
from .notes import MAX_NOTE


class QuestionState(BaseModel):
    """One question of a snapshot; letters are bank letters, sorted."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True,
                              allow_inf_nan=False)

    id: str
    fingerprint: str
    order: tuple[int, ...]
    chosen: str = ""
    struck: str = ""
    flagged: bool = False
    confidence: int | None = Field(None, ge=1, le=3)
    seconds: float = Field(0.0, ge=0, le=MAX_SECONDS)
    changes: int = Field(0, ge=0, le=MAX_SEED)
    checked: bool = False
    # shown on screen at least once; None in snapshots saved before examsim kept it
    # (restore then counts a question as seen when anything was done to it or time
    # was spent on it, or it is the one on screen)
    seen: bool | None = None
    # every complete answer given, in order, each one different from the one before it
    # (e.g. ("B", "C")): the first answer and each change
    trail: tuple[str, ...] = ()
    note: str = Field("", max_length=MAX_NOTE)  # the scratchpad note (key w)


class SessionSnapshot(BaseModel):
    """The complete state of a session; ``model_dump(mode="json")`` is JSON-able."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True,
                              allow_inf_nan=False)

    version: int = SNAPSHOT_VERSION
    bank_id: str
    plan: AttemptPlan
    seed: int = Field(ge=-MAX_SEED - 1, le=MAX_SEED)  # what SQLite stores
    time_limit: float | None = Field(ge=0, le=MAX_TIME_MINUTES * 60)
    questions: tuple[QuestionState, ...] = Field(min_length=1)
    index: int = Field(ge=0)
    elapsed: float = Field(ge=0, le=MAX_SECONDS)
    paused: bool
    finished: bool
    end_reason: EndReason | None
    unscored: tuple[str, ...] = ()  # question ids drawn as unscored (not shown as such)
    wall_start: float | None = None  # wall-clock start (epoch seconds), for strict timing
