"""Trips, leads, chain maps, province peers, targets and monthly funds of the sample (see :mod:`helpers.sample`)."""

from __future__ import annotations

import datetime as dt
import random

from helpers.sample import vocab
from helpers.sample.util import OUTSIDE_CITY, _random_amount, _random_date, _random_partition, fit_sum


def _monthly_funds(projects: list[dict], year: int, rng: random.Random) -> dict[str, list[int]]:
    """Each project's funds of the year split over 1月…12月 (only months from its start on)."""
    out = {}
    for project in projects:
        funds = project["funds_year"]
        months = [0] * 12
        if funds > 0:
            first = 1
            if project["started_on"] is not None and project["started_on"].year == year:
                first = project["started_on"].month
            active = list(range(first, 13))
            month_count = min(len(active), rng.randint(1, 6)) if funds > 12 else 1
            chosen = sorted(rng.sample(active, month_count))
            shares = _random_partition(rng, len(chosen), funds, sigma=0.5) if funds >= len(chosen) else [funds]
            for month, share in zip(chosen, shares, strict=True):
                months[month - 1] = share
        out[project["project_id"]] = months
    return out


def _trips(year: int, plan: dict, rng: random.Random) -> list[dict]:
    """The year's 外出招商 trips: chain teams, city units and counties, principals and deputies."""
    counts = plan["trips"]
    trips = []

    def person(title):
        """A random leader's name with ``title`` prefixed."""
        return f"{title}{rng.choice(vocab.SURNAMES)}{''.join(rng.sample(vocab.GIVEN_NAME_CHARS, rng.choice([1, 2])))}"

    lo = dt.date(year, 1, 4)
    team_lo = dt.date(year, 5, 16) if year == 2022 else lo  # the chain teams started work on 2022-05-16
    teams = [f"{chain}产业链招商小分队" for chain in vocab.CITY_CHAINS]
    for index in range(counts["team"]):
        trips.append(dict(departed_on=_random_date(rng, team_lo, dt.date(year, 12, 26)), unit=teams[index % len(teams)],
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
        trips.append(dict(departed_on=_random_date(rng, lo, dt.date(year, 12, 26)), unit=unit, unit_kind="县（市、区）",
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
    for trip in sorted(trips, key=lambda entry: (entry["departed_on"], entry["unit"], entry["leader"])):
        key = (trip["departed_on"], trip["unit"], trip["leader"], trip["destination"])
        while key in seen:
            trip["destination"] = rng.choice(vocab.DESTINATIONS)
            key = (trip["departed_on"], trip["unit"], trip["leader"], trip["destination"])
        seen.add(key)
        out.append(trip)
    return out


def _leads(year: int, plan: dict, projects: list[dict], rng: random.Random) -> list[dict]:
    """The chain teams' 项目信息 leads; signed ones link to the team's signed projects where possible."""
    targets = plan["leads"]
    if not targets:
        return []
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
        lead = dict(lead_id=None, team=team, name=None, planned_investment=None, found_on=found, progress=None,
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
                     "境外资金实际进资"}


def _targets(projects: list[dict], year: int, rng: random.Random) -> list[dict]:
    """Each county's 目标任务: its actual value scaled by a random factor, rounded."""
    actuals = _county_actuals(projects, year)
    rows = []
    for county in vocab.UNIT_WEIGHTS:
        for indicator in ["省外2000万元以上项目实际进资", "境外资金实际进资", "新签约亿元以上项目个数",
                          "省外2000万元以上项目个数", "新认定省外亿元以上项目个数", "新认定省外亿元以上项目实际进资"]:
            actual = actuals[county][indicator]
            factor = rng.uniform(0.75, 1.3)
            if indicator in AMOUNT_INDICATORS:
                target = max(500, int(round(actual * factor / 100) * 100))
            else:
                target = max(1, int(round(actual * factor)))
            rows.append(dict(county=county, indicator=indicator, target=float(target)))
    return rows


def _city_values(projects: list[dict], year: int) -> dict[str, float]:
    """The city's own values of the indicators the province compares."""
    def select(sources, min_total, newly_recognized):
        """Projects from ``sources`` of at least ``min_total``: recognized this year, or else funded."""
        return [p for p in projects if p["source"] in sources and p["total_investment"] >= min_total and
                ((p["recognized_on"] is not None and p["recognized_on"].year == year) if newly_recognized
                 else p["funds_year"] > 0)]
    outside_city_funded = select(OUTSIDE_CITY, 2000, False)
    outside_province_funded = select(("省外",), 2000, False)
    outside_province_new_100m = select(("省外",), 10000, True)
    return {
        "市外2000万元以上项目个数": len(outside_city_funded),
        "市外2000万元以上项目实际进资": sum(p["funds_year"] for p in outside_city_funded),
        "省外2000万元以上项目个数": len(outside_province_funded),
        "省外2000万元以上项目实际进资": sum(p["funds_year"] for p in outside_province_funded),
        "新认定省外亿元以上项目个数": len(outside_province_new_100m),
        "新认定省外亿元以上项目实际进资": sum(p["funds_year"] for p in outside_province_new_100m),
        "新签约亿元以上项目个数": sum(1 for p in projects if p["signed_on"] and p["signed_on"].year == year
                               and p["total_investment"] >= 10000),
        "境外资金实际进资": sum(p["funds_year"] for p in projects if p["source"] == "境外"),
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


def _province_peers(projects: list[dict], year: int, rng: random.Random) -> list[dict]:
    """The 全省对比 rows: every peer city's values, strictly above or below 九江市 as its rank requires."""
    own = _city_values(projects, year)
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
            rows.append(dict(city=city, indicator=indicator, value=value))
    # the city itself, as published by the province: one value differs slightly from the ledger
    own_value = own[CITY_DIFF_INDICATOR]
    rows.append(dict(city="九江市", indicator=CITY_DIFF_INDICATOR, value=float(round(own_value / 100) * 100 - 100)))
    return rows
