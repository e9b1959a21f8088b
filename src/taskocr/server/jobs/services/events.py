"""What happened to a job, for whoever wants to know, without the sender knowing who.

``job_finished`` is sent once the transaction that completed or failed the job has
committed (a receiver must see the final row), with ``job_id`` and ``status``.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.dispatch import Signal

log = logging.getLogger("taskocr.jobs")

job_finished = Signal()


def announce_finished(job_id, status: str) -> None:
    transaction.on_commit(lambda: _send(job_id, status))


def _send(job_id, status: str) -> None:
    # the job is already saved: a failing listener is logged, it does not undo the result
    for receiver, outcome in job_finished.send_robust(sender=None, job_id=job_id, status=status):
        if isinstance(outcome, Exception):
            log.error("job %s: %r failed on job_finished: %s", job_id, receiver, outcome)
