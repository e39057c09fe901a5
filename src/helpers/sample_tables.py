"""Trips, leads, chain maps, province peers, targets and monthly funds of the sample (see :mod:`helpers.sample`)."""

from __future__ import annotations

import datetime as dt
import random



from helpers import sample_vocab as V
from helpers.sample_util import OUTSIDE, _d, _partition, _rand_amount, _rand_date, fit_sum

# ------------------------------------------------------------------- other tables

def _monthly(projects: list[dict], y: int, rng: random.Random) -> dict[str, list[int]]:
    out = {}
    for p in projects:
        f = p["F"]
        months = [0] * 12
        if f > 0:
            first = 1
            if p["started_on"] is not None and p["started_on"].year == y:
                first = p["started_on"].month
            active = list(range(first, 13))
            k = min(len(active), rng.randint(1, 6)) if f > 12 else 1
            chosen = sorted(rng.sample(active, k))
            shares = _partition(rng, len(chosen), f, sigma=0.5) if f >= len(chosen) else [f]
            for m, s in zip(chosen, shares):
                months[m - 1] = s
        out[p["project_id"]] = months
    return out


def _trips(y: int, plan: dict, rng: random.Random) -> list[dict]:
    t = plan["trips"]
    trips = []

    def person(title):
        return f"{title}{rng.choice(V.SURNAMES)}{''.join(rng.sample(V.GIVEN, rng.choice([1, 2])))}"

    lo = _d(y, 1, 4)
    team_lo = _d(y, 5, 16) if y == 2022 else lo
    teams = [f"{c}产业链招商小分队" for c in V.CITY_CHAINS]
    for i in range(t["team"]):
        trips.append(dict(departed_on=_rand_date(rng, team_lo, _d(y, 12, 26)), unit=teams[i % 9],
                          unit_kind="产业链招商小分队", leader=person("队长"), is_principal=False,
                          destination=rng.choice(V.DESTINATIONS), companies_met=rng.randint(2, 12)))
    depts = V.CITY_DEPARTMENTS[: t["city_units"]]
    leaders = {d: person("局长" if d.endswith("局") else "主任" if d.endswith(("委", "办", "中心")) else "主要负责人")
               for d in V.CITY_DEPARTMENTS}
    for i in range(t["city_principal"]):
        d = depts[i] if i < len(depts) else rng.choice(depts)
        trips.append(dict(departed_on=_rand_date(rng, lo, _d(y, 12, 26)), unit=d, unit_kind="市直单位",
                          leader=leaders[d], is_principal=True, destination=rng.choice(V.DESTINATIONS),
                          companies_met=rng.randint(1, 8)))
    for i in range(int(t["city_principal"] * 0.6)):
        d = rng.choice(V.CITY_DEPARTMENTS)
        trips.append(dict(departed_on=_rand_date(rng, lo, _d(y, 12, 26)), unit=d, unit_kind="市直单位",
                          leader=person("副局长" if d.endswith("局") else "副主任"), is_principal=False,
                          destination=rng.choice(V.DESTINATIONS), companies_met=rng.randint(1, 6)))
    units = list(V.UNIT_WEIGHTS)
    cleaders = {u: (person("县委书记" if u.endswith("县") else "区委书记" if u.endswith("区") and "新区" not in u
                           and "开发区" not in u else "市委书记" if u.endswith("市") else "党工委书记"),
                    person("县长" if u.endswith("县") else "区长" if u.endswith("区") and "新区" not in u
                           and "开发区" not in u else "市长" if u.endswith("市") else "管委会主任")) for u in units}
    for i in range(t["county_principal"]):
        u = units[i % len(units)] if i < len(units) else rng.choices(units, [V.UNIT_WEIGHTS[x] for x in units])[0]
        trips.append(dict(departed_on=_rand_date(rng, lo, _d(y, 12, 26)), unit=u, unit_kind="县（市、区）",
                          leader=rng.choice(cleaders[u]), is_principal=True, destination=rng.choice(V.DESTINATIONS),
                          companies_met=rng.randint(1, 10)))
    for i in range(int(t["county_principal"] * 0.5)):
        u = rng.choice(units)
        trips.append(dict(departed_on=_rand_date(rng, lo, _d(y, 12, 26)), unit=u, unit_kind="县（市、区）",
                          leader=person("副县长" if u.endswith("县") else "副区长" if u.endswith("区") else "副市长"
                                        if u.endswith("市") else "管委会副主任"),
                          is_principal=False, destination=rng.choice(V.DESTINATIONS), companies_met=rng.randint(1, 6)))
    # dedupe on the ledger key (departed_on, unit, leader, destination)
    seen, out = set(), []
    for tr in sorted(trips, key=lambda r: (r["departed_on"], r["unit"], r["leader"])):
        k = (tr["departed_on"], tr["unit"], tr["leader"], tr["destination"])
        while k in seen:
            tr["destination"] = rng.choice(V.DESTINATIONS)
            k = (tr["departed_on"], tr["unit"], tr["leader"], tr["destination"])
        seen.add(k)
        out.append(tr)
    return out


def _leads(y: int, plan: dict, projects: list[dict], rng: random.Random) -> list[dict]:
    L = plan["leads"]
    if not L:
        return []
    n, nbig, nsig, nsigbig, amount = L["count"], L["planned_big"], L["signed"], L["signed_big"], L["signed_amount"]
    teams = [f"{c}产业链招商小分队" for c in V.CITY_CHAINS]
    lo = _d(y, 5, 16) if y == 2022 else _d(y, 1, 4)
    # signed amounts
    sig_vals = [_rand_amount(rng, "t20", 2.2) if i < nsigbig else _rand_amount(rng, "ml", 1.3) for i in range(nsig)]
    sig_b = [(200_000, 1_200_000) if i < nsigbig else (5_000, 199_900) for i in range(nsig)]
    sig_vals = fit_sum(sig_vals, sig_b, amount, gran=100)
    cands = {t: [p for p in projects if p["sourcing_unit"] == t and p["signed_on"] is not None
                 and p["signed_on"] >= lo and p["signed_on"].year == y] for t in teams}
    leads = []
    used = set()
    for i in range(n):
        team = teams[i % 9]
        chain = team.replace("产业链招商小分队", "")
        found = _rand_date(rng, lo, _d(y, 12, 10))
        rec = dict(lead_id=None, team=team, name=None, planned_investment=None, found_on=found, progress=None,
                   signed_on=None, signed_amount=None, project_id=None)
        if i < nsig:
            amt = sig_vals[i]
            rec.update(progress="已签约", signed_amount=float(amt), planned_investment=float(amt))
            pool = [p for p in cands[team] if p["project_id"] not in used]
            if pool and rng.random() < 0.7:
                p = rng.choice(pool)
                used.add(p["project_id"])
                rec.update(name=p["name"], project_id=p["project_id"], signed_on=p["signed_on"],
                           found_on=min(found, p["signed_on"] - dt.timedelta(days=rng.randint(10, 60))))
                if rec["found_on"] < lo:
                    rec["found_on"] = lo
            else:
                sd = _rand_date(rng, found, _d(y, 12, 28))
                rec.update(signed_on=sd)
        else:
            big = i - nsig < nbig - nsigbig
            rec["planned_investment"] = float(_rand_amount(rng, "t20" if big else "ml", 1.6))
            rec["progress"] = rng.choices(["对接中", "在谈", "已放弃"], [50, 38, 12])[0]
        if rec["name"] is None:
            ind = {"数字经济": "新一代信息技术"}.get(chain, chain)
            products = V.PRODUCTS.get(ind, V.PRODUCTS["其他"])[0]
            rec["name"] = f"{''.join(rng.sample(V.BRAND_CHARS, 2))}{rng.choice(products)}项目"
        leads.append(rec)
    leads.sort(key=lambda r: (r["found_on"], r["team"]))
    for i, r in enumerate(leads, 1):
        r["lead_id"] = f"XX{y}-{i:03d}"
        if r["signed_on"] is not None and r["found_on"] > r["signed_on"]:
            r["found_on"] = r["signed_on"]
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


def _chain_map(y: int, plan: dict, rng: random.Random) -> list[dict]:
    rows = []
    missing_led = list(V.LED_MISSING)
    extra_missing = 65 - plan["led_present"]  # years before 2022 lacked a few more items
    all_items = [it for items in V.LED_LINKS.values() for it in items if it not in missing_led]
    r2 = random.Random(7)
    extra = set(r2.sample(all_items, max(0, extra_missing))) if extra_missing > 0 else set()
    restore = set(missing_led[: max(0, -extra_missing)])
    for link, items in V.LED_LINKS.items():
        for it in items:
            present = (it not in missing_led or it in restore) and it not in extra
            rows.append(dict(county="瑞昌市", chain="LED", link=link, item=it, present=present))
    r3 = random.Random(11 + y)
    for (county, chain), links in CHAIN_MAPS.items():
        for link, items in links.items():
            for it in items:
                rows.append(dict(county=county, chain=chain, link=link, item=it, present=r3.random() < 0.78))
    return rows


def _county_actuals(projects: list[dict], y: int) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {u: {} for u in V.UNIT_WEIGHTS}
    for u in V.UNIT_WEIGHTS:
        ps = [p for p in projects if p["county"] == u]
        a_o = [p for p in ps if p["source"] == "省外" and p["total_investment"] >= 2000 and p["F"] > 0]
        b_o = [p for p in ps if p["source"] == "省外" and p["total_investment"] >= 10000 and p["recognized_on"]
               and p["recognized_on"].year == y]
        out[u] = {
            "省外2000万元以上项目实际进资": sum(p["F"] for p in a_o),
            "境外资金实际进资": sum(p["F"] for p in ps if p["source"] == "境外"),
            "新签约亿元以上项目个数": sum(1 for p in ps if p["signed_on"] and p["signed_on"].year == y
                                   and p["total_investment"] >= 10000),
            "省外2000万元以上项目个数": len(a_o),
            "新认定省外亿元以上项目个数": len(b_o),
            "新认定省外亿元以上项目实际进资": sum(p["F"] for p in b_o),
        }
    return out


AMOUNT_INDICATORS = {"市外2000万元以上项目实际进资", "省外2000万元以上项目实际进资", "新认定省外亿元以上项目实际进资",
                     "境外资金实际进资"}


def _targets(projects, y, rng) -> list[dict]:
    act = _county_actuals(projects, y)
    rows = []
    for u in V.UNIT_WEIGHTS:
        for ind in ["省外2000万元以上项目实际进资", "境外资金实际进资", "新签约亿元以上项目个数", "省外2000万元以上项目个数",
                    "新认定省外亿元以上项目个数", "新认定省外亿元以上项目实际进资"]:
            a = act[u][ind]
            f = rng.uniform(0.75, 1.3)
            if ind in AMOUNT_INDICATORS:
                t = max(500, int(round(a * f / 100) * 100))
            else:
                t = max(1, int(round(a * f)))
            rows.append(dict(county=u, indicator=ind, target=float(t)))
    return rows


def _city_values(projects, y) -> dict[str, float]:
    def sel(srcs, tmin, new):
        return [p for p in projects if p["source"] in srcs and p["total_investment"] >= tmin and
                ((p["recognized_on"] is not None and p["recognized_on"].year == y) if new else p["F"] > 0)]
    a_c, a_o, b_o = sel(OUTSIDE, 2000, False), sel(("省外",), 2000, False), sel(("省外",), 10000, True)
    return {
        "市外2000万元以上项目个数": len(a_c), "市外2000万元以上项目实际进资": sum(p["F"] for p in a_c),
        "省外2000万元以上项目个数": len(a_o), "省外2000万元以上项目实际进资": sum(p["F"] for p in a_o),
        "新认定省外亿元以上项目个数": len(b_o), "新认定省外亿元以上项目实际进资": sum(p["F"] for p in b_o),
        "新签约亿元以上项目个数": sum(1 for p in projects if p["signed_on"] and p["signed_on"].year == y
                               and p["total_investment"] >= 10000),
        "境外资金实际进资": sum(p["F"] for p in projects if p["source"] == "境外"),
    }


PEER_CITIES = ["南昌市", "景德镇市", "萍乡市", "新余市", "鹰潭市", "赣州市", "吉安市", "宜春市", "抚州市", "上饶市"]
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


def _peers(projects, y, rng) -> list[dict]:
    own = _city_values(projects, y)
    rows = []
    for ind, v in own.items():
        amount = ind in AMOUNT_INDICATORS
        above = RANK_ABOVE_2022.get(ind) if y == 2022 else None
        if above is None:
            above = [c for c in PEER_CITIES if PEER_SIZE[c] * rng.uniform(0.85, 1.15) > 1.0]
        for c in PEER_CITIES:
            if c in above:
                f = rng.uniform(1.05, 1.3)
            else:
                f = min(0.97, PEER_SIZE[c] * rng.uniform(0.8, 1.05))
            val = v * f
            if amount:
                val = float(round(val / 100) * 100)
                if c in above and val <= v:
                    val = float(v + 100)
                if c not in above and val >= v:
                    val = float(v - 100)
            else:
                val = float(int(round(val)))
                if c in above and val <= v:
                    val = float(v + 1)
                if c not in above and val >= v:
                    val = float(v - 1)
            rows.append(dict(city=c, indicator=ind, value=val))
    # the city itself, as published by the province: one value differs slightly from the ledger
    v = own[CITY_DIFF_INDICATOR]
    rows.append(dict(city="九江市", indicator=CITY_DIFF_INDICATOR, value=float(round(v / 100) * 100 - 100)))
    return rows


