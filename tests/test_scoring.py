"""Tests for gongkai_cli.scoring: the bonuses and penalties a requirement states."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import DATA, SEED

from gongkai_cli.importers import import_table
from gongkai_cli.models import ScoringRule
from gongkai_cli.scoring import rule_entry, rules_in


def _tasks(data: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        task
        for section in data.get("sections", ())
        for block in (section, *section.get("subsections", ()))
        for task in block.get("tasks", ())
    ] + list(data.get("tasks", ()))


def _bundled_tasks() -> list[dict[str, Any]]:
    return _tasks(yaml.safe_load((DATA / "tasks.yaml").read_text(encoding="utf-8")))


def test_every_requirement_of_the_bundled_table_gives_exactly_its_recorded_rules() -> None:
    tasks = _bundled_tasks()
    assert len(tasks) == 44
    for task in tasks:
        recorded = [ScoringRule(**rule) for rule in task.get("scoring", ())]
        assert list(rules_in(task["requirement"])) == recorded, task["number"]
    assert sum(len(task.get("scoring", ())) for task in tasks) == 8


def test_the_rules_are_written_back_as_the_table_records_them() -> None:
    for task in _bundled_tasks():
        assert [rule_entry(rule) for rule in rules_in(task["requirement"])] == task.get("scoring", [])


@pytest.mark.parametrize(
    ("requirement", "expected"),
    [
        (
            "对有创新思路的单位，在年度政务公开考评中直接加5分。",
            [ScoringRule(5, "对有创新思路的单位，在年度政务公开考评中直接加5分")],
        ),
        ("未按时报送年报的，扣2分。", [ScoringRule(-2, "未按时报送年报的，扣2分")]),
        (
            "信息被省政府网站采用的，每篇加3分，最高不超过10分。",
            [ScoringRule(3, "信息被省政府网站采用的，每篇加3分，最高不超过10分", "篇")],
        ),
        (
            "开展政府开放日活动，按0.5分/次予以加分。",
            [ScoringRule(0.5, "开展政府开放日活动，按0.5分/次予以加分", "次")],
        ),
        (
            "发生泄密事件的，在年度考评中直接按3分/件予以减分；情节严重的，扣除10分。",
            [
                ScoringRule(-3, "发生泄密事件的，在年度考评中直接按3分/件予以减分", "件"),
                ScoringRule(-10, "情节严重的，扣除10分"),
            ],
        ),
        # A total, a cap and a word count are no rules; nor is 加分 without points.
        ("考评满分100分，报送不少于1500字的材料。", []),
        ("工作突出的，在考评中给予加分。", []),
        ("加强政策解读，做好分类公开。", []),
    ],
)
def test_rules_in_real_phrasings(requirement: str, expected: list[ScoringRule]) -> None:
    assert list(rules_in(requirement)) == expected
    for rule in expected:
        assert rule.condition in requirement


def test_importing_the_seed_gives_the_bundled_tables_rules(tmp_path: Path) -> None:
    if not SEED.is_file():
        pytest.skip(f"seed text not found at {SEED} (set GONGKAI_SEED to its path)")
    out = tmp_path / "2024"
    import_table(SEED, out, year=2024, roster=DATA / "units.yaml", force=False)
    written = _tasks(yaml.safe_load((out / "tasks.yaml").read_text(encoding="utf-8")))
    bundled = _bundled_tasks()
    assert [(t["number"], t.get("scoring", [])) for t in written] == [
        (t["number"], t.get("scoring", [])) for t in bundled
    ]
