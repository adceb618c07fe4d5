"""Child processes of the harness: collecting a pipe's text, and ending a process."""

from __future__ import annotations

import io
import subprocess
import threading
from dataclasses import dataclass, field

__all__ = ["Stream", "terminate"]

_TEXT_LIMIT = 4 * 1024 * 1024


@dataclass
class Stream:
    """Text collected from one pipe of a child process by a reader thread (first 4 MiB)."""

    chunks: list[str] = field(default_factory=list)
    size: int = 0
    changed: threading.Condition = field(default_factory=threading.Condition)

    def append(self, text: str) -> None:
        with self.changed:
            if self.size < _TEXT_LIMIT:
                self.chunks.append(text)
                self.size += len(text)
            self.changed.notify_all()

    def pump(self, pipe: io.BufferedReader) -> None:
        """Collect ``pipe``'s text until it ends (a reader thread's whole work)."""
        for chunk in iter(lambda: pipe.read1(65536), b""):
            self.append(chunk.decode("utf-8", "replace"))

    def text(self) -> str:
        with self.changed:
            return "".join(self.chunks)

    def wait_for(self, needle: str, timeout: float) -> bool:
        with self.changed:
            return self.changed.wait_for(lambda: needle in "".join(self.chunks), timeout)


def terminate(process: subprocess.Popen[bytes], *, timeout: float) -> None:
    """SIGTERM, then SIGKILL if the process has not ended within ``timeout`` seconds."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=timeout)
