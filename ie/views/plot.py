"""A bar chart of one metric across documents, periods or orgs (``bulletin-ie plot``).

The metric is chosen as a canonical ``metric_id`` (when some record has exactly that id) or
else as a substring of the metric as written (``电诈``). Restated figures are skipped
(``ie.views.duplicates``), so each figure is drawn once. The chosen rows must share one unit
and be all levels or all changes: a chart mixing ``起`` with ``%``, or a level with a change,
is refused (``ViewError``) with what it would have mixed. A change is drawn signed (``下降
39.1%`` as -39.1). Bars are ordered by document, by period (normalised start, unnormalised
last) or by org, labelled with that key and, where the key repeats, with what tells the bars
apart.

matplotlib is imported only here and only when a chart is drawn (``pip install -e ".[plots]"``).
Chinese labels need a CJK font: a known family that matplotlib sees (Noto Sans CJK, Source Han,
WenQuanYi, SimHei, Microsoft YaHei, PingFang) or a system font file whose name says CJK; with
none, the chart is still drawn, with a warning that its Chinese will show as boxes.
"""

from __future__ import annotations

import logging
import warnings
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ie.atomic import atomic_path
from ie.views.duplicates import Mention, mentions_to_duplicates
from ie.views.periods import Period
from ie.views.records_file import RecordRow, ViewError, check_view_output, read_records
from ie.views.table import normalise_periods, read_document_dates

logger = logging.getLogger(__name__)

BY = ("doc", "period", "org")
CJK_FAMILIES = ("Noto Sans CJK SC", "Noto Sans CJK JP", "Noto Serif CJK SC", "Source Han Sans SC", "Source Han Sans CN",
                "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "SimHei", "Microsoft YaHei", "PingFang SC",
                "Heiti SC", "AR PL UMing CN", "Droid Sans Fallback")
_CJK_FILES = ("notosanscjk", "notoserifcjk", "sourcehansans", "wqy", "simhei", "msyh", "pingfang", "droidsansfallback")


@dataclass(frozen=True)
class Bar:
    """One bar: its label, its signed value and the figure as a reader would write it."""

    label: str
    value: float
    text: str


def select_rows(rows: Sequence[RecordRow], metric: str) -> list[RecordRow]:
    """The rows of ``metric``: those with that ``metric_id`` if any has it, else those whose metric
    as written contains it."""
    if not metric:
        raise ViewError("metric= is empty: give a metric_id or a part of the metric as written (电诈)")
    exact = [row for row in rows if row.record.metric_id == metric]
    return exact or [row for row in rows if metric in row.record.metric]


def _figure(row: RecordRow) -> str:
    record = row.record
    number = f"{record.value:,.0f}" if record.value.is_integer() else f"{record.value:,.4g}"
    sign = {"up": "+", "down": "-"}.get(record.direction or "", "")
    return f"{sign}{number}{record.unit or ''}"


def rows_to_bars(rows: Sequence[RecordRow], periods: Sequence[Period], *, by: str = "doc") -> list[Bar]:
    """The bars of the chosen rows (duplicates already left out), ordered and labelled by ``by``.

    Raises ``ViewError`` when the rows mix units, or levels and changes.
    """
    if by not in BY:
        raise ViewError(f"by={by}: one of {', '.join(BY)}")
    if not rows:
        return []
    units = Counter(row.record.unit or "(no unit)" for row in rows)
    if len(units) > 1:
        listed = ", ".join(f"{unit} ×{count}" for unit, count in units.most_common())
        raise ViewError(f"the chosen records mix units ({listed}): choose a narrower metric, or one unit "
                        f"(--unit {units.most_common(1)[0][0].replace('(no unit)', 'none')})")
    kinds = Counter("change" if row.record.direction else "level" for row in rows)
    if len(kinds) > 1:
        raise ViewError(f"the chosen records mix levels (×{kinds['level']}) and changes (×{kinds['change']}): "
                        f"choose a narrower metric")
    keys = {"doc": lambda row, period: row.record.doc_id,
            "period": lambda row, period: period.form or row.record.period or "(no period)",
            "org": lambda row, period: row.record.org or "(no org)"}
    order = {"doc": lambda i: (rows[i].record.doc_id, rows[i].record.evidence.start),
             "period": lambda i: (periods[i].start or periods[i].end or date.max, periods[i].form is None,
                                  rows[i].record.period or "", rows[i].record.doc_id, rows[i].record.evidence.start),
             "org": lambda i: (rows[i].record.org or "\uffff", rows[i].record.doc_id, rows[i].record.evidence.start)}
    labels = [keys[by](row, period) for row, period in zip(rows, periods)]
    repeated = Counter(labels)
    several_metrics = len({row.record.metric for row in rows}) > 1
    bars = []
    for i in sorted(range(len(rows)), key=order[by]):
        row, label = rows[i], labels[i]
        if repeated[label] > 1:  # what tells the bars apart, beyond the key
            label += "\n" + " · ".join(keys[name](row, periods[i]) for name in BY if name != by)
        if repeated[labels[i]] > 1 or several_metrics:
            label += "\n" + row.record.metric
        sign = -1.0 if row.record.direction == "down" else 1.0
        bars.append(Bar(label, sign * row.record.value, _figure(row)))
    return bars


def _font_preference(path: str) -> int:
    """The rank of a font file among ``_CJK_FILES`` (their number when it is none of them)."""
    name = Path(path).name.lower().replace("-", "").replace("_", "")
    return next((i for i, key in enumerate(_CJK_FILES) if key in name), len(_CJK_FILES))


def find_cjk_font() -> str | None:
    """The name of a font family with Chinese glyphs that matplotlib can use, or None: a known family
    of matplotlib's font cache, else a system font file named like one (installed after the cache
    was built), regular weight first."""
    from matplotlib import font_manager

    names = {font.name for font in font_manager.fontManager.ttflist}
    for family in CJK_FAMILIES:
        if family in names:
            return family
    found = font_manager.findSystemFonts()
    for path in sorted(found, key=lambda path: (_font_preference(path), "regular" not in path.lower(), path)):
        if _font_preference(path) < len(_CJK_FILES):
            try:
                font_manager.fontManager.addfont(path)
                return font_manager.FontProperties(fname=path).get_name()
            except (OSError, RuntimeError, ValueError):
                continue
    return None


def draw_bars(bars: Sequence[Bar], output: str | Path, *, title: str, unit: str | None) -> None:
    """Write a PNG bar chart of ``bars`` to ``output``, atomically."""
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
    except ImportError:
        raise ViewError('plots need matplotlib: pip install -e ".[plots]" (or ".[train]")') from None
    import matplotlib

    family = find_cjk_font()
    if family is None:
        logger.warning("no font with Chinese glyphs found: Chinese labels will show as boxes "
                       "(apt-get install fonts-noto-cjk, or any Noto Sans CJK / WenQuanYi font)")
    fonts = {"font.family": "sans-serif", "font.sans-serif": [family or "DejaVu Sans", "DejaVu Sans"],
             "axes.unicode_minus": False}
    with warnings.catch_warnings(), matplotlib.rc_context(fonts):
        if family is None:
            warnings.filterwarnings("ignore", message="Glyph .* missing from")
        figure = Figure(figsize=(max(6.0, 0.9 * len(bars) + 2), 5.5), layout="constrained")
        FigureCanvasAgg(figure)
        axis = figure.add_subplot()
        positions = range(len(bars))
        drawn = axis.bar(positions, [bar.value for bar in bars], color="#4c72b0")
        axis.bar_label(drawn, labels=[bar.text for bar in bars], fontsize=8, padding=2)
        crowded = len(bars) > 4 or max((len(line) for bar in bars for line in bar.label.split("\n")), default=0) > 12
        axis.set_xticks(list(positions), [bar.label for bar in bars], fontsize=8,
                        rotation=30 if crowded else 0, ha="right" if crowded else "center")
        axis.axhline(0, color="black", linewidth=0.6)
        axis.set_ylabel(unit or "count")
        axis.set_title(title)
        with atomic_path(output) as temporary:
            figure.savefig(temporary, format="png", dpi=120)


@dataclass(frozen=True)
class PlotSummary:
    bars: int
    duplicates_skipped: int
    unit: str | None

    def __str__(self) -> str:
        return f"bars: {self.bars} ({self.duplicates_skipped} restated figures skipped), unit: {self.unit or 'none'}"


def plot_metric(records: str | Path, output: str | Path, *, metric: str, by: str = "doc", unit: str | None = None,
                texts: str | Path | None = None) -> PlotSummary:
    """Draw ``metric`` from a records file into a PNG, only its records in ``unit`` if given (``none``:
    those without a unit); ``texts`` (the bulletins) give date lines and heading weeks to the
    periods (``by=period``). ``ViewError`` when nothing matches or the rows mix units."""
    path = check_view_output(output, records, (".png",))
    if by not in BY:
        raise ViewError(f"by={by}: one of {', '.join(BY)}")
    rows = read_records(records)
    periods = normalise_periods(rows, read_document_dates(texts) if texts is not None else None)
    duplicates = mentions_to_duplicates([Mention(row.record, row.record.metric_id, period)
                                         for row, period in zip(rows, periods)], [row.line for row in rows])
    chosen = set(map(id, select_rows(rows, metric)))
    if unit is not None:
        wanted = None if unit.lower() in ("", "none") else unit
        chosen = {id(row) for row in rows if id(row) in chosen and row.record.unit == wanted}
    kept = [(row, period) for row, period, duplicate in zip(rows, periods, duplicates)
            if id(row) in chosen and duplicate is None]
    if not kept:
        unsaid = "" if unit is None else f" in unit {unit!r}"
        raise ViewError(f"{records}: no record has metric_id {metric!r} or a metric containing it{unsaid}")
    bars = rows_to_bars([row for row, _ in kept], [period for _, period in kept], by=by)
    unit = kept[0][0].record.unit
    changes = " (change)" if kept[0][0].record.direction else ""
    draw_bars(bars, path, title=f"{metric}{changes}", unit=unit)
    return PlotSummary(len(bars), len(chosen) - len(kept), unit)
