"""Every notebook keeps its promises to a student: learning goals, prerequisites, an estimated
time, "Try it" exercises with solutions, key takeaways and what to read next."""

from __future__ import annotations

import re

import nbformat
import pytest

from analysis import paths
from analysis.publish import outline

NOTEBOOKS = sorted(paths.NOTEBOOKS.glob("[0-9][0-9]-*.ipynb"))


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_has_the_student_skeleton(nb):
    o = outline.outline(outline.read_notebook(nb))
    assert outline.problems(o) == [], f"{nb.name}: {'; '.join(outline.problems(o))}"
    assert o.title.startswith(nb.stem[:2]), f"{nb.name}: title should start with its number"


def _glossary_entries() -> list[tuple[list[str], str]]:
    """(terms, definition) of each entry of the Sphinx glossary in notebooks/glossary.md."""
    text = (paths.NOTEBOOKS / "glossary.md").read_text(encoding="utf-8")
    block = text.split("```{glossary}\n", 1)[1].split("\n```", 1)[0]
    entries: list[tuple[list[str], str]] = []
    for chunk in re.split(r"\n\s*\n(?=\S)", block.strip()):
        lines = chunk.splitlines()
        terms = [line.strip() for line in lines if line and not line[0].isspace()]
        body = " ".join(line.strip() for line in lines if line[:1].isspace())
        entries.append((terms, body))
    return entries


def test_the_glossary_is_a_sphinx_glossary_with_the_issue_terms():
    entries = _glossary_entries()
    terms = {t.lower() for names, _ in entries for t in names}
    for term in ("closed-eyes like", "open-eyed like", "all-or-nothing pledge", "organic reach",
                 "homophily", "independent cascade", "complex contagion", "zero inflation", "roi",
                 # the terms a student meets in notebooks 02 and 03
                 "delta method", "wilson interval", "coverage", "bias", "rmse", "prior",
                 "percentile", "k-core", "elasticity", "cpm", "percentage points"):
        assert term in terms, term
    firsts = [names[0].lower() for names, _ in entries]
    assert firsts == sorted(firsts), "glossary terms are in alphabetical order"
    for names, body in entries:
        assert body, f"{names[0]}: no definition (indent it under the term)"
        sentences = [s for s in body.replace("e.g.", "eg").replace("et al.", "et al").split(". ")
                     if s]
        assert 2 <= len(sentences) <= 5, f"{names[0]}: {len(sentences)} sentences"


def test_notebooks_link_only_to_glossary_terms_that_exist():
    terms = {t.lower() for names, _ in _glossary_entries() for t in names}
    role = re.compile(r"\{term\}`([^`]+)`")
    for nb in [*NOTEBOOKS, paths.ROOT / "docs" / "index.md"]:
        text = nb.read_text(encoding="utf-8")
        for ref in role.findall(text):
            target = re.search(r"<([^>]+)>\s*$", ref)
            name = (target.group(1) if target else ref).strip().lower()
            assert name in terms, f"{nb.name}: {{term}}`{ref}` is not in the glossary"


def test_readme_points_writers_and_students_at_the_glossary_and_the_site():
    readme = (paths.ROOT / "README.md").read_text(encoding="utf-8")
    assert "notebooks/glossary.md" in readme and "make html" in readme and "build/html" in readme
    assert "## For writers and students" in readme


# -- the reader itself, on tiny synthetic notebooks -------------------------------------------

INTRO = """# 07 · A test notebook

**What you will learn**
- one thing;
- another thing,
  over two lines.

**Prerequisites:** notebook 01. **Time:** about 5 minutes.
"""


def _nb(*cells) -> dict:
    made = []
    for kind, text, *tags in cells:
        maker = nbformat.v4.new_markdown_cell if kind == "md" else nbformat.v4.new_code_cell
        cell = maker(text)
        if tags:
            cell.metadata["tags"] = tags
        made.append(cell)
    return nbformat.v4.new_notebook(cells=made)


def _full(**skip) -> dict:
    cells = [("md", INTRO), ("code", "SEED = 1\nQUICK = False", "parameters"),
             ("md", "## 1. A section\n\n### Try it\n\n1. Do something."),
             ("code", "x = 1", "solution"),
             ("md", "## Summary\n\n- the first takeaway;\n- the second."),
             ("md", "## What next\n\nOpen 08.")]
    return _nb(*[c for c in cells if not any(k in c[1] for k in skip.values())])


def test_reads_a_complete_notebook():
    o = outline.outline(_full())
    assert o.title == "07 · A test notebook"
    assert o.goals == ("one thing;", "another thing, over two lines.")
    assert o.prerequisites == "notebook 01"
    assert o.time == "about 5 minutes"
    assert (o.try_its, o.solutions) == (1, 1)
    assert o.summary == ("the first takeaway;", "the second.")
    assert o.has_what_next and o.ends_with_what_next
    assert outline.problems(o) == []


@pytest.mark.parametrize("drop,expected", [
    ("Try it", "Try it"),
    ("x = 1", "solution"),
    ("## Summary", "Summary"),
    ("## What next", "What next"),
])
def test_names_what_is_missing(drop, expected):
    problems = outline.problems(outline.outline(_full(drop=drop)))
    assert len(problems) == 1 and expected in problems[0], problems


def test_exercises_are_counted_one_by_one():
    numbered = "### Try it\n\n1. First.\n2. Second,\n   over two lines.\n3. Third.\n\nTry first."
    assert outline.count_exercises(numbered) == 3
    labelled = "**Try it 2.1.** Do this.\n\n**Try it 2.2.** Then that.\n\n## 3. Next section\n1. x"
    assert outline.count_exercises(labelled) == 2
    assert outline.count_exercises("### Try it 1.1\n\nOne thing.\n\n### Try it 1.2\n\n1. a\n2. b") == 2
    # a numbered list after the exercises' section is not an exercise
    assert outline.count_exercises("### Try it\n\n1. Only one.\n\n## Summary\n\n1. a\n2. b") == 1


def test_one_solution_per_exercise():
    nb = _full()
    nb.cells[2].source += "\n2. Do something else."
    problems = outline.problems(outline.outline(nb))
    assert len(problems) == 1 and "2 'Try it' exercises but 1" in problems[0], problems


def test_a_mention_of_try_it_in_prose_is_not_an_exercise():
    nb = _nb(("md", INTRO), ("md", 'Students: do the "Try it" exercises of notebook 01.'))
    assert outline.outline(nb).try_its == 0


def test_missing_goals_time_and_prerequisites_and_trailing_code():
    nb = _full()
    nb.cells[0].source = "# 07 · T\n\nSome words.\n"
    nb.cells.append(nbformat.v4.new_code_cell("print('after the end')"))
    problems = " | ".join(outline.problems(outline.outline(nb)))
    for expected in ("What you will learn", "Prerequisites", "Time", "after 'What next'"):
        assert expected in problems


def test_takeaways_may_be_computed_by_the_next_code_cell():
    code = 'display(Markdown(f"""\n- **{share:.0%}** of likes are closed-eyed;\n- a second one.\n"""))'
    nb = _full(drop="## Summary")
    nb.cells.insert(-1, nbformat.v4.new_markdown_cell("## Summary"))
    nb.cells.insert(-1, nbformat.v4.new_code_cell(code))
    o = outline.outline(nb)
    assert o.summary == ("**{share:.0%}** of likes are closed-eyed;", "a second one.")
    nb.cells[-2].outputs = [nbformat.v4.new_output(
        "display_data", data={"text/markdown": "- **41%** of likes are closed-eyed;\n- two."})]
    assert outline.outline(nb).summary == ("**41%** of likes are closed-eyed;", "two.")
    assert outline.problems(o) == []
