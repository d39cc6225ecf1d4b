"""Classical job-shop instances solved to their known optimum through the engine model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gendan.scheduling import Status, parse_jobshop, read_jobshop, solve_jobshop
from gendan.scheduling.jobshop import jobshop_problem

from .bruteforce import valid

DATA = Path(__file__).resolve().parents[1] / "data"
BEST = json.loads((DATA / "best_known.json").read_text())


def test_parse_reads_machine_duration_pairs() -> None:
    inst = parse_jobshop("2 2\n0 3 1 2\n1 4 0 1\n", "tiny")

    assert inst.machines == 2
    assert inst.jobs == (((0, 3), (1, 2)), ((1, 4), (0, 1)))


@pytest.mark.parametrize(
    ("name", "optimum"),
    [("ft06", 55), ("la01", 666), ("la02", 655), ("la03", 597), ("la04", 590), ("la05", 593)],
)
def test_engine_reaches_known_optimum(name: str, optimum: int) -> None:
    inst = read_jobshop(DATA / f"{name}.txt")

    result = solve_jobshop(inst, time_limit=8, num_workers=2)

    assert BEST[name]["best_known"] == optimum
    assert result.makespan == optimum
    assert result.status is Status.OPTIMAL
    assert result.plan is not None and result.plan.makespan == optimum
    assert valid(jobshop_problem(inst), {a.key: a for a in result.plan})
