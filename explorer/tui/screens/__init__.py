"""explorer's screens and overlays, one per module."""
