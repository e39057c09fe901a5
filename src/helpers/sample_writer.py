"""Messy workbook writer for the synthetic ledgers (see :mod:`helpers.sample`).

Writes one year's truth tables in the real-world format of domain.md §2: a city
workbook (项目台账 with 1月…12月, 外出招商, 项目信息, 产业链图谱, 全省对比, 目标任务) and
three county workbooks (瑞昌市 `招商项目台账` in 亿元, 永修县 `项目库`, 湖口县 `项目台账`)
with other header variants. Every value written parses back to the truth value;
the rows listed in :data:`BAD_ROWS_DOC` are intentionally bad and are not in the truth.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import openpyxl
from openpyxl.styles import Alignment, Font

from helpers.xlsx_zip import normalize_xlsx

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
LAYOUTS = {
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
                                    "备注"], unit="万元", total_unit="万元", months=False),
    "湖口县": dict(seq="序号", headers=["*项目编号", "*项目名称", "投资方", "来源地", "资金来源", "县（市、区）", "产业类别",
                                    "产业链", "总投资（亿元）", "本年实际进资", "入库日期", "签约日期", "开工日期", "投产日期",
                                    "认定日期", "\"50·20\"申报日期", "项目状态", "企业性质", "数字经济", "招商方式", "签约活动",
                                    "引进单位", "备注"], unit="万元", total_unit="亿元", months=False),
}
MONTHS = [f"{m}月" for m in range(1, 13)]
FW = str.maketrans("0123456789.", "０１２３４５６７８９．")
CN_DIGITS = "零壹贰叁肆伍陆柒捌玖"


MONTHLY_BOOKS_EXCLUDE = ("永修县", "湖口县")  # these county workbooks have no 1月…12月 columns


def city_project_ids(projects: list[dict]) -> list[str]:
    """Projects whose ledger rows carry 1月…12月 columns: the city workbook's and 瑞昌市's."""
    return [p["project_id"] for p in projects if p["county"] not in MONTHLY_BOOKS_EXCLUDE]


def _duplicates(projects: list[dict]) -> list[dict]:
    rc = sorted((p for p in projects if p["county"] == "瑞昌市" and p["F"] > 0), key=lambda p: p["project_id"])
    return rc[:N_DUPLICATES]


# ------------------------------------------------------------------ formatting

def _num_text(x: float) -> str:
    s = f"{x:.4f}".rstrip("0").rstrip(".")
    return s


def _cn_under_10000(n: int) -> str:
    units = ["仟", "佰", "拾", ""]
    digits = f"{n:04d}"
    out, zero = "", False
    started = False
    for d, u in zip(digits, units):
        if d == "0":
            zero = started
            continue
        if zero:
            out += "零"
            zero = False
        out += CN_DIGITS[int(d)] + u
        started = True
    return out


def cn_amount(wan: int) -> str | None:
    """Chinese financial numerals for an amount in 万元 (e.g. 25000 → 贰亿伍仟万), or None if awkward."""
    if wan <= 0 or wan % 1000 or wan >= 100_000_000:
        return None
    yi, rest = divmod(wan, 10000)
    if yi == 2 and rest == 0:
        return "两亿"
    s = (_cn_under_10000(yi) + "亿") if yi else ""
    if rest:
        s += _cn_under_10000(rest) + "万"
    return s


def messy_amount(wan: float, unit: str, rng: random.Random, style: int | None = None):
    """A cell for an amount given in 万元, in a column whose unit is ``unit`` (万元 or 亿元)."""
    wan_i = int(round(wan))
    base = wan_i if unit == "万元" else round(wan_i / 10000, 4)
    if style is None:
        style = rng.choices(range(8), [55, 8, 8, 7, 6, 5, 6, 5])[0]
    yi = _num_text(wan_i / 10000)
    if style == 0:
        return base
    if style == 1:
        return f"{wan_i:,}" if unit == "万元" else _num_text(base)
    if style == 2:
        return f"{yi}亿"
    if style == 3:
        return f"{wan_i}万元"
    if style == 4:
        return f"{yi} 亿元"
    if style == 5:
        return f"{yi}亿".translate(FW)
    if style == 6:
        return cn_amount(wan_i) or base
    return float(base)


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
            style = rng.choices(["excel", "serial", "iso", "slash", "dot", "cn", "compact"], [40, 10, 14, 12, 8, 10, 6])[0]
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


def _alias(value, table: dict, rng: random.Random, p: float = 0.25):
    if value is None:
        return None
    if value in table and rng.random() < p:
        return rng.choice(table[value])
    return value


def _flags(flags: list[str], rng: random.Random):
    if not flags:
        return None
    parts = [_alias(f, FLAG_ALIASES, rng, 0.3) for f in flags]
    if rng.random() < 0.3:
        parts = parts[::-1]
    return rng.choice(["、", "、", ";", "，", "/"]).join(parts)


def _yes(v: bool, rng: random.Random, allow_blank: bool = True):
    """是/√/Y for True; 否/×/blank for False (blank only where ``allow_blank``)."""
    if v:
        return rng.choice(["是", "是", "√", "Y"])
    return rng.choice(["否", "否", None, "×"] if allow_blank else ["否", "×"])


# ------------------------------------------------------------------ rows

def _project_cells(p: dict, layout: dict, rng: random.Random, row_no: int) -> list:
    src = p["source"]
    if src == "境外" and p["origin"] in ("香港", "澳门", "台湾地区") and rng.random() < 0.6:
        src_cell = "港澳台"
    else:
        src_cell = _alias(src, SOURCE_ALIASES, rng, 0.2)
    county = p["county"]
    if p.get("notes") == "鄱阳湖生态科技城" and rng.random() < 0.5:
        county_cell = "鄱阳湖生态科技城"
    else:
        county_cell = _alias(county, UNIT_ALIASES, rng, 0.3)
    style = row_no % 13 if row_no % 13 < 7 else None  # every amount style appears regularly
    if p["total_investment"] == 20_000:
        style = 6  # written 两亿
    mo = not p.get("_dup")  # duplicated rows keep full-precision dates in both copies
    funds = p["F"]
    funds_cell = None if funds == 0 and rng.random() < 0.6 else (
        funds if rng.random() < 0.85 else f"{funds:,}")
    if layout is LAYOUTS["瑞昌市"] and funds and rng.random() < 0.1:
        funds_cell = f"{_num_text(funds / 10000)}亿"
    cells = {
        "project_id": p["project_id"], "name": p["name"], "investor": p["investor"], "origin": p["origin"],
        "source": src_cell, "county": county_cell, "industry": _alias(p["industry"], INDUSTRY_ALIASES, rng, 0.2),
        "chain": _alias(p["chain"], CHAIN_ALIASES, rng, 0.25),
        "total": messy_amount(p["total_investment"], layout["total_unit"], rng, style),
        "funds": funds_cell,
        "entered_on": messy_date(p["entered_on"], rng, month_only=mo), "signed_on": messy_date(p["signed_on"], rng, month_only=mo),
        "started_on": messy_date(p["started_on"], rng, month_only=mo), "producing_on": messy_date(p["producing_on"], rng, month_only=mo),
        "recognized_on": messy_date(p["recognized_on"], rng, month_only=mo),
        "applied_on": messy_date(p["fifty_twenty_applied_on"], rng, month_only=mo),
        "status": _alias(p["status"], STATUS_ALIASES, rng, 0.2), "flags": _flags(p["flags"], rng),
        "digital": _yes(p["digital"], rng, allow_blank=not p.get("_dup")), "channel": _alias(p["channel"], CHANNEL_ALIASES, rng, 0.15),
        "event": _alias(p["event"], EVENT_ALIASES, rng, 0.35), "sourcing_unit": p["sourcing_unit"],
        "notes": p["notes"],
    }
    return [cells[f] for f in FIELDS]


def _fake(pid: str, name: str | None, y: int, county: str, total, source="省外") -> dict:
    return dict(project_id=pid, name=name, investor="某投资有限公司", origin="广东省深圳市", source=source,
                county=county, industry="新材料", chain=None, total_investment=total, F=0,
                entered_on=dt.date(y, 4, 12), signed_on=dt.date(y, 6, 8), started_on=None, producing_on=None,
                recognized_on=None, fifty_twenty_applied_on=None, status="已签约", flags=[], digital=False,
                channel="以商招商", event=None, sourcing_unit=f"{county}商务局", notes=None)


def _title(ws, text: str, ncols: int, row: int = 1, size: int = 14) -> None:
    ws.cell(row=row, column=1, value=text).font = Font(bold=True, size=size)
    ws.cell(row=row, column=1).alignment = Alignment(horizontal="center")
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=max(2, ncols))


def _write_rows(ws, start: int, rows: list[list]) -> int:
    r = start
    for row in rows:
        for c, v in enumerate(row, 1):
            if v is not None:
                cell = ws.cell(row=r, column=c, value=v)
                if isinstance(v, dt.datetime):
                    cell.number_format = "yyyy-mm-dd"
        r += 1
    return r


def _project_sheet(wb, sheet: str, title: list[str], layout: dict, blocks: list[tuple[str | None, list]],
                   rng: random.Random, monthly: dict, notes: list[str], subtotals: bool, grand_total: bool,
                   warn: dict | None = None, extra_rows: list[list] | None = None) -> None:
    ws = wb.create_sheet(sheet)
    headers = ([layout["seq"]] if layout["seq"] else []) + layout["headers"][:10] + \
        (MONTHS if layout["months"] else []) + layout["headers"][10:]
    n = len(headers)
    r = 1
    for t in title:
        _title(ws, t, n, r, 14 if r == 1 else 11)
        r += 1
    ws.cell(row=r, column=n - 2, value=f"单位：{layout['unit']}")
    r += 1
    for c, h in enumerate(headers, 1):
        ws.cell(row=r, column=c, value=h).font = Font(bold=True)
    r += 1
    seq = 0
    all_rows: list[list] = []
    tot_t = tot_f = 0
    tot_m = [0] * 12
    for label, projects in blocks:
        sub_t = sub_f = 0
        sub_m = [0] * 12
        for p in projects:
            seq += 1
            cells = _project_cells(p, layout, rng, seq)
            if warn and p["project_id"] in warn:
                field, text = warn[p["project_id"]]
                cells[FIELDS.index(field)] = text
            months = []
            if layout["months"]:
                mv = monthly[p["project_id"]]
                months = [None if v == 0 else (v if layout["unit"] == "万元" else round(v / 10000, 4)) for v in mv]
                sub_m = [a + b for a, b in zip(sub_m, mv)]
            row = ([seq] if layout["seq"] else []) + cells[:10] + months + cells[10:]
            all_rows.append(row)
            sub_t += p["total_investment"]
            sub_f += p["F"]
        tot_t += sub_t
        tot_f += sub_f
        tot_m = [a + b for a, b in zip(tot_m, sub_m)]
        if subtotals and label:
            row = [None] * n
            if layout["seq"]:
                row[0] = "小计"
                row[2] = f"{label}小计"
            else:
                row[1] = f"{label}小计"
            off = 1 if layout["seq"] else 0
            row[off + 8] = sub_t if layout["total_unit"] == "万元" else round(sub_t / 10000, 4)
            row[off + 9] = sub_f
            if layout["months"]:
                for i in range(12):
                    row[off + 10 + i] = sub_m[i] if layout["unit"] == "万元" else round(sub_m[i] / 10000, 4)
            all_rows.append(row)
            if rng.random() < 0.4:
                all_rows.append([None] * n)  # blank row between blocks
    if extra_rows:
        all_rows.extend(extra_rows)
    if grand_total:
        row = [None] * n
        off = 1 if layout["seq"] else 0
        if layout["seq"]:
            row[0] = "合计"
        else:
            row[1] = "合计"
        row[off + 8] = tot_t if layout["total_unit"] == "万元" else round(tot_t / 10000, 4)
        row[off + 9] = tot_f
        if layout["months"]:
            for i in range(12):
                row[off + 10 + i] = tot_m[i] if layout["unit"] == "万元" else round(tot_m[i] / 10000, 4)
        all_rows.append(row)
    r = _write_rows(ws, r, all_rows)
    r += 1
    for note in notes:
        ws.cell(row=r, column=1, value=note)
        r += 1
    ws.freeze_panes = ws.cell(row=len(title) + 3, column=3)
    for c in range(1, n + 1):
        ws.column_dimensions[openpyxl.utils.get_column_letter(c)].width = 12


def _bad_project_row(layout: dict, p: dict, rng: random.Random, overrides: dict) -> list:
    cells = _project_cells(p, layout, rng, 0)
    for k, v in overrides.items():
        cells[FIELDS.index(k)] = v
    return ([None] if layout["seq"] else []) + cells[:10] + cells[10:]


def _simple_sheet(wb, name: str, title: str | None, unit: str | None, headers: list[str], rows: list[list],
                  notes: list[str] = ()) -> None:
    ws = wb.create_sheet(name)
    r = 1
    if title:
        _title(ws, title, len(headers), 1, 13)
        r += 1
    if unit:
        ws.cell(row=r, column=len(headers), value=unit)
        r += 1
    for c, h in enumerate(headers, 1):
        ws.cell(row=r, column=c, value=h).font = Font(bold=True)
    r = _write_rows(ws, r + 1, rows)
    for note in notes:
        r += 1
        ws.cell(row=r, column=1, value=note)


def _save(wb, path: Path) -> Path:
    wb.properties.creator = "九江市商务局"
    wb.properties.lastModifiedBy = "九江市商务局"
    wb.properties.created = dt.datetime(2000, 1, 1)
    wb.properties.modified = dt.datetime(2000, 1, 1)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return normalize_xlsx(path)


def _new_wb():
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    return wb


# ------------------------------------------------------------------ the year

def write_year(data_dir: Path, y: int, tables: dict, projects: list[dict], monthly: dict, *, seed: int) -> list[Path]:
    rng = random.Random(seed * 3 + y)
    folder = Path(data_dir) / "raw" / str(y)
    folder.mkdir(parents=True, exist_ok=True)
    out: list[Path] = []
    order = list(dict.fromkeys(["濂溪区", "浔阳区", "柴桑区", "武宁县", "修水县", "永修县", "德安县", "都昌县", "湖口县",
                                "彭泽县", "瑞昌市", "共青城市", "庐山市", "九江经济技术开发区", "八里湖新区",
                                "庐山西海风景名胜区"]))
    dups = _duplicates(projects)
    for p in projects:
        p["_dup"] = False
    for p in dups:
        p["_dup"] = True  # written in two workbooks: keep both copies parse-identical
    by_county = {c: sorted([p for p in projects if p["county"] == c], key=lambda p: p["project_id"]) for c in order}
    # warnings: optional dates that cannot be parsed, on projects whose truth date is empty
    city_ps = [p for c in order if c not in COUNTY_BOOKS for p in by_county[c]]
    warn = {}
    talk = next(p for p in city_ps if p["status"] == "在谈")
    warn[talk["project_id"]] = ("signed_on", "待定")
    signed = next(p for p in city_ps if p["status"] == "已签约" and p["project_id"] not in warn)
    warn[signed["project_id"]] = ("started_on", "待定")
    started = next(p for p in city_ps if p["status"] == "已开工" and p["project_id"] not in warn)
    warn[started["project_id"]] = ("producing_on", "年内投产")

    # ---- city workbook
    wb = _new_wb()
    blocks = []
    for c in order:
        if c in COUNTY_BOOKS:
            if c == "瑞昌市":
                blocks.append((c, dups))
            continue
        blocks.append((c, by_county[c]))
    notes = ["填报说明：1. 金额单位为万元（另有注明的除外）；2. 日期按“年-月-日”填写；3. “50·20”项目指总投资20亿元以上的工业项目；"
             "4. 瑞昌市、永修县、湖口县项目见各县（市、区）报送台账。",
             "填表人：李敏　　审核人：王建国　　联系电话：0792-8123456"]
    _project_sheet(wb, "项目台账", [f"{y}年九江市招商引资项目台账"], LAYOUTS["city"], blocks, rng, monthly, notes,
                   subtotals=True, grand_total=True, warn=warn)
    # trips
    tr = tables["trips"]
    rows = []
    for i, t in enumerate(tr.itertuples(index=False), 1):
        rows.append([i, messy_date(t.departed_on.date(), rng), t.unit, _alias(t.unit_kind, KIND_ALIASES, rng, 0.25),
                     t.leader, rng.choice(["是", "√", "是"]) if t.is_principal else rng.choice(["否", "否", "×"]),
                     t.destination, int(t.companies_met)])
    bad_trip_at = len(rows) // 2
    rows.insert(bad_trip_at, [None, None, "市商务局", "市直单位", "刘洋（副局长）", "否", "广东省深圳市", 3])
    _simple_sheet(wb, "外出招商", f"{y}年九江市外出招商情况登记表", None,
                  ["序号", "出发日期", "单位", "单位类别", "带队领导", "是否主要领导", "目的地", "对接企业数"], rows,
                  ["说明：主要领导指各单位一把手、各县（市、区）党政主官。"])
    # leads
    ld = tables["leads"]
    rows = []
    for r in ld.itertuples(index=False):
        rows.append([r.lead_id, r.team, r.name,
                     messy_amount(r.planned_investment, "万元", rng) if r.planned_investment == r.planned_investment else None,
                     messy_date(r.found_on.date(), rng), _alias(r.progress, PROGRESS_ALIASES, rng, 0.25),
                     messy_date(r.signed_on.date(), rng) if r.signed_on is not None and r.signed_on == r.signed_on else None,
                     messy_amount(r.signed_amount, "万元", rng) if r.signed_amount == r.signed_amount else None,
                     r.project_id])
    if rows:
        rows.insert(len(rows) // 3, [None, "新能源产业链招商小分队", "储能电站项目", 50000, f"{y}-08-12", "对接中",
                                     None, None, None])
    _simple_sheet(wb, "项目信息", f"{y}年产业链招商小分队项目信息台账", "单位：万元",
                  ["信息编号", "小分队", "项目名称", "拟投资额", "获取日期", "进展", "签约日期", "签约金额", "关联项目编号"], rows)
    # chain map
    cm = tables["chain_map"]
    rows = [[r.county if rng.random() > 0.2 else _alias(r.county, UNIT_ALIASES, rng, 1.0), r.chain, r.link, r.item,
             rng.choice(["√", "是"]) if r.present else rng.choice(["×", "否"])] for r in cm.itertuples(index=False)]
    _simple_sheet(wb, "产业链图谱", "重点产业链“四图五清单”——产业链图谱", None,
                  ["所属地区", "产业链", "环节", "子项", "是否具备"], rows)
    # province peers (amounts in 亿元, the sheet's default)
    pr = tables["province_peers"]
    amount_inds = {"市外2000万元以上项目实际进资", "省外2000万元以上项目实际进资", "新认定省外亿元以上项目实际进资", "境外资金实际进资"}
    rows = [[r.city, r.indicator, round(r.value / 10000, 2) if r.indicator in amount_inds else int(r.value)]
            for r in pr.itertuples(index=False)]
    _simple_sheet(wb, "全省对比", f"{y}年全省各设区市招商引资主要指标", None, ["设区市", "指标", "数值"], rows,
                  ["注：金额单位为亿元，个数单位为个。"])
    tg = tables["targets"]
    rows = [[_alias(r.county, UNIT_ALIASES, rng, 0.15), r.indicator, int(r.target)] for r in tg.itertuples(index=False)]
    _simple_sheet(wb, "目标任务", f"{y}年各县（市、区）招商引资目标任务", "单位：万元", ["所属地区", "指标", "年度目标"], rows)
    out.append(_save(wb, folder / f"{y}年九江市招商引资工作台账.xlsx"))

    # ---- county workbooks
    conflict_id = f"JJZS{y}9901"
    lay = LAYOUTS["瑞昌市"]
    wb = _new_wb()
    _project_sheet(wb, "招商项目台账", [f"瑞昌市{y}年招商引资项目台账"], lay, [(None, by_county["瑞昌市"])], rng, monthly,
                   ["注：总投资单位为亿元，实际进资单位为万元。", "填表人：陈静　　联系电话：0792-4212345"],
                   subtotals=False, grand_total=True)
    out.append(_save(wb, folder / f"瑞昌市{y}年招商项目台账.xlsx"))

    lay = LAYOUTS["永修县"]
    wb = _new_wb()
    bad = [
        _bad_project_row(lay, _fake(f"JJZS{y}9801", "有机硅密封胶扩能项目", y, "永修县", 0), rng, {"total": "待定"}),
        _bad_project_row(lay, _fake(f"JJZS{y}9802", None, y, "永修县", 35000), rng, {}),
        _bad_project_row(lay, _fake(conflict_id, "硅基新材料产业园项目", y, "永修县", 120000), rng, {}),
    ]
    _project_sheet(wb, "项目库", [f"永修县{y}年招商引资项目库", f"（截至{y}年12月31日）"], lay,
                   [(None, by_county["永修县"])], rng, monthly, ["填报说明：金额单位为万元。"],
                   subtotals=False, grand_total=False, extra_rows=[[None] * 23] + bad)
    out.append(_save(wb, folder / f"永修县{y}年项目库.xlsx"))

    lay = LAYOUTS["湖口县"]
    wb = _new_wb()
    bad = [
        _bad_project_row(lay, _fake(f"JJZS{y}9803", "临港物流仓储项目", y, "湖口县", 18000), rng, {"county": "九江新区"}),
        _bad_project_row(lay, _fake(f"JJZS{y}9804", "锂电池回收利用项目", y, "湖口县", 26000), rng, {"source": "待核实"}),
        _bad_project_row(lay, _fake(conflict_id, "硅基新材料产业园项目", y, "湖口县", 150000), rng, {}),
    ]
    _project_sheet(wb, "项目台账", [f"湖口县{y}年招商引资项目台账"], lay, [(None, by_county["湖口县"])], rng, monthly,
                   ["填报说明：总投资单位为亿元，其余金额单位为万元。", "填表人：周丽"],
                   subtotals=False, grand_total=False, extra_rows=bad)
    out.append(_save(wb, folder / f"湖口县{y}年招商引资项目台账.xlsx"))
    return out
