"""Telaah's Prefect flows: batched, resumable, scheduled and distributed runs of the main job.

Importing this package pins Prefect's settings (home, database, result storage, telemetry off)
before any of its modules imports Prefect; see :mod:`flows.prefect.settings`.
"""

from flows.prefect.settings import configure_environment

configure_environment()
