"""kombu's SQLAlchemy transport, tuned for a SQLite file shared by several processes.

The stock transport polls once a second and hands every transport option to
``create_engine``, so neither the poll interval nor SQLite's lock wait can be set from
Celery's configuration. This subclass sets both, and puts the file in WAL mode so the web
process can publish while the worker is reading.
"""

from __future__ import annotations

from kombu.transport import TRANSPORT_ALIASES
from kombu.transport import sqlalchemy as sqla
from sqlalchemy import create_engine, event

SQLITE_BUSY_TIMEOUT_S = 30.0


class Channel(sqla.Channel):
    def _engine_from_config(self):
        url = self.connection.client.hostname
        if not url.startswith("sqlite"):
            return super()._engine_from_config()
        engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_S})

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn, _record):
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()

        return engine


class Transport(sqla.Transport):
    Channel = Channel
    polling_interval = 0.2


def install(polling_interval: float) -> None:
    """Make ``sqla+…`` broker URLs use this transport in this process."""
    Transport.polling_interval = polling_interval
    TRANSPORT_ALIASES["sqla"] = f"{__name__}:Transport"
    TRANSPORT_ALIASES["sqlalchemy"] = f"{__name__}:Transport"
