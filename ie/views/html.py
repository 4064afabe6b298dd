"""HTML building blocks of the views: escaping, stable colours, safe names, highlighted text and
the self-contained page shell.

Every page a view writes is one file with its CSS and JS inline (``ie/views/assets/``, package
data): no network, no external script or font, and a Content-Security-Policy that forbids
them. Text goes through ``escape``; data for a page's script through ``script_json``.

>>> escape('<b title="x">1\\r\\n</b>')
'&lt;b title=&quot;x&quot;&gt;1&#13;\\n&lt;/b&gt;'
>>> highlight("破获案件9700起", [Mark(4, 9, {"data-x": "1"})])
'破获案件<mark data-x="1">9700起</mark>'
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

_CR = re.compile("\r")

CSP = ("default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:; "
       "base-uri 'none'; form-action 'none'")
"""The pages' Content-Security-Policy: inline style and script only, nothing fetched."""


def escape(text: Any) -> str:
    """``text`` as HTML text or attribute value. A carriage return becomes ``&#13;``: the HTML
    parser turns a literal CR (and CR LF) into LF, a character reference survives, so the DOM holds
    exactly the ORIGINAL text and evidence offsets stay true. (A NUL character cannot survive HTML
    parsing at all; bulletins hold none.)"""
    return _CR.sub("&#13;", html.escape(str(text), quote=True))


def attributes(values: Mapping[str, Any]) -> str:
    """`` name="value"`` pairs, escaped, in the given order; ``None`` values left out, ``True`` bare."""
    parts = []
    for name, value in values.items():
        if value is None or value is False:
            continue
        parts.append(f" {name}" if value is True else f' {name}="{escape(value)}"')
    return "".join(parts)


def metric_colour(metric: str | None) -> str:
    """A stable light colour for a metric string: its hue comes from a hash of the string, so the
    same metric has the same colour on every page and every run; an empty metric is grey.

    >>> metric_colour("破获刑事案件") == metric_colour("破获刑事案件"), metric_colour("")
    (True, 'hsl(0, 0%, 82%)')
    """
    if not metric:
        return "hsl(0, 0%, 82%)"
    digest = hashlib.sha1(metric.encode("utf-8")).digest()
    hue = int.from_bytes(digest[:2], "big") * 360 // 65536
    lightness = 78 + digest[2] % 8
    return f"hsl({hue}, 85%, {lightness}%)"


_UNSAFE = re.compile(r"[^0-9A-Za-z_-]+")


def safe_name(name: str) -> str:
    """A file name and HTML id for any string (a document id with spaces, slashes, Chinese or
    ``#``): its ASCII letters, digits, ``-`` and ``_`` (at most 40) and a hash of the whole string,
    so that two names never meet, not even on a case-insensitive file system.

    >>> safe_name("2023 年/通报#1")
    '2023_1-90c73e17f1'
    """
    slug = _UNSAFE.sub("_", name).strip("_")[:40]
    digest = hashlib.sha1(name.encode("utf-8")).hexdigest()[:10]
    return f"{slug}-{digest}" if slug else digest


def script_json(data: Any) -> str:
    """``data`` as JSON to put inside ``<script type="application/json">``: ``<``, ``>`` and ``&``
    escaped, so no string can close the element or open a comment."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


@dataclass(frozen=True)
class Mark:
    """A half-open range ``[start, end)`` of a text to wrap in ``<mark>``, with its attributes."""

    start: int
    end: int
    attributes: Mapping[str, Any] = field(default_factory=dict)


def highlight(text: str, marks: Sequence[Mark]) -> str:
    """``text`` as escaped HTML with each mark's range wrapped in ``<mark>``.

    A range inside another nests in it (the longer one outside; identical ranges nest too, so a
    caller that wants one element per range groups them first). A range that crosses the end of
    another cannot nest: it is cut there and continued, each piece carrying ``data-part`` (1, 2,
    ...), so that its pieces' text, joined in order, is its text. Raises ``ValueError`` for a range
    that is empty or outside the text.

    >>> highlight("abcdef", [Mark(0, 4, {"id": "a"}), Mark(2, 6, {"id": "b"})])
    '<mark id="a">ab<mark id="b" data-part="1">cd</mark></mark><mark id="b" data-part="2">ef</mark>'
    """
    for mark in marks:
        if not 0 <= mark.start < mark.end <= len(text):
            raise ValueError(f"mark [{mark.start},{mark.end}) does not fit a text of {len(text)} characters")
    starting: dict[int, list[int]] = defaultdict(list)
    for index, mark in enumerate(marks):
        starting[mark.start].append(index)
    boundaries = sorted({0, len(text)} | {m.start for m in marks} | {m.end for m in marks})
    pieces: list[str | tuple[int, int]] = []  # text, "</mark>", or (mark index, part number) to open
    parts: dict[int, int] = defaultdict(int)
    stack: list[int] = []
    position = 0
    for boundary in boundaries:
        pieces.append(escape(text[position:boundary]))
        position = boundary
        reopen = []
        while any(marks[i].end == boundary for i in stack):
            index = stack.pop()
            pieces.append("</mark>")
            if marks[index].end != boundary:
                reopen.append(index)
        for index in sorted(reopen + starting[boundary], key=lambda i: (-marks[i].end, i)):
            parts[index] += 1
            pieces.append((index, parts[index]))
            stack.append(index)
    assert not stack, stack
    out = []
    for piece in pieces:
        if isinstance(piece, tuple):
            index, part = piece
            values = dict(marks[index].attributes)
            if parts[index] > 1:
                values["data-part"] = part
            out.append(f"<mark{attributes(values)}>")
        else:
            out.append(piece)
    return "".join(out)


def asset(name: str) -> str:
    """The text of ``ie/views/assets/NAME`` (package data)."""
    return resources.files("ie.views").joinpath("assets", name).read_text(encoding="utf-8")


def page(title: str, body: str, *, css: Sequence[str] = (), js: Sequence[str] = (),
         data: Any = None, data_id: str = "page-data") -> str:
    """A complete HTML page: ``body`` (HTML) with the named assets inlined (``base.css`` and
    ``sortable.js`` always, then ``css`` and ``js``), and ``data``, if given, as JSON in
    ``<script type="application/json" id=DATA_ID>`` for the scripts to read."""
    style = "\n".join(asset(name) for name in ("base.css", *css))
    scripts = "\n".join(f"<script>\n{asset(name)}\n</script>" for name in ("sortable.js", *js))
    payload = "" if data is None else f'<script type="application/json" id="{escape(data_id)}">{script_json(data)}</script>\n'
    return (f'<!DOCTYPE html>\n<html lang="zh">\n<head>\n<meta charset="utf-8">\n'
            f'<meta http-equiv="Content-Security-Policy" content="{escape(CSP)}">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{escape(title)}</title>\n<style>\n{style}\n</style>\n</head>\n<body>\n{body}\n"
            f"{payload}{scripts}\n</body>\n</html>\n")
