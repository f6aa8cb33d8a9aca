"""Reading ahead in a worker process: the file is read, parsed and text-analysed on one core while the
importer writes on the other (a small server has two), so a large import takes the longer of the two
instead of their sum.

The worker is forked, so it shares the parsed mapping, the format module and the predicate without pickling
them; it never touches the database. It sends the items in chunks through a bounded queue (memory stays
bounded when the writer is the slower side), an exception it meets as itself (the reader then raises it
where the loop stands), and exits when its parent is gone (a killed import leaves no orphan behind).
"""

import multiprocessing
import os
import pickle
import queue as queues
from collections.abc import Iterable, Iterator

CHUNK = 500  # items per message: larger amortises the pipe, smaller starts the writer sooner
DEPTH = 16  # messages in flight at most


def ahead(items: Iterable, *, chunk: int = CHUNK) -> Iterator:
    """What `items` yields, in order, computed in a worker process while the caller consumes."""
    context = multiprocessing.get_context("fork")
    channel = context.Queue(DEPTH)
    worker = context.Process(target=_produce, args=(items, channel, os.getpid(), chunk), daemon=True)
    worker.start()
    try:
        while True:
            kind, payload = channel.get()
            if kind == "items":
                yield from payload
            elif kind == "error":
                raise payload
            else:
                return
    finally:  # also when the caller stops early or fails: the worker has nothing more to do
        worker.kill()
        worker.join()
        channel.close()


def _produce(items, channel, parent: int, chunk: int) -> None:
    batch = []
    try:
        for item in items:
            batch.append(item)
            if len(batch) >= chunk:
                _put(channel, ("items", batch), parent)
                batch = []
        _put(channel, ("items", batch), parent)
        _put(channel, ("end", None), parent)
    except Exception as exc:  # handed to the reader, which raises it as if it had read the file itself
        _put(channel, ("error", _sendable(exc)), parent)


def _put(channel, message, parent: int) -> None:
    while True:
        try:
            channel.put(message, timeout=1)
            return
        except queues.Full:
            if os.getppid() != parent:  # the importer was killed: nobody will read this
                os._exit(1)


def _sendable(exc: Exception) -> Exception:
    """The exception itself when it survives pickling (as the formats' own errors do), else its text."""
    try:
        pickle.loads(pickle.dumps(exc))
        return exc
    except Exception:
        return RuntimeError(f"{type(exc).__name__}: {exc}")
