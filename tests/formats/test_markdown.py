"""Checklist Markdown: headings as stems, - [ ] / - [x] options."""

from __future__ import annotations

from pathlib import Path

from examsim.core.formats import markdown


def test_sample_file(fixtures: Path) -> None:
    result = markdown.read((fixtures / "sample.md").read_text(encoding="utf-8"))
    assert result.title == "Shell practice"
    by_name = {q.where.name: q.question for q in result.questions}
    assert list(by_name) == ["Q1", "Q2", "Q3", "Q5"]
    assert by_name["Q1"] == {
        "stem": "Which command lists the files of a folder?",
        "options": ["`cd`", "`ls`", "`pwd`"],
        "answer": ["B"],
        "explanation": "`ls` lists a folder; `pwd` prints where you are.",
        "references": ["https://man7.org/linux/man-pages/man1/ls.1.html"],
    }
    q2 = by_name["Q2"]
    assert q2["stem"] == ('What does this script print?\n\n```bash\necho "# not a heading"\n```')
    assert q2["options"] == ["Nothing at all", "A\n\n```text\n# not a heading\n```",
                             "B\n\n```text\necho\n```"]
    q3 = by_name["Q3"]
    assert q3["stem"] == ("Which two commands show a file's content?\n\n"
                          "[image: terminal (images/term.png)]")
    assert q3["options"][1] == "`mkdir`, which makes a folder and never shows content"
    assert q3["answer"] == ["A", "C"]
    assert by_name["Q5"]["stem"] == "Escapes and entities: which is <b>?"
    assert by_name["Q5"]["options"] == ["The bold tag *not* italic", "`&lt;i&gt;` kept in code"]
    assert [(s.where.line, s.where.name, s.reason) for s in result.skipped] == [
        (49, "Q4", "no correct answer marked ([x])")]


def test_question_level_is_the_one_with_options() -> None:
    text = "# Title\n\n## Part\n\n#### Q1. One?\n\n- [x] a\n- [ ] b\n\n#### Q2. Two?\n\n" \
           "- [ ] a\n- [x] b\n"
    result = markdown.read(text)
    assert [q.question["answer"] for q in result.questions] == [["A"], ["B"]]
    assert result.title == "Title"


def test_sections_without_options_are_noted_not_counted() -> None:
    text = "## Intro\n\nHello.\n\n## Q1. One?\n\n- [x] a\n- [ ] b\n\n## Q2. Two?\n\n- [ ] a\n" \
           "- [x] b\n"
    result = markdown.read(text)
    assert len(result.questions) == 2 and not result.skipped
    assert "1 section(s) at the question level have no options" in result.notes[0].message
    assert [q.where.number for q in result.questions] == [1, 2]


def test_placeholder_option_label_with_code() -> None:
    text = "### Q1. Which?\n\n- [ ] &shy;\n\n  ```sh\n  ls -a\n  ```\n\n- [x] \u2800\n\n" \
           "```sh\nls\n```\n"
    q = markdown.read(text).questions[0].question
    assert q["options"] == ["```sh\nls -a\n```", "```sh\nls\n```"]


def test_option_after_explanation_is_refused() -> None:
    text = "### Q1. Which?\n\n- [x] a\n- [ ] b\n\nSome text.\n\n- [ ] c\n"
    result = markdown.read(text)
    assert result.skipped[0].reason.startswith("an option at line 8 comes after other text")


def test_no_questions_at_all() -> None:
    result = markdown.read("# Just a document\n\nWith text.\n")
    assert not result.questions and "no questions" in result.notes[0].message


def test_headings_inside_code_are_not_headings() -> None:
    text = "### Q1. What prints?\n\n```python\n# comment\nprint(1)\n```\n\n- [x] 1\n- [ ] 2\n"
    result = markdown.read(text)
    assert len(result.questions) == 1
    assert "# comment" in result.questions[0].question["stem"]
