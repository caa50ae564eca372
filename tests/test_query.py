"""Tests for gongkai_cli.query: direct library calls on the bundled data."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date

import pytest
from dateutil.relativedelta import relativedelta

from gongkai_cli import owing, query
from gongkai_cli.errors import LookupFailedError
from gongkai_cli.load import load_data
from gongkai_cli.models import Division, Group, Task, Unit
from gongkai_cli.query import DateWindow, due_window

ALL_DATED = [6, 35, 17, 22, 36, 18, 37, 38, 39]
SEPT_30 = date(2024, 9, 30)


@pytest.fixture(scope="module")
def division(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Division]:
    # A private cache folder: the test run never writes to the user's cache.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GONGKAI_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
        yield load_data()


def numbers(tasks: Iterable[Task]) -> list[int]:
    return [t.number for t in tasks]


def naming(division: Division, name: str) -> set[int]:
    """Numbers of the tasks that name `name` as a lead or an implementer."""
    return {t.number for t in division.tasks if name in (*t.leads, *t.implementers)}


def by_role(found: list[owing.Obligation]) -> dict[str, list[int]]:
    roles: dict[str, list[int]] = {role: [] for role in owing.ROLES}
    for o in found:
        roles[o.role].append(o.task.number)
    return roles


def unit_named(division: Division, name: str) -> Unit:
    return next(u for u in division.units_file.units if u.name == name)


def group_named(division: Division, name: str) -> Group:
    return next(g for g in division.units_file.groups if g.name == name)


# --- the data --------------------------------------------------------------------------------------------


def test_load_data_has_44_tasks_numbered_in_order(division: Division) -> None:
    assert numbers(division.tasks) == list(range(1, 45))
    assert division.year == 2024


def test_task_17_reads_the_typo_as_end_of_september(division: Division) -> None:
    limit = query.find_task(division, 17).time_limit
    assert (limit.text, limit.kind, limit.due, limit.start) == ("9底前", "deadline", SEPT_30, None)
    assert limit.note is not None and "9月底前" in limit.note


def test_task_23_is_a_start_date_not_a_deadline(division: Division) -> None:
    limit = query.find_task(division, 23).time_limit
    assert (limit.kind, limit.start, limit.due) == ("from", date(2024, 1, 1), None)


# --- dated / undated / due_window: the `due` answers -----------------------------------------------------


def test_due_before_sept_30_lists_five_tasks_in_date_order(division: Division) -> None:
    assert numbers(query.dated(division.tasks, due_window(before=SEPT_30))) == [6, 35, 17, 22, 36]


def test_due_before_may_31_includes_the_bound_itself(division: Division) -> None:
    assert numbers(query.dated(division.tasks, due_window(before=date(2024, 5, 31)))) == [6]


def test_due_before_may_30_excludes_a_task_due_may_31(division: Division) -> None:
    assert query.dated(division.tasks, due_window(before=date(2024, 5, 30))) == []


def test_due_after_oct_1_lists_year_end_tasks(division: Division) -> None:
    assert numbers(query.dated(division.tasks, due_window(after=date(2024, 10, 1)))) == [18, 37, 38, 39]


def test_due_after_includes_the_bound_itself(division: Division) -> None:
    assert numbers(query.dated(division.tasks, due_window(after=date(2024, 12, 31)))) == [18, 37, 38, 39]
    assert query.dated(division.tasks, due_window(after=date(2025, 1, 1))) == []


def test_due_without_filter_lists_every_dated_task(division: Division) -> None:
    assert numbers(query.dated(division.tasks)) == ALL_DATED


def test_due_after_and_before_the_same_day_lists_that_day(division: Division) -> None:
    window = due_window(after=SEPT_30, before=SEPT_30)
    assert numbers(query.dated(division.tasks, window)) == [17, 22, 36]


def test_due_after_later_than_before_is_empty(division: Division) -> None:
    assert query.dated(division.tasks, due_window(after=date(2024, 10, 1), before=SEPT_30)) == []


def test_undated_lists_ongoing_and_from_tasks_in_number_order(division: Division) -> None:
    found = query.undated(division.tasks)
    assert numbers(found) == [n for n in range(1, 45) if n not in ALL_DATED]
    assert {t.time_limit.kind for t in found} == {"ongoing", "from"}
    assert [t.number for t in found if t.time_limit.kind == "from"] == [23]


def test_due_within_30_days_from_sept_1(division: Division) -> None:
    window = due_window(today=date(2024, 9, 1), within=relativedelta(days=30))
    assert window == DateWindow(date(2024, 9, 1), date(2024, 10, 1))
    assert numbers(query.dated(division.tasks, window)) == [17, 22, 36]


def test_due_within_counts_today_as_inside(division: Division) -> None:
    window = due_window(today=SEPT_30, within=relativedelta(days=1))
    assert numbers(query.dated(division.tasks, window)) == [17, 22, 36]


def test_due_within_one_month_is_calendar_aware() -> None:
    window = due_window(today=date(2024, 1, 31), within=relativedelta(months=1))
    assert window == DateWindow(date(2024, 1, 31), date(2024, 2, 29))


def test_due_overdue_on_sept_1(division: Division) -> None:
    window = due_window(today=date(2024, 9, 1), overdue=True)
    assert window == DateWindow(None, date(2024, 8, 31))
    assert numbers(query.dated(division.tasks, window)) == [6, 35]


def test_due_overdue_does_not_count_a_task_due_today(division: Division) -> None:
    window = due_window(today=SEPT_30, overdue=True)
    assert numbers(query.dated(division.tasks, window)) == [6, 35]


def test_due_within_and_overdue_together_is_empty(division: Division) -> None:
    # Every bound narrows the window: "due from today on" and "due before today" leave nothing.
    window = due_window(today=date(2024, 9, 1), within=relativedelta(days=30), overdue=True)
    assert window == DateWindow(date(2024, 9, 1), date(2024, 8, 31))
    assert query.dated(division.tasks, window) == []


def test_due_before_narrows_within(division: Division) -> None:
    window = due_window(before=date(2024, 9, 15), today=date(2024, 9, 1), within=relativedelta(days=30))
    assert window == DateWindow(date(2024, 9, 1), date(2024, 9, 15))


def test_due_after_narrows_overdue(division: Division) -> None:
    window = due_window(after=date(2024, 6, 1), today=date(2024, 9, 1), overdue=True)
    assert numbers(query.dated(division.tasks, window)) == [35]


@pytest.mark.parametrize("options", [{"within": relativedelta(days=30)}, {"overdue": True}])
def test_due_window_needs_today_for_within_and_overdue(options: dict[str, object]) -> None:
    with pytest.raises(ValueError, match="needs today"):
        due_window(**options)  # type: ignore[arg-type]


def test_date_window_without_bounds_keeps_every_dated_task(division: Division) -> None:
    assert numbers(query.dated(division.tasks, DateWindow())) == ALL_DATED
    assert due_window() == DateWindow(None, None)


def test_due_for_an_office_with_no_dated_tasks_is_empty(division: Division) -> None:
    office = query.resolve(division, "市政府办公室")
    owed = [o.task for o in owing.obligations(division, office)]
    assert query.dated(owed, due_window(before=SEPT_30)) == []


# --- next_deadline and by_month --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2024, 1, 1), date(2024, 5, 31)),
        (date(2024, 9, 1), SEPT_30),
        (SEPT_30, SEPT_30),
        (date(2024, 10, 1), date(2024, 12, 31)),
        (date(2024, 12, 31), date(2024, 12, 31)),
        (date(2025, 1, 1), None),
    ],
)
def test_next_deadline_is_the_first_due_date_on_or_after_today(
    division: Division, today: date, expected: date | None
) -> None:
    assert query.next_deadline(division.tasks, today) == expected


def test_next_deadline_of_undated_tasks_is_none(division: Division) -> None:
    assert query.next_deadline(query.undated(division.tasks), date(2024, 1, 1)) is None
    assert query.next_deadline([], date(2024, 1, 1)) is None


def test_by_month_groups_dated_tasks_by_first_day_of_month(division: Division) -> None:
    months = query.by_month(division.tasks)
    assert [(month, numbers(tasks)) for month, tasks in months] == [
        (date(2024, 5, 1), [6]),
        (date(2024, 8, 1), [35]),
        (date(2024, 9, 1), [17, 22, 36]),
        (date(2024, 12, 1), [18, 37, 38, 39]),
    ]


def test_by_month_of_undated_tasks_is_empty(division: Division) -> None:
    assert query.by_month(query.undated(division.tasks)) == []


# --- resolve ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("市司法局", "市司法局"),
        ("池州市司法局", "市司法局"),
        ("司法", "市司法局"),
        ("司法局", "市司法局"),
        ("sifaju", "市司法局"),
        ("sfj", "市司法局"),
        ("SFJ", "市司法局"),
        (" 市司法局 ", "市司法局"),
        ("市教育局", "市教体局"),
        ("市住建局", "市住房城乡建设局"),
        ("九华山", "九华山风景区管委会"),
        ("九华山风景区管委会", "九华山风景区管委会"),
        ("青阳县", "青阳县政府"),
        ("开发区", "开发区管委会"),
    ],
)
def test_resolve_finds_a_unit_by_any_of_its_names(division: Division, name: str, expected: str) -> None:
    found = query.resolve(division, name)
    assert isinstance(found, Unit)
    assert found.name == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("各县区政府", "各县区政府"),
        ("市政府各部门", "市政府各部门"),
        ("市政府有关部门", "市政府有关部门"),
        ("市政府各有关部门", "市政府有关部门"),
        ("管委会", "管委会"),
        ("行业主管部门", "行业主管部门"),
    ],
)
def test_resolve_finds_a_group_by_its_name(division: Division, name: str, expected: str) -> None:
    found = query.resolve(division, name)
    assert isinstance(found, Group)
    assert found.name == expected


def test_resolve_ambiguous_name_lists_candidates(division: Division) -> None:
    with pytest.raises(LookupFailedError) as info:
        query.resolve(division, "市政府")
    assert {"市政府办公室", "市政府各部门", "市政府有关部门"} <= set(info.value.candidates)


def test_resolve_unknown_name_gives_the_group_hint(division: Division) -> None:
    with pytest.raises(LookupFailedError, match="市政府各部门") as info:
        query.resolve(division, "公安局")
    assert "公安局" in str(info.value)


def test_resolve_typo_suggests_the_close_name(division: Division) -> None:
    with pytest.raises(LookupFailedError, match="市司法局"):
        query.resolve(division, "市斯法局")


@pytest.mark.parametrize("name", ["", "   "])
def test_resolve_empty_name_is_refused(division: Division, name: str) -> None:
    with pytest.raises(LookupFailedError, match="不能为空"):
        query.resolve(division, name)


# --- members and groups ----------------------------------------------------------------------------------


def test_members_of_county_group_are_the_four_counties(division: Division) -> None:
    found = owing.members(division, group_named(division, "各县区政府"))
    assert [u.name for u in found] == ["贵池区政府", "东至县政府", "石台县政府", "青阳县政府"]


def test_members_of_department_group_are_every_department(division: Division) -> None:
    found = owing.members(division, group_named(division, "市政府各部门"))
    expected = [u.name for u in division.units_file.units if u.kind == "department"]
    assert [u.name for u in found] == expected
    assert "市司法局" in expected
    assert "市政府办公室" not in expected  # an office, not a department


def test_groups_of_a_department(division: Division) -> None:
    found = owing.groups_of(division, unit_named(division, "市司法局"))
    assert [g.name for g in found] == ["市政府各部门", "市政府有关部门", "行业主管部门"]


def test_groups_of_a_committee_and_an_office(division: Division) -> None:
    assert [g.name for g in owing.groups_of(division, unit_named(division, "九华山风景区管委会"))] == ["管委会"]
    assert owing.groups_of(division, unit_named(division, "市政府办公室")) == []


# --- obligations -----------------------------------------------------------------------------------------

SIFAJU_LEAD = [12, 13, 23]
SIFAJU_NAMED = [6]
SIFAJU_GROUP = [16, 17, 20, 24, 26, 31, 34, 35, 36, 37, 39, 40, 41, 42, 44]
SIFAJU_RELEVANT = [1, 3, 4, 7, 8, 9, 10, 11, 15, 18, 21, 22, 27, 32, 33]


def test_unit_sifaju_roles_are_lead_named_group_relevant(division: Division) -> None:
    found = owing.obligations(division, query.resolve(division, "市司法局"))
    assert by_role(found) == {
        "lead": SIFAJU_LEAD,
        "named": SIFAJU_NAMED,
        "support": [],
        "group": SIFAJU_GROUP,
        "relevant": SIFAJU_RELEVANT,
    }


def test_unit_sifaju_roles_match_the_yaml(division: Division) -> None:
    found = by_role(owing.obligations(division, query.resolve(division, "市司法局")))
    direct = set(found["lead"]) | set(found["named"])
    assert set(found["lead"]) == {t.number for t in division.tasks if "市司法局" in t.leads}
    assert set(found["named"]) == {t.number for t in division.tasks if "市司法局" in t.implementers}
    assert set(found["group"]) == naming(division, "市政府各部门") - direct
    relevant = (naming(division, "市政府有关部门") | naming(division, "行业主管部门")) - direct
    assert set(found["relevant"]) == relevant - set(found["group"])


def test_unit_sifaju_lists_each_task_once_in_task_order(division: Division) -> None:
    found = owing.obligations(division, query.resolve(division, "市司法局"))
    listed = numbers(o.task for o in found)
    assert listed == sorted(set(listed))
    assert len(listed) == 34


def test_unit_sifaju_via_names_the_group(division: Division) -> None:
    found = {o.task.number: o for o in owing.obligations(division, query.resolve(division, "市司法局"))}
    assert found[12].via is None
    assert found[6].via is None
    assert found[16].via == "市政府各部门"
    assert found[1].via == "市政府有关部门"
    assert found[22].via == "行业主管部门"


def test_role_counts_of_sifaju(division: Division) -> None:
    found = owing.obligations(division, query.resolve(division, "市司法局"))
    assert owing.role_counts(found) == {"lead": 3, "named": 1, "support": 0, "group": 15, "relevant": 15}


def test_role_counts_of_nothing_are_zero() -> None:
    assert owing.role_counts([]) == {"lead": 0, "named": 0, "support": 0, "group": 0, "relevant": 0}


def test_unit_named_in_a_task_beats_its_group(division: Division) -> None:
    # Task 22 names 市教育局 (read as 市教体局) and 行业主管部门: the named role wins.
    found = {o.task.number: o for o in owing.obligations(division, query.resolve(division, "市教育局"))}
    assert (found[22].role, found[22].via) == ("named", None)
    assert (found[2].role, found[2].via) == ("named", None)


@pytest.mark.parametrize("name", ["九华山风景区管委会", "九华山", "江南新兴产业集中区管委会", "开发区管委会"])
def test_unit_management_committee_owes_36_tasks_via_guanweihui(division: Division, name: str) -> None:
    found = owing.obligations(division, query.resolve(division, name))
    assert len(found) == 36
    assert {(o.role, o.via) for o in found} == {("group", "管委会")}
    assert set(numbers(o.task for o in found)) == naming(division, "管委会")
    assert not set(numbers(o.task for o in found)) & {15, 18, 19, 21, 22, 28, 42, 43}


def test_unit_county_owes_all_44_via_county_group(division: Division) -> None:
    found = owing.obligations(division, query.resolve(division, "青阳县"))
    assert numbers(o.task for o in found) == list(range(1, 45))
    assert {(o.role, o.via) for o in found} == {("group", "各县区政府")}


def test_unit_group_by_name_owes_its_named_tasks(division: Division) -> None:
    found = owing.obligations(division, query.resolve(division, "各县区政府"))
    assert numbers(o.task for o in found) == list(range(1, 45))
    assert {(o.role, o.via) for o in found} == {("named", None)}


def test_unit_office_is_in_no_department_group(division: Division) -> None:
    found = owing.obligations(division, query.resolve(division, "市政府办公室"))
    assert by_role(found) == {"lead": [1, 3, 43], "named": [5, 19], "support": [], "group": [], "relevant": []}


def test_obligations_limited_to_given_tasks(division: Division) -> None:
    entity = query.resolve(division, "市司法局")
    subset = [query.find_task(division, n) for n in (6, 12, 19)]
    assert numbers(o.task for o in owing.obligations(division, entity, subset)) == [6, 12]


def test_co_units_leave_out_the_entity_itself(division: Division) -> None:
    entity = query.resolve(division, "市司法局")
    assert query.co_units(query.find_task(division, 6), entity) == [
        "市政务公开办",
        "市政府各部门",
        "各县区政府",
        "管委会",
    ]


# --- sections --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("ref", ["四", "4", "四、", " 四 ", "４", "4."])
def test_section_four_in_any_form(division: Division, ref: str) -> None:
    found = query.find_section(division, ref)
    assert (found.number, found.section.numeral, found.subsection) == (4, "四", None)
    assert numbers(query.section_tasks(found)) == [16, 17, 18, 19]


@pytest.mark.parametrize("ref", ["四.二", "4.2", "四（二）", "4(2)", "四、二", "4、2", "４．２"])
def test_section_four_two_in_any_form(division: Division, ref: str) -> None:
    found = query.find_section(division, ref)
    assert found.number == 4
    assert found.subsection is not None and found.subsection.title == "强化政策精准直达"
    assert numbers(query.section_tasks(found)) == [18]


@pytest.mark.parametrize(
    ("ref", "expected"),
    [
        ("六", [23, 24, 25, 26]),
        ("六.一", [23, 24, 25, 26]),  # the one unnumbered subsection
        ("十一", [41, 42, 43, 44]),
        ("11", [41, 42, 43, 44]),
        ("十一.三", [43, 44]),
        ("11.3", [43, 44]),
        ("一", [1, 2, 3, 4]),
    ],
)
def test_section_tasks(division: Division, ref: str, expected: list[int]) -> None:
    assert numbers(query.section_tasks(query.find_section(division, ref))) == expected


@pytest.mark.parametrize("ref", ["12", "十二", "0", "", "第四部分", "四.九", "4.9", "4.0", "六.二", "4.2.1", "abc"])
def test_section_unknown_ref_is_refused(division: Division, ref: str) -> None:
    with pytest.raises(LookupFailedError):
        query.find_section(division, ref)


def test_section_unknown_subsection_message_gives_the_count(division: Division) -> None:
    with pytest.raises(LookupFailedError, match=r"^第四部分只有三个小标题，没有“九”。$"):
        query.find_section(division, "四.九")


# --- search, find_task, scoring --------------------------------------------------------------------------


def test_search_jiedu_finds_the_interpretation_tasks(division: Division) -> None:
    hits = dict((t.number, fields) for t, fields in query.search(division, "解读"))
    assert set(range(5, 12)) | {17} <= set(hits)
    assert hits[17] == ["requirement"]
    assert "title" in hits[5]


def test_search_kaoping_finds_the_assessment_tasks(division: Division) -> None:
    found = {t.number for t, _ in query.search(division, "考评")}
    assert {11, 15, 26, 35, 39, 43, 44} <= found


def test_search_matches_the_responsibility_field(division: Division) -> None:
    hits = query.search(division, "市司法局")
    assert [t.number for t, _ in hits] == [6, 12, 13, 23]
    assert all("units" in fields for _, fields in hits)


def test_search_matches_the_time_limit_text(division: Division) -> None:
    hits = query.search(division, "9底前")
    assert [(t.number, fields) for t, fields in hits] == [(17, ["time_limit"])]


def test_search_unknown_word_finds_nothing(division: Division) -> None:
    assert query.search(division, "不存在的词") == []


@pytest.mark.parametrize("text", ["", "  "])
def test_search_empty_text_is_refused(division: Division, text: str) -> None:
    with pytest.raises(LookupFailedError):
        query.search(division, text)


@pytest.mark.parametrize("number", [1, 17, 44])
def test_find_task_by_number(division: Division, number: int) -> None:
    assert query.find_task(division, number).number == number


@pytest.mark.parametrize("number", [0, 45, -1])
def test_find_task_out_of_range_is_refused(division: Division, number: int) -> None:
    with pytest.raises(LookupFailedError, match="1～44"):
        query.find_task(division, number)


def test_scoring_rules_in_task_order(division: Division) -> None:
    rules = [(t.number, r.points) for t, r in query.scoring_rules(division)]
    assert rules == [(11, 3), (15, 0.5), (15, 0.2), (26, -2), (35, 5), (39, 5), (39, 3), (44, -3)]
