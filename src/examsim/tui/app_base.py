"""The part of the app the screens read, typed: ``app = getters.app(AppBase)`` in a
screen gives ``self.app.services`` (required, tui/services.py), ``self.app.settings`` and
``self.app.session`` with their types.

The app itself is :class:`examsim.tui.app.ExamSimApp` (a subclass); screens never import
tui/app.py at run time (it imports them), so they name this base instead. Screens do not
navigate through it: they post tui/messages.py's messages.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.app import App

if TYPE_CHECKING:
    from ..core.session import ExamSession
    from ..storage.settings import Settings
    from .services import Services

Hook = Callable[["ExamSession"], object]


class AppBase(App[None]):
    """State shared by the app and its screens."""

    services: Services
    settings: Settings
    session: ExamSession | None  # the attempt on screen (or last shown), if any
    on_change: Hook | None       # the autosave hook (commands/app.py: services.save)

    def has_home(self) -> bool:
        """A home screen is open under the others (palette: "Start an exam")."""
        return False

    def session_changed(self, session: ExamSession) -> None:
        """``session`` changed: save it (the on_change hook)."""
        if self.on_change is not None:
            self.on_change(session)

    def leave_session(self) -> int | None:
        """Back home with an attempt still running (e.g. palette "Start an exam"): save it
        as it is and let it go; it is in the home screen's "Continue" now, resumed from
        that save. Returns its attempt id when the services know it."""
        session = self.session
        if session is None or session.finished:
            return None
        self.session_changed(session)
        attempt_id = self.services.attempt_id(session)
        self.services.release(session)
        self.session = None
        return attempt_id
