"""Where a flow's tasks run: threads in this process, a local Dask cluster, or a remote one.

The flow is the same in every case; only its task runner changes (``flow.with_options``).
Threads suit one office PC; a Dask cluster spreads the batches over processes or machines.
Remote workers must import Telaah (same code and environment), see the same work directory
(a shared file system), and reach a Prefect server through ``PREFECT_API_URL``: a worker
with no API URL would start its own temporary server.
"""

from __future__ import annotations

import logging
import os
import socket
from typing import Any
from urllib.parse import urlparse

from prefect.task_runners import ThreadPoolTaskRunner

from pipeline.errors import Errors, TelaahError

log = logging.getLogger(__name__)
DEFAULT_THREADS = 4


def bounded_threads(threads: int = DEFAULT_THREADS) -> ThreadPoolTaskRunner:
    """The flows' default runner: at most ``threads`` tasks at once.

    Prefect's own default starts a thread per submitted task, so every batch of a corpus would
    be parsed and held in memory at the same time (peak memory then grows with the corpus) and
    every batch's embedding would fight for the same cores.
    """
    return ThreadPoolTaskRunner(max_workers=threads)


def check_scheduler(address: str, timeout: float = 5.0) -> None:
    """Fail early with E704 instead of a long Dask connection timeout."""
    parsed = urlparse(address if "://" in address else f"tcp://{address}")
    if parsed.scheme not in ("tcp", "tls") or not parsed.hostname:
        return  # inproc:// and other transports: nothing to probe
    try:
        with socket.create_connection((parsed.hostname, parsed.port or 8786), timeout=timeout):
            pass
    except OSError as exc:
        raise TelaahError.make(Errors.E704, address=address, detail=str(exc)) from exc


def task_runner(
    *,
    dask_address: str | None = None,
    dask_workers: int = 0,
    processes: bool = True,
    threads: int = DEFAULT_THREADS,
) -> Any:
    """A Dask runner for ``dask_address`` or ``dask_workers`` local workers, else threads."""
    if not dask_address and dask_workers <= 0:
        return bounded_threads(threads)
    from prefect_dask import DaskTaskRunner

    if dask_address:
        check_scheduler(dask_address)
        return DaskTaskRunner(address=dask_address)
    if processes and not os.environ.get("PREFECT_API_URL"):
        log.warning(
            "local Dask worker processes without PREFECT_API_URL each start a temporary Prefect "
            "server; run 'telaah serve' and set PREFECT_API_URL to avoid it"
        )
    return DaskTaskRunner(
        cluster_kwargs={
            "n_workers": dask_workers,
            "processes": processes,
            "threads_per_worker": 1 if processes else threads,
            "dashboard_address": None,  # no web dashboard: nothing listens beyond what we need
        }
    )
