"""Tests only: a point where a task pauses once, so a test can kill the process running it."""

import os
import time


def pause_once(path: str, *, seconds: float = 60) -> None:
    """With `path` set, the first call (across processes) writes its pid there and sleeps; later
    calls go straight on. Empty `path` (always, outside tests): nothing happens."""
    if not path:
        return
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
    except FileExistsError:
        return  # paused once already
    os.write(fd, str(os.getpid()).encode())
    os.close(fd)
    time.sleep(seconds)
