"""The evaluation view: ``report.html``, which ``bulletin-ie evaluate`` writes beside ``report.md``.

One self-contained page (``ie.views.html.page``: CSS and JS inline, nothing fetched) over an
``EvaluationResult`` that kept its records (``evaluate_predictions`` fills ``predicted`` and ``gold``;
one read back from metrics.json has none, and ``evaluation_page`` refuses it):

- the summary (``#summary``, shown first): record, value and decoder-ceiling scores, slot accuracy,
  spans per label, the scores per corpus, genre, script and region (``result.groups``), the reliability
  table, the plots the command wrote (inline PNG), and a sortable table of the documents with their
  scores (a click on ``F1`` puts the worst first);
- one section per document (``#d-NAME``, ``NAME`` = ``ie.views.html.safe_name`` of its id): the
  ORIGINAL text with every gold and every predicted record marked over its evidence, and beside it
  the outcomes as a table, gold | predicted, aligned by match (slots that differ marked ``diff``).

An outcome is a scored pair (``match``; ``match wrong`` when period, org, baseline or qualifier
differ), a gold record not found (``miss``), a predicted record that matches none (``fp``), or a gold
record marked optional, found or not (``optional``: neither counted). So a document has TP ``match``,
FN ``miss`` and FP ``fp`` outcomes, each one ``<mark class="ev KIND">`` with ``data-item`` (its id on
the page), ``data-kind``, ``data-gold``/``data-pred`` (indices into ``result.gold``/``result.predicted``),
``data-start``, ``data-end`` and ``data-side``: ``both`` when a pair's records share their evidence,
else one mark per record (``gold``, ``pred``). Marks nest or are cut like the review's
(``ie.views.html.highlight``: pieces carry ``data-part``). A click on a mark or a row shows the
outcome's records side by side, field by field (the marks around a click point are listed after it).
A record whose evidence is not its document's ``text[start:end]`` is listed in the table, not marked,
and named in a notice.
"""

from __future__ import annotations

import base64
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ie.atomic import write_text_atomic
from ie.research.evaluation import EvaluationResult, GoldCorpus
from ie.research.report import fmt
from ie.research.scoring import PRF, SLOTS, RecordEvaluation
from ie.schema import LABELS
from ie.views.html import Mark, attributes, escape, highlight, page, safe_name

KINDS = {"match": "match", "wrong": "wrong slot", "miss": "miss", "fp": "false positive", "optional": "optional"}
"""The outcomes' classes and how the legend names them (``wrong`` is a ``match`` whose slots differ)."""

SHORT = {"match": "match", "wrong": "wrong", "miss": "miss", "fp": "FP", "optional": "opt."}
"""The outcomes as a document's table names them."""

KIND_HELP = {"match": "a gold record found, slots right",
             "wrong": "found, but period, org, baseline or qualifier differ",
             "miss": "a gold record not found", "fp": "predicted, matches no gold record",
             "optional": "a gold record marked optional, found or not: not scored"}
"""What the legend says of each outcome."""


class EvaluationViewError(ValueError):
    """A result the view cannot show."""


@dataclass(frozen=True)
class Outcome:
    """One mark (or two) on the page: a pair, a miss, a false positive or an optional gold record."""

    item: int
    kind: str  # match | miss | fp | optional
    doc_id: str
    gold: int | None  # index into result.gold
    pred: int | None  # index into result.predicted
    wrong: tuple[str, ...] = ()  # the slots that differ on a match
    reason: str | None = None

    @property
    def css(self) -> str:
        return "match wrong" if self.wrong else self.kind


def _start(outcome: Outcome, result: EvaluationResult) -> int:
    records = [result.gold[outcome.gold]] if outcome.gold is not None else []
    records += [result.predicted[outcome.pred]] if outcome.pred is not None else []
    return min(record["evidence"]["start"] for record in records)


def outcomes_of(result: EvaluationResult) -> dict[str, list[Outcome]]:
    """Every outcome of the result per document (in ``result.per_document``'s order), in text order."""
    counts = result.records.records
    if not result.gold and not result.predicted and counts.tp + counts.fp + counts.fn:
        raise EvaluationViewError(f"the result of {result.extractor!r} kept no records (read from metrics.json?): "
                                  "run evaluate_predictions to show it")
    reasons = {id(error.record): error.reason for error in result.errors}  # the same dicts as result.gold/predicted
    found: list[tuple[str, int | None, int | None, tuple[str, ...], str | None]] = []
    for i, j in result.records.pairs:
        gold, predicted = result.gold[j], result.predicted[i]
        if gold.get("optional"):
            found.append(("optional", j, i, (), "an optional gold record, found: not counted"))
        else:
            found.append(("match", j, i, tuple(slot for slot in SLOTS if predicted.get(slot) != gold.get(slot)), None))
    found += [("miss", j, None, (), reasons.get(id(result.gold[j]))) for j in result.records.false_negatives]
    found += [("fp", None, i, (), reasons.get(id(result.predicted[i]))) for i in result.records.false_positives]
    matched = {j for _, j in result.records.pairs}
    found += [("optional", j, None, (), "an optional gold record, not found: no miss")
              for j, gold in enumerate(result.gold) if gold.get("optional") and j not in matched]
    per_document: dict[str, list[Outcome]] = {doc_id: [] for doc_id in result.per_document}
    for kind, j, i, wrong, reason in found:
        doc_id = (result.gold[j] if j is not None else result.predicted[i])["doc_id"]
        per_document.setdefault(doc_id, []).append(Outcome(0, kind, doc_id, j, i, wrong, reason))
    order, item = list(KINDS), 0
    for doc_id, outcomes in per_document.items():
        outcomes.sort(key=lambda o: (_start(o, result), order.index(o.kind), o.gold or 0, o.pred or 0))
        for k, outcome in enumerate(outcomes):
            outcomes[k], item = replace(outcome, item=item), item + 1
    return per_document


def number(value: Any) -> str:
    """A value as a reader writes it: ``14000``, not ``14000.0``; nothing for ``None``."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value)


def _value(record: dict[str, Any]) -> str:
    arrow = {"up": "↑", "down": "↓"}.get(record.get("direction") or "", "")
    start = f"{number(record['from_value'])}→" if record.get("from_value") is not None else ""
    return f"{arrow}{start}{number(record.get('value'))}{record.get('unit') or ''}"


def _fits(text: str, record: dict[str, Any]) -> bool:
    evidence = record["evidence"]
    start, end = evidence["start"], evidence["end"]
    return 0 <= start < end <= len(text) and text[start:end] == evidence["text"]


def marks_of(outcome: Outcome, result: EvaluationResult, text: str) -> tuple[list[Mark], list[str]]:
    """The outcome's marks (one when a pair shares its evidence) and why a record has none."""
    sides = [("gold", result.gold[outcome.gold])] if outcome.gold is not None else []
    sides += [("pred", result.predicted[outcome.pred])] if outcome.pred is not None else []
    problems = [f"{'gold' if side == 'gold' else 'predicted'} record {record.get('metric')!r} "
                f"{record['evidence']['text']!r}: evidence [{record['evidence']['start']},{record['evidence']['end']}) "
                f"does not match the text; not marked" for side, record in sides if not _fits(text, record)]
    sides = [(side, record) for side, record in sides if _fits(text, record)]
    if len(sides) == 2 and sides[0][1]["evidence"] == sides[1][1]["evidence"]:
        sides = [("both", sides[0][1])]
    marks = []
    for side, record in sides:
        evidence = record["evidence"]
        title = (f"{KINDS['wrong' if outcome.wrong else outcome.kind]}: {record.get('metric') or '(no metric)'} = "
                 f"{_value(record)}")
        if outcome.wrong:
            title += f" ({', '.join(outcome.wrong)} differ)"
        marks.append(Mark(evidence["start"], evidence["end"], {
            "class": f"ev {outcome.css}", "data-item": outcome.item, "data-kind": outcome.kind, "data-side": side,
            "data-gold": outcome.gold, "data-pred": outcome.pred, "data-start": evidence["start"],
            "data-end": evidence["end"], "title": title}))
    return marks, problems


def _td(shown: Any, sort: Any = None, *, cls: str | None = None, title: str | None = None) -> str:
    return f"<td{attributes({'data-v': sort, 'class': cls, 'title': title})}>{escape(shown)}</td>"


def _score(value: float | None) -> str:
    return _td(fmt(value), "" if value is None else round(value, 6))


def _count(value: int) -> str:
    return _td(value, value)


def _table(heads: Sequence[tuple[str, str]], rows: Sequence[str], *, cls: str = "") -> str:
    head = "".join(f'<th data-sort="{kind}" tabindex="0">{escape(name)}</th>' for name, kind in heads)
    return (f'<table class="sortable {cls}"><thead><tr>{head}</tr></thead>\n<tbody>\n' + "\n".join(rows)
            + "\n</tbody></table>")


def _prf_row(name: str, scores: PRF) -> str:
    return (f"<tr>{_td(name)}{_score(scores.precision)}{_score(scores.recall)}{_score(scores.f1)}"
            f"{_count(scores.tp)}{_count(scores.fp)}{_count(scores.fn)}</tr>")


PRF_HEADS = [("P", "number"), ("R", "number"), ("F1", "number"), ("TP", "number"), ("FP", "number"), ("FN", "number")]


def _group_rows(groups: Mapping[str, Any]) -> list[str]:
    rows = []
    for value, group in groups.items():
        scores: RecordEvaluation = group.scores
        rows.append(f"<tr>{_td(value)}{_count(group.documents)}{_count(scores.records.tp + scores.records.fn)}"
                    f"{_score(scores.records.precision)}{_score(scores.records.recall)}{_score(scores.records.f1)}"
                    f"{_score(scores.values.f1)}" + "".join(_score(scores.slots.get(slot)) for slot in SLOTS) + "</tr>")
    return rows


def _image(path: Path) -> str:
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    return (f'<figure><img alt="{escape(path.name)}" src="data:image/png;base64,{data}">'
            f"<figcaption>{escape(path.name)}</figcaption></figure>")


def summary_section(result: EvaluationResult, index: str, images: Sequence[Path]) -> str:
    """The scores of the whole evaluation, its plots, and ``index`` (the documents' table), each part
    under a heading ``#s-NAME`` that the contents line at the top links to."""
    blocks: list[tuple[str, str, str]] = [  # (id, heading, HTML)
        ("records", "Records", _table([("level", "text"), *PRF_HEADS], [
            _prf_row("record", result.records.records), _prf_row("value (value + unit)", result.records.values),
            _prf_row("decoder ceiling (gold spans → records)", result.ceiling.records)], cls="scores records")),
        ("slots", "Slot accuracy on matched records", _table(
            [("slot", "text"), (result.extractor, "number"), ("decoder ceiling", "number")],
            [f"<tr>{_td(slot)}{_score(result.records.slots.get(slot))}{_score(result.ceiling.slots.get(slot))}</tr>"
             for slot in SLOTS], cls="scores slots"))]
    span_rows = [f"<tr>{_td(label)}{_score(result.spans[label]['precision'])}{_score(result.spans[label]['recall'])}"
                 f"{_score(result.spans[label]['f1'])}{_count(result.spans[label]['support'])}</tr>"
                 for label in (*LABELS, "micro avg") if label in result.spans]
    blocks.append(("spans", "Spans (seqeval, strict, IOB2)", _table(
        [("label", "text"), ("P", "number"), ("R", "number"), ("F1", "number"), ("support", "number")],
        span_rows, cls="scores spans")))
    group_heads = [("documents", "number"), ("gold records", "number"), ("record P", "number"),
                   ("record R", "number"), ("record F1", "number"), ("value F1", "number"),
                   *((f"{slot} acc.", "number") for slot in SLOTS)]
    blocks += [(f"by-{safe_name(key)}", f"By {key}", _table([(key, "text"), *group_heads], _group_rows(groups),
                                                            cls=f"scores groups group-{safe_name(key)}"))
               for key, groups in result.groups.items()]
    bins = [f"<tr>{_td('none' if b.low is None else f'{b.low:.2f}–{b.high:.2f}', -1 if b.low is None else b.low)}"
            f"{_count(b.records)}{_count(b.correct)}{_score(b.precision)}{_score(b.mean_confidence)}</tr>"
            for b in result.records.confidence]
    blocks.append(("confidence", "Confidence (precision of the predicted records per confidence bin)", _table(
        [("confidence", "number"), ("records", "number"), ("right", "number"), ("precision", "number"),
         ("mean confidence", "number")], bins, cls="scores confidence")))
    if images:
        blocks.append(("plots", "Plots", '<div class="plots">' + "".join(map(_image, images)) + "</div>"))
    blocks.append(("documents", "Documents", '<p class="hint">A click on a header sorts the table; on F1, the '
                   f"worst documents come first.</p>\n{index}"))
    toc = " · ".join(f'<a href="#s-{name}">{escape(heading)}</a>' for name, heading, _ in blocks)
    return ('<section class="view summary" id="summary">\n'
            f'<nav class="toc">{toc}</nav>\n'
            + "\n".join(f'<h2 id="s-{name}">{escape(heading)}</h2>\n{html}' for name, heading, html in blocks)
            + "\n</section>")


def _counts(outcomes: Sequence[Outcome]) -> Counter:
    return Counter("wrong" if o.wrong else o.kind for o in outcomes)


def index_table(result: EvaluationResult, outcomes: Mapping[str, list[Outcome]], corpus: GoldCorpus) -> str:
    """The documents with their scores, sortable (``table.documents``)."""
    rows = []
    gold_counts = Counter(record["doc_id"] for record in result.gold)
    predicted_counts = Counter(record["doc_id"] for record in result.predicted)
    for doc_id, scores in result.per_document.items():
        meta = corpus.meta.get(doc_id, {})
        records, counts = scores.records, _counts(outcomes.get(doc_id, []))
        gold, predicted = gold_counts[doc_id], predicted_counts[doc_id]
        link = f'<td data-v="{escape(doc_id)}"><a href="#d-{safe_name(doc_id)}">{escape(doc_id)}</a></td>'
        rows.append(f'<tr data-doc="{escape(doc_id)}">{link}'
                    + "".join(_td(meta.get(key, "")) for key in ("corpus", "genre", "script"))
                    + f"{_count(len(corpus.documents[doc_id].normalized.original))}{_count(gold)}{_count(predicted)}"
                    f"{_count(records.tp)}{_count(records.fp)}{_count(records.fn)}{_count(counts['wrong'])}"
                    f"{_score(records.precision)}{_score(records.recall)}{_score(records.f1)}"
                    f"{_score(scores.values.f1)}</tr>")
    return _table([("document", "text"), ("corpus", "text"), ("genre", "text"), ("script", "text"),
                   ("characters", "number"), ("gold", "number"), ("predicted", "number"), ("TP", "number"),
                   ("FP", "number"), ("FN", "number"), ("wrong slots", "number"), ("P", "number"), ("R", "number"),
                   ("F1", "number"), ("value F1", "number")], rows, cls="documents")


def _slots(record: dict[str, Any], wrong: Sequence[str]) -> str:
    """A record's period, org, baseline and qualifier in one cell; the ones that differ first (the cell
    may be cut), marked ``diff`` (a missing one then shows as ``—``)."""
    spans = []
    for slot in sorted(SLOTS, key=lambda slot: slot not in wrong):
        value = record.get(slot)
        if value is None and slot not in wrong:
            continue
        attrs = {"class": "slot diff" if slot in wrong else "slot", "data-slot": slot}
        spans.append(f"<span{attributes(attrs)}>{escape('—' if value is None else value)}</span>")
    title = " · ".join(f"{slot} {record[slot]}" for slot in SLOTS if record.get(slot) is not None)
    return f"<td{attributes({'class': 'slots', 'title': title or None})}>{''.join(spans)}</td>"


def outcome_table(outcomes: Sequence[Outcome], result: EvaluationResult) -> str:
    """A document's outcomes, one row each: gold | predicted side by side, aligned by match; each side
    its record's metric, value and slots. Sortable."""
    order = list(KINDS)
    rows = []
    for outcome in outcomes:
        key = "wrong" if outcome.wrong else outcome.kind
        cells = [_td(SHORT[key], order.index(key), cls="kind")]
        for side, index in (("gold", outcome.gold), ("pred", outcome.pred)):
            if index is None:
                cells.append(f'<td class="none {side}"></td><td class="none"></td><td class="none"></td>')
                continue
            record = (result.gold if side == "gold" else result.predicted)[index]
            evidence = record["evidence"]
            metric = record.get("metric") or ""
            cells.append(_td(metric, cls=side, title=metric if len(metric) > 7 else None))  # cut by the CSS
            arrow = {"up": "↑", "down": "↓"}.get(record.get("direction") or "", "")
            cells.append(_td(arrow + evidence["text"], record.get("value"),  # as written; the value in the title
                             title=f"{_value(record)} [{evidence['start']},{evidence['end']})"))
            cells.append(_slots(record, outcome.wrong))
        rows.append(f"<tr{attributes({'data-item': outcome.item, 'data-kind': outcome.kind, 'class': 'k-' + key})}>"
                    + "".join(cells) + "</tr>")
    fields = "".join(f'<th data-sort="{kind}" tabindex="0"{attributes({"class": side if name == "metric" else None})}>'
                     f"{name}</th>" for side in ("gold", "pred")
                     for name, kind in (("metric", "text"), ("value", "number"), ("slots", "text")))
    columns = '<col class="kind">' + '<col class="metric"><col class="value"><col class="slots">' * 2
    return (f'<table class="outcomes sortable"><colgroup>{columns}</colgroup><thead><tr><th></th>'
            '<th class="gold" colspan="3">gold</th>'
            '<th class="pred" colspan="3">predicted</th></tr>\n<tr><th data-sort="number" tabindex="0">'
            f"outcome</th>{fields}</tr></thead>\n<tbody>\n" + "\n".join(rows) + "\n</tbody></table>")


def chips(counts: Mapping[str, int]) -> str:
    """The outcome counts as coloured chips (the legend's colours)."""
    return "".join(f'<span class="chip {kind}" data-kind="{kind}">{counts.get(kind, 0)} {KINDS[kind]}</span>'
                   for kind in KINDS)


def document_section(doc_id: str, text: str, outcomes: Sequence[Outcome], result: EvaluationResult,
                     meta: Mapping[str, Any], *, previous: str | None, following: str | None) -> str:
    """A document: header with scores and previous/next links, notices, the marked text, the outcome table."""
    marks, problems = [], []
    for outcome in outcomes:
        more, why = marks_of(outcome, result, text)
        marks += more
        problems += why
    scores = result.per_document[doc_id].records
    steps = "".join(f'<a class="{cls}" rel="{cls}" href="#d-{safe_name(other)}">{arrow}</a>'
                    for cls, other, arrow in (("prev", previous, f"← {escape(previous)}"),
                                              ("next", following, f"{escape(following)} →")) if other)
    about = " · ".join(escape(meta[key]) for key in ("corpus", "genre", "script") if meta.get(key))
    notices = "" if not problems else (
        f'<details class="notices" open><summary>records not marked: {len(problems)}</summary><ol>'
        + "".join(f"<li>{escape(problem)}</li>" for problem in problems) + "</ol></details>")
    section = {"id": "d-" + safe_name(doc_id), "data-doc": doc_id, "hidden": True}
    return (f'<section class="view doc"{attributes(section)}>\n'
            f'<header class="doc-head"><h2>{escape(doc_id)}</h2><p class="meta">{about}{" · " if about else ""}'
            f"{len(text)} characters · record P {fmt(scores.precision)} R {fmt(scores.recall)} "
            f'F1 <b class="f1">{fmt(scores.f1)}</b></p><nav class="step">{steps}</nav>'
            f'<p class="chips">{chips(_counts(outcomes))}</p></header>\n{notices}\n'
            f'<div class="columns"><div class="text" data-doc="{escape(doc_id)}">{highlight(text, marks)}</div>\n'
            f'<div class="side">{outcome_table(outcomes, result)}</div></div>\n</section>')


def legend(counts: Mapping[str, int]) -> str:
    return ('<p class="legend">' + "".join(
        f'<span class="key" data-kind="{kind}"><span class="chip {kind}">{escape(KINDS[kind])}</span> '
        f'{escape(KIND_HELP[kind])} (<span class="count">{counts.get(kind, 0)}</span>)</span>' for kind in KINDS)
        + "</p>")


DETAIL = ('<aside id="detail" class="detail"><p class="hint">Click a mark in the text, or a row of the table, to see '
          "the gold and predicted records side by side.</p></aside>")


def evaluation_page(result: EvaluationResult, corpus: GoldCorpus, *, images: Sequence[Path] = (),
                    title: str | None = None) -> str:
    """The page (one HTML string) of ``result`` over the ORIGINAL texts of ``corpus``."""
    outcomes = outcomes_of(result)
    doc_ids = list(outcomes)
    missing = [doc_id for doc_id in doc_ids if doc_id not in corpus.documents]
    if missing:
        raise EvaluationViewError(f"documents {missing[:5]} of the result are not in the corpus")
    corpora = list(dict.fromkeys(str(corpus.meta[d]["corpus"]) for d in doc_ids if "corpus" in corpus.meta.get(d, {})))
    title = title or f"evaluation of {result.extractor}" + (f" on {', '.join(corpora)}" if corpora else "")
    everything = [outcome for items in outcomes.values() for outcome in items]
    sections = [document_section(doc_id, corpus.documents[doc_id].normalized.original, outcomes[doc_id], result,
                                 corpus.meta.get(doc_id, {}), previous=doc_ids[k - 1] if k else None,
                                 following=doc_ids[k + 1] if k + 1 < len(doc_ids) else None)
                for k, doc_id in enumerate(doc_ids)]
    nav = "\n".join(f'<li><a href="#d-{safe_name(doc_id)}" data-doc="{escape(doc_id)}">{escape(doc_id)}</a> '
                    f'<span class="count">{fmt(result.per_document[doc_id].records.f1)}</span></li>'
                    for doc_id in doc_ids)
    nav = (f'<nav class="docs"><a class="summary" href="#summary">summary</a><h2>documents ({len(doc_ids)}, '
           f"record F1)</h2><ol>\n{nav}\n</ol></nav>")
    records = result.records.records
    head = (f'<header class="page-head"><h1>{escape(title)}</h1><p class="totals">record F1 '
            f"<b>{fmt(records.f1)}</b> (P {fmt(records.precision)}, R {fmt(records.recall)}) · value F1 "
            f"{fmt(result.records.values.f1)} · decoder ceiling F1 {fmt(result.ceiling.records.f1)} · "
            f"{len(doc_ids)} documents, {len(result.gold)} gold and {len(result.predicted)} predicted records</p>"
            f"{legend(_counts(everything))}</header>")
    body = (f'{head}\n<div class="layout"><div class="left">{DETAIL}\n{nav}</div>\n<main>\n'
            f'{summary_section(result, index_table(result, outcomes, corpus), images)}\n'
            + "\n".join(sections) + "\n</main></div>")
    data = {"labels": KINDS,
            "gold": {str(o.gold): result.gold[o.gold] for o in everything if o.gold is not None},
            "pred": {str(o.pred): result.predicted[o.pred] for o in everything if o.pred is not None},
            "items": {str(o.item): [o.kind, o.gold, o.pred, list(o.wrong), o.reason] for o in everything}}
    return page(title, body, css=["review.css", "evaluation.css"], js=["evaluation.js"], data=data)


def write_evaluation_view(result: EvaluationResult, corpus: GoldCorpus, path: str | Path, *,
                          images: Sequence[str | Path] = ()) -> Path:
    """Write the page to ``path`` (whole or not at all), embedding the PNG ``images`` that exist."""
    path = Path(path)
    shown = [Path(image) for image in images if Path(image).is_file()]
    write_text_atomic(path, evaluation_page(result, corpus, images=shown))
    return path
