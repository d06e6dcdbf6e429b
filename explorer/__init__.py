"""explorer: read a pile of documents, find who, what, where and when, explore by keyboard."""

__version__ = "0.1.0"
