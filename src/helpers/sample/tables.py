"""Trips, leads, chain maps, province peers, targets and monthly funds of the sample (see :mod:`helpers.sample`)."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from helpers.sample import vocab
from helpers.sample.util import CNY_PER_USD, OUTSIDE_CITY, _random_amount, _random_date, _random_partition, fit_sum


def _monthly_funds(projects: list[dict], year: int, rng: random.Random, h1: dict | None = None) -> dict[str, list[int]]:
    """Each project's funds of the year split over 1月…12月 (only months from its start on).

    With ``h1`` (a published half-year report), the January–June part of the pinned sets is fitted
    first: the 省外 2000万+ projects started by the end of June (how many have funds in January–June
    and how much) and the 境外 funds of January–June (实际利用外资 in 亿美元 at the year's rate).
    """
    first_half = _first_half_funds(projects, year, rng, h1 or {})
    out = {}
    for project in projects:
        funds = project["funds_year"]
        months = [0] * 12
        if funds > 0:
            first = 1
            if project["started_on"] is not None and project["started_on"].year == year:
                first = project["started_on"].month
            if project["project_id"] in first_half:  # the fitted January–June part, the rest from July
                part = first_half[project["project_id"]]
                _spread(rng, months, list(range(first, 7)), part)
                _spread(rng, months, list(range(max(first, 7), 13)), funds - part)
            else:
                active = list(range(first, 13))
                month_count = min(len(active), rng.randint(1, 6)) if funds > 12 else 1
                chosen = sorted(rng.sample(active, month_count))
                shares = _random_partition(rng, len(chosen), funds, sigma=0.5) if funds >= len(chosen) else [funds]
                for month, share in zip(chosen, shares, strict=True):
                    months[month - 1] = share
        out[project["project_id"]] = months
    return out


def _spread(rng: random.Random, months: list[int], active: list[int], amount: int) -> None:
    """Add ``amount`` (万元) to one to four of the ``active`` months."""
    if amount <= 0:
        return
    count = min(len(active), rng.randint(1, 4)) if amount > 12 else 1
    chosen = sorted(rng.sample(active, count))
    shares = _random_partition(rng, len(chosen), amount, sigma=0.5) if amount >= len(chosen) else [amount]
    for month, share in zip(chosen, shares, strict=True):
        months[month - 1] += share


def _started_by_june(project: dict, year: int) -> bool:
    return project["started_on"] is not None and project["started_on"] <= dt.date(year, 6, 30) and project["status"] != "已终止"


def _first_half_funds(projects: list[dict], year: int, rng: random.Random, h1: dict) -> dict[str, int]:
    """project id → funds of January–June, for the projects whose split a half-year report pins."""
    out: dict[str, int] = {}
    if "outside_province_started" in h1:
        count, total = h1["outside_province_started"]["count"], h1["outside_province_started"]["funds"]
        pool = [p for p in projects if p["source"] == "省外" and p["total_investment"] >= 2000 and p["funds_year"] > 0
                and _started_by_june(p, year) and not p.get("whole_year_only")]
        # a weighted draw (larger funds more likely) of the projects with funds in January–June
        keys = sorted(pool, key=lambda p: rng.random() ** (1.0 / p["funds_year"]), reverse=True)
        chosen, rest = keys[:count], keys[count:]
        if len(chosen) < count or sum(p["funds_year"] for p in chosen) < total:
            raise ValueError(f"{year}: cannot place {total} 万元 of January–June funds in {count} 省外 projects")
        parts = fit_sum([p["funds_year"] * rng.uniform(0.35, 0.85) for p in chosen],
                        [(max(1, p["funds_year"] // 20), p["funds_year"]) for p in chosen], total)
        out.update({p["project_id"]: part for p, part in zip(chosen, parts, strict=True)})
        out.update({p["project_id"]: 0 for p in rest})  # started, but no funds before July
    if "foreign_funds_usd" in h1:
        total = foreign_first_half_wan(h1["foreign_funds_usd"], year)
        pool = [p for p in projects if p["source"] == "境外" and p["funds_year"] > 0 and _started_by_june(p, year)
                and not p.get("whole_year_only")]
        parts = fit_sum([p["funds_year"] * 0.4 for p in pool], [(0, p["funds_year"]) for p in pool], total)
        out.update({p["project_id"]: part for p, part in zip(pool, parts, strict=True)})
    return out


def foreign_first_half_wan(usd_yi: float, year: int) -> int:
    """The 境外 funds (万元) of January–June whose conversion at the year's rate is ``usd_yi`` 亿美元."""
    return int(round(usd_yi * CNY_PER_USD[year] * 10_000))


def _trips(year: int, plan: dict, rng: random.Random) -> list[dict]:
    """The year's 外出招商 trips: chain teams, city units and counties, principals and deputies."""
    counts = plan["trips"]
    half = plan["h1"].get("trips", {})  # how many trips of a kind depart by the end of June
    trips = []

    def departure(kind: str, index: int, lo: dt.date) -> dt.date:
        """The date of the ``index``-th trip of ``kind``: the first ``half[kind]`` ones by the end of June."""
        if kind not in half:
            return _random_date(rng, lo, dt.date(year, 12, 26))
        if index < half[kind]:
            return _random_date(rng, lo, dt.date(year, 6, 30))
        return _random_date(rng, dt.date(year, 7, 1), dt.date(year, 12, 26))

    def person(title):
        """A random leader's name with ``title`` prefixed."""
        return f"{title}{rng.choice(vocab.SURNAMES)}{''.join(rng.sample(vocab.GIVEN_NAME_CHARS, rng.choice([1, 2])))}"

    lo = dt.date(year, 1, 4)
    team_lo = dt.date(year, 5, 16) if year == 2022 else lo  # the chain teams started work on 2022-05-16
    teams = [f"{chain}产业链招商小分队" for chain in vocab.CITY_CHAINS]
    for index in range(counts["team"]):
        trips.append(dict(departed_on=departure("team", index, team_lo), unit=teams[index % len(teams)],
                          unit_kind="产业链招商小分队", leader=person("队长"), is_principal=False,
                          destination=rng.choice(vocab.DESTINATIONS), companies_met=rng.randint(2, 12)))
    # the first `city_units` departments each make at least one principal trip
    departments = vocab.CITY_DEPARTMENTS[: counts["city_units"]]
    heads = {department: person("局长" if department.endswith("局") else "主任"
                                if department.endswith(("委", "办", "中心")) else "主要负责人")
             for department in vocab.CITY_DEPARTMENTS}
    for index in range(counts["city_principal"]):
        department = departments[index] if index < len(departments) else rng.choice(departments)
        trips.append(dict(departed_on=_random_date(rng, lo, dt.date(year, 12, 26)), unit=department,
                          unit_kind="市直单位", leader=heads[department], is_principal=True,
                          destination=rng.choice(vocab.DESTINATIONS), companies_met=rng.randint(1, 8)))
    for _ in range(int(counts["city_principal"] * 0.6)):
        department = rng.choice(vocab.CITY_DEPARTMENTS)
        trips.append(dict(departed_on=_random_date(rng, lo, dt.date(year, 12, 26)), unit=department,
                          unit_kind="市直单位", leader=person("副局长" if department.endswith("局") else "副主任"),
                          is_principal=False, destination=rng.choice(vocab.DESTINATIONS),
                          companies_met=rng.randint(1, 6)))
    units = list(vocab.UNIT_WEIGHTS)
    # each unit has two principals: the Party secretary and the head of government
    principals = {unit: (person("县委书记" if unit.endswith("县") else "区委书记" if unit.endswith("区") and "新区" not in unit
                                and "开发区" not in unit else "市委书记" if unit.endswith("市") else "党工委书记"),
                         person("县长" if unit.endswith("县") else "区长" if unit.endswith("区") and "新区" not in unit
                                and "开发区" not in unit else "市长" if unit.endswith("市") else "管委会主任"))
                  for unit in units}
    for index in range(counts["county_principal"]):
        unit = (units[index % len(units)] if index < len(units)
                else rng.choices(units, [vocab.UNIT_WEIGHTS[u] for u in units])[0])
        trips.append(dict(departed_on=departure("county_principal", index, lo), unit=unit, unit_kind="县（市、区）",
                          leader=rng.choice(principals[unit]), is_principal=True,
                          destination=rng.choice(vocab.DESTINATIONS), companies_met=rng.randint(1, 10)))
    for _ in range(int(counts["county_principal"] * 0.5)):
        unit = rng.choice(units)
        trips.append(dict(departed_on=_random_date(rng, lo, dt.date(year, 12, 26)), unit=unit, unit_kind="县（市、区）",
                          leader=person("副县长" if unit.endswith("县") else "副区长" if unit.endswith("区") else "副市长"
                                        if unit.endswith("市") else "管委会副主任"),
                          is_principal=False, destination=rng.choice(vocab.DESTINATIONS),
                          companies_met=rng.randint(1, 6)))
    # dedupe on the ledger key (departed_on, unit, leader, destination)
    seen, out = set(), []
    taken: dict[tuple[dt.date, str, str], int] = {}  # destinations used per (day, unit, leader)
    for trip in sorted(trips, key=lambda entry: (entry["departed_on"], entry["unit"], entry["leader"])):
        # every destination of the day taken (only at large --scale, where the loop below would
        # never end): the next day, within the year's dates (no random draw: scale 1 unchanged)
        while taken.get((trip["departed_on"], trip["unit"], trip["leader"]), 0) >= len(vocab.DESTINATIONS):
            following = trip["departed_on"] + dt.timedelta(days=1)
            trip["departed_on"] = following if following <= dt.date(year, 12, 26) else lo
        key = (trip["departed_on"], trip["unit"], trip["leader"], trip["destination"])
        while key in seen:
            trip["destination"] = rng.choice(vocab.DESTINATIONS)
            key = (trip["departed_on"], trip["unit"], trip["leader"], trip["destination"])
        seen.add(key)
        taken[key[:3]] = taken.get(key[:3], 0) + 1
        out.append(trip)
    return out


def _leads(year: int, plan: dict, projects: list[dict], rng: random.Random) -> list[dict]:
    """The chain teams' 项目信息 leads; signed ones link to the team's signed projects where possible."""
    targets = plan["leads"]
    if not targets:
        return []
    if "leads" in plan["h1"]:
        return _leads_by_half(year, targets, plan["h1"]["leads"], projects, rng)
    count, planned_big, signed_count, signed_big = (targets["count"], targets["planned_big"], targets["signed"],
                                                    targets["signed_big"])
    teams = [f"{chain}产业链招商小分队" for chain in vocab.CITY_CHAINS]
    lo = dt.date(year, 5, 16) if year == 2022 else dt.date(year, 1, 4)
    # signed amounts: the big (20亿+) ones first, all fitted to the published signed total
    signed_amounts = [_random_amount(rng, "tier_20", 2.2) if index < signed_big
                      else _random_amount(rng, "medium_large", 1.3) for index in range(signed_count)]
    signed_bounds = [(200_000, 1_200_000) if index < signed_big else (5_000, 199_900) for index in range(signed_count)]
    signed_amounts = fit_sum(signed_amounts, signed_bounds, targets["signed_amount"], gran=100)
    candidates = {team: [p for p in projects if p["sourcing_unit"] == team and p["signed_on"] is not None
                         and p["signed_on"] >= lo and p["signed_on"].year == year] for team in teams}
    leads = []
    linked = set()
    for index in range(count):
        team = teams[index % len(teams)]
        chain = team.replace("产业链招商小分队", "")
        found = _random_date(rng, lo, dt.date(year, 12, 10))
        lead: dict[str, Any] = dict(lead_id=None, team=team, name=None, planned_investment=None, found_on=found, progress=None,
                    signed_on=None, signed_amount=None, project_id=None)
        if index < signed_count:
            amount = signed_amounts[index]
            lead.update(progress="已签约", signed_amount=float(amount), planned_investment=float(amount))
            pool = [p for p in candidates[team] if p["project_id"] not in linked]
            if pool and rng.random() < 0.7:
                project = rng.choice(pool)
                linked.add(project["project_id"])
                lead.update(name=project["name"], project_id=project["project_id"], signed_on=project["signed_on"],
                            found_on=min(found, project["signed_on"] - dt.timedelta(days=rng.randint(10, 60))))
                if lead["found_on"] < lo:
                    lead["found_on"] = lo
            else:
                lead.update(signed_on=_random_date(rng, found, dt.date(year, 12, 28)))
        else:
            big = index - signed_count < planned_big - signed_big
            lead["planned_investment"] = float(_random_amount(rng, "tier_20" if big else "medium_large", 1.6))
            lead["progress"] = rng.choices(["对接中", "在谈", "已放弃"], [50, 38, 12])[0]
        if lead["name"] is None:
            industry = {"数字经济": "新一代信息技术"}.get(chain, chain)
            products = vocab.PRODUCTS.get(industry, vocab.PRODUCTS["其他"])[0]
            lead["name"] = f"{''.join(rng.sample(vocab.BRAND_CHARS, 2))}{rng.choice(products)}项目"
        leads.append(lead)
    leads.sort(key=lambda lead: (lead["found_on"], lead["team"]))
    for number, lead in enumerate(leads, 1):
        lead["lead_id"] = f"XX{year}-{number:03d}"
        if lead["signed_on"] is not None and lead["found_on"] > lead["signed_on"]:
            lead["found_on"] = lead["signed_on"]
    return leads


def _leads_by_half(year: int, targets: dict, first: dict, projects: list[dict], rng: random.Random) -> list[dict]:
    """The leads of a year whose January–June figures are published: ``first["count"]`` found or
    signed by the end of June, ``first["signed"]`` signed by then for ``first["signed_amount"]``
    (``first["signed_big"]`` of them 20亿+); the year's totals as in ``targets``."""
    teams = [f"{chain}产业链招商小分队" for chain in vocab.CITY_CHAINS]
    lo, june, last = dt.date(year, 1, 4), dt.date(year, 6, 30), dt.date(year, 12, 10)
    halves = []  # (signed in the first half?, how many, of which 20亿+, amount)
    halves.append((True, first["signed"], first["signed_big"], first["signed_amount"]))
    halves.append((False, targets["signed"] - first["signed"], targets["signed_big"] - first["signed_big"],
                   targets["signed_amount"] - first["signed_amount"]))
    signed_leads: list[dict[str, Any]] = []
    linked: set[str] = set()
    for in_first, count, big, amount in halves:
        amounts = fit_sum([_random_amount(rng, "tier_20", 2.2) if i < big else _random_amount(rng, "medium_large", 1.3)
                           for i in range(count)],
                          [(200_000, 1_200_000) if i < big else (5_000, 199_900) for i in range(count)], amount, gran=100)
        window = (lo, june) if in_first else (dt.date(year, 7, 1), dt.date(year, 12, 28))
        for value in amounts:
            team = teams[len(signed_leads) % len(teams)]
            lead: dict[str, Any] = dict(lead_id=None, team=team, name=None, planned_investment=float(value), found_on=None,
                        progress="已签约", signed_on=None, signed_amount=float(value), project_id=None, first=in_first)
            pool = [p for p in projects if p["sourcing_unit"] == team and p["signed_on"] is not None
                    and window[0] <= p["signed_on"] <= window[1] and p["project_id"] not in linked]
            if pool and rng.random() < 0.7:
                project = rng.choice(pool)
                linked.add(project["project_id"])
                lead.update(name=project["name"], project_id=project["project_id"], signed_on=project["signed_on"])
            else:
                lead["signed_on"] = _random_date(rng, *window)
            signed_leads.append(lead)
    others = [dict(lead_id=None, team=teams[i % len(teams)], name=None, signed_on=None, signed_amount=None,
                   project_id=None, first=False,
                   planned_investment=float(_random_amount(rng, "tier_20" if i < targets["planned_big"] - targets["signed_big"]
                                                           else "medium_large", 1.6)),
                   progress=rng.choices(["对接中", "在谈", "已放弃"], [50, 38, 12])[0])
              for i in range(targets["count"] - targets["signed"])]
    # found by the end of June: every lead signed by then, and as many of the others as the report says
    undecided = [lead for lead in signed_leads if not lead["first"]] + others
    early = set(rng.sample(range(len(undecided)), first["count"] - first["signed"]))
    for lead in signed_leads:
        if lead["first"]:
            lead["found_on"] = max(lo, lead["signed_on"] - dt.timedelta(days=rng.randint(10, 90)))
    for index, lead in enumerate(undecided):
        if index in early:
            lead["found_on"] = _random_date(rng, lo, june)
        else:
            latest = min(last, lead["signed_on"]) if lead["signed_on"] is not None else last
            lead["found_on"] = _random_date(rng, dt.date(year, 7, 1), max(dt.date(year, 7, 1), latest))
    leads = signed_leads + others
    for lead in leads:
        del lead["first"]
        if lead["name"] is None:
            chain = lead["team"].replace("产业链招商小分队", "")
            industry = {"数字经济": "新一代信息技术"}.get(chain, chain)
            products = vocab.PRODUCTS.get(industry, vocab.PRODUCTS["其他"])[0]
            lead["name"] = f"{''.join(rng.sample(vocab.BRAND_CHARS, 2))}{rng.choice(products)}项目"
    leads.sort(key=lambda lead: (lead["found_on"], lead["team"], lead["name"]))
    for number, lead in enumerate(leads, 1):
        lead["lead_id"] = f"XX{year}-{number:03d}"
    return leads


CHAIN_MAPS = {
    ("永修县", "有机硅"): {
        "有机硅单体": ["金属硅", "氯甲烷", "甲基氯硅烷单体", "二甲基二氯硅烷", "副产物综合利用"],
        "中间体": ["DMC", "D4", "线性体", "含氢硅油", "107胶"],
        "硅橡胶": ["高温胶", "室温胶", "液体硅橡胶", "混炼胶", "硅橡胶制品"],
        "硅油": ["甲基硅油", "氨基硅油", "乳液", "纺织助剂"],
        "硅树脂及硅烷": ["硅树脂", "功能性硅烷", "硅烷偶联剂", "气相白炭黑"],
        "终端应用": ["电子灌封胶", "建筑密封胶", "医用硅胶", "日化个护", "新能源应用", "检测服务"],
    },
    ("九江经济技术开发区", "玻纤及复合材料"): {
        "玻纤原丝": ["叶蜡石", "池窑拉丝", "浸润剂", "铂铑漏板"],
        "电子纱与电子布": ["电子纱", "电子布", "织布设备"],
        "覆铜板": ["电子铜箔", "环氧树脂", "覆铜板"],
        "印制电路板": ["多层板", "HDI板", "柔性板", "IC载板"],
        "复合材料制品": ["风电叶片", "汽车轻量化部件", "管道储罐", "热塑性复合材料"],
    },
    ("湖口县", "新材料"): {
        "锂电材料": ["电解液", "六氟磷酸锂", "锂盐", "正极材料", "隔膜"],
        "化工新材料": ["硝酸", "精细化学品", "特种气体"],
        "钢铁新材料": ["特种钢", "不锈钢深加工", "金属制品"],
        "循环利用": ["废旧电池回收", "固废综合利用"],
    },
    ("共青城市", "现代纺织服装"): {
        "纺纱织造": ["纺纱", "织布", "针织"],
        "印染整理": ["印染", "后整理", "污水处理"],
        "服装制造": ["羽绒服", "休闲服装", "童装", "辅料"],
        "品牌营销": ["设计研发", "电商直播", "仓储物流"],
    },
}


def _chain_map(year: int, plan: dict) -> list[dict]:
    """The 产业链图谱 rows: 瑞昌市's LED map (pinned presence) and the other counties' maps."""
    rows = []
    missing_led = list(vocab.LED_MISSING)
    extra_missing = 65 - plan["led_present"]  # years before 2022 lacked a few more items
    available = [item for items in vocab.LED_LINKS.values() for item in items if item not in missing_led]
    fixed_rng = random.Random(7)  # a fixed seed: the same items are missing every year
    extra = set(fixed_rng.sample(available, max(0, extra_missing))) if extra_missing > 0 else set()
    restore = set(missing_led[: max(0, -extra_missing)])
    for link, items in vocab.LED_LINKS.items():
        for item in items:
            present = (item not in missing_led or item in restore) and item not in extra
            rows.append(dict(county="瑞昌市", chain="LED", link=link, item=item, present=present))
    year_rng = random.Random(11 + year)
    for (county, chain), links in CHAIN_MAPS.items():
        for link, items in links.items():
            for item in items:
                rows.append(dict(county=county, chain=chain, link=link, item=item, present=year_rng.random() < 0.78))
    return rows


def _county_actuals(projects: list[dict], year: int) -> dict[str, dict[str, float]]:
    """Each county's actual values of the target indicators."""
    out: dict[str, dict[str, float]] = {}
    for county in vocab.UNIT_WEIGHTS:
        own = [p for p in projects if p["county"] == county]
        funded = [p for p in own if p["source"] == "省外" and p["total_investment"] >= 2000 and p["funds_year"] > 0]
        new_100m = [p for p in own if p["source"] == "省外" and p["total_investment"] >= 10000 and p["recognized_on"]
                    and p["recognized_on"].year == year]
        out[county] = {
            "省外2000万元以上项目实际进资": sum(p["funds_year"] for p in funded),
            "境外资金实际进资": sum(p["funds_year"] for p in own if p["source"] == "境外"),
            "新签约亿元以上项目个数": sum(1 for p in own if p["signed_on"] and p["signed_on"].year == year
                                   and p["total_investment"] >= 10000),
            "省外2000万元以上项目个数": len(funded),
            "新认定省外亿元以上项目个数": len(new_100m),
            "新认定省外亿元以上项目实际进资": sum(p["funds_year"] for p in new_100m),
        }
    return out


AMOUNT_INDICATORS = {"市外2000万元以上项目实际进资", "省外2000万元以上项目实际进资", "新认定省外亿元以上项目实际进资",
                     "境外资金实际进资", "省外2000万元以上开工项目实际进资"}


# The target indicators of indicators.csv (its `target` column), as the 目标任务 sheet names them.
TARGET_INDICATORS = ["省外2000万元以上项目实际进资", "境外资金实际进资", "新签约亿元以上项目个数",
                     "省外2000万元以上项目个数", "新认定省外亿元以上项目个数", "新认定省外亿元以上项目实际进资"]
# A unit the city sets no foreign target for: its target is written as 0 (a data-quality warning of the bulletin).
ZERO_TARGET = ("庐山西海风景名胜区", "境外资金实际进资")
# The indicator the city sets its own target for (below the sum of the units' targets, as cities do).
CITY_TARGET = ("省外2000万元以上项目实际进资", 0.9)


def _targets(projects: list[dict], year: int, rng: random.Random) -> list[dict]:
    """Each county's 目标任务 for every target indicator: its actual value of the year scaled by a
    random factor, rounded; one zero target; the city's own target for one indicator."""
    actuals = _county_actuals(projects, year)
    rows: list[dict[str, Any]] = []
    for county in vocab.UNIT_WEIGHTS:
        for indicator in TARGET_INDICATORS:
            actual = actuals[county][indicator]
            factor = rng.uniform(0.75, 1.3)
            if indicator in AMOUNT_INDICATORS:
                target = max(500, int(round(actual * factor / 100) * 100))
            else:
                target = max(1, int(round(actual * factor)))
            if (county, indicator) == ZERO_TARGET:
                target = 0
            rows.append(dict(county=county, indicator=indicator, target=float(target)))
    indicator, share = CITY_TARGET
    units_sum = sum(row["target"] for row in rows if row["indicator"] == indicator)
    rows.append(dict(county="九江市", indicator=indicator, target=float(round(units_sum * share / 100_000) * 100_000)))
    return rows


def _city_values(projects: list[dict], year: int, funds: Mapping[str, float], month: int) -> dict[str, float]:
    """The city's own values of the indicators the province compares, for January..``month``
    (``funds``: each project's funds of that period; dated events up to the end of ``month``)."""
    def dated(date) -> bool:
        return date is not None and date.year == year and date.month <= month

    def select(sources, min_total, newly_recognized):
        """Projects from ``sources`` of at least ``min_total``: recognized in the period, or else funded."""
        return [p for p in projects if p["source"] in sources and p["total_investment"] >= min_total and
                (dated(p["recognized_on"]) if newly_recognized else funds[p["project_id"]] > 0)]
    outside_city_funded = select(OUTSIDE_CITY, 2000, False)
    outside_province_funded = select(("省外",), 2000, False)
    outside_province_new_100m = select(("省外",), 10000, True)
    return {
        "市外2000万元以上项目个数": len(outside_city_funded),
        "市外2000万元以上项目实际进资": sum(funds[p["project_id"]] for p in outside_city_funded),
        "省外2000万元以上项目个数": len(outside_province_funded),
        "省外2000万元以上项目实际进资": sum(funds[p["project_id"]] for p in outside_province_funded),
        "新认定省外亿元以上项目个数": len(outside_province_new_100m),
        "新认定省外亿元以上项目实际进资": sum(funds[p["project_id"]] for p in outside_province_new_100m),
        "新签约亿元以上项目个数": sum(1 for p in projects if dated(p["signed_on"]) and p["total_investment"] >= 10000),
        "境外资金实际进资": sum(funds[p["project_id"]] for p in projects if p["source"] == "境外"),
    }


PEER_CITIES = ["南昌市", "景德镇市", "萍乡市", "新余市", "鹰潭市", "赣州市", "吉安市", "宜春市", "抚州市", "上饶市"]
# each peer city's size relative to 九江市
PEER_SIZE = {"南昌市": 1.35, "景德镇市": 0.35, "萍乡市": 0.4, "新余市": 0.38, "鹰潭市": 0.3, "赣州市": 1.0,
             "吉安市": 0.72, "宜春市": 0.8, "抚州市": 0.55, "上饶市": 0.9}
# indicators whose rank is pinned in 2022: cities that must be above 九江市
RANK_ABOVE_2022 = {
    "省外2000万元以上项目个数": [],
    "省外2000万元以上项目实际进资": ["南昌市"],
    "新认定省外亿元以上项目个数": ["南昌市", "赣州市", "上饶市"],
    "新认定省外亿元以上项目实际进资": ["南昌市"],
}
CITY_DIFF_INDICATOR = "省外2000万元以上项目实际进资"


def _province_peers(projects: list[dict], year: int, rng: random.Random, monthly: dict[str, list[int]], h1: dict) -> list[dict]:
    """The 全省对比 rows: every peer city's values, strictly above or below 九江市 as its rank requires;
    the whole year (截至月份 blank), and January–June (截至月份 6) for the monthly bulletin."""
    own = _city_values(projects, year, {p["project_id"]: p["funds_year"] for p in projects}, 12)
    rows = []
    for indicator, own_value in own.items():
        is_amount = indicator in AMOUNT_INDICATORS
        above = RANK_ABOVE_2022.get(indicator) if year == 2022 else None
        if above is None:
            above = [city for city in PEER_CITIES if PEER_SIZE[city] * rng.uniform(0.85, 1.15) > 1.0]
        for city in PEER_CITIES:
            if city in above:
                factor = rng.uniform(1.05, 1.3)
            else:
                factor = min(0.97, PEER_SIZE[city] * rng.uniform(0.8, 1.05))
            value = own_value * factor
            # rounding must not break the ordering against 九江市
            if is_amount:
                value = float(round(value / 100) * 100)
                if city in above and value <= own_value:
                    value = float(own_value + 100)
                if city not in above and value >= own_value:
                    value = float(own_value - 100)
            else:
                value = float(int(round(value)))
                if city in above and value <= own_value:
                    value = float(own_value + 1)
                if city not in above and value >= own_value:
                    value = float(own_value - 1)
            rows.append(dict(city=city, indicator=indicator, value=value, through_month=None))
    # the city itself, as published by the province: one value differs slightly from the ledger
    own_value = own[CITY_DIFF_INDICATOR]
    rows.append(dict(city="九江市", indicator=CITY_DIFF_INDICATOR, value=float(round(own_value / 100) * 100 - 100),
                     through_month=None))
    # the indicators added for the monthly bulletin, for the year, then January–June (截至月份 6)
    year_extra = _city_values_extra(projects, year, {p["project_id"]: p["funds_year"] for p in projects}, 12)
    rows.extend(_peer_rows(year_extra, random.Random(5_000 + year), {}, None))
    first_half = {pid: sum(months[:6]) for pid, months in monthly.items()}
    own_half = {**_city_values(projects, year, first_half, 6), **_city_values_extra(projects, year, first_half, 6)}
    pinned = RANK_ABOVE_FIRST_HALF if "outside_province_started" in h1 else {}
    rows.extend(_peer_rows(own_half, random.Random(6_000 + year), pinned, 6))
    return rows


# half-year ranks pinned by the published report (jiujiang_2023h1.yaml): cities above 九江市
RANK_ABOVE_FIRST_HALF = {"省外2000万元以上开工项目个数": ["南昌市", "赣州市"], "省外2000万元以上开工项目实际进资": [], "实际利用外资": []}
USD_INDICATORS = {"实际利用外资"}


def _half_up(value: float, digits: int = 2) -> float:
    """四舍五入 as the kit rounds published figures."""
    return float(Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP))


def _city_values_extra(projects: list[dict], year: int, funds: Mapping[str, float], month: int) -> dict[str, float]:
    """The city's 省外 2000万+ projects started by the end of ``month`` with funds (count, 万元) and its
    实际利用外资 (亿美元 at the year's rate), with ``funds`` the projects' funds of January..``month``."""
    end = dt.date(year, month, 30 if month in (4, 6, 9, 11) else 28 if month == 2 else 31)
    started = [p for p in projects if p["source"] == "省外" and p["total_investment"] >= 2000 and funds[p["project_id"]] > 0
               and p["started_on"] is not None and p["started_on"] <= end]
    foreign = sum(funds[p["project_id"]] for p in projects if p["source"] == "境外")
    return {
        "省外2000万元以上开工项目个数": len(started),
        "省外2000万元以上开工项目实际进资": sum(funds[p["project_id"]] for p in started),
        "实际利用外资": _half_up(foreign / CNY_PER_USD[year] / 10_000),
    }


def _peer_rows(own: dict[str, float], rng: random.Random, pinned: dict[str, list[str]], through_month: int | None) -> list[dict]:
    """Every peer city's value of each indicator, strictly above 九江市 for the cities of ``pinned``
    (else for a random set of the bigger cities) and strictly below for the others."""
    rows = []
    for indicator, own_value in own.items():
        step = 100 if indicator in AMOUNT_INDICATORS else 0.01 if indicator in USD_INDICATORS else 1
        above = pinned.get(indicator)
        if above is None:
            above = [city for city in PEER_CITIES if PEER_SIZE[city] * rng.uniform(0.85, 1.15) > 1.0]
        for city in PEER_CITIES:
            factor = rng.uniform(1.05, 1.3) if city in above else min(0.97, PEER_SIZE[city] * rng.uniform(0.8, 1.05))
            value = _half_up(own_value * factor / step, 0) * step
            if city in above and value <= own_value:
                value = own_value + step
            if city not in above and value >= own_value:
                value = max(0.0, own_value - step)
            rows.append(dict(city=city, indicator=indicator, value=float(_half_up(value)), through_month=through_month))
    return rows
