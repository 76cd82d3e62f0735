"""The same parts on a Dask cluster (`pip install ".[distributed]"`, `--cluster ADDRESS|local`).

Tasks ship pydantic districts (never CP-SAT objects, which do not pickle); each worker
builds and solves its model. One solve runs per worker process at a time (a `solve`
resource of 1), with the worker's threads as its CP-SAT workers: a local cluster starts a
two-threaded worker per two cores, since a lone CP-SAT worker runs no neighbourhood search.
Workers of a remote cluster started with `--resources solve=1` are used the same way;
without that resource each of their threads takes a solve of one CP-SAT worker. Every
solve's CP-SAT memory cap stays under the smallest worker's limit.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import Executor
from contextlib import contextmanager
from typing import Any

from scheduler.solver.settings import cores

from .executor import SOLVE_WORKERS

MEMORY_SHARE = 0.8  # of a worker's limit, left to CP-SAT (the rest holds the district)


class ClusterError(RuntimeError):
    """The cluster could not be reached or started (said to the user as is)."""


@contextmanager
def dask_executor(address: str, parallel: int | None = None) -> Iterator[
        tuple[Executor, int, int | None, int]]:
    """(an executor on the cluster, its solves side by side, a memory cap in MB or None,
    CP-SAT workers per solve)."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise ClusterError('--cluster needs the distributed extra: pip install ".[distributed]"'
                           ) from None
    cluster: Any = None
    try:
        if address == "local":
            processes = parallel or max(1, cores() // SOLVE_WORKERS)
            cluster = LocalCluster(n_workers=processes,
                                   threads_per_worker=max(1, cores() // processes),
                                   processes=True, dashboard_address=None,
                                   resources={"solve": 1})
            client = Client(cluster)
        else:
            client = Client(address, timeout=30)
    except (OSError, TimeoutError) as exc:
        if cluster is not None:
            cluster.close()
        raise ClusterError(f"cannot reach the Dask cluster at {address}: {exc}") from None
    try:
        workers = list(client.scheduler_info()["workers"].values())
        limits = [int(w.get("memory_limit") or 0) for w in workers]
        smallest = min(limits, default=0)
        memory = int(smallest * MEMORY_SHARE / 2**20) if smallest else None
        width, threads, needs = _slots(workers)
        yield client.get_executor(pure=False, **needs), width, memory, threads
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _slots(workers: list[dict[str, Any]]) -> tuple[int, int, dict[str, Any]]:
    """(solves side by side, CP-SAT workers per solve, what each task asks of a worker)."""
    if workers and all(w.get("resources", {}).get("solve") for w in workers):
        width = sum(int(w["resources"]["solve"]) for w in workers)
        threads = min(max(1, int(w.get("nthreads", 1)) // int(w["resources"]["solve"]))
                      for w in workers)
        return width, threads, {"resources": {"solve": 1}}
    return max(1, sum(int(w.get("nthreads", 1)) for w in workers)), 1, {}
