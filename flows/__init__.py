"""Orchestration: the CLI, Prefect flows, file I/O, caching and concurrency around pure stages."""
