"""A real SMTP server for Aida's email tests: Debian's aiosmtpd with this handler (Infrastructure/SmtpSink.cs).

Every accepted message is written to the directory given on the command line as <n>.eml (complete files
only: written under a temporary name, then renamed). Recipients steer the server, so one server serves
every case of a test class:
  refuse...@  RCPT TO answered 550 (the address does not exist: a bounce)
  defer...@   RCPT TO answered 451 (try again later)
  drop...@    the message is stored, then the connection is cut before the reply (accepted, but the sender
              cannot know it)
"""
import itertools
import os
import time


class Sink:
    def __init__(self, directory):
        self.directory = directory
        self.counter = itertools.count(1)

    @classmethod
    def from_cli(cls, parser, *args):
        if len(args) != 1:
            parser.error("Sink takes one argument: the directory to store messages in")
        return cls(args[0])

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        local = address.split("@")[0].lower()
        if local.startswith("refuse"):
            return "550 5.1.1 <%s>: Recipient address rejected: User unknown" % address
        if local.startswith("defer"):
            return "451 4.3.0 Mailbox temporarily unavailable, try again later"
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server, session, envelope):
        name = "%d-%06d" % (time.time_ns(), next(self.counter))
        temporary = os.path.join(self.directory, name + ".tmp")
        with open(temporary, "wb") as file:
            file.write(envelope.original_content)
        os.rename(temporary, os.path.join(self.directory, name + ".eml"))
        if any(r.split("@")[0].lower().startswith("drop") for r in envelope.rcpt_tos):
            server.transport.abort()
        return "250 2.0.0 Message accepted for delivery"
