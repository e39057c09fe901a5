"""Small hand-made messy workbooks covering every case of docs/domain.md §2, built by code.

``write_messy_year(folder)`` writes two workbooks into ``folder`` (a ``raw/<year>/`` folder);
the module-level EXPECTED_* constants are the exact outcome a correct cleaner must give.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl

CITY_FILE = "2022年九江市招商引资台账.xlsx"
COUNTY_FILE = "瑞昌市2022年项目库.xlsx"

PROJECT_HEADERS = [
    "序号", "*项目编号", "项目\n名称", "投资主体", "资金来源", "县市区", "行业", "产业链",
    "总投资（亿元）", "本年实际进资\n(万元)", "签约日期", "认定日期", "“50·20”申报日期", "企业性质",
    "数字经济", "签约活动", "项目状态",
]
MONTHS = [f"{m}月" for m in range(1, 13)]

# (序号, 项目编号, 名称, 投资方, 资金来源, 县, 行业, 产业链, 总投资, 进资, 签约, 认定, 5020申报, 企业性质, 数字经济, 活动, 状态) + months
CITY_PROJECT_ROWS = [
    [1, "P001", "光电显示模组项目", "深圳市华星光电有限公司", "外省", "经开区", "电子信息", "电子信息产业链", 2.5, "1,200",
     "2022/3/5", 44625, None, "上市公司/高新企业", "√", "庐山全球商界领袖大会", "已签约", *[100] * 12],
    [2, "P002", "智能装备产业园项目", "南昌智造集团", "市外省内", "庐山区", "装备制造", None, "２．５亿", "0.3亿",
     "2022年3月", "20220305", None, None, "否", None, "签约", *[None] * 12],
    [3, "P003", "跨境电商物流中心", "香港利丰集团", "港澳台", "九江县", "物流", None, "贰亿伍仟万", 0,
     "2022.3.5", dt.datetime(2022, 3, 5), None, "跨国公司", None, None, "在谈", *[None] * 12],
    [4, "P004", "绿色食品加工项目", "九江本地食品公司", "本市", "星子县", "食品", "绿色食品", 3, "25000万元",
     "2022年3月5日", "2022-03", None, None, "是", None, "已开工", *[None] * 12],
    ["小计", None, None, None, None, None, None, None, 10.5, 29200, None, None, None, None, None, None, None, *[None] * 12],
    [None] * (len(PROJECT_HEADERS) + 12),
    [5, "P005", "待定总投资项目", "某公司", "省外", "瑞昌", "新材料", None, "待定", 0,
     None, None, None, None, None, None, None, *[None] * 12],
    [6, "P006", "未知地区项目", "某公司", "省外", "九江新区", "新材料", None, 1, 0,
     None, None, None, None, None, None, None, *[None] * 12],
    [7, "P007", None, "某公司", "省外", "修水", "新材料", None, 1, 0,
     None, None, None, None, None, None, None, *[None] * 12],
    [8, "P008", "新能源电池项目", "宁德某新能源公司", "省外", "湖口", "新能源", "新能源", 50, 5000,
     "待定", "2022-06-01", "2022-07-15", "中国500强、上市公司", "N", "院士论坛", "已签约", *[None] * 12],
    [9, "P009", "有机硅单体项目", "浙江某化工公司", "省外", "永修", "化工", "有机硅", 20, 100,
     "2022-05-01", "2022-05-01", "2022-06-30 00:00:00", "民营500强", "✗", None, "已签约", *[None] * 12],
    ["合计", None, None, None, None, None, None, None, 999, 99999, None, None, None, None, None, None, None, *[None] * 12],
    ["填报说明：金额单位为万元，总投资为亿元。", *[None] * (len(PROJECT_HEADERS) + 11)],
]

COUNTY_HEADERS = ["编号", "项目名称", "投资企业", "资金来源", "所　在　地", "产业类别", "产业链", "计划总投资", "实际进资", "签约 日期",
                  "认定日期", "5020申报日期", "企业性质", "是否数字经济", "签约活动", "状态"]
COUNTY_ROWS = [
    # identical to the city's P009 (amounts in 亿元 per the unit line) → merged as a duplicate
    ["P009", "有机硅单体项目", "浙江某化工公司", "省外", "永修县", "石化", "有机硅", 20, 0.01,
     dt.date(2022, 5, 1), "2022/5/1", "2022.6.30", "民营五百强", "否", None, "已签"],
    # conflicts with the city's P004 (different total investment) → both quarantined
    ["P004", "绿色食品加工项目", "九江本地食品公司", "本市", "庐山市", "绿色食品", "绿色食品", 4, 2.5,
     "2022年3月5日", "2022-03", None, None, "是", None, "已开工"],
    ["P010", "LED封装项目", "厦门某光电公司", "省外", "瑞昌市", "电子", "LED", "1.2亿元", "0.5",
     "2022-08-08", "2022-08-08", None, "高新技术企业;上市企业;独角兽", "Y", "政协智库论坛", "已开工"],
    ["P011", "电子铜箔项目", "江苏某铜业公司", "省外", "九江经开区", "电子信息", None, "2.5 亿元", "两亿",
     "2022-09-09", "2022-09-09", None, None, None, None, "已签约"],
    # a 总计 row whose amounts equal the rows above (20 + 4 + 1.2 + 2.5 亿; 0.01 + 2.5 + 0.5 + 2 亿)
    ["总计", None, None, None, None, None, None, 27.7, 5.01, None, None, None, None, None, None, None],
]

TRIP_ROWS = [
    ["出发日期", "单位", "单位类别", "带队领导", "是否主要领导", "目的地", "对接企业数"],
    ["2022-04-01", "市商务局", "市直", "张局长", "是", "深圳", "5家"],
    ["2022/4/2", "瑞昌市", "县市区", "李书记", "√", "上海", 3],
    [44653, "电子信息产业链招商小分队", "小分队", "王队长", "否", "苏州", "２"],
    [None, "修水县", "县（市、区）", "赵县长", "是", "杭州", 1],
    ["2022-04-01", "市商务局", "市直", "张局长", "是", "深圳", "5家"],
]
LEAD_ROWS = [
    ["信息编号", "小分队", "项目名称", "拟投资额（亿元）", "获取日期", "进展", "签约日期", "签约金额（亿元）", "关联项目编号"],
    ["L001", "电子信息产业链招商小分队", "显示面板配套项目", 25, "2022年6月", "已签约", "2022-09-01", 20, "P001"],
    ["L002", "新能源产业链招商小分队", "储能电池项目", "5000万元", "2022-07-01", "对接", None, None, None],
]
CHAIN_ROWS = [
    ["所属地区", "产业链", "环节", "子项", "是否具备"],
    ["瑞昌市", "LED", "封装", "芯片封装", "是"],
    ["瑞昌市", "LED", "封装", "支架", "否"],
    ["瑞昌", "LED产业链", "终端", "照明灯具", "√"],
]
PEER_ROWS = [
    ["设区市", "指标", "数值"],
    ["南昌市", "省外2000万元以上项目个数", 450],
    ["南昌", "省外2000万元以上项目实际进资", "1500.5"],
    ["赣州市", "省外2000万元以上项目实际进资", "1,400亿元"],
]
TARGET_ROWS = [
    ["所属地区", "指标", "年度目标"],
    ["瑞昌市", "省外2000万元以上项目个数", 10],
    ["瑞昌市", "省外2000万元以上项目实际进资", "2亿"],
]

EXPECTED_COUNTS = {
    # P009 is in both workbooks identically (one merged); P004 conflicts (both quarantined).
    "projects": {"rows_read": 18, "clean": 7, "quarantined": 5, "subtotal": 3, "blank": 2, "duplicates_merged": 1},
    "trips": {"rows_read": 5, "clean": 3, "quarantined": 1, "subtotal": 0, "blank": 0, "duplicates_merged": 1},
    "leads": {"rows_read": 2, "clean": 2, "quarantined": 0, "subtotal": 0, "blank": 0, "duplicates_merged": 0},
    "chain_map": {"rows_read": 3, "clean": 3, "quarantined": 0, "subtotal": 0, "blank": 0, "duplicates_merged": 0},
    "province_peers": {"rows_read": 3, "clean": 3, "quarantined": 0, "subtotal": 0, "blank": 0, "duplicates_merged": 0},
    "targets": {"rows_read": 2, "clean": 2, "quarantined": 0, "subtotal": 0, "blank": 0, "duplicates_merged": 0},
}


def _sheet(workbook: openpyxl.Workbook, title: str, rows: list[list[object]], *, title_row: str | None = None,
           unit_line: str | None = None) -> None:
    sheet = workbook.create_sheet(title)
    if title_row:
        sheet.append([title_row])
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=max(len(rows[0]), 2))
    if unit_line:
        sheet.append([unit_line])
    for row in rows:
        sheet.append(row)


def write_messy_year(folder: Path) -> list[Path]:
    """Write the two messy workbooks of the fixture year into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    city = openpyxl.Workbook()
    city.remove(city.active)
    projects = city.create_sheet("项目台账")
    width = len(PROJECT_HEADERS) + 12
    projects.append(["2022年九江市招商引资项目台账"])
    projects.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    projects.append(["单位：万元"])
    # Two-row header: every column header merged over rows 3–4, except the months under a group title.
    projects.append([*PROJECT_HEADERS, "月度实际进资（万元）", *[None] * 11])
    projects.append([*[None] * len(PROJECT_HEADERS), *MONTHS])
    for column in range(1, len(PROJECT_HEADERS) + 1):
        projects.merge_cells(start_row=3, start_column=column, end_row=4, end_column=column)
    projects.merge_cells(start_row=3, start_column=len(PROJECT_HEADERS) + 1, end_row=3, end_column=width)
    for row in CITY_PROJECT_ROWS:
        projects.append(row)
    _sheet(city, "外出招商", TRIP_ROWS, title_row="2022年外出招商情况表")
    _sheet(city, "项目信息", LEAD_ROWS)
    _sheet(city, "产业链图谱", CHAIN_ROWS)
    _sheet(city, "全省对比", PEER_ROWS, unit_line="单位：亿元")
    _sheet(city, "目标任务", TARGET_ROWS, unit_line="单位：万元")
    city.create_sheet("说明").append(["这张表不是台账，应被忽略"])
    city_path = folder / CITY_FILE
    city.save(city_path)

    county = openpyxl.Workbook()
    county.remove(county.active)
    _sheet(county, "项目库", [COUNTY_HEADERS, *COUNTY_ROWS], title_row="瑞昌市2022年招商项目库", unit_line="单位：亿元")
    county_path = folder / COUNTY_FILE
    county.save(county_path)
    return [city_path, county_path]


def write_one_sheet(folder: Path, file: str, title: str, rows: list[list[object]], merges: tuple[str, ...] = ()) -> Path:
    """A one-sheet workbook in ``folder`` (created), for tests of a single layout rule."""
    folder.mkdir(parents=True, exist_ok=True)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    for cells in merges:
        sheet.merge_cells(cells)
    workbook.save(folder / file)
    return folder / file
