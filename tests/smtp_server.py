"""A real SMTP server for the tests (aiosmtpd on 127.0.0.1), which can also refuse every message.

server = SmtpServer().start()
... send to 127.0.0.1:server.port ...
server.wait_for(2)            # the parsed messages, once two have arrived
server.refuse = "554 5.7.1 Message refused"
"""

from __future__ import annotations

import email
import socket
import time
from email.message import Message
from typing import Any

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class _Handler:
    def __init__(self, server: SmtpServer) -> None:
        self.server = server

    async def handle_DATA(self, smtp: Any, session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd's name
        if self.server.refuse:
            self.server.refused += 1
            return self.server.refuse
        message = email.message_from_bytes(envelope.content)
        self.server.messages.append((list(envelope.rcpt_tos), message))
        return "250 OK"


class SmtpServer:
    """Collects (recipients, message) pairs; `refuse` set to a reply makes it refuse every message."""

    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.messages: list[tuple[list[str], Message]] = []
        self.refuse: str | None = None
        self.refused = 0
        self.controller = Controller(_Handler(self), hostname="127.0.0.1", port=self.port)

    def start(self) -> SmtpServer:
        self.controller.start()
        return self

    def stop(self) -> None:
        self.controller.stop()

    def wait_for(self, count: int, timeout: float = 30.0) -> list[tuple[list[str], Message]]:
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(self.messages) >= count, f"{len(self.messages)} of {count} messages arrived"
        return list(self.messages)

    def to(self, address: str) -> Message:
        found = [message for recipients, message in self.messages if address in recipients]
        assert found, f"no message to {address}"
        return found[0]


def body_of(message: Message) -> str:
    payload = message.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode(message.get_content_charset() or "utf-8")
