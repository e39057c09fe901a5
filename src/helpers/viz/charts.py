"""Report charts: DataFrame in, matplotlib ``Figure`` out.

Every function builds a stand-alone :class:`matplotlib.figure.Figure` (not
registered with pyplot, so nothing global is opened or closed), titled and
labelled with the Chinese text and units passed by the caller, with a
constrained layout so long Chinese labels do not overlap. Call
:func:`helpers.viz.style.use_report_style` first, then display with :func:`show`
in notebooks or save with :func:`save_figure`.
"""

from __future__ import annotations

import base64
import io
import math
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.patches import Patch

from helpers.indicators.definitions import pct
from helpers.normalize import display_width
from helpers.viz.style import ACCENT_COLOR, FIGURE_DPI, MUTED_COLOR, PALETTE, PRINT_DPI, figure_metadata

__all__ = [
    "bar_chart",
    "grouped_bar_chart",
    "funnel_chart",
    "share_chart",
    "line_chart",
    "progress_chart",
    "small_multiples",
    "rank_chart",
    "show",
    "save_figure",
    "figure_png_bytes",
]

_MISSING_LABEL = "—"
#: Characters that must not start a wrapped line (kept on the previous line).
_NO_LINE_START = "）)】」》』〕，,。.、；;：:！!？?%％"
_OTHER_LABEL = "其他"


# --------------------------------------------------------------------------- helpers


def _require_columns(df: pd.DataFrame, *columns: str | None) -> None:
    """Raise a clear error when ``df`` lacks one of ``columns``."""
    missing = [c for c in columns if c is not None and c not in df.columns]
    if missing:
        raise KeyError(
            f"数据缺少列：{'、'.join(map(str, missing))}（现有列：{'、'.join(map(str, df.columns))}）"
        )


def _wrap_label(text: object, max_width: int) -> str:
    """Wrap a (Chinese) label into lines of at most ``max_width`` display columns."""
    label = str(text)
    if display_width(label) <= max_width:
        return label
    lines: list[str] = []
    current = ""
    for ch in label:
        if current and display_width(current + ch) > max_width and ch not in _NO_LINE_START:
            lines.append(current)
            current = ""
        current += ch
    if current:
        lines.append(current)
    return "\n".join(line.strip() for line in lines)


def _format_value(number_format: str, value: object) -> str:
    """Format one numeric value, showing a dash for missing values."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or pd.isna(value):
        return _MISSING_LABEL
    return number_format.format(value)


def _numeric(series: pd.Series) -> np.ndarray:
    """Column as a float array (missing values become NaN)."""
    return pd.to_numeric(series, errors="coerce").astype("float64").to_numpy()


def _new_figure(width: float, height: float) -> Figure:
    """A stand-alone figure with constrained layout (not tracked by pyplot)."""
    return Figure(figsize=(width, height), layout="constrained")


def _style_value_axis(ax: Axes, horizontal: bool) -> None:
    """Grid on the value axis only; no grid on the category axis."""
    ax.grid(False)
    ax.grid(True, axis="x" if horizontal else "y", color="#E3E7EC", linewidth=0.8)
    ax.set_axisbelow(True)


def _pad_value_limits(ax: Axes, values: np.ndarray, horizontal: bool, pad: float = 0.16) -> None:
    """Leave room beyond the bar ends for the value labels."""
    finite = values[np.isfinite(values)]
    low = min(0.0, float(finite.min())) if finite.size else 0.0
    high = max(0.0, float(finite.max())) if finite.size else 1.0
    span = (high - low) or 1.0
    limits = (low - (pad * span if low < 0 else 0.0), high + (pad * span if high > 0 else 0.0))
    if horizontal:
        ax.set_xlim(*limits)
    else:
        ax.set_ylim(*limits)


def _legend_columns(fig: Figure, labels: Sequence[str], max_cols: int = 6) -> int:
    """Number of legend columns that fit the figure width without clipping."""
    if not labels:
        return 1
    # ~12 half-width columns per inch at legend font size, plus handle/padding.
    budget = fig.get_figwidth() * 12.0
    widest = max(display_width(line) for label in labels for line in label.split("\n"))
    per_column = widest + 7
    return int(max(1, min(len(labels), max_cols, budget // per_column)))


def _series_label(value: object) -> str:
    """Legend label for a series key (integers such as years stay without decimals)."""
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        return str(int(value))
    return str(value)


# --------------------------------------------------------------------------- charts


def bar_chart(
    df: pd.DataFrame,
    category: str,
    value: str,
    title: str,
    value_label: str,
    *,
    horizontal: bool = True,
    sort: bool = True,
    highlight: str | None = None,
    number_format: str = "{:,.2f}",
    category_label: str | None = None,
    max_label_width: int = 24,
) -> Figure:
    """Bar chart of ``value`` per ``category`` with value labels on the bars.

    ``value_label`` names the value axis including its unit (e.g. "金额（亿元）").
    With ``sort`` the largest bar comes first (top for horizontal bars);
    ``highlight`` draws that category's bar in the accent colour.
    """
    _require_columns(df, category, value)
    data = df[[category, value]].copy()
    data["_v"] = _numeric(data[value])
    if sort:
        data = data.sort_values("_v", ascending=False, kind="stable", na_position="last")
    labels = [str(c) for c in data[category]]
    values = data["_v"].to_numpy()
    if highlight is not None and highlight not in labels:
        raise ValueError(f"要突出显示的类别“{highlight}”不在“{category}”列中")
    colors = [
        ACCENT_COLOR if label == highlight else (PALETTE[0] if highlight is None else MUTED_COLOR)
        for label in labels
    ]
    n = len(labels)
    positions = np.arange(n)
    plot_values = np.nan_to_num(values, nan=0.0)
    text_labels = [_format_value(number_format, v) for v in values]

    if horizontal:
        fig = _new_figure(8.0, max(2.8, 0.42 * n + 1.4))
        ax = fig.add_subplot()
        bars = ax.barh(positions, plot_values, color=colors, height=0.65)
        ax.set_yticks(positions, [_wrap_label(x, max_label_width) for x in labels])
        ax.invert_yaxis()  # first row on top
        ax.set_xlabel(value_label)
        if category_label:
            ax.set_ylabel(category_label)
    else:
        wrap = max(4, min(max_label_width, 12))
        fig = _new_figure(max(6.0, 0.75 * n + 2.0), 4.8)
        ax = fig.add_subplot()
        bars = ax.bar(positions, plot_values, color=colors, width=0.65)
        rotate = n > 14
        ax.set_xticks(
            positions,
            labels if rotate else [_wrap_label(x, wrap) for x in labels],
            rotation=45 if rotate else 0,
            ha="right" if rotate else "center",
            rotation_mode="anchor",
        )
        ax.set_ylabel(value_label)
        if category_label:
            ax.set_xlabel(category_label)
    ax.bar_label(bars, labels=text_labels, padding=3, fontsize=9)
    _pad_value_limits(ax, plot_values, horizontal)
    _style_value_axis(ax, horizontal)
    ax.set_title(title)
    return fig


def grouped_bar_chart(
    df: pd.DataFrame,
    category: str,
    series: str,
    value: str,
    title: str,
    value_label: str,
    *,
    horizontal: bool = False,
    sort: bool = True,
    series_order: Sequence[object] | None = None,
    number_format: str = "{:,.2f}",
    category_label: str | None = None,
    max_label_width: int = 24,
) -> Figure:
    """Side-by-side bars of ``value`` per ``category``, one bar per ``series`` value.

    Typical use: 2021 vs 2022 per industry. Series are ordered ascending (or by
    ``series_order``); with ``sort`` categories are ordered by the last series,
    largest first. Duplicate (category, series) rows are summed.
    """
    _require_columns(df, category, series, value)
    data = df[[category, series]].copy()
    data["_v"] = _numeric(df[value])
    table = data.groupby([category, series], sort=False)["_v"].sum(min_count=1).unstack(series)
    if series_order is not None:
        unknown = [s for s in series_order if s not in table.columns]
        if unknown:
            raise ValueError(f"系列不存在：{'、'.join(map(str, unknown))}")
        table = table[list(series_order)]
    else:
        table = table[sorted(table.columns, key=lambda s: (str(type(s)), s))]
    if sort and len(table.columns):
        table = table.sort_values(table.columns[-1], ascending=False, kind="stable", na_position="last")
    categories = [str(c) for c in table.index]
    n_cat, n_ser = len(categories), len(table.columns)
    positions = np.arange(n_cat)
    width = 0.8 / max(n_ser, 1)
    offsets = (np.arange(n_ser) - (n_ser - 1) / 2) * width
    all_values = table.to_numpy(dtype="float64")

    if horizontal:
        fig = _new_figure(8.0, max(3.0, (0.3 * n_ser + 0.2) * n_cat + 1.6))
    else:
        fig = _new_figure(max(6.0, (0.42 * n_ser + 0.3) * n_cat + 2.0), 4.8)
    ax = fig.add_subplot()
    small = n_cat * n_ser > 16
    for i, key in enumerate(table.columns):
        vals = table[key].to_numpy(dtype="float64")
        plot_vals = np.nan_to_num(vals, nan=0.0)
        color = PALETTE[i % len(PALETTE)]
        if horizontal:
            bars = ax.barh(positions + offsets[i], plot_vals, height=width * 0.95, color=color,
                           label=_series_label(key))
        else:
            bars = ax.bar(positions + offsets[i], plot_vals, width=width * 0.95, color=color,
                          label=_series_label(key))
        ax.bar_label(
            bars,
            labels=[_format_value(number_format, v) for v in vals],
            padding=2,
            fontsize=7 if small else 8.5,
            rotation=0 if horizontal or not small else 90,
        )
    if horizontal:
        ax.set_yticks(positions, [_wrap_label(c, max_label_width) for c in categories])
        ax.invert_yaxis()
        ax.set_xlabel(value_label)
        if category_label:
            ax.set_ylabel(category_label)
    else:
        rotate = n_cat > 10
        ax.set_xticks(
            positions,
            categories if rotate else [_wrap_label(c, 10) for c in categories],
            rotation=45 if rotate else 0,
            ha="right" if rotate else "center",
            rotation_mode="anchor",
        )
        ax.set_ylabel(value_label)
        if category_label:
            ax.set_xlabel(category_label)
    _pad_value_limits(ax, np.nan_to_num(all_values.ravel(), nan=0.0), horizontal,
                      pad=0.25 if small and not horizontal else 0.16)
    _style_value_axis(ax, horizontal)
    ax.set_title(title)
    handles, legend_labels = ax.get_legend_handles_labels()
    fig.legend(handles, legend_labels, loc="outside lower center",
               ncols=_legend_columns(fig, legend_labels))
    return fig


def funnel_chart(
    stages: pd.DataFrame,
    title: str,
    *,
    stage: str = "stage",
    count: str = "count",
    unit: str = "个",
    number_format: str = "{:,.0f}",
) -> Figure:
    """Funnel of ``count`` per ``stage`` (in the given order) with conversion rates.

    Each row after the first shows the conversion from the previous stage
    ("转化率 xx.xx%", rounded half up like every percentage of the report) on the right, and the overall conversion is added to the title.
    """
    _require_columns(stages, stage, count)
    names = [str(s) for s in stages[stage]]
    counts = np.nan_to_num(_numeric(stages[count]), nan=0.0)
    n = len(names)
    top = float(counts.max()) if n and counts.max() > 0 else 1.0
    fig = _new_figure(8.0, max(2.8, 0.62 * n + 1.4))
    ax = fig.add_subplot()
    positions = np.arange(n)
    colors = [PALETTE[0]] * n
    alphas = np.linspace(1.0, 0.55, n) if n > 1 else np.array([1.0])
    for i, (pos, c) in enumerate(zip(positions.tolist(), counts, strict=True)):
        ax.barh(pos, c, left=-c / 2, height=0.72, color=colors[i], alpha=float(alphas[i]))
        text = f"{_format_value(number_format, c)} {unit}".strip()
        if c / top >= 0.28:
            ax.text(0, pos, text, ha="center", va="center", color="white", fontsize=10)
        else:
            ax.text(c / 2 + top * 0.02, pos, text, ha="left", va="center", color="#2B2B2B",
                    fontsize=10)
        if i > 0:
            prev = counts[i - 1]
            rate = f"{pct(c, prev):.2f}%" if prev > 0 else _MISSING_LABEL  # as in the funnel table
            ax.text(top * 0.62, pos, f"转化率 {rate}", ha="left", va="center",
                    color="#4A5560", fontsize=9.5)
    ax.set_yticks(positions, [_wrap_label(s, 16) for s in names])
    ax.invert_yaxis()
    ax.set_xlim(-top * 0.52, top * 0.98)
    ax.xaxis.set_visible(False)
    ax.grid(False)
    for side in ("top", "right", "bottom", "left"):
        ax.spines[side].set_visible(False)
    ax.tick_params(axis="y", length=0)
    if n > 1 and counts[0] > 0:
        title = f"{title}（总体转化率 {pct(counts[-1], counts[0]):.2f}%）"
    ax.set_title(title)
    return fig


def share_chart(
    df: pd.DataFrame,
    category: str,
    value: str,
    title: str,
    *,
    group: str | None = None,
    kind: str = "bar",
    max_categories: int | None = None,
    min_label_share: float = 4.0,
) -> Figure:
    """Shares of ``value`` by ``category``: a 100 % stacked horizontal bar or a donut.

    ``kind='bar'`` draws one stacked bar (or one per ``group`` value, e.g. per
    year); ``kind='donut'`` draws a single ring. Categories beyond
    ``max_categories`` (by total) are merged into "其他". Segments smaller than
    ``min_label_share`` percent get no inline label; the legend lists every share.
    """
    if kind not in {"bar", "donut"}:
        raise ValueError("kind 只能是 'bar' 或 'donut'")
    _require_columns(df, category, value, group)
    if kind == "donut" and group is not None:
        raise ValueError("环形图不支持分组（group），请改用 kind='bar'")
    data = df[[category] + ([group] if group else [])].copy()
    data[category] = data[category].astype(str)
    data["_v"] = np.nan_to_num(_numeric(df[value]), nan=0.0)
    group_key = group or "_all"
    if group is None:
        data[group_key] = ""
    table = data.groupby([group_key, category], sort=False)["_v"].sum().unstack(category, fill_value=0.0)
    order = table.sum(axis=0).sort_values(ascending=False, kind="stable").index.tolist()
    table = table[order]
    if max_categories is not None and len(order) > max_categories:
        keep = order[: max(max_categories - 1, 1)]
        rest = table.drop(columns=keep).sum(axis=1)
        table = table[keep].copy()
        table[_OTHER_LABEL] = table.get(_OTHER_LABEL, 0.0) + rest
    totals = table.sum(axis=1).replace(0.0, np.nan)
    shares = table.div(totals, axis=0).fillna(0.0) * 100
    cats = list(shares.columns)
    colors = [PALETTE[i % len(PALETTE)] for i in range(len(cats))]

    if kind == "donut":
        row = shares.iloc[0]
        fig = _new_figure(7.5, 4.8)
        ax = fig.add_subplot()
        wedges, _ = ax.pie(row.to_numpy(), colors=colors, startangle=90, counterclock=False,
                           wedgeprops={"width": 0.38, "edgecolor": "white", "linewidth": 1.5})
        for wedge, share in zip(wedges, row.to_numpy(), strict=True):
            if share >= max(min_label_share, 5.0):
                angle = math.radians((wedge.theta1 + wedge.theta2) / 2)
                ax.text(0.81 * math.cos(angle), 0.81 * math.sin(angle), f"{share:.1f}%",
                        ha="center", va="center", color="white", fontsize=9)
        ax.set_aspect("equal")
        fig.legend(wedges, [f"{_wrap_label(c, 24)}（{s:.1f}%）" for c, s in zip(cats, row.to_numpy(), strict=True)],
                   loc="outside right center")
        ax.set_title(title)
        return fig

    groups = [str(g) for g in shares.index]
    n = len(groups)
    fig = _new_figure(8.5, max(2.6, 0.7 * n + 1.9))
    ax = fig.add_subplot()
    positions = np.arange(n)
    left = np.zeros(n)
    for cat, color in zip(cats, colors, strict=True):
        vals = shares[cat].to_numpy(dtype="float64")
        name = _wrap_label(cat, 30)
        legend_label = f"{name}（{vals[0]:.1f}%）" if n == 1 else name
        bars = ax.barh(positions, vals, left=left, color=color, height=0.6, label=legend_label,
                       edgecolor="white", linewidth=1)
        ax.bar_label(bars, labels=[f"{v:.1f}%" if v >= min_label_share else "" for v in vals],
                     label_type="center", color="white", fontsize=9)
        left += vals
    ax.set_xlim(0, 100)
    ax.set_xlabel("占比（%）")
    if group is None:
        ax.set_yticks([])
    else:
        ax.set_yticks(positions, groups)
        ax.invert_yaxis()
    ax.grid(False)
    ax.spines["left"].set_visible(False)
    ax.set_title(title)
    handles, legend_labels = ax.get_legend_handles_labels()
    fig.legend(handles, legend_labels, loc="outside lower center",
               ncols=_legend_columns(fig, legend_labels, 4))
    return fig


def line_chart(
    df: pd.DataFrame,
    x: str,
    y: str,
    series: str | None,
    title: str,
    y_label: str,
    *,
    x_label: str | None = None,
    number_format: str = "{:,.2f}",
    series_order: Sequence[object] | None = None,
) -> Figure:
    """Line chart of ``y`` over ``x`` with one line per ``series`` value.

    Intended for monthly cumulative funds. The legend shows each line's last
    value (e.g. "2022：12.34") instead of point labels, so labels never overlap.
    """
    _require_columns(df, x, y, series)
    data = df[[x] + ([series] if series else [])].copy()
    data["_y"] = _numeric(df[y])
    keys: list[object]
    if series is None:
        keys = [None]
    elif series_order is not None:
        keys = list(series_order)
    else:
        keys = sorted(data[series].dropna().unique().tolist(), key=lambda s: (str(type(s)), s))
    numeric_x = pd.api.types.is_numeric_dtype(data[x])
    categorical_x = not numeric_x and not pd.api.types.is_datetime64_any_dtype(data[x])
    x_order = list(dict.fromkeys(str(v) for v in data[x])) if categorical_x else []

    fig = _new_figure(8.5, 4.8)
    ax = fig.add_subplot()
    for i, key in enumerate(keys):
        part = data if key is None else data[data[series] == key]
        if numeric_x or not categorical_x:
            part = part.sort_values(x, kind="stable")
            xs = part[x].to_numpy()
        else:
            rank = {v: j for j, v in enumerate(x_order)}
            part = part.assign(_rank=[rank[str(v)] for v in part[x]]).sort_values("_rank", kind="stable")
            xs = part["_rank"].to_numpy()
        ys = part["_y"].to_numpy()
        finite = ys[np.isfinite(ys)]
        last = _format_value(number_format, finite[-1] if finite.size else np.nan)
        name = y_label if key is None else _series_label(key)
        ax.plot(xs, ys, marker="o", markersize=4, linewidth=2,
                color=PALETTE[i % len(PALETTE)], label=f"{name}：{last}")
    if categorical_x:
        step = max(1, math.ceil(len(x_order) / 12))
        ticks = list(range(0, len(x_order), step))
        ax.set_xticks(ticks, [x_order[t] for t in ticks])
    elif numeric_x:
        uniq = np.unique(data[x].dropna().to_numpy())
        if 0 < len(uniq) <= 24:
            ax.set_xticks(uniq, [_series_label(u) for u in uniq])
    ax.set_ylabel(y_label)
    if x_label:
        ax.set_xlabel(x_label)
    ax.set_ylim(bottom=min(0.0, float(np.nanmin(data["_y"])) if data["_y"].notna().any() else 0.0))
    ax.grid(False)
    ax.grid(True, axis="y", color="#E3E7EC", linewidth=0.8)
    ax.set_title(title)
    handles, legend_labels = ax.get_legend_handles_labels()
    fig.legend(handles, legend_labels, loc="outside lower center",
               ncols=_legend_columns(fig, legend_labels, 4))
    return fig


#: Bar colours of a progress chart by status, best first: green, amber, red (the shared palette).
STATUS_COLORS: tuple[str, ...] = (PALETTE[2], PALETTE[1], PALETTE[3])


def progress_chart(
    df: pd.DataFrame,
    category: str,
    value: str,
    title: str,
    value_label: str,
    *,
    schedule: float,
    schedule_label: str = "序时进度",
    status: str | None = None,
    status_order: Sequence[str] = (),
    number_format: str = "{:,.2f}",
    max_label_width: int = 24,
) -> Figure:
    """Completion (%) per unit as horizontal bars, highest first, against a dashed 序时进度 line.

    ``schedule`` is the 序时进度 in % (month M of 12 → M/12). With ``status`` each bar takes the
    colour of its status: ``status_order`` lists the statuses best first (green, amber, red), and
    the legend names them and the line. Missing values are drawn as "—" at zero.
    """
    _require_columns(df, category, value, status)
    data = df[[category] + ([status] if status else [])].copy()
    data["_v"] = _numeric(df[value])
    data = data.sort_values("_v", ascending=False, kind="stable", na_position="last")
    labels = [str(c) for c in data[category]]
    values = data["_v"].to_numpy()
    palette = {name: STATUS_COLORS[min(i, len(STATUS_COLORS) - 1)] for i, name in enumerate(status_order)}
    colors = [palette.get(s, PALETTE[0]) for s in data[status]] if status else [PALETTE[0]] * len(labels)
    n = len(labels)
    positions = np.arange(n)
    plot_values = np.nan_to_num(values, nan=0.0)
    fig = _new_figure(8.0, max(3.0, 0.42 * n + 1.8))
    ax = fig.add_subplot()
    bars = ax.barh(positions, plot_values, color=colors, height=0.65)
    ax.set_yticks(positions, [_wrap_label(x, max_label_width) for x in labels])
    ax.invert_yaxis()
    ax.set_xlabel(value_label)
    ax.bar_label(bars, labels=[_format_value(number_format, v) for v in values], padding=3, fontsize=9)
    _pad_value_limits(ax, np.append(plot_values, schedule), horizontal=True)
    line_label = f"{schedule_label} {schedule:.2f}%"
    ax.axvline(schedule, color="#4A5560", linestyle="--", linewidth=1.4, label=line_label)
    _style_value_axis(ax, horizontal=True)
    ax.set_title(title)
    handles: list[Artist] = [Patch(color=palette[s], label=s) for s in status_order if status and s in set(data[status])]
    handles.append(ax.get_lines()[-1])
    labels = [str(h.get_label()) for h in handles]
    fig.legend(handles, labels, loc="outside lower center", ncols=_legend_columns(fig, labels, 4))
    return fig


def _default_format(values: np.ndarray) -> str:
    """Counts (every value whole) without decimals, other numbers with 2."""
    finite = values[np.isfinite(values)]
    return "{:,.0f}" if finite.size and np.all(finite == np.round(finite)) else "{:,.2f}"


def small_multiples(
    df: pd.DataFrame,
    x: str,
    values: Sequence[str],
    title: str,
    *,
    columns: int = 3,
    number_formats: dict[str, str] | None = None,
    max_title_width: int = 38,
) -> Figure:
    """One small line panel per column of ``values`` over ``x`` (e.g. the years), in the given order.

    Each panel is titled with its column's header (label and unit, e.g.
    "省外2000万元以上项目实际进资（亿元）") and has its own value scale; every point carries its
    value (counts without decimals unless ``number_formats`` says otherwise), so the value axis
    (from 0) has no tick labels; a missing value is not drawn and shown as "—" on the axis. ``x`` values are taken in the table's order.
    """
    _require_columns(df, x, *values)
    if not values:
        raise ValueError("至少需要一个指标列")
    number_formats = number_formats or {}
    x_labels = [_series_label(v) for v in df[x]]
    positions = np.arange(len(x_labels))
    n = len(values)
    ncols = max(1, min(columns, n))
    nrows = math.ceil(n / ncols)
    fig = _new_figure(8.5, 2.35 * nrows + 0.7)
    grid = fig.subplots(nrows, ncols, squeeze=False)
    for index, column in enumerate(values):
        ax = grid[index // ncols][index % ncols]
        ys = _numeric(df[column])
        number_format = number_formats.get(column) or _default_format(ys)
        color = PALETTE[0]
        ax.plot(positions, ys, marker="o", markersize=4, linewidth=2, color=color)
        finite = ys[np.isfinite(ys)]
        high = float(finite.max()) if finite.size else 1.0
        low = min(0.0, float(finite.min())) if finite.size else 0.0
        span = (high - low) or 1.0
        ax.set_ylim(low, high + 0.3 * span)
        for position, y in zip(positions, ys, strict=True):
            shown = _format_value(number_format, y)
            ax.annotate(shown, (position, y if np.isfinite(y) else low), textcoords="offset points",
                        xytext=(0, 6), ha="center", fontsize=8, color="#2B2B2B")
        ax.set_xticks(positions, x_labels)
        ax.set_xlim(-0.5, len(x_labels) - 0.5)
        ax.tick_params(axis="x", labelsize=8)
        ax.tick_params(axis="y", labelleft=False, length=0)  # every point carries its value
        ax.grid(False)
        ax.grid(True, axis="y", color="#E3E7EC", linewidth=0.8)
        ax.set_title(_wrap_label(column, max_title_width), fontsize=9)
    for index in range(n, nrows * ncols):
        fig.delaxes(grid[index // ncols][index % ncols])
    fig.suptitle(title)
    return fig


def rank_chart(
    df: pd.DataFrame,
    category: str,
    columns: Sequence[str],
    title: str,
    *,
    rank_label: str = "排名",
    max_label_width: int = 20,
) -> Figure:
    """Ranks of every ``category`` in each of ``columns`` (e.g. the years) as a shaded grid.

    One row per category, ordered by the last column (rank 1 on top, a missing rank last), one
    column per entry of ``columns`` in the given order; every cell shows its rank (1 the best,
    shaded darkest), a missing rank "—".
    """
    _require_columns(df, category, *columns)
    data = df[[category, *columns]].copy()
    data["_last"] = _numeric(data[columns[-1]]) if columns else np.nan
    data = data.sort_values("_last", kind="stable", na_position="last")
    ranks = np.column_stack([_numeric(data[c]) for c in columns]) if columns else np.empty((len(data), 0))
    labels = [str(c) for c in data[category]]
    finite = ranks[np.isfinite(ranks)]
    worst = float(finite.max()) if finite.size else 1.0
    width = max(7.0, 1.15 * len(columns) + 3.2)
    fig = _new_figure(width, max(2.6, 0.34 * len(labels) + 1.4))
    ax = fig.add_subplot()
    colormap = LinearSegmentedColormap.from_list("rank", [PALETTE[0], "#F2F5F9"])
    ax.imshow(np.ma.masked_invalid(ranks), cmap=colormap, vmin=1, vmax=max(worst, 2.0), aspect="auto")
    for row in range(ranks.shape[0]):
        for col in range(ranks.shape[1]):
            value = ranks[row, col]
            dark = np.isfinite(value) and value <= 1 + (worst - 1) * 0.45
            ax.text(col, row, _format_value("{:,.0f}", value), ha="center", va="center", fontsize=9,
                    color="white" if dark else "#2B2B2B")
    ax.set_xticks(np.arange(len(columns)), [str(c) for c in columns])
    ax.xaxis.tick_top()
    ax.set_yticks(np.arange(len(labels)), [_wrap_label(label, max_label_width) for label in labels])
    ax.set_xticks(np.arange(len(columns) + 1) - 0.5, minor=True)
    ax.set_yticks(np.arange(len(labels) + 1) - 0.5, minor=True)
    ax.grid(False)
    ax.grid(True, which="minor", color="white", linewidth=1.5)
    ax.tick_params(which="both", length=0)
    for side in ("top", "right", "bottom", "left"):
        ax.spines[side].set_visible(False)
    ax.set_xlabel(f"{rank_label}（1为最高，颜色越深越靠前）")
    # centred on the figure (the grid sits right of long unit names) and wrapped to its width
    fig.suptitle(_wrap_label(title, int(width * 10)))
    return fig


# --------------------------------------------------------------------------- output


def figure_png_bytes(fig: Figure, *, dpi: float | None = None) -> bytes:
    """Render ``fig`` to deterministic PNG bytes (no timestamp or version text)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi if dpi is not None else "figure",
                metadata=figure_metadata("png"))
    return buffer.getvalue()


def save_figure(fig: Figure, path: str | Path, *, fmt: str | None = None, dpi: float | None = None) -> Path:
    """Save ``fig`` to ``path`` (format from the suffix unless ``fmt``) deterministically."""
    target = Path(path)
    fmt = (fmt or target.suffix.lstrip(".") or "png").lower()
    fig.savefig(target, format=fmt, dpi=dpi if dpi is not None else "figure",
                metadata=figure_metadata(fmt))
    return target


def figure_text(fig: Figure) -> str:
    """A plain-text twin of a drawn chart: titles, axis labels, tick labels and value labels.

    Shown as the chart's ``text/plain`` output so that nbval (which skips images) still
    notices when a plotted number or category changes. Order (deterministic): the
    suptitle, one line per axes (title, labels, ticks, texts, axes legend), one line per
    figure-level legend (``fig.legend``, which carries e.g. the line chart's values), then
    the remaining figure-level texts (``fig.text``, ``supxlabel``/``supylabel``).
    """

    def joined(parts: Sequence[str]) -> str:
        return " | ".join(p.replace("\n", "") for p in parts if p)

    def legend_parts(legend: Legend | None) -> list[str]:
        if legend is None:
            return []
        return [legend.get_title().get_text()] + [t.get_text() for t in legend.get_texts()]

    lines: list[str] = []
    suptitle = getattr(fig, "_suptitle", None)  # no public getter (get_suptitle returns '' for none)
    if suptitle is not None and suptitle.get_text():
        lines.append(suptitle.get_text())
    for ax in fig.axes:
        parts = [ax.get_title(), ax.get_xlabel(), ax.get_ylabel()]
        parts += [t.get_text() for t in ax.get_yticklabels() + ax.get_xticklabels()]
        parts += [t.get_text() for t in ax.texts]
        parts += legend_parts(ax.get_legend())
        lines.append(joined(parts))
    for legend in fig.legends:
        lines.append(joined(legend_parts(legend)))
    lines.append(joined([t.get_text() for t in fig.texts if t is not suptitle]))
    return "[图表] " + "\n".join(line for line in lines if line)


def show(fig: Figure) -> None:
    """Display ``fig`` once as a PNG in a notebook, then close it.

    The output carries the PNG and a plain-text twin (``figure_text``), never a
    ``<Figure ...>`` or ``Text(...)`` repr. The PNG is rendered at ``PRINT_DPI`` (sharp on
    paper, in the Word report and on high-density screens) and shown at the size of
    ``FIGURE_DPI`` (``width``/``height`` metadata, CSS pixels).
    """
    import matplotlib.pyplot as plt
    from IPython.display import display

    png = figure_png_bytes(fig, dpi=PRINT_DPI)  # draws the figure, so tick labels exist for figure_text
    text = figure_text(fig)
    width, height = (int(round(inches * FIGURE_DPI)) for inches in fig.get_size_inches())
    plt.close(fig)
    display({"image/png": base64.b64encode(png).decode("ascii"), "text/plain": text},
            metadata={"image/png": {"width": width, "height": height}}, raw=True)
