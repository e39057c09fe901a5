"""Auto-drafted highlights (亮点): Chinese sentences generated from the computed figures.

The wording lives in ``data/reference/highlights.yaml`` (templates + data, no hand-typed
numbers). A clause whose value is not available is left out; a sentence whose first clause
is not available is left out whole — never filled with zeros. Every placeholder is checked
when the templates are loaded: a path that names no figure (a typo) is a one-line
``ReferenceDataError``, never a sentence silently left out.

>>> draft_sentences([["全市项目{a/count|int}个", "同比{a/yoy|growth}"]], {"a": {"count": 5, "yoy": None}})
['全市项目5个。']
>>> draft_sentences([["小分队外出{t/count|count}次"]], {"t": {"count": 0}})
[]
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from helpers.errors import ReferenceDataError
from helpers.indicators.definitions import round_half_up
from helpers.indicators.metrics import compute_metrics, get_path
from helpers.ingest.clean import empty_clean_year
from helpers.reference import Reference
from helpers.reference.tables import safe_load_yaml

PLACEHOLDER = re.compile(r"\{([^{}|]+)\|([a-z]+)\}")
CHINESE_DIGITS = "零一二三四五六七八九"
#: The keys :func:`derived_values` can give (``{derived/…|text}`` placeholders).
DERIVED_KEYS = ("event_names", "event_counts", "event_total", "campaign_period", "chain_summary")


def chinese_ordinal(number: int) -> str:
    """1 → 第一, 11 → 第十一, 20 → 第二十 (ranks up to 99)."""
    if number < 1 or number > 99:
        return f"第{number}"
    tens, ones = divmod(number, 10)
    text = ("" if tens == 0 else ("十" if tens == 1 else CHINESE_DIGITS[tens] + "十")) + (CHINESE_DIGITS[ones] if ones else "")
    return "第" + text


def format_yi(value: float) -> str:
    """2 decimals with trailing zeros dropped, as the city writes amounts: 986.70 → 986.7, 637.00 → 637."""
    text = f"{value:.2f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _signed(value: float, up: str, down: str, suffix: str = "", digits: int = 2) -> str:
    magnitude = f"{abs(value):.{digits}f}" if digits else f"{abs(int(value))}"
    return f"{up if value >= 0 else down}{magnitude}{suffix}"


FORMATS: dict[str, Callable[[Any], str]] = {
    "yi": lambda v: format_yi(float(v)),
    "int": lambda v: f"{int(v)}",
    "count": lambda v: f"{int(v)}",
    "pct": lambda v: f"{float(v):.2f}",
    "rank": lambda v: chinese_ordinal(int(v)),
    "growth": lambda v: _signed(float(v), "增长", "下降", "%"),
    "change": lambda v: _signed(float(v), "增加", "减少", digits=0),
    "pp": lambda v: _signed(float(v), "提高", "降低", "个百分点"),
    "schedule": lambda v: _signed(float(v), "超序时进度", "低于序时进度", "个百分点"),
    "text": str,
}


def fill_clause(clause: str, context: dict[str, Any]) -> str | None:
    """The clause with its placeholders filled, or None when a value is missing
    (or zero for the ``count`` format: "外出招商0次" reports nothing)."""
    values = []
    for path, fmt in PLACEHOLDER.findall(clause):
        value = get_path(context, path)
        if value is None or value == "" or (fmt == "count" and value == 0):
            return None
        values.append(FORMATS[fmt](value))
    iterator = iter(values)
    return PLACEHOLDER.sub(lambda _match: next(iterator), clause)


def draft_sentences(templates: list[list[str]], context: dict[str, Any]) -> list[str]:
    """Fill every sentence template; drop missing clauses and sentences without their first clause."""
    sentences = []
    for clauses in templates:
        filled = [fill_clause(clause, context) for clause in clauses]
        if not filled or filled[0] is None:
            continue
        sentences.append("，".join(c for c in filled if c is not None) + "。")
    return sentences


def derived_values(metrics: dict[str, Any]) -> dict[str, Any]:
    """Values that need a list or a date turned into words (event lists, the campaign period, chains)."""
    derived: dict[str, Any] = {}
    events = metrics.get("event_signings") or {}
    top = sorted(events.items(), key=lambda item: -item[1]["count"])[:3]
    top = [item for item in events.items() if item in top]  # keep the reference (calendar) order
    if top:
        derived["event_names"] = "、".join(name for name, _ in top)
        derived["event_counts"] = "、".join(f"{value['count']}个" for _, value in top)
        derived["event_total"] = round_half_up(sum(value["total_investment"] for _, value in top), 2)
    campaign = metrics.get("campaign")
    if campaign:
        start, end = (campaign[k].split("-") for k in ("start", "end"))
        derived["campaign_period"] = f"{int(start[1])}月{int(start[2])}日至{int(end[1])}月{int(end[2])}日"
    chains = [
        (value["pct"], county, chain, value)
        for county, by_chain in (metrics.get("chain_completeness") or {}).items()
        for chain, value in by_chain.items()
        if value.get("pct") is not None
    ]
    if chains:  # the most complete chain, as the article cites 瑞昌市's LED chain
        _pct, county, chain, value = sorted(chains, key=lambda item: (-item[0], item[1], item[2]))[0]
        derived["chain_summary"] = (
            f"{county}{chain}产业链{value['links']}大组成部分{value['listed']}个子项中具备{value['present']}个，"
            f"产业链完整度达到{value['pct']:.2f}%"
        )
    return derived


def check_templates(sentences: Any, file: str, key: str = "sentences") -> list[list[str]]:
    """Sentence templates of another text (the bulletin's) checked for shape and known formats;
    their placeholders name that text's own context, not metric paths."""
    if not isinstance(sentences, list) or not all(isinstance(s, list) and s for s in sentences):
        raise ReferenceDataError(f"{file}: {key} 应为句子列表，每句是若干分句组成的列表")
    for number, clauses in enumerate(sentences, start=1):
        for clause in clauses:
            unknown = [fmt for _path, fmt in PLACEHOLDER.findall(str(clause)) if fmt not in FORMATS]
            if not isinstance(clause, str) or unknown:
                raise ReferenceDataError(f"{file} 第 {number} 句: 分句 {clause!r} 的格式 {unknown} 不可用（可用：{'、'.join(FORMATS)}）")
    return sentences


def metric_paths(reference: Reference) -> tuple[dict[str, Any], list[str]]:
    """The shape of the figures a template may name: every figure computed on a year whose sheets
    are all present and empty, with a campaign and a previous year (so that year-on-year and
    campaign keys exist), plus the province ranks of ``indicators.csv`` and ``derived/…``.
    Returns the tree and its flattened paths (for suggestions)."""
    tree = compute_metrics(
        empty_clean_year(2000, reference), empty_clean_year(1999, reference), reference, campaign_window=("2000-01-01", "2000-12-31")
    )
    for key in reference.indicators["key"]:
        section, measure = key.split(".")
        tree.setdefault(section, {})[f"{measure}_rank"] = None
    tree["derived"] = dict.fromkeys(DERIVED_KEYS)
    paths: list[str] = []

    def walk(node: Any, prefix: str) -> None:
        for key, value in node.items():
            path = f"{prefix}/{key}" if prefix else str(key)
            if isinstance(value, dict) and value:
                walk(value, path)
            else:
                paths.append(path)

    walk(tree, "")
    return tree, paths


def _resolves(tree: dict[str, Any], path: str) -> bool:
    """Whether ``path`` names a figure of ``tree``; below a mapping that is empty in the shape
    (keyed by the data: events, chains) any key is accepted."""
    node: Any = tree
    for part in path.split("/"):
        if isinstance(node, dict) and not node:
            return True
        if not isinstance(node, dict) or part not in node:
            return False
        node = node[part]
    return True


def _sentence_lines(text: str) -> list[int]:
    """1-based line of each sentence of ``highlights.yaml`` (empty when the YAML cannot be composed)."""
    try:
        root = yaml.compose(text)
    except yaml.YAMLError:
        return []
    for key, value in getattr(root, "value", []):
        if getattr(key, "value", None) == "sentences" and isinstance(value, yaml.SequenceNode):
            return [item.start_mark.line + 1 for item in value.value]
    return []


def load_templates(reference: Reference, figures: dict[str, Any] | None = None) -> list[list[str]]:
    """The sentence templates of ``highlights.yaml``, checked: lists of clauses with known formats
    whose every placeholder names a figure the kit computes.

    ``figures`` (a year's metrics with ``derived``, as drafted): when every placeholder names one
    of them, the templates are known good without working out the shape of all figures (which
    computes the metrics of an empty year); otherwise the shape decides, as without it."""
    path = Path(reference.directory) / "highlights.yaml"
    try:
        text = path.read_bytes().decode("utf-8-sig")
        sentences = (safe_load_yaml(text) or {}).get("sentences")
    except (OSError, UnicodeDecodeError, yaml.YAMLError, AttributeError) as error:
        raise ReferenceDataError(f"highlights.yaml: 无法读取（{type(error).__name__}）") from None
    if not isinstance(sentences, list) or not all(isinstance(s, list) and s for s in sentences):
        raise ReferenceDataError("highlights.yaml: sentences 应为句子列表，每句是若干分句组成的列表")
    if figures is not None and all(
        isinstance(clause, str)
        and all(fmt in FORMATS and _resolves(figures, placeholder) for placeholder, fmt in PLACEHOLDER.findall(clause))
        for clauses in sentences
        for clause in clauses
    ):
        return sentences
    lines = _sentence_lines(text)
    tree, paths = metric_paths(reference)
    for number, clauses in enumerate(sentences, start=1):
        line = f"第 {lines[number - 1]} 行（第 {number} 句）" if len(lines) >= number else f"第 {number} 句"
        where = f"highlights.yaml {line}"
        for clause in clauses:
            unknown = [fmt for _path, fmt in PLACEHOLDER.findall(str(clause)) if fmt not in FORMATS]
            if not isinstance(clause, str) or unknown:
                raise ReferenceDataError(f"{where}: 分句 {clause!r} 的格式 {unknown} 不可用（可用：{'、'.join(FORMATS)}）")
            for placeholder, _fmt in PLACEHOLDER.findall(clause):
                if not _resolves(tree, placeholder):
                    close = difflib.get_close_matches(placeholder, paths, n=1, cutoff=0.5)
                    hint = f"（是否应为 {close[0]}？）" if close else ""
                    raise ReferenceDataError(f"{where}: 分句 {clause!r} 中的 {{{placeholder}}} 不是本工具计算的指标{hint}")
    return sentences


def draft_highlights(metrics: dict[str, Any], reference: Reference) -> list[str]:
    """The highlights of a year, one sentence per list item."""
    context = {**metrics, "derived": derived_values(metrics)}
    return draft_sentences(load_templates(reference, context), context)
