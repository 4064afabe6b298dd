"""The evaluation view (ie/research/evaluation_view.py) in a real headless chromium, driven by
Playwright, over real evaluations (the rule extractor on the seeds and on the test split): the DOM is
queried and compared with the evaluation result, never screenshots. The ``browser`` and ``tab``
fixtures are in tests/conftest.py: skipped, with the reason, where the system has no chromium binary
or Playwright for Python is missing."""

from __future__ import annotations

import json
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from ie.cli import main
from ie.document import segment_document
from ie.pipeline import Extractor
from ie.research.evaluation import EvaluationResult, GoldCorpus, evaluate_extractor, load_corpora
from ie.research.evaluation_view import write_evaluation_view
from ie.research.scoring import PRF, SLOTS, RecordEvaluation, evaluate_records
from ie.views.html import safe_name
from tests.shared import load_script

ROOT = Path(__file__).resolve().parents[1]
LOAD_LIMIT = 2.0  # seconds for a page to be ready, 1,000 documents included


def view_shown(tab, view: str) -> bool:
    """Whether ``view`` (an id: ``summary``, ``d-NAME``) becomes the one view shown: a click on a link
    changes the hash, and the page shows the view on the hashchange event that follows."""
    tab.page.wait_for_function("""id => { const shown = document.querySelectorAll("main > section.view:not([hidden])");
        return shown.length === 1 && shown[0].id === id; }""", arg=view, timeout=5000)
    return True


@dataclass
class Evaluation:
    page: Path
    result: EvaluationResult
    texts: dict[str, str]  # id -> ORIGINAL text


def evaluation(folder: Path, corpus_name: str) -> Evaluation:
    """``bulletin-ie evaluate extractor=rules corpus=NAME report_dir=FOLDER``, and the same evaluation
    through the library, to compare the page with."""
    assert main(["evaluate", "extractor=rules", f"corpus={corpus_name}", f"annotations={ROOT / 'annotations'}",
                 f"report_dir={folder}"]) == 0
    corpus = load_corpora(corpus_name, ROOT / "annotations")
    result = evaluate_extractor(Extractor.from_config("rules"), corpus, name="rules")
    return Evaluation(folder / "report.html", result,
                      {doc_id: document.normalized.original for doc_id, document in corpus.documents.items()})


@pytest.fixture(scope="module")
def seeds_evaluation(tmp_path_factory) -> Evaluation:
    return evaluation(tmp_path_factory.mktemp("seeds"), "seeds")


@pytest.fixture(scope="module")
def test_evaluation(tmp_path_factory) -> Evaluation:
    return evaluation(tmp_path_factory.mktemp("test"), "test")


@pytest.fixture(scope="module")
def train_evaluation(tmp_path_factory) -> Evaluation:
    return evaluation(tmp_path_factory.mktemp("train"), "train")


MARK_FIELDS = """{item: mark.dataset.item, kind: mark.dataset.kind, side: mark.dataset.side,
  wrong: mark.classList.contains("wrong"), gold: mark.dataset.gold, pred: mark.dataset.pred,
  colour: getComputedStyle(mark).backgroundColor}"""


def sections(tab, evaluation: Evaluation) -> list[dict]:
    tab.open(evaluation.page)
    found = tab.marked_sections(MARK_FIELDS)
    assert {section["doc"]: section["text"] for section in found} == evaluation.texts  # CR LF kept
    return found


@pytest.mark.parametrize("name", ["seeds_evaluation", "test_evaluation"])
def test_every_gold_and_predicted_record_is_marked_exactly_over_its_evidence(tab, request, name):
    evaluation: Evaluation = request.getfixturevalue(name)
    result = evaluation.result
    pieces: dict[tuple[str, int], list[dict]] = {}
    for section in sections(tab, evaluation):
        for mark in section["marks"]:
            for side in ("gold", "pred"):
                if mark["side"] in (side, "both"):
                    pieces.setdefault((side, int(mark[side])), []).append(mark)
    assert set(pieces) == {("gold", j) for j in range(len(result.gold))} | {
        ("pred", i) for i in range(len(result.predicted))}
    for (side, index), marks in pieces.items():
        record = (result.gold if side == "gold" else result.predicted)[index]
        evidence = record["evidence"]
        assert len({mark["item"] for mark in marks}) == 1  # one outcome per record
        assert all((mark["start"], mark["end"]) == (evidence["start"], evidence["end"]) for mark in marks)
        assert "".join(mark["text"] for mark in marks) == evidence["text"]
        assert (marks[0]["domStart"], marks[-1]["domEnd"]) == (evidence["start"], evidence["end"])
        assert [mark["part"] for mark in marks] == ([None] if len(marks) == 1 else [str(i + 1) for i in range(len(marks))])
    if name == "test_evaluation":  # pairs whose evidence differs: one mark per side
        assert any(mark["side"] == "pred" and mark["kind"] == "match" for marks in pieces.values() for mark in marks)


def outcome_counts(found: list[dict]) -> Counter:
    kinds = {(mark["item"], "wrong" if mark["wrong"] else mark["kind"]) for s in found for mark in s["marks"]}
    return Counter(kind for _, kind in kinds)


@pytest.mark.parametrize("name", ["seeds_evaluation", "test_evaluation"])
def test_match_miss_and_false_positive_marks_are_the_scores(tab, request, name):
    evaluation: Evaluation = request.getfixturevalue(name)
    result, found = evaluation.result, sections(tab, evaluation)
    counts, scores = outcome_counts(found), result.records.records
    assert (counts["match"] + counts["wrong"], counts["miss"], counts["fp"]) == (scores.tp, scores.fn, scores.fp)
    assert counts["optional"] == sum(bool(gold.get("optional")) for gold in result.gold)
    assert counts["wrong"] == sum(any(result.predicted[i][s] != result.gold[j][s] for s in SLOTS)
                                  for i, j in result.records.pairs if not result.gold[j].get("optional"))
    legend = tab.page.eval_on_selector_all(".legend .key", "keys => Object.fromEntries(keys.map(k => "
                                           "[k.dataset.kind, Number(k.querySelector('.count').textContent)]))")
    assert legend == {kind: counts[kind] for kind in ("match", "wrong", "miss", "fp", "optional")}
    colours = {("wrong" if mark["wrong"] else mark["kind"]): mark["colour"] for s in found for mark in s["marks"]}
    assert len(set(colours.values())) == len(colours) == 5  # a colour per outcome
    for section in found:
        doc = result.per_document[section["doc"]].records
        mine = outcome_counts([section])
        assert (mine["match"] + mine["wrong"], mine["miss"], mine["fp"]) == (doc.tp, doc.fn, doc.fp)


def shown_value(key: str, value: Any) -> str:
    """A field as the detail panel writes it."""
    if value is None:
        return "null"
    if key == "evidence":
        return f"[{value['start']}, {value['end']}) {value['text']}"
    if isinstance(value, (list, dict, bool)):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


DETAIL = """() => Array.from(document.querySelectorAll("#detail table.record"), (table) => ({
  item: table.dataset.item,
  cells: Object.fromEntries(Array.from(table.querySelectorAll("td"), (td) => [td.dataset.side + " " + td.dataset.field,
                                                                             [td.textContent, td.classList.contains("diff")]]))}))"""


def check_detail(shown: dict, gold: dict | None, pred: dict | None, wrong: set[str]) -> None:
    """The detail panel's table of one outcome: every field of each side as the record has it."""
    for side, record in (("gold", gold), ("pred", pred)):
        for key, value in (record or {}).items():
            if key != "doc_id":
                assert shown["cells"][f"{side} {key}"][0] == shown_value(key, value), (side, key)
        if record is None:
            assert all(text == "" for cell, (text, _) in shown["cells"].items() if cell.startswith(side))
    assert wrong <= {cell.split()[1] for cell, (_, diff) in shown["cells"].items() if diff}


def doc_outcomes(evaluation: Evaluation, doc_id: str) -> dict[str, tuple[int | None, int | None]]:
    """The page's outcomes of a document: item -> (gold, pred), as the page data has them."""
    result = evaluation.result
    return {o: (g, p) for o, (kind, g, p, wrong, reason) in page_items(evaluation).items()
            if (result.gold[g] if g is not None else result.predicted[p])["doc_id"] == doc_id}


def page_items(evaluation: Evaluation) -> dict[str, list]:
    html = evaluation.page.read_text(encoding="utf-8")
    start = html.index('id="page-data">') + len('id="page-data">')
    return json.loads(html[start:html.index("</script>", start)])["items"]


def test_clicking_a_mark_shows_its_record_and_its_partner(tab, seeds_evaluation):
    result = seeds_evaluation.result
    doc_id = "001_e668537ba56dba67"
    tab.open(seeds_evaluation.page, f"#d-{safe_name(doc_id)}")
    assert view_shown(tab, f"d-{safe_name(doc_id)}")
    section = tab.page.locator("section.doc:not([hidden])")
    for selector in ("mark.ev.match.wrong", "mark.ev.miss", "mark.ev.fp", "mark.ev.match:not(.wrong)"):
        mark = section.locator(f"{selector}:not(:has(mark))").first
        mark.click()
        item = mark.get_attribute("data-item")
        kind, g, p, wrong, reason = page_items(seeds_evaluation)[item]
        shown = tab.page.evaluate(DETAIL)
        assert shown[0]["item"] == item and tab.page.locator("#detail").get_attribute("data-items").split()[0] == item
        check_detail(shown[0], None if g is None else result.gold[g], None if p is None else result.predicted[p],
                     set(wrong))
        assert (g is not None, p is not None) == {"match": (True, True), "miss": (True, False),
                                                  "fp": (False, True)}[kind]
        assert tab.page.locator("mark.ev.selected").evaluate_all("ms => ms.map(m => m.dataset.item)") == [item]
        assert tab.page.locator("tr.selected").get_attribute("data-item") == item
        if wrong:
            assert tab.page.locator("#detail .item p").first.text_content().endswith(f"{', '.join(wrong)} differ")
        if reason:
            assert reason in tab.page.locator("#detail .item p").first.text_content()
    inner = section.locator("mark.ev mark.ev:not(:has(mark))").first  # e.g. a miss and a false positive
    inner.click()  # shows its outcome, then those of the marks around it, innermost first
    chain = inner.evaluate("m => { const items = []; for (let e = m; e.matches('mark.ev'); e = e.parentElement) "
                           "items.push(e.dataset.item); return items; }")
    assert len(chain) > 1 and [shown["item"] for shown in tab.page.evaluate(DETAIL)] == chain
    assert tab.page.locator("#detail .also").count() == 1
    row = section.locator("table.outcomes tr[data-kind='miss']").first
    row.click()
    item = row.get_attribute("data-item")
    assert tab.page.locator("mark.ev.selected").get_attribute("data-item") == item
    assert tab.page.evaluate(DETAIL)[0]["item"] == item


def test_a_pair_with_two_evidences_selects_both_marks(tab, train_evaluation):
    result = train_evaluation.result
    def clear_start(gold: dict) -> bool:  # no predicted evidence covers the gold evidence's first character
        return not any(p["doc_id"] == gold["doc_id"] and p["evidence"]["start"] <= gold["evidence"]["start"]
                       < p["evidence"]["end"] for p in result.predicted)

    i, j = next((i, j) for i, j in result.records.pairs if not result.gold[j].get("optional")
                and result.gold[j]["evidence"]["start"] < result.predicted[i]["evidence"]["start"]
                and clear_start(result.gold[j]))
    gold_text, predicted_text = result.gold[j]["evidence"]["text"], result.predicted[i]["evidence"]["text"]
    assert gold_text.endswith(predicted_text) and gold_text != predicted_text  # 约新台币420万元 around 420万元
    doc_id = result.gold[j]["doc_id"]
    tab.open(train_evaluation.page, f"#d-{safe_name(doc_id)}")
    gold_mark = tab.page.locator(f"section.doc:not([hidden]) mark.ev[data-side='gold'][data-gold='{j}']").first
    gold_mark.scroll_into_view_if_needed()
    box = gold_mark.evaluate("m => { const r = m.getClientRects()[0]; return [r.left, r.top, r.height]; }")
    tab.page.mouse.click(box[0] + 4, box[1] + box[2] / 2)  # its first character, before the predicted mark in it
    item = gold_mark.get_attribute("data-item")
    selected = tab.page.locator("mark.ev.selected").evaluate_all(
        "ms => ms.map(m => [m.dataset.item, m.dataset.side, m.dataset.gold || null, m.dataset.pred || null])")
    assert {tuple(s) for s in selected} == {(item, "gold", str(j), str(i)), (item, "pred", str(j), str(i))}
    shown = tab.page.evaluate(DETAIL)
    assert shown[0]["item"] == item
    check_detail(shown[0], result.gold[j], result.predicted[i], set())
    assert shown[0]["cells"]["gold evidence"][1]  # the evidences differ, marked


def test_the_documents_table_sorts_worst_first_and_leads_to_the_documents(tab, test_evaluation):
    per_document = test_evaluation.result.per_document
    tab.open(test_evaluation.page)
    assert view_shown(tab, "summary")
    rows = "section.summary table.documents tbody tr"
    order = lambda: tab.page.eval_on_selector_all(rows, "rs => rs.map(r => r.dataset.doc)")
    assert order() == list(per_document)
    header = tab.page.locator("section.summary table.documents th", has_text="F1").filter(has_not_text="value")
    header.click()
    f1 = [per_document[doc_id].records.f1 for doc_id in order()]
    scored = [value for value in f1 if value is not None]
    assert f1 == sorted(scored) + [None] * (len(f1) - len(scored)) and header.get_attribute("aria-sort") == "ascending"
    assert len(set(scored)) > 3
    header.click()
    assert [per_document[doc_id].records.f1 for doc_id in order()][:len(scored)] == sorted(scored, reverse=True)
    tab.page.locator("section.summary table.documents th", has_text="FN").click()
    assert [per_document[doc_id].records.fn for doc_id in order()] == sorted(d.records.fn for d in per_document.values())
    worst = min((doc_id for doc_id in per_document if per_document[doc_id].records.f1 is not None),
                key=lambda doc_id: per_document[doc_id].records.f1)
    header.click()
    tab.page.locator(f"{rows} a").first.click()
    assert view_shown(tab, f"d-{safe_name(worst)}")
    assert tab.page.locator("section.doc:not([hidden]) .f1").text_content() == f"{per_document[worst].records.f1:.3f}"


def test_navigation_reaches_the_other_documents_and_the_summary(tab, seeds_evaluation):
    ids = list(seeds_evaluation.texts)
    tab.open(seeds_evaluation.page)
    tab.page.locator(f"nav.docs a[data-doc='{ids[0]}']").click()
    assert view_shown(tab, f"d-{safe_name(ids[0])}") and tab.page.locator("section.doc:not([hidden]) a.prev").count() == 0
    tab.page.locator("section.doc:not([hidden]) a.next").click()
    assert view_shown(tab, f"d-{safe_name(ids[1])}") and tab.page.url.endswith(f"#d-{safe_name(ids[1])}")
    assert tab.page.locator("nav.docs a.current").text_content() == ids[1]
    tab.page.locator("section.doc:not([hidden]) a.prev").click()
    assert view_shown(tab, f"d-{safe_name(ids[0])}")
    tab.page.go_back()
    assert view_shown(tab, f"d-{safe_name(ids[1])}")
    tab.page.locator("nav.docs a.summary").click()
    assert view_shown(tab, "summary") and tab.page.locator("nav.docs a.current").text_content() == "summary"
    tab.page.locator("section.summary .toc a", has_text="Confidence").click()
    assert view_shown(tab, "summary") and tab.page.locator("#s-confidence").is_visible()
    tab.page.locator(f"nav.docs a[data-doc='{ids[4]}']").click()
    assert view_shown(tab, f"d-{safe_name(ids[4])}")
    tab.page.go_back()  # to #s-confidence: a part of the summary shows the summary
    assert view_shown(tab, "summary") and tab.page.locator("#s-confidence").is_visible()
    assert tab.page.locator("section.summary img").evaluate("img => img.complete && img.naturalWidth > 100")


def synthetic(count: int) -> tuple[EvaluationResult, GoldCorpus]:
    """``count`` bulletins of about 1,400 characters, 20 gold records each; the predictions miss one in
    five (a wrong metric: a miss and a false positive) and get one period in seven wrong."""
    metrics = ["破获刑事案件", "电诈发案数", "抓获犯罪嫌疑人", "挽回经济损失", "查处交通违法"]
    documents, gold, predicted, per_document = {}, [], [], {}
    pairs, fps, fns, records, values = [], [], [], PRF(), PRF()
    for d in range(count):
        doc_id, text, doc_gold, doc_pred = f"synthetic/{d:04d} 通报", "", [], []
        for s in range(20):
            metric, value = metrics[(d + s) % 5], (d * 31 + s * 17) % 9000 + 10
            sentence = f"今年以来，全市公安机关{metric}{value}起，同比下降{s % 9}.{d % 10}%，工作成效明显。"
            start = len(text) + sentence.index(f"{value}起")
            record = {"doc_id": doc_id, "metric": metric, "value": float(value), "unit": "起", "qualifier": None,
                      "direction": None, "baseline": None, "period": "今年以来", "org": "全市公安机关",
                      "from_value": None, "evidence": {"start": start, "end": start + len(f"{value}起"),
                                                       "text": f"{value}起"}}
            doc_gold.append({**record, "optional": False})
            doc_pred.append({**record, "flags": [], "confidence": 0.9, "metric": "其他" if s % 5 == 0 else metric,
                             "period": "本月" if s % 7 == 0 else "今年以来"})
            text += sentence + "\n"
        documents[doc_id] = segment_document(doc_id, text, opencc_config=None)
        scores = per_document[doc_id] = evaluate_records(doc_pred, doc_gold)
        pairs += [(i + len(predicted), j + len(gold)) for i, j in scores.pairs]
        fps += [i + len(predicted) for i in scores.false_positives]
        fns += [j + len(gold) for j in scores.false_negatives]
        records, values = records + scores.records, values + scores.values
        gold += doc_gold
        predicted += doc_pred
    total = RecordEvaluation(records, values, {slot: None for slot in SLOTS}, pairs, fps, fns)
    result = EvaluationResult("synthetic", {}, total, per_document, total, predicted=predicted, gold=gold)
    return result, GoldCorpus(documents, {}, gold, {})


def test_the_page_opens_fast(tab, seeds_evaluation, test_evaluation, tmp_path):
    started = time.perf_counter()
    result, corpus = synthetic(1000)
    large = write_evaluation_view(result, corpus, tmp_path / "report.html")
    built = time.perf_counter() - started
    seconds = {"seeds": tab.ready_seconds(seeds_evaluation.page), "test": tab.ready_seconds(test_evaluation.page),
               "1,000 documents": tab.ready_seconds(large)}
    print("\nevaluation view ready in: " + ", ".join(f"{k} {v:.3f} s" for k, v in seconds.items())
          + f"; 1,000 documents ({large.stat().st_size / 1e6:.1f} MB) built in {built:.1f} s")
    assert max(seconds.values()) < LOAD_LIMIT, seconds
    tab.page.goto(f"{large.as_uri()}#d-{safe_name('synthetic/0999 通报')}")
    tab.wait_ready()
    assert tab.page.locator("section.doc:not([hidden]) mark.ev").count() == 24  # 16 pairs, 4 misses, 4 fps
    assert tab.page.locator("section.doc:not([hidden]) mark.ev.miss").count() == 4


def test_the_screenshot_helper_writes_a_small_png(browser, tmp_path):
    screenshots = load_script("screenshots")
    assert screenshots.DEFAULT_PATHS["evaluation"] == ROOT / "docs" / "images" / "evaluation.png"
    path = screenshots.evaluation_screenshot(browser, tmp_path / "evaluation.png")
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and path.stat().st_size < 300_000
