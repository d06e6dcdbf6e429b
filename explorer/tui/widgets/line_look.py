"""What the painted lines of a Line API widget depend on in its styles, to keep them across a restyle.

Textual restyles a widget whenever its focus changes (``:focus`` rules, a class on an
ancestor); most restyles change only the border. A widget that dropped its painted lines
on every ``notify_style_update`` would paint its whole screenful again on each focus move
(and leave the collector a cache's worth of linked entries to free). Instead it compares
this look with the one its lines were painted in, and drops them only when it differs.
"""

from __future__ import annotations

from rich.style import Style
from textual.widget import Widget


def line_look(widget: Widget, skip: frozenset[str] = frozenset()) -> tuple[Style, ...]:
    """The widget's own rich style and its component classes' (but ``skip``), in a fixed order."""
    names = sorted(widget.COMPONENT_CLASSES - skip)
    return (widget.rich_style, *(widget.get_component_rich_style(name) for name in names))
