"""The evaluation view built without a browser (ie/research/evaluation_view.py): one section per
document, marks over the ORIGINAL text that add up to the scores, escaping, metrics.json unchanged,
report.html written by the command. The page in a real browser: tests/test_evaluation_view_browser.py."""

from __future__ import annotations

import json
import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest

from ie.cli import main
from ie.document import segment_document
from ie.pipeline import Extractor
from ie.research.evaluation import EvaluationResult, GoldCorpus, evaluate_extractor, load_corpora
from ie.research.evaluation_view import EvaluationViewError, evaluation_page, outcomes_of
from ie.research.scoring import SLOTS, evaluate_records
from ie.views.html import safe_name

ROOT = Path(__file__).resolve().parents[1]


class Page(HTMLParser):
    """Each document section's text (as a browser's textContent), its marks' ranges in it, and every
    element's attributes by tag."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.sections: dict[str, dict] = {}
        self.elements: list[tuple[str, dict]] = []
        self.section: dict | None = None
        self.depth = 0  # inside the current section's div.text
        self.open: list[tuple[int, dict]] = []
        self.data = ""

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.elements.append((tag, attrs))
        if tag == "section" and "data-doc" in attrs:
            self.section = self.sections[attrs["data-doc"]] = {"attrs": attrs, "text": "", "marks": []}
        elif tag == "div" and self.section is not None and attrs.get("class") == "text":
            self.depth = 1
        elif self.depth and tag == "mark":
            self.open.append((len(self.section["text"]), attrs))
        elif self.depth and tag == "div":
            self.depth += 1

    def handle_endtag(self, tag):
        if self.depth and tag == "mark":
            start, attrs = self.open.pop()
            self.section["marks"].append((start, len(self.section["text"]), attrs))
        elif self.depth and tag == "div":
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.section["text"] += data

    def all(self, tag: str, **wanted: str) -> list[dict]:
        return [attrs for name, attrs in self.elements if name == tag
                and all(attrs.get(key.replace("_", "-")) == value for key, value in wanted.items())]


def parsed(html: str) -> Page:
    page = Page()
    page.feed(html)
    page.close()
    return page


@pytest.fixture(scope="module")
def seeds() -> tuple[EvaluationResult, GoldCorpus, Page, str]:
    corpus = load_corpora("seeds", ROOT / "annotations")
    result = evaluate_extractor(Extractor.from_config("rules"), corpus)
    html = evaluation_page(result, corpus)
    return result, corpus, parsed(html), html


def items(marks: list[tuple[int, int, dict]], kind: str) -> set[str]:
    return {attrs["data-item"] for _, _, attrs in marks if attrs["data-kind"] == kind}


def test_one_section_one_link_one_index_row_per_document(seeds):
    result, corpus, page, _ = seeds
    assert list(page.sections) == list(corpus.documents) == list(result.per_document)
    for doc_id, section in page.sections.items():
        assert section["attrs"]["id"] == f"d-{safe_name(doc_id)}" and "hidden" in section["attrs"]
        assert section["text"] == corpus.documents[doc_id].normalized.original
    assert [a["data-doc"] for a in page.all("a") if a.get("data-doc")] == list(corpus.documents)
    assert [row["data-doc"] for row in page.all("tr") if "data-doc" in row] == list(corpus.documents)
    assert len(page.all("section", id="summary")) == 1 and len(page.all("img")) == 0  # no image given


def test_marks_add_up_to_the_scores(seeds):
    result, _, page, _ = seeds
    marks = [mark for section in page.sections.values() for mark in section["marks"]]
    scores = result.records.records
    assert (len(items(marks, "match")), len(items(marks, "miss")), len(items(marks, "fp"))) == (
        scores.tp, scores.fn, scores.fp)
    optional = sum(1 for gold in result.gold if gold.get("optional"))
    assert optional and len(items(marks, "optional")) == optional
    wrong = sum(any(result.predicted[i][s] != result.gold[j][s] for s in SLOTS) for i, j in result.records.pairs
                if not result.gold[j].get("optional"))
    assert 0 < len({a["data-item"] for _, _, a in marks if "wrong" in a["class"].split()}) == wrong
    rows = Counter(row["data-kind"] for row in page.all("tr") if "data-item" in row)
    assert rows == Counter(match=scores.tp, miss=scores.fn, fp=scores.fp, optional=optional)
    for doc_id, section in page.sections.items():  # and per document
        doc = result.per_document[doc_id].records
        assert (len(items(section["marks"], "match")), len(items(section["marks"], "miss")),
                len(items(section["marks"], "fp"))) == (doc.tp, doc.fn, doc.fp)


def test_every_record_is_marked_over_its_evidence(seeds):
    result, _, page, _ = seeds
    found = {"gold": Counter(), "pred": Counter()}
    for doc_id, section in page.sections.items():
        for start, end, attrs in section["marks"]:
            assert "data-part" not in attrs  # no crossing ranges in the seeds
            for side in ("gold", "pred"):
                if attrs["data-side"] in (side, "both"):
                    record = (result.gold if side == "gold" else result.predicted)[int(attrs[f"data-{side}"])]
                    evidence = record["evidence"]
                    assert record["doc_id"] == doc_id
                    assert (start, end, section["text"][start:end]) == (evidence["start"], evidence["end"],
                                                                         evidence["text"])
                    assert (int(attrs["data-start"]), int(attrs["data-end"])) == (start, end)
                    found[side][int(attrs[f"data-{side}"])] += 1
    assert found["gold"] == Counter(range(len(result.gold))) and found["pred"] == Counter(range(len(result.predicted)))


def test_the_page_data_holds_every_record_and_outcome(seeds):
    result, _, _, html = seeds
    data = json.loads(re.search(r'<script type="application/json" id="page-data">(.*?)</script>', html).group(1))
    assert data["gold"] == {str(j): gold for j, gold in enumerate(result.gold)}
    assert data["pred"] == {str(i): pred for i, pred in enumerate(result.predicted)}
    outcomes = [o for items in outcomes_of(result).values() for o in items]
    assert sorted(map(int, data["items"])) == list(range(len(outcomes)))
    assert all(data["items"][str(o.item)] == [o.kind, o.gold, o.pred, list(o.wrong), o.reason] for o in outcomes)
    reasons = Counter(kind for kind, _, _, _, reason in data["items"].values() if reason)  # why a miss, an fp
    assert reasons["miss"] == result.records.records.fn and reasons["fp"] == result.records.records.fp


def test_metrics_json_keeps_no_records(seeds):
    result = seeds[0]
    data = result.to_dict()
    assert "predicted" not in data and "gold" not in data and result.gold and result.predicted
    with pytest.raises(EvaluationViewError, match="kept no records"):
        evaluation_page(EvaluationResult.from_dict(json.loads(json.dumps(data))), seeds[1])


ODD = '通报 #1/<b>&"x"'
TEXT = "<script>alert(1)</script>\r\n2023年，全市破获案件12起，挽回损失3.5万元。\r\n抓获嫌疑人7人。"


def hand_made(records: list[tuple[str, str, str, str | None]]) -> tuple[EvaluationResult, GoldCorpus]:
    """A result scored by ``evaluate_records`` over hand-made records ``(side, evidence, metric, period)``."""
    gold, predicted = [], []
    for side, piece, metric, period in records:
        start = TEXT.index(piece)
        value, unit = float(re.match(r"[\d.]+", piece).group()), piece[-1]
        (gold if side == "gold" else predicted).append(
            {"doc_id": ODD, "metric": metric, "value": value, "unit": unit, "qualifier": None, "direction": None,
             "baseline": None, "period": period, "org": None, "from_value": None,
             "evidence": {"start": start, "end": start + len(piece), "text": piece}, "flags": []})
    scores = evaluate_records(predicted, gold)
    result = EvaluationResult("hand", {}, scores, {ODD: scores}, scores, predicted=predicted, gold=gold)
    return result, GoldCorpus({ODD: segment_document(ODD, TEXT)}, {}, gold, {ODD: {"corpus": "<odd>"}})


def test_ids_texts_and_metrics_are_escaped():
    result, corpus = hand_made([("gold", "12起", "破获案件</script><b>", "2023年"),
                                ("pred", "12起", "破获案件</script><b>", None),
                                ("gold", "7人", "抓获嫌疑人", None), ("pred", "3.5万元", '挽回"损失"', None)])
    html = evaluation_page(result, corpus)
    assert "<script>alert" not in html and "</script><b>" not in html and "<b>&" not in html
    page = parsed(html)
    section = page.sections[ODD]
    assert section["text"] == TEXT  # CR LF kept (&#13;)
    assert section["attrs"]["id"] == f"d-{safe_name(ODD)}"
    assert {attrs["data-kind"] + ("+wrong" if "wrong" in attrs["class"] else "") for _, _, attrs in section["marks"]} \
        == {"match+wrong", "miss", "fp"}
    assert [a for a in page.all("span") if a.get("class") == "slot diff"] == [
        {"class": "slot diff", "data-slot": "period"}] * 2
    data = json.loads(re.search(r'id="page-data">(.*?)</script>', html).group(1))
    assert data["gold"]["0"]["metric"] == "破获案件</script><b>" and "evaluation of hand on &lt;odd&gt;" in html


def test_a_record_whose_evidence_does_not_match_is_listed_not_marked():
    result, corpus = hand_made([("gold", "12起", "破获案件", None), ("pred", "12起", "破获案件", None),
                                ("gold", "7人", "抓获嫌疑人", None)])
    result.predicted[0]["evidence"] = {**result.predicted[0]["evidence"], "start": 0}
    page = parsed(evaluation_page(result, corpus))
    marks = page.sections[ODD]["marks"]
    assert sorted((attrs["data-kind"], attrs["data-side"]) for _, _, attrs in marks) == [("match", "gold"),
                                                                                         ("miss", "gold")]
    assert len([row for row in page.all("tr") if "data-item" in row]) == 2
    assert len(page.all("details", **{"class": "notices"})) == 1


def test_the_command_writes_report_html(tmp_path, capsys):
    assert main(["evaluate", "extractor=rules", "corpus=seeds", f"annotations={ROOT / 'annotations'}",
                 f"report_dir={tmp_path}"]) == 0
    out = capsys.readouterr().out
    assert f"{tmp_path / 'report.html'}" in out and f"{tmp_path / 'report.md'}" in out
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    page = parsed(html)
    assert len(page.sections) == 5 and len(page.all("img")) == 1  # reliability.png, inline
    assert page.all("img")[0]["src"].startswith("data:image/png;base64,iVBOR")
    assert "http://" not in html and "https://" not in html
    metrics = json.loads((tmp_path / "metrics.json").read_text(encoding="utf-8"))
    assert "predicted" not in metrics and "gold" not in metrics
