"""Which process on which host holds a job, and whether that process still exists.

A process is named ``host:pid``. Only processes of this host can be checked; for another
machine's process the job's lease is the only evidence.
"""

from __future__ import annotations

import os
import socket


def process_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def this_host_prefix() -> str:
    return f"{socket.gethostname()}:"


def process_gone(name: str) -> bool:
    """True if ``name`` (host:pid) is a process of this host that no longer exists."""
    host, _, pid = name.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False  # another machine's process, or not a name we wrote
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # exists, owned by someone else
        return False
    return False
