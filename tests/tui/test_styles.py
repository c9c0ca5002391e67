"""The styles rule (docs/architecture.md, "Styles"): every screen and widget keeps its CSS
in its own DEFAULT_CSS; the app's examsim.tcss holds only global rules."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from pathlib import Path

from textual.app import App
from textual.css.stylesheet import Stylesheet
from textual.dom import DOMNode

import examsim
import examsim.tui
from examsim.tui.app import ExamSimApp

TUI = Path(examsim.tui.__file__).parent


def tui_classes() -> list[type[DOMNode]]:
    """Every screen and widget class defined in examsim.tui (the app included)."""
    found: dict[str, type[DOMNode]] = {}
    for module_info in pkgutil.walk_packages([str(TUI)], "examsim.tui."):
        module = importlib.import_module(module_info.name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, DOMNode) and cls.__module__ == module.__name__:
                found[f"{cls.__module__}.{cls.__qualname__}"] = cls
    return list(found.values())


def test_the_app_tcss_is_the_only_tcss_file() -> None:
    package = Path(examsim.__file__).parent
    assert [p.relative_to(package).as_posix() for p in package.rglob("*.tcss")] == [
        "tui/examsim.tcss"
    ]
    assert ExamSimApp.CSS_PATH == "examsim.tcss"


def test_screens_and_widgets_use_default_css_only() -> None:
    classes = tui_classes()
    assert len(classes) > 20  # the walk found the screens and widgets
    for cls in classes:
        if cls is ExamSimApp:
            continue
        assert "CSS_PATH" not in vars(cls), f"{cls.__qualname__}: CSS_PATH (use DEFAULT_CSS)"
        assert "CSS" not in vars(cls), f"{cls.__qualname__}: CSS (use DEFAULT_CSS)"


def test_every_default_css_rule_starts_at_its_own_class() -> None:
    """A rule in DEFAULT_CSS applies inside its class only. (Textual scopes DEFAULT_CSS by
    the class, but in a list `#a, #b {...}` at the top level it scopes only the last
    selector: nest the rules under the class name, as every DEFAULT_CSS here does.)"""
    variables = App().get_css_variables()
    checked = 0
    for cls in tui_classes():
        css = vars(cls).get("DEFAULT_CSS")
        if not css:
            continue
        sheet = Stylesheet(variables=variables)
        sheet.add_source(css, read_from=(cls.__qualname__, "DEFAULT_CSS"),
                         is_default_css=True, scope=cls._css_type_name)
        sheet.parse()
        for rule in sheet.rules:
            for selector_set in rule.selector_set:
                first = selector_set.selectors[0].name
                assert first == cls._css_type_name, (
                    f"{cls.__qualname__}.DEFAULT_CSS: a rule starts at {first!r}")
                checked += 1
    assert checked > 100


def test_the_app_tcss_names_no_screen_widget_or_id_of_examsim() -> None:
    text = re.sub(r"/\*.*?\*/", "", (TUI / "examsim.tcss").read_text(encoding="utf-8"),
                  flags=re.DOTALL)
    selectors = " ".join(re.findall(r"([^{}]*)\{", text))
    assert "#" not in selectors, "an id rule belongs to the screen that has the id"
    names = set(re.findall(r"[A-Za-z_][\w-]*", selectors))
    ours = {cls._css_type_name for cls in tui_classes()}
    assert not names & ours, f"rules of examsim's own classes: {sorted(names & ours)}"
    assert "Toast" in names and "DataTable" in names  # the global ones are still there


def test_the_title_bar_of_the_browse_screens_is_styled_once_in_their_base() -> None:
    """History, review and stats share BrowseScreen's title bar (``.browse-title``): the
    rule lives there, not repeated in each screen."""
    from examsim.tui.screens.browse import BrowseScreen
    from examsim.tui.screens.history import HistoryScreen
    from examsim.tui.screens.review import ReviewScreen
    from examsim.tui.screens.stats import StatsScreen

    assert ".browse-title" in BrowseScreen.DEFAULT_CSS
    assert "background: $panel" in BrowseScreen.DEFAULT_CSS
    for cls in (HistoryScreen, ReviewScreen, StatsScreen):
        assert issubclass(cls, BrowseScreen)
        css = vars(cls)["DEFAULT_CSS"]
        assert "background: $panel" not in css, f"{cls.__name__} repeats the title bar"
        assert "text-overflow: ellipsis" not in css or cls is ReviewScreen  # its list clips
