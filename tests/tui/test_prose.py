"""Bank text that wraps under its own indent: the pure wrapper, and the exam's stem."""

from __future__ import annotations

from examsim.core.bank_model import validate_bank
from examsim.tui.widgets.prose import HANG, Prose, wrap_keeping_indent

from .helpers import make_bank, make_session, recorded_app, rendered_text

POLICY = """Attach this policy:

    {
      "Condition": {"StringNotEquals": {"aws:RequestedRegion": ["eu-west-1", "eu-central-1"]}}
    }
Which statement is right?"""


def plain(text: str, width: int) -> list[str]:
    return [line.plain for line in wrap_keeping_indent(text, width)]


def test_lines_that_fit_are_kept_as_written() -> None:
    assert plain("a\n\n    b  c\n\tt", 40) == ["a", "", "    b  c", "    t"]


def test_an_indented_line_wraps_under_its_indent_prose_at_the_edge() -> None:
    lines = plain(POLICY, 40)
    assert all(len(line) <= 40 for line in lines)
    start = lines.index('      "Condition": {"StringNotEquals":')
    continued = lines[start + 1:lines.index("    }")]
    assert continued and all(line.startswith(" " * (6 + HANG)) for line in continued)
    words = " ".join(line.strip() for line in lines[start:start + 1 + len(continued)])
    assert words.split() == POLICY.splitlines()[3].split()  # nothing lost or added
    prose = plain("word " * 20, 30)
    assert all(not line.startswith(" ") for line in prose)  # no hanging indent for prose


def test_deep_indents_are_capped_at_half_the_width() -> None:
    lines = plain(" " * 30 + "x" * 40, 20)
    assert lines[0] == " " * 10 + "x" * 10
    assert all(line.startswith(" " * 10) and len(line) <= 20 for line in lines)
    assert "".join(line.strip() for line in lines) == "x" * 40


async def test_the_exam_stem_keeps_code_indented_on_a_narrow_terminal() -> None:
    data = make_bank().model_dump(by_alias=True, exclude_none=True)
    data["questions"][0]["stem"] = POLICY
    session = make_session(validate_bank(data))
    app, _ = recorded_app(session)
    async with app.run_test(size=(60, 30)) as pilot:
        await pilot.pause()
        stem = app.screen.query_one("#stem", Prose)
        shown = rendered_text(stem).splitlines()
        at = next(i for i, line in enumerate(shown) if '"Condition"' in line)
        assert shown[at].startswith('      "Condition"')
        assert shown[at + 1].startswith(" " * 8) and shown[at + 1].strip()
        assert stem.text == POLICY


async def test_the_practice_explanation_keeps_code_indented_too() -> None:
    data = make_bank().model_dump(by_alias=True, exclude_none=True)
    data["questions"][0]["explanation"] = POLICY
    session = make_session(validate_bank(data), mode="practice")
    app, _ = recorded_app(session)
    async with app.run_test(size=(60, 40)) as pilot:
        await pilot.press("b", "enter")
        await pilot.pause()
        explanation = app.screen.query_one(".feedback-explanation", Prose)
        assert explanation.text == POLICY
        shown = rendered_text(explanation).splitlines()
        at = next(i for i, line in enumerate(shown) if '"Condition"' in line)
        assert shown[at].startswith('      "Condition"')
        assert shown[at + 1].startswith(" " * 8) and shown[at + 1].strip()


async def test_u_underlines_the_qualifiers_and_is_remembered(tmp_path) -> None:
    """The reading aid: u styles "MOST cost-effective" and "RPO of 15 minutes" in the
    stem (bold, underlined), never changes its text, and the choice is remembered."""
    from examsim.commands.app import AppServices, make_app
    from examsim.core.assemble import AttemptPlan
    from examsim.core.bank_model import validate_bank
    from examsim.storage.history import History
    from examsim.storage.settings import Settings
    from examsim.tui.screens.exam import ExamScreen
    from examsim.tui.widgets.prose import Prose

    stem = "[b]Which[/b] design is MOST cost-effective with an RPO of 15 minutes?"
    bank = validate_bank({
        "bank": {"id": "aid", "title": "Aid"},
        "questions": [{"id": "q1", "stem": stem, "options": ["a", "b"], "answer": ["A"]}],
    })
    services = AppServices(History(tmp_path / "h.sqlite3"), tmp_path)

    def styled(prose: Prose) -> list[str]:
        content = prose._wrapped(prose.content_region.width)
        return [content.plain[s.start:s.end] for s in content.spans
                if "underline" in str(s.style)]

    for expected in (True, False):
        session = services.start(bank, AttemptPlan(seed=1))
        app = make_app(services, session)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, ExamScreen)
            prose = app.screen.query_one("#stem", Prose)
            if expected:
                assert styled(prose) == []
                await pilot.press("u")
                await pilot.pause()
            assert prose.text == stem  # the text is never changed; markup stays literal
            assert styled(prose) == ["MOST cost-effective", "RPO of 15 minutes"]
            if not expected:
                await pilot.press("u")
                await pilot.pause()
                assert styled(prose) == []
        assert Settings.open(tmp_path).get("reading_aid") is expected
    services.history.close()
