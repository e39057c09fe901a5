"""Auto-drafted highlights (亮点): Chinese sentences generated from the computed figures.

The wording lives in ``data/reference/highlights.yaml`` (templates + data, no hand-typed
numbers). A clause whose value is not available is left out; a sentence whose first clause
is not available is left out whole — never filled with zeros.

>>> draft_sentences([["全市项目{a/count|int}个", "同比{a/yoy|growth}"]], {"a": {"count": 5, "yoy": None}})
['全市项目5个。']
>>> draft_sentences([["小分队外出{t/count|count}次"]], {"t": {"count": 0}})
[]
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from helpers.errors import ReferenceDataError
from helpers.indicators.definitions import round_half_up
from helpers.indicators.metrics import get_path
from helpers.reference import Reference

PLACEHOLDER = re.compile(r"\{([^{}|]+)\|([a-z]+)\}")
CHINESE_DIGITS = "零一二三四五六七八九"


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


def load_templates(reference: Reference, file: str = "highlights.yaml", key: str = "sentences") -> list[list[str]]:
    """The sentence templates under ``key`` of ``file`` (default: the highlights), checked: lists of
    clauses with known formats."""
    path = Path(reference.directory) / file
    try:
        with path.open(encoding="utf-8") as handle:
            sentences = (yaml.safe_load(handle) or {}).get(key)
    except (OSError, yaml.YAMLError, AttributeError) as error:
        raise ReferenceDataError(f"{file}: 无法读取（{type(error).__name__}）") from error
    return check_templates(sentences, file, key)


def check_templates(sentences: Any, file: str, key: str = "sentences") -> list[list[str]]:
    """Sentence templates checked: a list of sentences, each a list of clauses whose formats are known."""
    if not isinstance(sentences, list) or not all(isinstance(s, list) and s for s in sentences):
        raise ReferenceDataError(f"{file}: {key} 应为句子列表，每句是若干分句组成的列表")
    for number, clauses in enumerate(sentences, start=1):
        for clause in clauses:
            unknown = [fmt for _path, fmt in PLACEHOLDER.findall(str(clause)) if fmt not in FORMATS]
            if not isinstance(clause, str) or unknown:
                raise ReferenceDataError(f"{file} 第 {number} 句: 分句 {clause!r} 的格式 {unknown} 不可用（可用：{'、'.join(FORMATS)}）")
    return sentences


def draft_highlights(metrics: dict[str, Any], reference: Reference) -> list[str]:
    """The highlights of a year, one sentence per list item."""
    context = {**metrics, "derived": derived_values(metrics)}
    return draft_sentences(load_templates(reference), context)
