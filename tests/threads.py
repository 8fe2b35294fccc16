"""Writers at once, for the tests that prove a write path safe under concurrency (PostgreSQL):
each share of the work runs in its own thread, on its own database connection, all starting
together."""

import threading

from django.db import close_old_connections, connection


def at_once(work, shares, *, timeout=120) -> None:
    """Run `work(share)` for every share in threads started together; re-raise the first error
    a thread met, after all have ended."""
    start = threading.Barrier(len(shares))
    errors = []

    def run(share):
        try:
            start.wait(timeout=30)
            work(share)
        except Exception as error:  # re-raised by the calling thread
            errors.append(error)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=run, args=(share,)) for share in shares]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    if errors:
        raise errors[0]
