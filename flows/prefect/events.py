"""Model promotions as Prefect events, so a deployment can recode when a model improves.

``Registry.promote`` appends each promotion to ``events.jsonl``; this module forwards such an
event to a running Prefect server, where the recode deployment's trigger listens for it. The
plain CLI must not pay for (or depend on) Prefect when no server is configured, so nothing is
imported or sent unless a Prefect API URL is set.
"""

from __future__ import annotations

import logging
import os
import sys
from typing import Any

log = logging.getLogger(__name__)

PROMOTION_EVENT = "telaah.model.promoted"


def codebook_resource(codebook_id: str) -> dict[str, str]:
    """The resource a promotion concerns; triggers match on its id."""
    return {
        "prefect.resource.id": f"telaah.codebook.{codebook_id}",
        "prefect.resource.name": codebook_id,
    }


def _api_configured() -> bool:
    if "prefect" not in sys.modules and not os.environ.get("PREFECT_API_URL"):
        return False  # cheap exit: no server to tell, and no Prefect import for the plain CLI
    from prefect.settings import get_current_settings

    return bool(get_current_settings().api.url)


def emit_promotion_event(event: dict[str, Any], *, flush: bool = False) -> Any:
    """Send a ``Registry.promote`` event to Prefect; the emitted event, or None if not sent.

    Call it with the dict ``promote()`` returns. ``flush=True`` waits until the event has left
    this process (a short-lived CLI exits right after promoting).
    """
    if event.get("event") != PROMOTION_EVENT or not _api_configured():
        return None
    from prefect.events import emit_event
    from prefect.events.worker import EventsWorker

    codebook = str(event["codebook"])
    sent = emit_event(
        event=PROMOTION_EVENT,
        resource={**codebook_resource(codebook), "telaah.model.version": str(event["version"])},
        payload={k: v for k, v in event.items() if k != "event"},
    )
    if flush and sent is not None:
        EventsWorker.drain_all(timeout=10)
    log.info("sent %s for %s/%s to Prefect", PROMOTION_EVENT, codebook, event["version"])
    return sent
