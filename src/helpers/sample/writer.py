"""Messy workbook writer for the synthetic ledgers (see :mod:`helpers.sample`).

Writes one year's truth tables in the real-world format of docs/domain.md §2: a city
workbook (项目台账 with 1月…12月, 外出招商, 项目信息, 产业链图谱, 全省对比, 目标任务) and
three county workbooks (瑞昌市 `招商项目台账` in 亿元, 永修县 `项目库` with `1月份…`, 湖口县 `项目台账`
with `1月进资…`) with other header variants. Every value written parses back to the truth value;
the rows listed in :data:`BAD_ROWS_DOC` are intentionally bad and are not in the truth, and a few
projects report their funds for the whole year only (monthly cells blank: the bulletin's
“缺少分月进资”). 全省对比 holds whole-year rows (截至月份 blank) and January–June rows (6).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
from openpyxl.styles import Alignment, Font

from helpers.output.ooxml import normalize_xlsx
from helpers.sample.tables import AMOUNT_INDICATORS, USD_INDICATORS

COUNTY_BOOKS = ("瑞昌市", "永修县", "湖口县")
N_DUPLICATES = 3  # 瑞昌市 projects also listed (identically) in the city workbook
BAD_ROWS_DOC = """
永修县 workbook (项目库): 总投资 `待定` (unparseable required amount); 项目名称 blank (missing required);
  conflicting duplicate copy 1 of project JJZS<Y>9901.
湖口县 workbook (项目台账): 县（市、区） `九江新区` (unknown county); 资金来源 `待核实` (unknown source);
  conflicting duplicate copy 2 of JJZS<Y>9901 (same 项目编号, different 总投资).
city 外出招商: one trip with a blank 出发日期 (missing required date).
city 项目信息 (years with leads): one lead with a blank 信息编号 (missing required id).
"""

UNIT_ALIASES = {
    "九江经济技术开发区": ["经开区", "九江经开区"], "濂溪区": ["庐山区", "濂溪"], "柴桑区": ["九江县", "柴桑"],
    "庐山市": ["星子县", "星子"], "共青城市": ["共青城"], "八里湖新区": ["八里湖"], "庐山西海风景名胜区": ["庐山西海"],
    "瑞昌市": ["瑞昌"], "永修县": ["永修"], "湖口县": ["湖口"], "武宁县": ["武宁"], "修水县": ["修水"],
    "德安县": ["德安"], "都昌县": ["都昌"], "彭泽县": ["彭泽"], "浔阳区": ["浔阳"],
}
SOURCE_ALIASES = {"省外": ["外省", "国内省外"], "省内市外": ["市外省内", "省内"], "本市": ["市内"], "境外": ["国外", "外资"]}
INDUSTRY_ALIASES = {"高端装备制造": ["装备制造"], "现代纺织服装": ["纺织服装"], "绿色食品": ["食品"], "生物医药": ["医药"],
                    "石油化工": ["石化", "化工"], "电子信息": ["电子"], "新一代信息技术": ["信息技术"], "建材": ["绿色建材"]}
CHAIN_ALIASES = {"电子信息": ["电子信息产业链"], "玻纤及复合材料": ["玻纤"], "有机硅": ["有机硅产业链"], "LED": ["LED产业链"],
                 "石油化工": ["石化"], "高端装备制造": ["装备制造"], "现代纺织服装": ["纺织服装"], "数字经济": ["数字经济产业链"]}
EVENT_ALIASES = {"2022庐山全球商界领袖大会": ["庐山全球商界领袖大会", "商界领袖大会"], "庐山院士创新论坛": ["院士论坛"],
                 "九江市政协智库高峰论坛": ["政协智库论坛"], "对接长三角地区重点产业推介会": ["长三角推介会"],
                 "“100·50·20”项目集中签约仪式": ["集中签约仪式"]}
STATUS_ALIASES = {"在谈": ["洽谈中"], "已签约": ["签约", "已签"], "已开工": ["在建", "开工"], "已投产": ["投产"]}
CHANNEL_ALIASES = {"资本招商": ["基金招商"], "活动招商": ["节会招商"], "其他": ["其它"], "产业链招商": ["链式招商"]}
FLAG_ALIASES = {"世界500强": ["世界五百强"], "中国500强": ["中国五百强"], "民营500强": ["民企500强"],
                "上市公司": ["上市企业"], "高新技术企业": ["高新企业"], "跨国公司": ["跨国企业"]}
PROGRESS_ALIASES = {"对接中": ["对接"], "在谈": ["洽谈中"], "已签约": ["签约"], "已放弃": ["放弃"]}
KIND_ALIASES = {"市直单位": ["市直"], "县（市、区）": ["县市区", "县(市、区)"], "产业链招商小分队": ["小分队"]}

FIELDS = ["project_id", "name", "investor", "origin", "source", "county", "industry", "chain", "total", "funds",
          "entered_on", "signed_on", "started_on", "producing_on", "recognized_on", "applied_on", "status", "flags",
          "digital", "channel", "event", "sourcing_unit", "notes"]
# header per workbook layout, in FIELDS order (None = column absent)
LAYOUTS: dict[str, dict[str, Any]] = {
    "city": dict(seq="序号", headers=["项目编号", "*项目名称", "投资方", "投资方\n来源地", "*资金来源", "所属 地区", "产业类别",
                                    "产业链", "*总投资（万元）", "本年实际进资\n(万元)", "入库日期", "签约日期", "开工日期",
                                    "投产日期", "认定日期", "“50·20”申报日期", "项目状态", "企业　性质", "数字经济", "招商方式",
                                    "签约活动", "引进单位", "备注"], unit="万元", total_unit="万元", months=True),
    "瑞昌市": dict(seq="序号", headers=["编号", "项目名称", "投资主体", "来源地", "资金来源", "县市区", "行业", "产业链",
                                     "计划总投资", "实际进资（万元）", "入库日期", "签约日期", "开工日期", "投产日期",
                                     "认定日期", "5020申报日期", "状态", "企业性质", "是否数字经济", "招商方式", "签约活动",
                                     "引进单位", "备注"], unit="亿元", total_unit="亿元", months=True),
    "永修县": dict(seq=None, headers=["编号", "项目名称", "投资企业", "投资方来源地", "资金来源", "所在地", "产业", "产业链",
                                    "合同金额", "本年到位资金", "入库日期", "签约日期", "开工日期", "投产日期", "认定日期",
                                    "50·20申报日期", "项目状态", "企业性质", "数字经济项目", "招商方式", "签约活动", "引进单位",
                                    "备注"], unit="万元", total_unit="万元", months=True,
                month_headers=[f"{month}月份" for month in range(1, 13)]),
    "湖口县": dict(seq="序号", headers=["*项目编号", "*项目名称", "投资方", "来源地", "资金来源", "县（市、区）", "产业类别",
                                    "产业链", "总投资（亿元）", "本年实际进资", "入库日期", "签约日期", "开工日期", "投产日期",
                                    "认定日期", "\"50·20\"申报日期", "项目状态", "企业性质", "数字经济", "招商方式", "签约活动",
                                    "引进单位", "备注"], unit="万元", total_unit="亿元", months=True,
                month_headers=[f"{month}月进资" for month in range(1, 13)]),
}
MONTHS = [f"{month}月" for month in range(1, 13)]
FULLWIDTH_DIGITS = str.maketrans("0123456789.", "０１２３４５６７８９．")
CN_DIGITS = "零壹贰叁肆伍陆柒捌玖"
# city workbook order of the reporting units
COUNTY_ORDER = ["濂溪区", "浔阳区", "柴桑区", "武宁县", "修水县", "永修县", "德安县", "都昌县", "湖口县", "彭泽县", "瑞昌市",
                "共青城市", "庐山市", "九江经济技术开发区", "八里湖新区", "庐山西海风景名胜区"]
WHOLE_YEAR_ONLY_BOOKS = ("湖口县", "永修县")  # their funded 本市 projects lead the whole-year-only ones
WHOLE_YEAR_ONLY_COUNT = 2


def whole_year_only_projects(projects: list[dict]) -> list[dict]:
    """The projects whose 本年实际进资 is filled but whose monthly cells are left blank (a county that
    reports the year's funds only): the first funded 本市 ones of 湖口县 and 永修县, by id. No
    published figure depends on them (本市 money is in none of the 市外 or 境外 sets)."""
    funded = sorted((p for p in projects if p["county"] in WHOLE_YEAR_ONLY_BOOKS and p["source"] == "本市"
                     and p["funds_year"] > 0), key=lambda p: p["project_id"])
    return funded[:WHOLE_YEAR_ONLY_COUNT]


def _duplicated_projects(projects: list[dict]) -> list[dict]:
    """The funded 瑞昌市 projects (first by id) that the city workbook lists again."""
    ruichang_funded = sorted((p for p in projects if p["county"] == "瑞昌市" and p["funds_year"] > 0),
                             key=lambda p: p["project_id"])
    return ruichang_funded[:N_DUPLICATES]


# ------------------------------------------------------------------ formatting

def _plain_number(value: float) -> str:
    """``value`` with up to four decimals and no trailing zeros."""
    return f"{value:.4f}".rstrip("0").rstrip(".")


def _cn_under_10000(number: int) -> str:
    """Chinese financial numerals for 1…9999 (仟/佰/拾 places, 零 for inner gaps)."""
    places = ["仟", "佰", "拾", ""]
    out, pending_zero = "", False
    started = False
    for digit, place in zip(f"{number:04d}", places, strict=True):
        if digit == "0":
            pending_zero = started
            continue
        if pending_zero:
            out += "零"
            pending_zero = False
        out += CN_DIGITS[int(digit)] + place
        started = True
    return out


def cn_amount(wan: int) -> str | None:
    """Chinese financial numerals for an amount in 万元 (e.g. 25000 → 贰亿伍仟万), or None if awkward."""
    if wan <= 0 or wan % 1000 or wan >= 100_000_000:
        return None
    yi, rest = divmod(wan, 10000)
    if yi == 2 and rest == 0:
        return "两亿"
    text = (_cn_under_10000(yi) + "亿") if yi else ""
    if rest:
        text += _cn_under_10000(rest) + "万"
    return text


def messy_amount(wan: float, unit: str, rng: random.Random, style: int | None = None):
    """A cell for an amount given in 万元, in a column whose unit is ``unit`` (万元 or 亿元)."""
    wan_int = int(round(wan))
    in_unit = wan_int if unit == "万元" else round(wan_int / 10000, 4)
    if style is None:
        style = rng.choices(range(8), [55, 8, 8, 7, 6, 5, 6, 5])[0]
    yi_text = _plain_number(wan_int / 10000)
    if style == 0:
        return in_unit
    if style == 1:
        return f"{wan_int:,}" if unit == "万元" else _plain_number(in_unit)
    if style == 2:
        return f"{yi_text}亿"
    if style == 3:
        return f"{wan_int}万元"
    if style == 4:
        return f"{yi_text} 亿元"
    if style == 5:
        return f"{yi_text}亿".translate(FULLWIDTH_DIGITS)
    if style == 6:
        return cn_amount(wan_int) or in_unit
    return float(in_unit)


EXCEL_EPOCH = dt.date(1899, 12, 30)


def messy_date(d: dt.date | None, rng: random.Random, style: str | None = None, month_only: bool = True):
    """A cell for a date: Excel date, serial number or text in one of many styles; dates on the 1st
    may be written month-only (``2022年3月`` / ``2022-03``) when ``month_only``."""
    if d is None:
        return None
    if style is None:
        if month_only and d.day == 1 and rng.random() < 0.6:
            style = rng.choice(["month_cn", "month_iso"])
        else:
            style = rng.choices(["excel", "serial", "iso", "slash", "dot", "cn", "compact"],
                                [40, 10, 14, 12, 8, 10, 6])[0]
    if style in ("month_cn", "month_iso") and d.day != 1:
        style = "iso"
    if style == "excel":
        return dt.datetime(d.year, d.month, d.day)
    if style == "serial":
        return (d - EXCEL_EPOCH).days
    return {
        "iso": f"{d.year:04d}-{d.month:02d}-{d.day:02d}", "slash": f"{d.year}/{d.month}/{d.day}",
        "dot": f"{d.year}.{d.month}.{d.day}", "cn": f"{d.year}年{d.month}月{d.day}日",
        "compact": f"{d.year:04d}{d.month:02d}{d.day:02d}", "month_cn": f"{d.year}年{d.month}月",
        "month_iso": f"{d.year:04d}-{d.month:02d}",
    }[style]


def _alias(value, aliases: dict, rng: random.Random, probability: float = 0.25):
    """``value`` or, with ``probability``, one of its aliases."""
    if value is None:
        return None
    if value in aliases and rng.random() < probability:
        return rng.choice(aliases[value])
    return value


def _flags_cell(flags: list[str], rng: random.Random):
    """The 企业性质 cell: the flags (some aliased, maybe reversed) joined by a random separator."""
    if not flags:
        return None
    parts = [_alias(flag, FLAG_ALIASES, rng, 0.3) for flag in flags]
    if rng.random() < 0.3:
        parts = parts[::-1]
    return rng.choice(["、", "、", ";", "，", "/"]).join(parts)


def _yes_no_cell(value: bool, rng: random.Random, allow_blank: bool = True):
    """是/√/Y for True; 否/×/blank for False (blank only where ``allow_blank``)."""
    if value:
        return rng.choice(["是", "是", "√", "Y"])
    return rng.choice(["否", "否", None, "×"] if allow_blank else ["否", "×"])


def _is_present(value) -> bool:
    """False for None and for NaN/NaT (which are unequal to themselves)."""
    return value is not None and value == value


# ------------------------------------------------------------------ rows

def _project_cells(project: dict, layout: dict, rng: random.Random, row_number: int) -> list:
    """The cells of one project row in ``layout`` (FIELDS order, without 序号 and months)."""
    source = project["source"]
    if source == "境外" and project["origin"] in ("香港", "澳门", "台湾地区") and rng.random() < 0.6:
        source_cell = "港澳台"
    else:
        source_cell = _alias(source, SOURCE_ALIASES, rng, 0.2)
    county = project["county"]
    if project.get("notes") == "鄱阳湖生态科技城" and rng.random() < 0.5:
        county_cell = "鄱阳湖生态科技城"
    else:
        county_cell = _alias(county, UNIT_ALIASES, rng, 0.3)
    style = row_number % 13 if row_number % 13 < 7 else None  # every amount style appears regularly
    if project["total_investment"] == 20_000:
        style = 6  # written 两亿
    is_duplicate = project.get("is_duplicate")
    month_only = not is_duplicate  # duplicated rows keep full-precision dates in both copies
    funds = project["funds_year"]
    funds_cell = None if funds == 0 and rng.random() < 0.6 else (
        funds if rng.random() < 0.85 else f"{funds:,}")
    if layout is LAYOUTS["瑞昌市"] and funds and rng.random() < 0.1:
        funds_cell = f"{_plain_number(funds / 10000)}亿"
    cells = {
        "project_id": project["project_id"], "name": project["name"], "investor": project["investor"],
        "origin": project["origin"], "source": source_cell, "county": county_cell,
        "industry": _alias(project["industry"], INDUSTRY_ALIASES, rng, 0.2),
        "chain": _alias(project["chain"], CHAIN_ALIASES, rng, 0.25),
        "total": messy_amount(project["total_investment"], layout["total_unit"], rng, style),
        "funds": funds_cell,
        "entered_on": messy_date(project["entered_on"], rng, month_only=month_only),
        "signed_on": messy_date(project["signed_on"], rng, month_only=month_only),
        "started_on": messy_date(project["started_on"], rng, month_only=month_only),
        "producing_on": messy_date(project["producing_on"], rng, month_only=month_only),
        "recognized_on": messy_date(project["recognized_on"], rng, month_only=month_only),
        "applied_on": messy_date(project["fifty_twenty_applied_on"], rng, month_only=month_only),
        "status": _alias(project["status"], STATUS_ALIASES, rng, 0.2), "flags": _flags_cell(project["flags"], rng),
        "digital": _yes_no_cell(project["digital"], rng, allow_blank=not is_duplicate),
        "channel": _alias(project["channel"], CHANNEL_ALIASES, rng, 0.15),
        "event": _alias(project["event"], EVENT_ALIASES, rng, 0.35), "sourcing_unit": project["sourcing_unit"],
        "notes": project["notes"],
    }
    return [cells[field] for field in FIELDS]


def _bad_project(project_id: str, name: str | None, year: int, county: str, total, source="省外") -> dict:
    """A plausible project for an intentionally bad row (not in the truth)."""
    return dict(project_id=project_id, name=name, investor="某投资有限公司", origin="广东省深圳市", source=source,
                county=county, industry="新材料", chain=None, total_investment=total, funds_year=0,
                entered_on=dt.date(year, 4, 12), signed_on=dt.date(year, 6, 8), started_on=None, producing_on=None,
                recognized_on=None, fifty_twenty_applied_on=None, status="已签约", flags=[], digital=False,
                channel="以商招商", event=None, sourcing_unit=f"{county}商务局", notes=None)


def _title(sheet, text: str, column_count: int, row: int = 1, size: int = 14) -> None:
    """A bold centred title merged across the table's width."""
    sheet.cell(row=row, column=1, value=text).font = Font(bold=True, size=size)
    sheet.cell(row=row, column=1).alignment = Alignment(horizontal="center")
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=max(2, column_count))


def _write_rows(sheet, start: int, rows: list[list]) -> int:
    """Write ``rows`` from row ``start`` (skipping blank cells); returns the next free row."""
    row_number = start
    for row in rows:
        for column, value in enumerate(row, 1):
            if value is not None:
                cell = sheet.cell(row=row_number, column=column, value=value)
                if isinstance(value, dt.datetime):
                    cell.number_format = "yyyy-mm-dd"
        row_number += 1
    return row_number


def _total_row(layout: dict, column_count: int, label: str, total: int, funds: int, months: list[int],
               name_label: str | None = None) -> list:
    """A 小计/合计 row: ``label`` in the 序号 column, ``name_label`` in the name column (alone without 序号)."""
    row: list[Any] = [None] * column_count
    if layout["seq"]:
        row[0] = label
        if name_label:
            row[2] = name_label
    else:
        row[1] = name_label or label
    offset = 1 if layout["seq"] else 0
    row[offset + 8] = total if layout["total_unit"] == "万元" else round(total / 10000, 4)
    row[offset + 9] = funds
    if layout["months"]:
        for month in range(12):
            row[offset + 10 + month] = months[month] if layout["unit"] == "万元" else round(months[month] / 10000, 4)
    return row


def _project_sheet(workbook, sheet_name: str, title: list[str], layout: dict, blocks: Sequence[tuple[str | None, list]],
                   rng: random.Random, monthly: dict, notes: list[str], subtotals: bool, grand_total: bool,
                   unparseable: dict | None = None, extra_rows: list[list] | None = None) -> None:
    """A project ledger sheet: titles, unit, headers, one block of rows per county (with 小计), 合计, notes.

    ``unparseable`` maps project ids to ``(field, text)`` written instead of the true (empty) value.
    """
    sheet = workbook.create_sheet(sheet_name)
    headers = ([layout["seq"]] if layout["seq"] else []) + layout["headers"][:10] + \
        (layout.get("month_headers", MONTHS) if layout["months"] else []) + layout["headers"][10:]
    column_count = len(headers)
    row_number = 1
    for text in title:
        _title(sheet, text, column_count, row_number, 14 if row_number == 1 else 11)
        row_number += 1
    sheet.cell(row=row_number, column=column_count - 2, value=f"单位：{layout['unit']}")
    row_number += 1
    for column, header in enumerate(headers, 1):
        sheet.cell(row=row_number, column=column, value=header).font = Font(bold=True)
    row_number += 1
    seq = 0
    all_rows: list[list] = []
    grand_investment = grand_funds = 0
    grand_months = [0] * 12
    for label, projects in blocks:
        block_investment = block_funds = 0
        block_months = [0] * 12
        for project in projects:
            seq += 1
            cells = _project_cells(project, layout, rng, seq)
            if unparseable and project["project_id"] in unparseable:
                field, text = unparseable[project["project_id"]]
                cells[FIELDS.index(field)] = text
            months = []
            if layout["months"]:
                month_values = monthly[project["project_id"]]
                months = [None if value == 0 else (value if layout["unit"] == "万元" else round(value / 10000, 4))
                          for value in month_values]
                block_months = [a + b for a, b in zip(block_months, month_values, strict=True)]
            all_rows.append(([seq] if layout["seq"] else []) + cells[:10] + months + cells[10:])
            block_investment += project["total_investment"]
            block_funds += project["funds_year"]
        grand_investment += block_investment
        grand_funds += block_funds
        grand_months = [a + b for a, b in zip(grand_months, block_months, strict=True)]
        if subtotals and label:
            all_rows.append(_total_row(layout, column_count, "小计", block_investment, block_funds, block_months,
                                       name_label=f"{label}小计"))
            if rng.random() < 0.4:
                all_rows.append([None] * column_count)  # blank row between blocks
    if extra_rows:
        all_rows.extend(extra_rows)
    if grand_total:
        all_rows.append(_total_row(layout, column_count, "合计", grand_investment, grand_funds, grand_months))
    row_number = _write_rows(sheet, row_number, all_rows)
    row_number += 1
    for note in notes:
        sheet.cell(row=row_number, column=1, value=note)
        row_number += 1
    sheet.freeze_panes = sheet.cell(row=len(title) + 3, column=3)
    for column in range(1, column_count + 1):
        sheet.column_dimensions[openpyxl.utils.get_column_letter(column)].width = 12


def _bad_project_row(layout: dict, project: dict, rng: random.Random, overrides: dict) -> list:
    """A row for ``project`` with some cells replaced by ``overrides`` (field → text)."""
    cells = _project_cells(project, layout, rng, 0)
    for field, value in overrides.items():
        cells[FIELDS.index(field)] = value
    months = [None] * 12 if layout["months"] else []
    return ([None] if layout["seq"] else []) + cells[:10] + months + cells[10:]


def _simple_sheet(workbook, name: str, title: str | None, unit: str | None, headers: list[str], rows: list[list],
                  notes: Sequence[str] = ()) -> None:
    """A plain table sheet: optional title and unit, headers, rows, notes."""
    sheet = workbook.create_sheet(name)
    row_number = 1
    if title:
        _title(sheet, title, len(headers), 1, 13)
        row_number += 1
    if unit:
        sheet.cell(row=row_number, column=len(headers), value=unit)
        row_number += 1
    for column, header in enumerate(headers, 1):
        sheet.cell(row=row_number, column=column, value=header).font = Font(bold=True)
    row_number = _write_rows(sheet, row_number + 1, rows)
    for note in notes:
        row_number += 1
        sheet.cell(row=row_number, column=1, value=note)


def _save(workbook, path: Path) -> Path:
    """Save with fixed metadata and normalize the zip so the bytes are deterministic."""
    workbook.properties.creator = "九江市商务局"
    workbook.properties.lastModifiedBy = "九江市商务局"
    workbook.properties.created = dt.datetime(2000, 1, 1)
    workbook.properties.modified = dt.datetime(2000, 1, 1)
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return normalize_xlsx(path)


def _new_workbook():
    """An empty workbook (without the default sheet)."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    return workbook


# ------------------------------------------------------------------ the year

def write_year(data_dir: Path, year: int, tables: dict, projects: list[dict], monthly: dict, *,
               seed: int) -> list[Path]:
    """Write the city workbook and the three county workbooks of ``year``; returns their paths."""
    rng = random.Random(seed * 3 + year)
    folder = Path(data_dir) / "raw" / str(year)
    folder.mkdir(parents=True, exist_ok=True)
    out: list[Path] = []
    duplicates = _duplicated_projects(projects)
    for project in projects:
        project["is_duplicate"] = False
    for project in duplicates:
        project["is_duplicate"] = True  # written in two workbooks: keep both copies parse-identical
    by_county = {county: sorted([p for p in projects if p["county"] == county], key=lambda p: p["project_id"])
                 for county in COUNTY_ORDER}
    # warnings: optional dates that cannot be parsed, on projects whose truth date is empty
    city_projects = [p for county in COUNTY_ORDER if county not in COUNTY_BOOKS for p in by_county[county]]
    unparseable = {}
    in_talks = next(p for p in city_projects if p["status"] == "在谈")
    unparseable[in_talks["project_id"]] = ("signed_on", "待定")
    signed = next(p for p in city_projects if p["status"] == "已签约" and p["project_id"] not in unparseable)
    unparseable[signed["project_id"]] = ("started_on", "待定")
    started = next(p for p in city_projects if p["status"] == "已开工" and p["project_id"] not in unparseable)
    unparseable[started["project_id"]] = ("producing_on", "年内投产")

    # ---- city workbook
    workbook = _new_workbook()
    blocks = []
    for county in COUNTY_ORDER:
        if county in COUNTY_BOOKS:
            if county == "瑞昌市":
                blocks.append((county, duplicates))
            continue
        blocks.append((county, by_county[county]))
    notes = ["填报说明：1. 金额单位为万元（另有注明的除外）；2. 日期按“年-月-日”填写；3. “50·20”项目指总投资20亿元以上的工业项目；"
             "4. 瑞昌市、永修县、湖口县项目见各县（市、区）报送台账。",
             "填表人：李敏　　审核人：王建国　　联系电话：0792-8123456"]
    _project_sheet(workbook, "项目台账", [f"{year}年九江市招商引资项目台账"], LAYOUTS["city"], blocks, rng, monthly, notes,
                   subtotals=True, grand_total=True, unparseable=unparseable)
    # trips
    rows = []
    for number, trip in enumerate(tables["trips"].itertuples(index=False), 1):
        rows.append([number, messy_date(trip.departed_on.date(), rng), trip.unit,
                     _alias(trip.unit_kind, KIND_ALIASES, rng, 0.25), trip.leader,
                     rng.choice(["是", "√", "是"]) if trip.is_principal else rng.choice(["否", "否", "×"]),
                     trip.destination, int(trip.companies_met)])
    rows.insert(len(rows) // 2, [None, None, "市商务局", "市直单位", "刘洋（副局长）", "否", "广东省深圳市", 3])
    _simple_sheet(workbook, "外出招商", f"{year}年九江市外出招商情况登记表", None,
                  ["序号", "出发日期", "单位", "单位类别", "带队领导", "是否主要领导", "目的地", "对接企业数"], rows,
                  ["说明：主要领导指各单位一把手、各县（市、区）党政主官。"])
    # leads
    rows = []
    for lead in tables["leads"].itertuples(index=False):
        rows.append([lead.lead_id, lead.team, lead.name,
                     messy_amount(lead.planned_investment, "万元", rng) if _is_present(lead.planned_investment) else None,
                     messy_date(lead.found_on.date(), rng), _alias(lead.progress, PROGRESS_ALIASES, rng, 0.25),
                     messy_date(lead.signed_on.date(), rng) if _is_present(lead.signed_on) else None,
                     messy_amount(lead.signed_amount, "万元", rng) if _is_present(lead.signed_amount) else None,
                     lead.project_id])
    if rows:
        rows.insert(len(rows) // 3, [None, "新能源产业链招商小分队", "储能电站项目", 50000, f"{year}-08-12", "对接中",
                                     None, None, None])
    _simple_sheet(workbook, "项目信息", f"{year}年产业链招商小分队项目信息台账", "单位：万元",
                  ["信息编号", "小分队", "项目名称", "拟投资额", "获取日期", "进展", "签约日期", "签约金额", "关联项目编号"], rows)
    # chain map
    rows = [[item.county if rng.random() > 0.2 else _alias(item.county, UNIT_ALIASES, rng, 1.0), item.chain, item.link,
             item.item, rng.choice(["√", "是"]) if item.present else rng.choice(["×", "否"])]
            for item in tables["chain_map"].itertuples(index=False)]
    _simple_sheet(workbook, "产业链图谱", "重点产业链“四图五清单”——产业链图谱", None,
                  ["所属地区", "产业链", "环节", "子项", "是否具备"], rows)
    # province peers (amounts in 亿元, the sheet's default)
    rows = [[peer.city, peer.indicator,
             round(peer.value / 10000, 2) if peer.indicator in AMOUNT_INDICATORS
             else peer.value if peer.indicator in USD_INDICATORS else int(peer.value),
             None if pd.isna(peer.through_month) else int(peer.through_month)]
            for peer in tables["province_peers"].itertuples(index=False)]
    _simple_sheet(workbook, "全省对比", f"{year}年全省各设区市招商引资主要指标", None, ["设区市", "指标", "数值", "截至月份"], rows,
                  ["注：金额单位为亿元，个数单位为个，实际利用外资单位为亿美元；截至月份为空表示全年数，填6表示1—6月累计数。"])
    rows = [[_alias(target.county, UNIT_ALIASES, rng, 0.15), target.indicator, int(target.target)]
            for target in tables["targets"].itertuples(index=False)]
    _simple_sheet(workbook, "目标任务", f"{year}年各县（市、区）招商引资目标任务", "单位：万元", ["所属地区", "指标", "年度目标"], rows)
    out.append(_save(workbook, folder / f"{year}年九江市招商引资工作台账.xlsx"))

    # ---- county workbooks
    conflict_id = f"JJZS{year}9901"
    layout = LAYOUTS["瑞昌市"]
    workbook = _new_workbook()
    _project_sheet(workbook, "招商项目台账", [f"瑞昌市{year}年招商引资项目台账"], layout, [(None, by_county["瑞昌市"])], rng,
                   monthly, ["注：总投资单位为亿元，实际进资单位为万元。", "填表人：陈静　　联系电话：0792-4212345"],
                   subtotals=False, grand_total=True)
    out.append(_save(workbook, folder / f"瑞昌市{year}年招商项目台账.xlsx"))

    layout = LAYOUTS["永修县"]
    workbook = _new_workbook()
    bad_rows = [
        _bad_project_row(layout, _bad_project(f"JJZS{year}9801", "有机硅密封胶扩能项目", year, "永修县", 0), rng,
                         {"total": "待定"}),
        _bad_project_row(layout, _bad_project(f"JJZS{year}9802", None, year, "永修县", 35000), rng, {}),
        _bad_project_row(layout, _bad_project(conflict_id, "硅基新材料产业园项目", year, "永修县", 120000), rng, {}),
    ]
    _project_sheet(workbook, "项目库", [f"永修县{year}年招商引资项目库", f"（截至{year}年12月31日）"], layout,
                   [(None, by_county["永修县"])], rng, monthly, ["填报说明：金额单位为万元。"],
                   subtotals=False, grand_total=False, extra_rows=[[None] * len(FIELDS)] + bad_rows)
    out.append(_save(workbook, folder / f"永修县{year}年项目库.xlsx"))

    layout = LAYOUTS["湖口县"]
    workbook = _new_workbook()
    bad_rows = [
        _bad_project_row(layout, _bad_project(f"JJZS{year}9803", "临港物流仓储项目", year, "湖口县", 18000), rng,
                         {"county": "九江新区"}),
        _bad_project_row(layout, _bad_project(f"JJZS{year}9804", "锂电池回收利用项目", year, "湖口县", 26000), rng,
                         {"source": "待核实"}),
        _bad_project_row(layout, _bad_project(conflict_id, "硅基新材料产业园项目", year, "湖口县", 150000), rng, {}),
    ]
    _project_sheet(workbook, "项目台账", [f"湖口县{year}年招商引资项目台账"], layout, [(None, by_county["湖口县"])], rng,
                   monthly, ["填报说明：总投资单位为亿元，其余金额单位为万元。", "填表人：周丽"],
                   subtotals=False, grand_total=False, extra_rows=bad_rows)
    out.append(_save(workbook, folder / f"湖口县{year}年招商引资项目台账.xlsx"))
    return out
