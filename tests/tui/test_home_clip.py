"""The home list's titles: cut in the middle, so titles of one series stay apart."""

from __future__ import annotations

import pytest
from rich.cells import cell_len

from examsim.tui.screens.home import clip

SERIES = [f"AWS Solutions Architect Professional: practice exam {n}" for n in (1, 2, 3)]


def test_titles_that_differ_at_the_end_stay_apart_when_cut() -> None:
    cut = [clip(title, 47) for title in SERIES]
    assert cut == ["AWS Solutions Architect Profess…practice exam 1",
                   "AWS Solutions Architect Profess…practice exam 2",
                   "AWS Solutions Architect Profess…practice exam 3"]
    assert all(cell_len(title) <= 47 for title in cut)


def test_a_title_that_fits_is_kept_whole_with_its_spaces_folded() -> None:
    assert clip("Cloud  fundamentals:\tstarter bank", 47) == "Cloud fundamentals: starter bank"


@pytest.mark.parametrize("width", range(1, 40))
def test_wide_characters_count_two_cells_at_every_width(width: int) -> None:
    title = "日本語の問題集 第一回 模擬試験 セット 1"
    cut = clip(title, width)
    assert cell_len(cut) <= width
    if cell_len(title) > width >= 12:  # cut: the end (what tells a series apart) stays
        assert cut.endswith("1") and "…" in cut


def test_a_very_narrow_column_cuts_at_the_end() -> None:
    assert clip(SERIES[0], 8) == "AWS Sol…"


def test_controls_in_a_title_are_spelled_out_not_sent() -> None:
    assert "\x1b" not in clip("Bank \x1b[31mred\x1b[0m of a long and hostile title", 20)
