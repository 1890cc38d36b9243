"""Batch ranking on several processes gives exactly what one process gives."""

from __future__ import annotations

from dataclasses import replace

import pytest

from coprod import batch
from coprod.catalog import load_catalog
from coprod.model import Catalog
from coprod.ranking import Ranker, RankOptions


@pytest.fixture(scope="module")
def many(tmp_path_factory) -> tuple[Ranker, list]:
    """The shipped catalog with its requirements repeated under new ids (3 x 34):
    enough requirements that the batch really forks two workers."""
    catalog: Catalog = load_catalog(tmp_path_factory.mktemp("shipped") / "catalog.duckdb")
    originals = list(catalog.requirements.values())
    requirements = [
        replace(r, requirement_id=f"{r.requirement_id}-{copy}")
        for copy in range(3)
        for r in originals
    ]
    return Ranker(catalog), requirements


@pytest.mark.parametrize(
    "options",
    [
        RankOptions(),
        RankOptions(top=25, per_partner=1, exclude_blocked=True),
        RankOptions(countries=("Sweden", "Norway"), category="artillery_ammunition"),
    ],
)
def test_workers_give_the_same_rankings_in_the_same_order(many, options: RankOptions) -> None:
    ranker, requirements = many
    assert batch.effective_workers(2, len(requirements)) == 2  # this test really forks
    in_process = ranker.rank_many(requirements, options)
    forked = batch.rank_many(ranker, requirements, options, workers=2)
    assert forked == in_process
    assert list(forked) == list(in_process)
    assert any(forked.values())


def test_progress_counts_up_to_the_total(many) -> None:
    ranker, requirements = many
    for workers in (1, 2):
        seen: list[tuple[int, int]] = []
        batch.rank_many(
            ranker,
            requirements,
            workers=workers,
            progress=lambda d, t, seen=seen: seen.append((d, t)),
        )
        assert seen[-1] == (len(requirements), len(requirements))
        assert [done for done, _ in seen] == sorted({done for done, _ in seen})


def test_small_batches_stay_in_this_process(many) -> None:
    _, requirements = many
    assert batch.effective_workers(2, batch.MIN_PER_WORKER) == 1
    assert batch.effective_workers(1, len(requirements)) == 1
    assert (
        batch.effective_workers(8, len(requirements)) == len(requirements) // batch.MIN_PER_WORKER
    )
    assert batch.default_workers() >= 1


def test_plan_and_eval_rank_alike_on_several_processes(tmp_path) -> None:
    """coprod plan and coprod eval rank through coprod.batch (one process per CPU)."""
    from coprod.evaluation import coprod_rankings
    from coprod.planner import ranked_pairings

    catalog: Catalog = load_catalog(tmp_path / "catalog.duckdb")
    catalog.requirements = {
        f"{rid}-{copy}": replace(r, requirement_id=f"{rid}-{copy}")
        for copy in range(3)
        for rid, r in list(catalog.requirements.items())
    }
    delegation = ["rtx", "bae-bofors", "nammo", "aerovironment"]
    assert batch.effective_workers(2, len(catalog.requirements)) == 2
    one = ranked_pairings(catalog, delegation, 3, workers=1)
    assert one and ranked_pairings(catalog, delegation, 3, workers=2) == one
    ids = list(catalog.requirements)
    assert coprod_rankings(catalog, ids, workers=2) == coprod_rankings(catalog, ids, workers=1)
