"""The review page: each bulletin's ORIGINAL text with every record's evidence highlighted.

    bulletin-ie review INPUT RECORDS OUT.html

INPUT is what ``bulletin-ie extract`` read (a ``.txt`` file, a folder of them, or a JSONL file of
``{"id", "text"}``; read by ``ie.reading``, so document ids are the records' ``doc_id``), RECORDS
the JSONL file of records it wrote. The page is one self-contained HTML file (``ie.views.html``):

- each document's ORIGINAL text, every record's evidence a ``<mark class="ev">`` coloured by metric
  (``metric_colour``) with ``data-doc``, ``data-records`` (the records' line numbers in RECORDS,
  which are their ids on the page), ``data-start``, ``data-end`` and ``data-metric``/``data-metrics``.
  Records with the same evidence range (``均下降10%`` gives one record per metric) share one mark
  that lists them all; a range inside another nests in it; a range crossing another's end is cut
  there and continued (``data-part`` 1, 2, ...; ``ie.views.html.highlight``);
- hovering or clicking a mark shows its records, every key of their rows (``confidence``,
  ``metric_id`` or any other included), in the detail panel;
- beside the text, a table of the document's records: a click on a header sorts it; a metric text
  filter, a flag filter and a minimum-confidence slider (shown only when some record has a
  ``confidence``; records without one always pass) hide rows and dim marks left with no shown record;
- navigation: a list of the documents with their record counts, previous and next links.

Size: up to ``SPLIT_ABOVE`` (100) documents, OUT.html holds them all and shows one at a time (the
URL's ``#d-NAME`` picks it). Above that, OUT.html is an index (documents, record counts, problems)
and each document gets its own page ``OUT_files/NAME.html`` with previous, next and index links,
so that no file grows with the input (``NAME`` is ``ie.views.html.safe_name`` of the id).

Problems never stop the page: a line of RECORDS that cannot be placed in a document (not JSON, no
``doc_id`` or ``evidence``: read by ``ie.views.records_file``; a row that is not a full record but
can be placed is shown), a record whose ``doc_id`` is not in INPUT, or whose ``evidence.text`` is
not ``text[start:end]``, becomes a ``Problem`` naming RECORDS and the line (the command prints it on
stderr) and a notice on the page; such a record is listed, never highlighted. Refused arguments (OUT
equal to an input, a folder, or not ``.html``) raise ``ReviewError``.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import quote

from ie.atomic import write_text_atomic
from ie.reading import InputDocument, InputFailure, input_files, read_inputs
from ie.views.html import Mark, attributes, escape, highlight, metric_colour, page, safe_name
from ie.views.records_file import Problem, RecordRow, ViewError, check_view_output, read_records_file

SPLIT_ABOVE = 100
"""Above this many documents, one page per document and OUT.html as their index."""

TABLE_FIELDS = ("metric", "value", "unit", "direction", "period", "org")
"""The record fields the table shows as columns, after the line; every field is in the detail panel."""


class ReviewError(ViewError):
    """An argument the review refuses before writing anything."""


@dataclass
class DocumentView:
    """A document, its records in text order, and why some of them cannot be highlighted."""

    document: InputDocument
    records: list[RecordRow] = field(default_factory=list)
    mismatched: dict[int, str] = field(default_factory=dict)  # line -> reason

    @property
    def name(self) -> str:
        return safe_name(self.document.doc_id)

    @property
    def highlighted(self) -> list[RecordRow]:
        return [row for row in self.records if row.line not in self.mismatched]


@dataclass(frozen=True)
class ReviewSummary:
    output: Path
    documents: int
    records: int
    highlighted: int
    pages: int
    problems: tuple[Problem, ...]

    def __str__(self) -> str:
        where = f" (an index and {self.pages - 1} document pages in {pages_folder(self.output)})" if self.pages > 1 else ""
        return (f"wrote {self.output}{where}: {self.documents} documents, {self.records} records, "
                f"{self.highlighted} highlighted, {len(self.problems)} problems")


def read_review_rows(path: str | Path) -> tuple[list[RecordRow], list[Problem]]:
    """The rows of a records JSONL file that the page can place (``RecordRow.unplaced``), records or
    not, and a ``Problem`` naming the file and line for each other line (skipped): the lenient policy
    over ``ie.views.records_file.read_records_file``."""
    try:
        rows, problems = read_records_file(path)
    except ViewError as error:
        raise ReviewError(f"RECORDS {error}") from None
    read = {row.line for row in rows}
    skipped = [replace(problem, message=f"{problem.message}; line skipped")
               for problem in problems if problem.line not in read]
    placed = []
    for row in rows:
        reason = row.unplaced
        if reason:
            skipped.append(Problem(row.source, f"{reason}; line skipped", row.line))
        else:
            placed.append(row)
    return placed, sorted(skipped, key=lambda problem: problem.line)


def evidence_problem(text: str, row: RecordRow) -> str | None:
    """Why ``row``'s evidence cannot be highlighted in ``text`` (None when ``text[start:end]`` is its text)."""
    start, end, evidence = row.start, row.end, row.evidence
    if not 0 <= start < end <= len(text):
        return (f"evidence [{start},{end}) {evidence!r} lies outside document {row.doc_id!r} "
                f"({len(text)} characters); not highlighted")
    if text[start:end] == evidence:
        return None
    found = text.find(evidence) if evidence else -1
    elsewhere = f"; the text holds it at [{found},{found + len(evidence)})" if found >= 0 else ""
    return (f"evidence [{start},{end}) {evidence!r} does not match document {row.doc_id!r}, which holds "
            f"{text[start:end]!r} there{elsewhere}; not highlighted")


def collect(items: list[InputDocument | InputFailure | Any], rows: list[RecordRow],
            ) -> tuple[list[DocumentView], list[Problem]]:
    """The documents of INPUT with their records, and the problems: input failures, document
    warnings, records of unknown documents, records whose evidence does not match."""
    views: dict[str, DocumentView] = {}
    problems: list[Problem] = []
    for item in items:
        if isinstance(item, InputDocument):
            views[item.doc_id] = DocumentView(item)
            problems.extend(Problem(item.source, warning, doc_id=item.doc_id) for warning in item.warnings)
        elif isinstance(item, InputFailure):
            problems.append(Problem(item.source, item.message))
    for row in rows:
        view = views.get(row.doc_id)
        if view is None:
            problems.append(Problem(row.source, f"doc_id {row.doc_id!r} is not a document of INPUT; record "
                                                f"{row.metric!r} {row.evidence!r} not shown", row.line))
            continue
        view.records.append(row)
        reason = evidence_problem(view.document.text, row)
        if reason:
            view.mismatched[row.line] = reason
            problems.append(Problem(row.source, reason, row.line, row.doc_id))
    for view in views.values():
        view.records.sort(key=lambda row: (row.start, -row.end, row.line))
    return list(views.values()), problems


def _number(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value)


def marks_of(view: DocumentView) -> list[Mark]:
    """One mark per evidence range of the document, listing every record that has it."""
    groups: dict[tuple[int, int], list[RecordRow]] = defaultdict(list)
    for row in view.highlighted:
        groups[(row.start, row.end)].append(row)
    marks = []
    for (start, end), rows in groups.items():
        metrics = list(dict.fromkeys(row.metric for row in rows))
        colours = [metric_colour(metric) for metric in metrics]
        title = "\n".join(f"line {row.line}: {row.metric or '(no metric)'} = {_number(row.data.get('value'))}"
                          f"{row.data.get('unit') or ''}" + (f" [{', '.join(row.flags)}]" if row.flags else "")
                          for row in rows)
        marks.append(Mark(start, end, {
            "class": "ev multi" if len(metrics) > 1 else "ev", "data-doc": view.document.doc_id,
            "data-records": " ".join(str(row.line) for row in rows), "data-start": start, "data-end": end,
            "data-metric": metrics[0], "data-metrics": json.dumps(metrics, ensure_ascii=False),
            "style": f"--c: {colours[0]}; --c2: {colours[-1]}", "title": title}))
    return marks


def records_table(view: DocumentView, *, confidence: bool) -> str:
    """The document's records as a sortable table; each row carries its line, metric, flags and confidence."""
    heads = [("line", "number"), *((name, "number" if name == "value" else "text") for name in TABLE_FIELDS),
             ("evidence", "number"), ("flags", "text")] + ([("confidence", "number")] if confidence else [])
    head = "".join(f'<th data-sort="{kind}" tabindex="0">{name}</th>' for name, kind in heads)
    body = []
    for row in view.records:
        cells = [f'<td data-v="{row.line}">{row.line}</td>']
        for name in TABLE_FIELDS:
            value = row.data.get(name)
            shown = _number(value) if name == "value" else ("" if value is None else str(value))
            title = shown if name in ("metric", "org") and len(shown) > 10 else None  # cut by the page's CSS
            cells.append(f"<td{attributes({'data-v': shown, 'title': title})}>{escape(shown)}</td>")
        cells.append(f'<td data-v="{row.start}">{escape(row.evidence)}</td>')
        cells.append(f"<td>{escape(' '.join(row.flags))}</td>")
        if confidence:
            cells.append(f"<td>{'' if row.confidence is None else f'{row.confidence:.3f}'}</td>")
        reason = view.mismatched.get(row.line)
        tr = {"data-record": row.line, "data-doc": row.doc_id, "data-metric": row.metric,
              "data-flags": " ".join(row.flags), "data-confidence": row.confidence,
              "class": "bad" if reason else None, "title": reason}
        body.append(f"<tr{attributes(tr)}>{''.join(cells)}</tr>")
    return (f'<table class="records sortable"><thead><tr>{head}</tr></thead>\n<tbody>\n'
            + "\n".join(body) + "\n</tbody></table>")


def notices(problems: list[Problem], *, title: str) -> str:
    """A visible, collapsible list of problems (nothing when there are none)."""
    if not problems:
        return ""
    items = "\n".join(f"<li>{escape(problem)}</li>" for problem in problems)
    return (f'<details class="notices" open><summary>{escape(title)}: {len(problems)}</summary>\n'
            f"<ol>\n{items}\n</ol></details>")


def document_section(view: DocumentView, *, previous: tuple[str, str] | None, following: tuple[str, str] | None,
                     confidence: bool, hidden: bool = False) -> str:
    """A document: its header with previous/next links (``(href, doc id)``), notices, the highlighted
    text and the table of its records."""
    document = view.document
    steps = ""
    if previous:
        steps += f'<a class="prev" rel="prev" href="{escape(previous[0])}">← {escape(previous[1])}</a>'
    if following:
        steps += f'<a class="next" rel="next" href="{escape(following[0])}">{escape(following[1])} →</a>'
    own = [Problem(row.source, view.mismatched[row.line], row.line, row.doc_id) for row in view.records
           if row.line in view.mismatched]
    own += [Problem(document.source, warning, doc_id=document.doc_id) for warning in document.warnings]
    meta = (f"{escape(document.source)} · {len(document.text)} characters · {len(view.records)} records"
            + (f" · {len(view.mismatched)} not highlighted" if view.mismatched else ""))
    return (f'<section class="doc"{attributes({"id": "d-" + view.name, "data-doc": document.doc_id, "hidden": hidden})}>\n'
            f'<header class="doc-head"><h2>{escape(document.doc_id)}</h2><p class="meta">{meta}</p>'
            f'<nav class="step">{steps}</nav></header>\n{notices(own, title="records not highlighted")}\n'
            f'<div class="columns"><div class="text" data-doc="{escape(document.doc_id)}">'
            f"{highlight(document.text, marks_of(view))}</div>\n"
            f'<div class="side"><p class="shown">records shown: <span class="count">{len(view.records)}</span> of '
            f"{len(view.records)}</p>\n{records_table(view, confidence=confidence)}</div></div>\n</section>")


def filter_bar(views: list[DocumentView]) -> str:
    """The filters of a review page: metric text, flag, minimum confidence (hidden and disabled when
    no record of the page has a confidence)."""
    flags = sorted({flag for view in views for row in view.records for flag in row.flags})
    confidence = any(row.confidence is not None for view in views for row in view.records)
    options = "".join(f'<option value="{escape(flag)}">{escape(flag)}</option>' for flag in flags)
    return ('<div class="filters"><label>metric <input id="f-metric" type="search" placeholder="contains…"></label>\n'
            '<label>flag <select id="f-flag"><option value="">any</option><option value="-">no flag</option>'
            f'<option value="+">some flag</option>{options}</select></label>\n'
            f'<label class="confidence"{attributes({"hidden": not confidence})}>confidence ≥ '
            f'<input id="f-confidence" type="range" min="0" max="1" step="0.01" value="0"'
            f'{attributes({"disabled": not confidence})}> <output id="f-confidence-value">0.00</output></label></div>')


DETAIL = ('<aside id="detail" class="detail"><p class="hint">Hover over or click a highlight, or click a row '
          'of the table, to see its record.</p></aside>')


def review_page(views: list[DocumentView], problems: list[Problem], *, title: str, nav: str = "",
                links: list[tuple[tuple[str, str] | None, tuple[str, str] | None]] | None = None) -> str:
    """A page of documents, one shown at a time: filters, detail panel and ``nav`` on the left,
    the documents' sections on the right; the records' rows and their problems as page data."""
    confidence = any(row.confidence is not None for view in views for row in view.records)
    links = links or [(None, None)] * len(views)
    sections = "\n".join(document_section(view, previous=previous, following=following, confidence=confidence,
                                          hidden=index > 0)
                         for index, (view, (previous, following)) in enumerate(zip(views, links)))
    data = {"records": {str(row.line): row.data for view in views for row in view.records},
            "problems": {str(line): reason for view in views for line, reason in view.mismatched.items()}}
    body = (f'<header class="page-head"><h1>{escape(title)}</h1>\n{notices(problems, title="problems")}</header>\n'
            f'<div class="layout"><div class="left">{filter_bar(views)}\n{DETAIL}\n{nav}</div>\n'
            f'<main>\n{sections}\n</main></div>')
    return page(title, body, css=["review.css"], js=["review.js"], data=data)


def document_list(views: list[DocumentView], href) -> str:
    """The documents as links (``href(view)``) with their record counts."""
    items = "\n".join(f'<li><a href="{escape(href(view))}" data-doc="{escape(view.document.doc_id)}">'
                      f'{escape(view.document.doc_id)}</a> <span class="count">{len(view.records)}</span></li>'
                      for view in views)
    return f'<nav class="docs"><h2>documents ({len(views)})</h2><ol>\n{items}\n</ol></nav>'


def index_page(views: list[DocumentView], problems: list[Problem], *, title: str, folder: str) -> str:
    """The index of a review split into one page per document: a sortable table of the documents."""
    rows = "\n".join(
        f'<tr data-doc="{escape(view.document.doc_id)}"><td><a href="{escape(folder)}/{view.name}.html">'
        f"{escape(view.document.doc_id)}</a></td><td>{len(view.records)}</td><td>{len(view.highlighted)}</td>"
        f"<td>{len(view.document.text)}</td><td>{escape(view.document.source)}</td></tr>" for view in views)
    heads = "".join(f'<th data-sort="{kind}" tabindex="0">{name}</th>' for name, kind in (
        ("document", "text"), ("records", "number"), ("highlighted", "number"), ("characters", "number"),
        ("source", "text")))
    body = (f'<header class="page-head"><h1>{escape(title)}</h1>\n{notices(problems, title="problems")}</header>\n'
            f'<main class="index"><table class="documents sortable"><thead><tr>{heads}</tr></thead>\n'
            f"<tbody>\n{rows}\n</tbody></table></main>")
    return page(title, body)


def pages_folder(output: Path) -> Path:
    """Where a split review puts its document pages: ``OUT_files/`` beside ``OUT.html``."""
    return output.with_name(output.stem + "_files")


def check_arguments(input_path: str | Path, records: str | Path, output: str | Path) -> Path:
    """OUT as a path, or ``ReviewError`` when the arguments would lose data or cannot work."""
    output, records = Path(output), Path(records)
    if output.suffix.lower() not in (".html", ".htm"):
        raise ReviewError(f"OUT {output} must be an .html file")
    try:
        check_view_output(output, records)
    except ViewError as error:
        raise ReviewError(f"OUT {error}") from None
    if not records.is_file():
        raise ReviewError(f"RECORDS {records} is not a file")
    if not Path(input_path).exists():
        raise ReviewError(f"INPUT {input_path}: no such file or directory")
    if Path(input_path).resolve() == output.resolve():
        raise ReviewError(f"OUT {output} is also INPUT: it would be overwritten")
    folder = pages_folder(output).resolve()
    for name, path in (("INPUT", Path(input_path)), ("RECORDS", records)):
        resolved = path.resolve()
        if resolved == folder or folder in resolved.parents:
            raise ReviewError(f"{name} {path} lies in {pages_folder(output)}, where the review writes its pages")
    return output


def write_review(input_path: str | Path, records: str | Path, output: str | Path, *, recursive: bool = False,
                 split_above: int = SPLIT_ABOVE) -> ReviewSummary:
    """Write the review of RECORDS over INPUT to OUT (and, above ``split_above`` documents, one
    page per document in ``OUT_files/``); each file is written whole or not at all."""
    output = check_arguments(input_path, records, output)
    rows, problems = read_review_rows(records)
    found = input_files(input_path, recursive=recursive)
    if isinstance(found, InputFailure):
        raise ReviewError(f"INPUT {found}")
    views, more = collect(list(read_inputs(found)), rows)
    problems += more
    problems.sort(key=lambda problem: (problem.source, problem.line or 0))
    title = f"review of {Path(records).name}"
    counts = dict(documents=len(views), records=sum(len(v.records) for v in views),
                  highlighted=sum(len(v.highlighted) for v in views), problems=tuple(problems))
    if len(views) <= split_above:
        links = [((f"#d-{views[i - 1].name}", views[i - 1].document.doc_id) if i else None,
                  (f"#d-{views[i + 1].name}", views[i + 1].document.doc_id) if i + 1 < len(views) else None)
                 for i in range(len(views))]
        nav = document_list(views, lambda view: f"#d-{view.name}")
        write_text_atomic(output, review_page(views, problems, title=title, nav=nav, links=links))
        return ReviewSummary(output, pages=1, **counts)
    folder = pages_folder(output)
    index = f"../{quote(output.name)}"
    for i, view in enumerate(views):
        previous = (f"{views[i - 1].name}.html", views[i - 1].document.doc_id) if i else None
        following = (f"{views[i + 1].name}.html", views[i + 1].document.doc_id) if i + 1 < len(views) else None
        nav = f'<nav class="docs"><a class="index" href="{escape(index)}">index of {len(views)} documents</a></nav>'
        write_text_atomic(folder / f"{view.name}.html",
                          review_page([view], [], title=f"{view.document.doc_id} · {title}", nav=nav,
                                      links=[(previous, following)]))
    write_text_atomic(output, index_page(views, problems, title=title, folder=quote(folder.name)))
    return ReviewSummary(output, pages=len(views) + 1, **counts)
