"""What a container reader hands back: messages, each with the files and messages it carries.

A mailbox holds messages; a message holds attachments, and an attachment may be
a message of its own. ``readers.read_documents`` walks this tree: each message
becomes a document, each attachment is read by its name's suffix like a file on
disk (so a PDF attachment is read as a PDF, an attached e-mail as an e-mail), and
every part cites the message it came in.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from explorer.model import SourceDocument


@dataclass(slots=True)
class Attachment:
    """A file carried by a message, read by its name's suffix."""

    name: str
    data: bytes


@dataclass(slots=True)
class Message:
    """One message of a container file, or the reason it could not be read."""

    # How the message is named under its file: "" for the file itself (an .eml, a .msg),
    # "message 3" in a mailbox, "fwd.eml" for an attached message.
    label: str
    document: SourceDocument | None
    reason: str | None = None
    attachments: list[Attachment | Message] = field(default_factory=list)
