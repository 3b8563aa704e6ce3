"""A real SMTP server for tests (aiosmtpd on 127.0.0.1), with a switch to refuse or hold mail."""

import email
import email.policy
import socket
import threading

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Mailbox:
    """aiosmtpd handler that keeps accepted messages; can answer 451 or hold the next ones."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.refuse_next = 0
        self.refused = 0
        self.lock = threading.Lock()
        self.hold_after: int | None = None  # hold message number N+1 until released
        self.holding = threading.Event()
        self.release = threading.Event()
        self.reject_held = False
        self.delay = 0.0
        self.refuse_recipients: set[str] = set()  # answered "550 no such user", a permanent failure

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse_recipients:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        import asyncio

        if self.delay:
            await asyncio.sleep(self.delay)
        with self.lock:
            if self.refuse_next > 0:
                self.refuse_next -= 1
                self.refused += 1
                return "451 4.3.0 Mailbox busy, try again later"
            hold = self.hold_after is not None and len(self.messages) >= self.hold_after
        if hold:
            self.holding.set()
            while not self.release.is_set():
                await asyncio.sleep(0.05)
            if self.reject_held:
                return "451 4.3.0 Not accepted"
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.messages.append(message)
        return "250 OK"

    def recipients(self) -> list[str]:
        return [str(m["To"]) for m in self.messages]


class SMTPServer:
    """The server on a port of its own; ``down()`` and ``up()`` take it away and bring it back
    on the same port (connections refused meanwhile), keeping what it received."""

    def __init__(self, *, started: bool = True):
        self.mailbox = Mailbox()
        self.port = free_port()
        self.controller = None
        self.started = started

    def up(self):
        self.controller = Controller(self.mailbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def down(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def __enter__(self):
        if self.started:
            self.up()
        return self

    def __exit__(self, *exc):
        self.mailbox.release.set()
        self.down()

    def settings(self) -> dict:
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": self.port,
            "EMAIL_USE_TLS": False,
            "EMAIL_HOST_USER": "",
            "EMAIL_HOST_PASSWORD": "",
            "EMAIL_TIMEOUT": 10,
        }
