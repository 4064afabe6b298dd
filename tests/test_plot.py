"""One metric as a bar chart (ie.views.plot): choosing rows, skipping restated figures, refusing mixed
units, the PNG, the font, the command."""

from __future__ import annotations

import dataclasses
import json
import logging
from pathlib import Path

import pytest

from ie.cli import main
from ie.views import plot as plot_module
from ie.views.periods import Period
from ie.views.plot import Bar, plot_metric, rows_to_bars, select_rows
from ie.views.records_file import ViewError, read_records

ROOT = Path(__file__).resolve().parents[1]
TRAIN = ROOT / "annotations" / "train.records.jsonl"
PNG = b"\x89PNG\r\n\x1a\n"


def gold(doc_ids: tuple[str, ...]) -> list[dict]:
    return [row for row in map(json.loads, TRAIN.read_text(encoding="utf-8").splitlines()) if row["doc_id"] in doc_ids]


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")
    return path


@pytest.fixture
def records(tmp_path) -> Path:
    """Two monthly bulletins (a county's 110 calls, a city's fraud) and a weekly one, as the gold records say."""
    return write_jsonl(tmp_path / "r.jsonl", gold(("train_b1_county_monthly_headings", "train_f1_city_fraud_monthly",
                                                   "train_g1_city_weekly_110_headings")))


def test_rows_are_chosen_by_metric_id_or_else_by_part_of_the_metric(records):
    rows = read_records(records)
    assert {row.record.metric for row in select_rows(rows, "交通警情")} == {"交通警情", "接报交通警情", "占交通警情"}
    with_ids = [dataclasses.replace(row, record=dataclasses.replace(
        row.record, metric_id="traffic_calls" if row.record.metric == "交通警情" else None)) for row in rows]
    assert {row.record.metric for row in select_rows(with_ids, "traffic_calls")} == {"交通警情"}
    assert select_rows(rows, "不存在的指标") == []
    with pytest.raises(ViewError, match="metric= is empty"):
        select_rows(rows, "")


def test_mixed_units_and_levels_with_changes_are_refused(records, tmp_path):
    with pytest.raises(ViewError, match=r"mix units \(% ×4, 起 ×3\): choose a narrower metric, or one unit "
                                        r"\(--unit %\)"):
        plot_metric(records, tmp_path / "p.png", metric="交通警情")
    rows = [row for row in read_records(records) if row.record.metric == "有效警情" and row.record.unit != "%"]
    changes = [row for row in read_records(records) if row.record.metric == "有效警情" and row.record.unit == "%"]
    assert rows and changes
    up = dataclasses.replace(changes[0], record=dataclasses.replace(changes[0].record, unit=rows[0].record.unit))
    with pytest.raises(ViewError, match=r"mix levels \(×\d+\) and changes \(×1\)"):
        rows_to_bars(rows + [up], [Period(None)] * (len(rows) + 1))
    assert not (tmp_path / "p.png").exists()


def test_bars_are_signed_labelled_and_ordered(records):
    rows = [row for row in read_records(records) if row.record.metric == "有效警情" and row.record.unit == "%"
            and row.record.org in ("澄州市公安局", "全市公安机关")]
    bars = rows_to_bars(rows, [Period(row.record.period) for row in rows], by="org")
    assert [bar.value for bar in bars] == [-4.1, -4.1]  # 环比下降4.1%, said by the headline and by the body
    assert [bar.text for bar in bars] == ["-4.1%", "-4.1%"]
    assert [bar.label.split("\n")[0] for bar in bars] == ["全市公安机关", "澄州市公安局"]
    with pytest.raises(ViewError, match="by=week"):
        rows_to_bars(rows, [Period(None)] * len(rows), by="week")


def test_restated_figures_are_drawn_once(tmp_path, monkeypatch):
    drawn = {}
    monkeypatch.setattr(plot_module, "draw_bars", lambda bars, output, **kw: drawn.update(bars=bars, **kw))
    rows = gold(("train_b1_county_monthly_headings",))
    only_counts = [row for row in rows if "交通警情" in row["metric"] and row["unit"] == "起"]
    assert [(row["period"], row["value"]) for row in only_counts] == [("2024年8月", 1032.0), ("本月", 1032.0)]
    summary = plot_metric(write_jsonl(tmp_path / "b1.jsonl", only_counts), tmp_path / "p.png", metric="交通警情")
    assert summary.bars == 1 and summary.duplicates_skipped == 1 and summary.unit == "起"
    assert drawn["bars"] == [Bar("train_b1_county_monthly_headings", 1032.0, "1,032起")]


def test_the_chart_is_a_png_written_atomically(records, tmp_path):
    pytest.importorskip("matplotlib")
    output = tmp_path / "charts" / "fraud.png"
    summary = plot_metric(records, output, metric="电诈", by="period")
    assert output.read_bytes().startswith(PNG) and summary.bars > 0
    assert sorted(p.name for p in output.parent.iterdir()) == ["fraud.png"]


class Remembered(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def test_without_a_cjk_font_the_chart_is_drawn_with_a_warning(records, tmp_path, monkeypatch):
    pytest.importorskip("matplotlib")
    monkeypatch.setattr(plot_module, "find_cjk_font", lambda: None)
    remembered = Remembered()
    logging.getLogger("ie.views.plot").addHandler(remembered)
    try:
        plot_metric(records, tmp_path / "p.png", metric="接报有效警情", by="org")
    finally:
        logging.getLogger("ie.views.plot").removeHandler(remembered)
    assert (tmp_path / "p.png").read_bytes().startswith(PNG)
    assert any("no font with Chinese glyphs" in m and "fonts-noto-cjk" in m for m in remembered.messages)


def test_an_installed_cjk_font_is_found():
    pytest.importorskip("matplotlib")
    from matplotlib import font_manager

    installed = [path for path in font_manager.findSystemFonts() if "cjk" in Path(path).name.lower()]
    if not installed:
        pytest.skip("no CJK font on this machine (apt-get install fonts-noto-cjk)")
    family = plot_module.find_cjk_font()
    assert family and "CJK" in family


def test_without_matplotlib_the_error_names_the_extra(records, tmp_path, monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_matplotlib(name, *args, **kwargs):
        if name.startswith("matplotlib"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_matplotlib)
    with pytest.raises(ViewError, match=r'pip install -e "\.\[plots\]"'):
        plot_metric(records, tmp_path / "p.png", metric="接报有效警情")


def test_the_command(records, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(plot_module, "draw_bars", lambda bars, output, **kw: Path(output).write_bytes(PNG))
    assert main(["plot", str(records), str(tmp_path / "p.png"), "--metric", "接报有效警情", "--by", "org"]) == 0
    assert capsys.readouterr().out.startswith("bars: ")
    assert main(["plot", str(records), str(tmp_path / "q.png"), "--metric", "交通警情"]) == 2
    assert "mix units" in capsys.readouterr().err and not (tmp_path / "q.png").exists()
    assert main(["plot", str(records), str(tmp_path / "q.png"), "--metric", "交通警情", "--unit", "起"]) == 0
    assert capsys.readouterr().out.startswith("bars: 3 (1 restated figures skipped), unit: 起")
    assert main(["plot", str(records), str(tmp_path / "q.png"), "--metric", "交通警情", "--unit", "元"]) == 2
    assert "in unit '元'" in capsys.readouterr().err
    assert main(["plot", str(records), str(tmp_path / "q.png"), "--metric", "不存在"]) == 2
    assert "no record has metric_id '不存在'" in capsys.readouterr().err
    assert main(["plot", str(records), str(records), "--metric", "接报有效警情"]) == 2
    assert main(["plot", str(records), str(tmp_path / "q.svg"), "--metric", "接报有效警情"]) == 2
    assert "must end in .png" in capsys.readouterr().err
