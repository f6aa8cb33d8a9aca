"""Reading ahead in a worker process: the file is read, parsed, checked and text-analysed on one core while
the importer writes on the other (a small server has two), so a large import takes the longer of the two
instead of their sum.

The worker is forked, so it shares the parsed mapping, the format module and the lookups without pickling
them; it never touches the database. It sends the items in chunks through a pipe it writes itself, with no
feeder thread: a queue's feeder fought the reading thread for the worker's lock and handed the importer each
chunk in pieces, and the importer waited on it for about a third of a large import. The pipe is widened to
hold a whole chunk and bounds the memory when the writer is the slower side. An exception the worker meets is
sent as itself (the reader raises it where the loop stands); the worker exits when nobody reads any more (a
killed import leaves no orphan behind).
"""

import fcntl
import multiprocessing
import os
import pickle
from collections.abc import Iterable, Iterator

CHUNK = 500  # items per message: larger amortises the pipe, smaller starts the writer sooner
PIPE_BYTES = 2**20  # Linux's default limit for an unprivileged pipe (/proc/sys/fs/pipe-max-size)


class ReaderDied(RuntimeError):
    """The worker ended without finishing or reporting an error (killed, out of memory)."""


def ahead(items: Iterable, *, chunk: int = CHUNK) -> Iterator:
    """What `items` yields, in order, computed in a worker process while the caller consumes."""
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    _widen(sender)
    worker = context.Process(target=_produce, args=(items, receiver, sender, chunk), daemon=True)
    worker.start()
    sender.close()  # the worker holds the only writing end: if it dies, reading ends
    try:
        while True:
            try:
                kind, payload = receiver.recv()
            except EOFError:
                raise ReaderDied("the process reading the file ahead ended without finishing") from None
            if kind == "items":
                yield from payload
            elif kind == "error":
                raise payload
            else:
                return
    finally:  # also when the caller stops early or fails: the worker has nothing more to do
        worker.kill()
        worker.join()
        receiver.close()


def _produce(items, receiver, sender, chunk: int) -> None:
    receiver.close()  # the importer holds the only reading end: once it is gone, a write fails
    batch = []
    try:
        for item in items:
            batch.append(item)
            if len(batch) >= chunk:
                _send(sender, ("items", batch))
                batch = []
        _send(sender, ("items", batch))
        _send(sender, ("end", None))
    except Exception as exc:  # handed to the reader, which raises it as if it had read the file itself
        _send(sender, ("error", _sendable(exc)))


def _send(sender, message) -> None:
    try:
        sender.send(message)
    except OSError:  # the importer was killed or stopped reading: nobody will read this
        os._exit(1)


def _widen(connection) -> None:
    """The pipe made large enough for a chunk, where the system allows it (it works without)."""
    try:
        fcntl.fcntl(connection.fileno(), fcntl.F_SETPIPE_SZ, PIPE_BYTES)
    except (AttributeError, OSError):
        pass


def _sendable(exc: Exception) -> Exception:
    """The exception itself when it survives pickling (as the formats' own errors do), else its text."""
    try:
        pickle.loads(pickle.dumps(exc))
        return exc
    except Exception:
        return RuntimeError(f"{type(exc).__name__}: {exc}")
