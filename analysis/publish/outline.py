"""What a notebook promises a student, read from its cells: title, goals, prerequisites, time,
"Try it" exercises with solutions, key takeaways and what to read next.

Every numbered notebook follows one skeleton (see notebook 00): a first Markdown cell with
"# NN · title", **What you will learn** (a bullet list), **Prerequisites:** and **Time:**;
numbered sections; "Try it" exercises whose solution code cells are tagged ``solution``; a
``## Summary`` of key takeaways (a bullet list, in Markdown or written by the next code cell
with ``display(Markdown(...))``); ``## What next``. :func:`outline` reads that skeleton,
:func:`problems` lists what is missing. The book (``analysis.publish.book``) lists the notebooks
with their time, prerequisites and number of exercises from it, and the tests hold every notebook
to it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

SOLUTION_TAG = "solution"
_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$", re.MULTILINE)
# "Try it" as a heading or a bold lead-in at the start of a line (not a mention in prose).
_TRY_IT = re.compile(r"^\s*(?:#{1,6}\s+|\*\*)[^\n]{0,20}?\btry it\b", re.IGNORECASE | re.MULTILINE)
_GOALS = re.compile(r"what you will learn", re.IGNORECASE)
_PREREQ = re.compile(r"\*\*\s*prerequisites?\s*:?\s*\*\*\s*:?\s*(.+?)\s*(?=\*\*|\n\s*\n|$)",
                     re.IGNORECASE | re.DOTALL)
_TIME = re.compile(r"\*\*\s*(?:estimated\s+)?time\s*:?\s*\*\*\s*:?\s*(.+?)\s*(?=\*\*|\n\s*\n|$)",
                   re.IGNORECASE | re.DOTALL)
_BULLET = re.compile(r"^\s*[-*+]\s+(.+)$")
# "Try it 1.2" (a numbered exercise) and "1. ..." (an item of a numbered list of exercises)
_NUMBERED_TRY_IT = re.compile(r"\btry it\s+\d", re.IGNORECASE)
_NUMBERED_ITEM = re.compile(r"^\s{0,3}\d+[.)]\s+\S", re.MULTILINE)
_SUMMARY = re.compile(r"^(summary|key takeaways?)\b", re.IGNORECASE)
_WHAT_NEXT = re.compile(r"^what next\b", re.IGNORECASE)


@dataclass(frozen=True)
class Outline:
    """The student-facing skeleton of one notebook (text fields are Markdown, stripped)."""

    title: str
    goals: tuple[str, ...] = ()
    prerequisites: str = ""
    time: str = ""
    sections: tuple[str, ...] = ()
    try_its: int = 0
    solutions: int = 0
    summary: tuple[str, ...] = ()
    has_what_next: bool = False
    ends_with_what_next: bool = False
    notes: tuple[str, ...] = field(default=(), repr=False)


def read_notebook(path: Path) -> dict:
    """The notebook at ``path`` as a plain dict (nbformat 4 JSON)."""
    return json.loads(Path(path).read_text(encoding="utf-8"))


def cell_text(cell: dict) -> str:
    """The source of one cell as a single string (nbformat stores a string or a list of lines)."""
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else str(src)


def cell_tags(cell: dict) -> list[str]:
    """The tags of one cell (an empty list when it has none)."""
    return list(cell.get("metadata", {}).get("tags", []))


def _intro(cells: list[dict]) -> str:
    """Markdown cells before the first code cell, joined: where the skeleton's promises live."""
    parts = []
    for cell in cells:
        if cell.get("cell_type") == "code":
            break
        if cell.get("cell_type") == "markdown":
            parts.append(cell_text(cell))
    return "\n\n".join(parts)


def _goals(intro: str) -> tuple[str, ...]:
    """Bullet points right after "What you will learn"."""
    m = _GOALS.search(intro)
    if not m:
        return ()
    goals: list[str] = []
    for line in intro[m.end():].splitlines()[1:]:
        bullet = _BULLET.match(line)
        if bullet:
            goals.append(bullet.group(1).strip())
        elif goals and line.strip() and line.startswith((" ", "\t")):
            goals[-1] += " " + line.strip()  # a bullet continued on the next line
        elif goals or line.strip():
            break
    return tuple(goals)


def _first(pattern: re.Pattern, text: str) -> str:
    m = pattern.search(text)
    return " ".join(m.group(1).split()).rstrip(".") if m else ""


def _bullets_after(text: str, heading_end: int) -> tuple[str, ...]:
    out = []
    for line in text[heading_end:].splitlines():
        if _HEADING.match(line):
            break
        bullet = _BULLET.match(line)
        if bullet:
            out.append(bullet.group(1).strip())
    return tuple(out)


def _computed_bullets(cells: list[dict]) -> tuple[str, ...]:
    """Takeaways a code cell writes with ``display(Markdown(...))`` right after the heading (so
    that their numbers are computed): the bullets of its Markdown output when it has run, else
    the bullet lines of its source."""
    for cell in cells:
        if cell.get("cell_type") == "markdown":
            break
        for out in cell.get("outputs", []):
            md = out.get("data", {}).get("text/markdown")
            if md:
                found = _bullets_after("".join(md) if isinstance(md, list) else md, 0)
                if found:
                    return found
        if "Markdown(" in cell_text(cell):
            found = _bullets_after(cell_text(cell), 0)
            if found:
                return found
    return ()


def count_exercises(text: str) -> int:
    """The "Try it" exercises in one Markdown cell: each "Try it N.M" counts once; an unnumbered
    "Try it" counts the items of the numbered list under it (at least one)."""
    found = list(_TRY_IT.finditer(text))
    n = 0
    for i, m in enumerate(found):
        line_end = text.find("\n", m.end())
        line_end = len(text) if line_end == -1 else line_end
        if _NUMBERED_TRY_IT.search(text[m.start():line_end]):
            n += 1
            continue
        stop = found[i + 1].start() if i + 1 < len(found) else len(text)
        heading = _HEADING.search(text, line_end)
        if heading and heading.start() < stop:
            stop = heading.start()
        n += max(1, len(_NUMBERED_ITEM.findall(text, line_end, stop)))
    return n


def outline(nb: dict) -> Outline:
    """Read the student-facing skeleton of notebook ``nb`` (a dict from :func:`read_notebook`)."""
    cells = nb.get("cells", [])
    intro = _intro(cells)
    title = ""
    sections: list[str] = []
    try_its = 0
    summary: tuple[str, ...] = ()
    what_next_at = None
    summary_at = None
    for i, cell in enumerate(cells):
        if cell.get("cell_type") != "markdown":
            continue
        text = cell_text(cell)
        try_its += count_exercises(text)
        for m in _HEADING.finditer(text):
            level, heading = len(m.group(1)), m.group(2).strip()
            if level == 1 and not title:
                title = heading
            elif level == 2:
                sections.append(heading)
            if level >= 2 and _SUMMARY.match(heading):
                summary_at = i
                summary = _bullets_after(text, m.end()) or _computed_bullets(cells[i + 1:])
            if level >= 2 and _WHAT_NEXT.match(heading):
                what_next_at = i
    solutions = sum(1 for c in cells
                    if c.get("cell_type") == "code" and SOLUTION_TAG in cell_tags(c))
    ends = what_next_at is not None and all(
        c.get("cell_type") != "code" or not cell_text(c).strip() for c in cells[what_next_at:])
    notes = ()
    if summary_at is not None and what_next_at is not None and what_next_at < summary_at:
        notes = ("'What next' comes before 'Summary'",)
    return Outline(
        title=title, goals=_goals(intro), prerequisites=_first(_PREREQ, intro),
        time=_first(_TIME, intro), sections=tuple(sections), try_its=try_its,
        solutions=solutions, summary=summary, has_what_next=what_next_at is not None,
        ends_with_what_next=ends, notes=notes,
    )


def problems(o: Outline) -> list[str]:
    """What the notebook with outline ``o`` still owes a student (empty when nothing)."""
    out = []
    if not o.title:
        out.append("no '# NN · title' heading")
    if not o.goals:
        out.append("no 'What you will learn' bullet list in the introduction")
    if not o.prerequisites:
        out.append("no '**Prerequisites:**' in the introduction")
    if not o.time:
        out.append("no estimated '**Time:**' in the introduction")
    if o.try_its == 0:
        out.append("no 'Try it' exercise")
    if o.solutions == 0:
        out.append(f"no code cell tagged '{SOLUTION_TAG}'")
    elif o.try_its and o.solutions != o.try_its:
        out.append(f"{o.try_its} 'Try it' exercises but {o.solutions} code cells tagged "
                   f"'{SOLUTION_TAG}': one solution per exercise")
    if not o.summary:
        out.append("no '## Summary' with key takeaways as a bullet list")
    if not o.has_what_next:
        out.append("no '## What next'")
    elif not o.ends_with_what_next:
        out.append("code cells after 'What next': the notebook should end with it")
    out.extend(o.notes)
    return out
