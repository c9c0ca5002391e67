"""Keys that stay with the field they were typed in.

Textual routes a key to the focused widget at once but resolves that widget's non-priority
bindings only when the key has bubbled back up to the app, against whatever is focused
*then*. Keys typed quickly across a focus change go astray: in the start form "down, tab"
moved the focus first and the "down" then hit the Questions field, not the mode. A widget
with this mixin runs its own bindings when it receives the key, in the order typed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events

if TYPE_CHECKING:
    from textual.widget import Widget

    _Base = Widget
else:
    _Base = object  # a plain mixin: subclassing Widget here upsets Textual's CSS merging


class OwnKeys(_Base):
    """Mix in before the Textual widget class: ``class Field(OwnKeys, Input)``."""

    async def handle_key(self, event: events.Key) -> bool:
        for binding in self._bindings.key_to_bindings.get(event.key, ()):
            if binding.priority:
                continue  # the app ran those before the key reached us
            if await self.app.run_action(binding.action, self):
                event.stop()
                event.prevent_default()
                return True
        return await super().handle_key(event)
