"""Versions a store is stamped with, in a module that imports nothing.

``EXTRACTOR_VERSION`` changes whenever extraction gives different answers for
the same file (bump it in the change that does so): a store written by another
version is rebuilt. It lives here, not in ``explorer.extract``, so that checking
a store's version (``explorer search`` does, on every call) does not import the
extractor with its gazetteers and tagger.
"""

EXTRACTOR_VERSION = "6"
