"""Sessions waiting on a lock while a scenario runs, sampled from pg_stat_activity."""

import threading
from urllib.parse import urlsplit

import psycopg

SAMPLE_EVERY = 0.02  # seconds


class LockWaits:
    """Counts, every 20 ms, the bench database's sessions waiting on a lock (a row, a
    table, a transaction): confirmations that update one shared row queue there."""

    def __init__(self, database_url):
        self.database_url = database_url
        self.database = urlsplit(database_url).path.lstrip("/")
        self.samples = []
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self.sample, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc_info):
        self.stopped.set()
        self.thread.join()

    def sample(self):
        with psycopg.connect(self.database_url, autocommit=True) as connection:
            while not self.stopped.wait(SAMPLE_EVERY):
                (waiting,) = connection.execute(
                    "SELECT count(*) FROM pg_stat_activity "
                    "WHERE datname = %s AND wait_event_type = 'Lock'",
                    [self.database],
                ).fetchone()
                self.samples.append(waiting)

    def summary(self):
        waited = [count for count in self.samples if count]
        return {
            "max_sessions_waiting": max(self.samples, default=0),
            "share_of_samples_with_a_wait": len(waited) / len(self.samples) if self.samples else 0,
            "samples": len(self.samples),
        }
