"""Notebook display: one style for tables, text and charts, with deterministic outputs.

Tables are shown as HTML with ids derived from the table's content and caption (a Styler's
default random ids would break byte-identical reruns; one shared id would let one table's
``<style>`` block restyle another and duplicate ids in the page) plus a plain-text twin, with amounts at 2 decimals; text as Markdown;
charts through ``charts.show``. Ledger text is data: cell values, column labels, captions, list items
and texts are HTML-escaped, so a project called ``<script>…`` is shown, never run.
"""

from __future__ import annotations

import hashlib
import html
from collections.abc import Iterable

import pandas as pd
from IPython.display import Markdown, display

from helpers.viz.style import use_report_style

#: Rows of a table (items of a list) shown in a report; the rest is counted in one line. The
#: full table is in the report's tables.xlsx. Above the longest table of the sample reports (61).
MAX_SHOWN = 100


def setup_notebook() -> None:
    """Chart style with a CJK font, and pandas display options for the report's tables."""
    use_report_style()
    pd.set_option("display.float_format", "{:,.2f}".format)
    pd.set_option("display.max_rows", 200)
    pd.set_option("display.max_columns", 40)
    pd.set_option("display.width", 200)
    pd.set_option("display.max_colwidth", 120)


def table_uuid(table: pd.DataFrame, caption: str | None = None) -> str:
    """A deterministic id for ``table``'s HTML: first 10 hex chars of sha256(caption + CSV)."""
    content = (caption or "") + "\n" + table.to_csv(index=False, lineterminator="\n")
    return hashlib.sha256(content.encode("utf-8")).hexdigest()[:10]


def escape_text(text: object) -> str:
    """Text for Markdown/HTML output with ``&``, ``<`` and ``>`` escaped (shown as typed).

    >>> escape_text("<img src=x onerror=alert(2)>")
    '&lt;img src=x onerror=alert(2)&gt;'
    """
    return html.escape(str(text), quote=False)


def rest_line(rest: int) -> str:
    """The line under a shortened table or list.

    >>> rest_line(1234)
    '（其余 1234 项略）'
    """
    return f"（其余 {rest} 项略）"


def show_table(
    table: pd.DataFrame, caption: str | None = None, max_rows: int = MAX_SHOWN, empty: str | None = "（本期无数据）"
) -> None:
    """A table without its index; empty values shown as "—" (not available), never as 0;
    every value and column label HTML-escaped. A table longer than ``max_rows`` shows its first
    ``max_rows`` rows and a line counting the rest (a ledger of 900,000 rows must not make a
    100 MB page). An empty table shows the line ``empty`` instead, or nothing when ``empty`` is
    None (where the sentence above the table already says there is nothing)."""
    if table.empty:
        if empty is not None:
            if caption:
                display(Markdown(f"**{escape_text(caption)}**"))
            display(Markdown(escape_text(empty)))
        return
    if caption:
        display(Markdown(f"**{escape_text(caption)}**"))
    rest = len(table) - max_rows
    if rest > 0:
        table = table.head(max_rows)
    shown = table.astype(object).where(table.notna(), "—")
    text_columns = [c for c in table.columns if all(isinstance(v, str) for v in table[c].dropna())]
    styler = shown.style.hide(axis="index").format(precision=2, thousands=",", escape="html")
    styler = styler.format_index(escape="html", axis="columns")
    styler = styler.set_uuid(table_uuid(table, caption))
    number_columns = [c for c in table.columns if c not in text_columns]
    styler = styler.set_properties(subset=text_columns, **{"text-align": "left"})
    styler = styler.set_properties(subset=number_columns, **{"text-align": "right"})
    html = styler.to_html()
    # text/plain carries the numbers too, so nbval notices a changed figure
    display({"text/html": html, "text/plain": shown.to_string(index=False)}, raw=True)
    if rest > 0:
        display(Markdown(rest_line(rest)))


def show_text(text: str) -> None:
    """Markdown text (``**bold**`` works); HTML in it is shown as text, not rendered."""
    display(Markdown(escape_text(text)))


def show_title(city: str, kind: str, period: str) -> None:
    """The report's first heading, naming the city, the period and the kind of report
    (the rendered HTML's ``<title>`` is taken from it).

    >>> title_text("九江市", "招商引资年度分析报告", "2022年")
    '九江市2022年招商引资年度分析报告'
    """
    display(Markdown(f"# {escape_text(title_text(city, kind, period))}"))


def title_text(city: str, kind: str, period: str) -> str:
    """The words of a report's title: city, period, kind (one string, no separators)."""
    return f"{city}{period}{kind}"


def show_list(items: Iterable[str], empty: str = "（暂无）", max_items: int = MAX_SHOWN) -> None:
    """A numbered list; each item's HTML is shown as text. A list longer than ``max_items``
    shows its first ``max_items`` items and a line counting the rest."""
    items = list(items)
    lines = [f"{i}. {escape_text(item)}" for i, item in enumerate(items[:max_items], start=1)]
    if len(items) > max_items:
        lines.append("\n" + rest_line(len(items) - max_items))
    display(Markdown("\n".join(lines) if lines else escape_text(empty)))
