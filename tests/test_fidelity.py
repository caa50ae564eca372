"""The canonical data against the seed: the text extract of the Word table the data was transcribed from.

Whitespace in the seed is layout noise (tabs, blank lines, line breaks inside cells); the words are not.
Every test here takes the `seed_text` fixture, so the module skips where the seed is absent.
"""

from __future__ import annotations

from datetime import date

import pytest

from gongkai_cli.load import load_data
from gongkai_cli.models import Division, Task
from gongkai_cli.responsibility import split_responsibility


def squeeze(text: str) -> str:
    """The text with every whitespace character removed."""
    return "".join(text.split())


def first_difference(rebuilt: str, seed: str, context: int = 30) -> str:
    """A readable description of where two strings first differ."""
    at = next((i for i, (a, b) in enumerate(zip(rebuilt, seed, strict=False)) if a != b), min(len(rebuilt), len(seed)))
    return (
        f"first difference at position {at} (rebuilt {len(rebuilt)} chars, seed {len(seed)} chars)\n"
        f"  rebuilt: …{rebuilt[max(0, at - context) : at]}⟦{rebuilt[at : at + context]}⟧…\n"
        f"  seed:    …{seed[max(0, at - context) : at]}⟦{seed[at : at + context]}⟧…"
    )


def rebuild_seed(division: Division) -> str:
    """The seed's words in the seed's order, as the data records them."""
    doc = division.document
    parts = [
        doc.notice_title,
        doc.number,
        doc.addressees + "：",
        doc.body,
        doc.signatory,
        doc.date_text,
        doc.title,
        *doc.columns,
    ]
    for section in division.tasks_file.sections:
        parts.append(f"{section.numeral}、{section.title}")
        for sub in section.subsections:
            parts.append(sub.title if sub.numeral is None else f"（{sub.numeral}）{sub.title}")
            for task in sub.tasks:
                parts += [
                    str(task.number),
                    task.requirement.replace("\n", ""),
                    task.responsibility,
                    task.time_limit.text,
                ]
    return "".join(parts)


@pytest.fixture(scope="module")
def division() -> Division:
    return load_data()


def task(division: Division, number: int) -> Task:
    found = [t for t in division.tasks if t.number == number]
    assert len(found) == 1, f"task {number} appears {len(found)} times"
    return found[0]


# --- the whole document ------------------------------------------------------------------------------


def test_data_rebuilds_the_seed_word_for_word(division: Division, seed_text: str) -> None:
    rebuilt = squeeze(rebuild_seed(division))
    seed = squeeze(seed_text)
    assert rebuilt == seed, first_difference(rebuilt, seed)


def test_first_difference_points_at_the_change() -> None:
    # The failure message of the test above must be usable: check the helper itself.
    message = first_difference("池州市政务公开", "池州市政府公开")
    assert "position 4" in message
    assert "⟦务公开⟧" in message
    assert "⟦府公开⟧" in message


# --- structure ---------------------------------------------------------------------------------------


def test_data_has_eleven_sections(division: Division, seed_text: str) -> None:
    numerals = [section.numeral for section in division.tasks_file.sections]
    assert numerals == ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一"]


def test_data_has_tasks_numbered_1_to_44_in_order(division: Division, seed_text: str) -> None:
    assert [t.number for t in division.tasks] == list(range(1, 45))


@pytest.mark.parametrize(
    ("number", "section", "subsection", "subsection_title"),
    [
        pytest.param(1, "一", "一", "加强促进经济发展的政策公开", id="task-1"),
        pytest.param(6, "二", "一", "增强解读发布时效性", id="task-6"),
        pytest.param(17, "四", "一", "完善政策文件库建设", id="task-17"),
        pytest.param(22, "五", "二", "深化公共企事业单位信息公开", id="task-22"),
        pytest.param(23, "六", None, "规范依申请公开答复", id="task-23-unnumbered-subsection"),
        pytest.param(43, "十一", "三", "做好考评监督", id="task-43"),
        pytest.param(44, "十一", "三", "做好考评监督", id="task-44"),
    ],
)
def test_task_stands_under_the_seed_heading(
    division: Division, seed_text: str, number: int, section: str, subsection: str | None, subsection_title: str
) -> None:
    placement = division.placements[number]
    assert (placement.section.numeral, placement.subsection.numeral, placement.subsection.title) == (
        section,
        subsection,
        subsection_title,
    )


def test_placement_numbers_count_sections_and_subsections_from_one(division: Division, seed_text: str) -> None:
    placement = division.placements[43]
    assert (placement.section_number, placement.subsection_number) == (11, 3)


# --- responsibility ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "leads", "implementers"),
    [
        pytest.param(
            12, ("市司法局", "市政务公开办"), ("市政府有关部门", "各县区政府", "管委会"), id="task-12-two-leads"
        ),
        pytest.param(6, (), ("市政务公开办", "市司法局", "市政府各部门", "各县区政府", "管委会"), id="task-6-no-lead"),
        pytest.param(
            22,
            (),
            ("市教体局", "市卫健委", "市住房城乡建设局", "市生态环境局", "行业主管部门", "各县区政府"),
            id="task-22-variants-and-open-group",
        ),
    ],
)
def test_task_responsibility_matches_seed(
    division: Division, seed_text: str, number: int, leads: tuple[str, ...], implementers: tuple[str, ...]
) -> None:
    found = task(division, number)
    assert (found.leads, found.implementers) == (leads, implementers)


def test_exactly_eight_tasks_name_counties_without_committees(division: Division, seed_text: str) -> None:
    without_committees = {
        t.number for t in division.tasks if "各县区政府" in t.implementers and "管委会" not in t.implementers
    }
    assert without_committees == {15, 18, 19, 21, 22, 28, 42, 43}


# --- time limits -------------------------------------------------------------------------------------

DEADLINES = {
    6: date(2024, 5, 31),
    17: date(2024, 9, 30),
    18: date(2024, 12, 31),
    22: date(2024, 9, 30),
    35: date(2024, 8, 31),
    36: date(2024, 9, 30),
    37: date(2024, 12, 31),
    38: date(2024, 12, 31),
    39: date(2024, 12, 31),
}


@pytest.mark.parametrize(("number", "due"), [pytest.param(n, d, id=f"task-{n}") for n, d in DEADLINES.items()])
def test_deadline_task_is_due_on_the_seed_date(division: Division, seed_text: str, number: int, due: date) -> None:
    limit = task(division, number).time_limit
    assert (limit.kind, limit.due, limit.start) == ("deadline", due, None)


def test_task_17_keeps_the_misprint_and_overrides_it_with_a_note(division: Division, seed_text: str) -> None:
    limit = task(division, 17).time_limit
    assert (limit.text, limit.due, limit.override) == ("9底前", date(2024, 9, 30), True)
    assert limit.note


def test_task_23_runs_from_new_year_without_due_date(division: Division, seed_text: str) -> None:
    limit = task(division, 23).time_limit
    assert (limit.kind, limit.start, limit.due) == ("from", date(2024, 1, 1), None)


def test_every_other_task_is_ongoing(division: Division, seed_text: str) -> None:
    not_ongoing = {t.number for t in division.tasks if t.time_limit.kind != "ongoing"}
    assert not_ongoing == {*DEADLINES, 23}
    dated_ongoing = [
        t.number
        for t in division.tasks
        if t.time_limit.kind == "ongoing" and (t.time_limit.due, t.time_limit.start) != (None, None)
    ]
    assert dated_ongoing == []


# --- scoring -----------------------------------------------------------------------------------------

SCORING = {11: [3], 15: [0.5, 0.2], 26: [-2], 35: [5], 39: [5, 3], 44: [-3]}


def test_scoring_points_match_the_seed(division: Division, seed_text: str) -> None:
    points = {t.number: [rule.points for rule in t.scoring] for t in division.tasks if t.scoring}
    assert points == SCORING


def test_task_15_scores_city_units_and_counties_differently(division: Division, seed_text: str) -> None:
    assert [(rule.who, rule.points) for rule in task(division, 15).scoring] == [("市直单位", 0.5), ("县区", 0.2)]


# --- names -------------------------------------------------------------------------------------------


def test_every_name_in_responsibility_texts_occurs_in_seed(division: Division, seed_text: str) -> None:
    seed = squeeze(seed_text)
    written = {name for t in division.tasks for part in split_responsibility(t.responsibility) for name in part}
    assert written, "no names read from the responsibility texts"
    assert sorted(name for name in written if name not in seed) == []


def test_every_unit_name_the_table_uses_occurs_in_seed(division: Division, seed_text: str) -> None:
    seed = squeeze(seed_text)
    used = {name for t in division.tasks for name in (*t.leads, *t.implementers)}
    entries = [*division.units_file.units, *division.units_file.groups]
    forms = {entry.name for entry in entries if entry.name in used}
    forms |= {variant.text for entry in entries if entry.name in used for variant in entry.variants}
    assert used <= {entry.name for entry in entries}
    assert sorted(form for form in forms if form not in seed) == []
