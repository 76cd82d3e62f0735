"""The same parts on a Dask cluster (`pip install ".[distributed]"`, `--cluster ADDRESS|local`).

Tasks ship pydantic districts (never CP-SAT objects, which do not pickle); each worker
builds and solves its model. A local cluster runs one single-threaded worker process per
solve; every solve's CP-SAT memory cap stays under the smallest worker's limit.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import Executor
from contextlib import contextmanager
from typing import Any

from scheduler.solver.settings import cores

MEMORY_SHARE = 0.8  # of a worker's limit, left to CP-SAT (the rest holds the district)


class ClusterError(RuntimeError):
    """The cluster could not be reached or started (said to the user as is)."""


@contextmanager
def dask_executor(address: str, parallel: int | None = None) -> Iterator[
        tuple[Executor, int, int | None]]:
    """(an executor on the cluster, its solves side by side, a memory cap in MB or None)."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise ClusterError('--cluster needs the distributed extra: pip install ".[distributed]"'
                           ) from None
    cluster: Any = None
    try:
        if address == "local":
            cluster = LocalCluster(n_workers=parallel or cores(), threads_per_worker=1,
                                   processes=True, dashboard_address=None)
            client = Client(cluster)
        else:
            client = Client(address, timeout=30)
    except (OSError, TimeoutError) as exc:
        if cluster is not None:
            cluster.close()
        raise ClusterError(f"cannot reach the Dask cluster at {address}: {exc}") from None
    try:
        workers = client.scheduler_info()["workers"].values()
        width = max(1, sum(w.get("nthreads", 1) for w in workers))
        limits = [int(w.get("memory_limit") or 0) for w in workers]
        smallest = min(limits, default=0)
        memory = int(smallest * MEMORY_SHARE / 2**20) if smallest else None
        yield client.get_executor(pure=False), width, memory
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
