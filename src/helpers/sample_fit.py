"""Amounts and attributes of the sample projects, fitted to the published figures (see :mod:`helpers.sample`)."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from helpers import sample_vocab as V
if TYPE_CHECKING:
    from helpers.sample_build import _Builder

from helpers.sample_util import EV_ACAD, EV_CPPCC, EV_SUMMIT, OUTSIDE, _d, _partition, _rand_date, fit_sum

def _amounts(b: _Builder, plan: dict) -> None:
    rng, y, P = b.rng, b.y, b.projects
    ft = plan["ft"]
    # “50·20” total
    ftp = [p for p in P if p["tag"] == "ft"]
    vals = [p["total_investment"] for p in ftp]
    bnds = [p["t_bounds"] for p in ftp]
    for i, p in enumerate(ftp):
        if p["name"] in ("巨石玻纤项目", "心连心新材料项目"):
            bnds[i] = (vals[i], vals[i])
        elif p["total_investment"] >= 1_000_000:
            bnds[i] = (1_000_000, 1_500_000)
        elif p["total_investment"] >= 500_000:
            bnds[i] = (500_000, 990_000)
        else:
            bnds[i] = (200_000, 480_000)
    for p, v in zip(ftp, fit_sum(vals, bnds, ft["total"], gran=100)):
        p["total_investment"] = v
    if b.events:
        # 院士论坛: 48 projects, 637亿; summit + CPPCC together 1966.5 − 637 亿
        def fit_event(events, total):
            members = [p for p in P if p["event"] in events and p["signed_on"].year == y]
            free = [p for p in members if p["tag"].startswith("evfill")]
            fixed = sum(p["total_investment"] for p in members if p not in free)
            res = fit_sum([p["total_investment"] for p in free], [p["t_bounds"] for p in free], total - fixed, 100)
            for p, v in zip(free, res):
                p["total_investment"] = v
        fit_event({EV_ACAD}, 6_370_000)
        fit_event({EV_SUMMIT, EV_CPPCC}, 19_665_000 - 6_370_000)
        sil = [p for p in P if p["tag"] == "silicone"]
        res = fit_sum([p["total_investment"] for p in sil], [p["t_bounds"] for p in sil], 1_191_100 - 525_000, 100)
        for p, v in zip(sil, res):
            p["total_investment"] = v
    # funds: T-first members get a share of their total, F-first members share the rest
    groups = {"AB_P": plan["ab_p"][1], "A_P": plan["a_p_only"][1], "AB_O": plan["ab_o"][2], "A_O": plan["a_o_only"][1]}
    for g, target in groups.items():
        members = [p for p in P if p["fgroup"] == g]
        tfirst = [p for p in members if not p["tag"].startswith("ffirst")]
        ffirst = [p for p in members if p["tag"].startswith("ffirst")]
        fixed = 0
        for p in tfirst:
            if p["F"] is None:
                lo_r, hi_r = (0.1, 0.6) if p["started_on"] and p["started_on"].year == y else (0.05, 0.4)
                if g == "A_O" and p["total_investment"] < 10000:
                    lo_r, hi_r = (0.3, 0.8)
                p["F"] = max(1, int(p["total_investment"] * rng.uniform(lo_r, hi_r)))
            fixed += p["F"]
        rest = target - fixed
        if ffirst:
            if rest < len(ffirst) * 1000:
                raise ValueError(f"{y} {g}: not enough funds left for F-first members ({rest})")
            shares = _partition(rng, len(ffirst), rest, sigma=0.45, cap=2.5)
            for p, f in zip(ffirst, shares):
                p["F"] = f
                ratio = rng.uniform(0.45, 0.8)
                t = int(math.ceil(f / ratio / 100) * 100)
                t = max(t, 10_000 if g in ("AB_P", "AB_O") else 2_000)
                if g == "A_O" and p["recognized_on"] is not None and p["recognized_on"].year == y:
                    t = max(t, 2000)
                p["total_investment"] = t
        elif rest != 0:
            raise ValueError(f"{y} {g}: funds off by {rest}")
    # projects outside the funded groups: 市外 ones get no funds (they must stay outside the
    # published sets) unless they are below 2000万元; local/foreign ones get funds once started
    for p in P:
        if p["fgroup"] is not None:
            continue
        started = p["started_on"] is not None and p["status"] != "已终止"
        if p["source"] in OUTSIDE:
            p["F"] = int(p["total_investment"] * rng.uniform(0.2, 0.7)) if started and p["total_investment"] < 2000 else 0
        elif p["F"] is None:
            p["F"] = int(p["total_investment"] * rng.uniform(0.05, 0.5)) if started else 0
    # no ongoing 50·20 project of 2022 may go into production inside the window by accident
    if b.campaign:
        for p in P:
            if p["tag"] != "ongoing" and p["producing_on"] is not None and p["total_investment"] >= 200_000 \
                    and _d(y, 6, 1) <= p["producing_on"] <= _d(y, 9, 30):
                p["producing_on"] = _rand_date(rng, _d(y, 10, 10), _d(y, 12, 20))


SMALL_SECTORS = {"文化旅游", "现代农业", "其他", "现代纺织服装", "绿色食品", "现代物流"}
BIG_EMERGING = ["新材料", "电子信息", "新能源", "高端装备制造", "新能源汽车", "生物医药"]
BIG_OTHER = ["石油化工", "钢铁有色", "建材"]


def _attributes(b: _Builder, plan: dict) -> None:
    rng, y, P = b.rng, b.y, b.projects
    ft = plan["ft"]
    # big projects belong to industrial sectors (keeping emerging / non-emerging)
    for p in P:
        if p["total_investment"] >= 200_000 and not p["ind_fixed"] and p["industry"] in SMALL_SECTORS:
            p["industry"] = rng.choice(BIG_EMERGING if p["industry"] in V.EMERGING else BIG_OTHER)
    # emerging among new 1亿+ 省外 projects: exact count
    bo = [p for p in P if p["source"] == "省外" and b.in_b(p)]
    assert len(bo) == plan["b_o_unf"] + plan["ab_o"][0] + plan["ab_o"][1], (len(bo),)
    pinned = [p for p in bo if p["name"] or p["county"] == "彭泽县" and p["tag"] == "wsig"
              or p["tag"] == "ft" or p["chain_req"] not in ("auto",)]
    free = [p for p in bo if p not in pinned]
    # digital projects among the “50·20” applications are electronics/IT (emerging)
    ftp = [p for p in P if p["tag"] == "ft"]
    unnamed_ft = [p for p in ftp if not p["name"]]
    rng.shuffle(unnamed_ft)
    ndig = ft["digital"] - sum(1 for p in ftp if p["digital"])
    for i, p in enumerate(unnamed_ft):
        p["digital"] = i < ndig
        if p["digital"]:
            p["industry"] = rng.choice(["电子信息", "电子信息", "新一代信息技术"])
        elif p["industry"] in V.DIGITAL_INDUSTRIES:
            p["industry"] = rng.choice(BIG_EMERGING + BIG_OTHER)
    nflag = ft["flagged"] - sum(1 for p in ftp if p["flags"])
    rng.shuffle(unnamed_ft)
    for i, p in enumerate(unnamed_ft):
        if i < nflag:
            k = rng.choice([1, 1, 2])
            p["flags"] = sorted(rng.sample(V.FLAGS_ORDER, k), key=V.FLAGS_ORDER.index)
        else:
            p["flags"] = []
    em_pinned = sum(1 for p in pinned if p["industry"] in V.EMERGING)
    need = plan["emerging_bo"] - em_pinned
    if not 0 <= need <= len(free):
        raise ValueError(f"{y}: cannot place {need} emerging projects among {len(free)}")
    rng.shuffle(free)
    for i, p in enumerate(free):
        want = i < need
        if (p["industry"] in V.EMERGING) != want:
            p["industry"] = b._industry(emerging=want)
            if p["total_investment"] >= 200_000 and p["industry"] in SMALL_SECTORS:
                p["industry"] = rng.choice(BIG_OTHER)
    # per-project text attributes
    pid = 0
    by_county_order = sorted(P, key=lambda p: (p["entered_on"], p["total_investment"]))
    for p in by_county_order:
        pid += 1
        p["project_id"] = f"JJZS{y}{pid:04d}"
    for p in P:
        ind = p["industry"]
        src = p["source"]
        if p["origin"] is None:
            p["origin"], short = rng.choice(V.ORIGINS[src])
        else:
            short = p["origin"][-3:-1] if p["origin"].endswith("市") else p["origin"]
        if p["investor"] is None or p["name"] is None:
            brand = "".join(rng.sample(V.BRAND_CHARS, 2))
            products, suffixes = V.PRODUCTS[ind]
            if p["investor"] is None:
                prefix = {"深圳市": "深圳市", "广州市": "广州市", "东莞市": "东莞市"}.get(short, short)
                if src == "本市":
                    prefix = "九江" if rng.random() < 0.6 else "江西"
                p["investor"] = f"{prefix}{brand}{rng.choice(suffixes)}"
            if p["name"] is None:
                prod = rng.choice(products)
                if p["chain_req"] == "有机硅":
                    prod = rng.choice(["有机硅下游深加工", "硅橡胶制品", "硅油及硅树脂", "功能性硅烷", "有机硅配套物流"])
                if p["chain_req"] == "LED":
                    prod = rng.choice(["LED照明灯具", "LED封装", "LED驱动电源", "LED显示屏"])
                name = f"{brand}{prod}项目"
                k = 2
                while name in b.names:
                    name = f"{brand}{prod}{'二三四五六七八九'[k - 2]}期项目"
                    k += 1
                p["name"] = name
        b.names.add(p["name"])
        # chain
        req = p["chain_req"]
        if req == "auto":
            chain = V.INDUSTRY_CHAIN.get(ind) if rng.random() < 0.7 else None
            if p["county"] == "九江经济技术开发区" and ind == "新材料" and rng.random() < 0.5:
                chain = "玻纤及复合材料"
            if p["county"] == "瑞昌市" and ind == "电子信息" and rng.random() < 0.6:
                chain = "LED"
            if p["county"] == "永修县" and ind == "新材料" and not (p["signed_on"] and p["signed_on"].year == y):
                chain = "有机硅" if rng.random() < 0.6 else chain
        else:
            chain = req
        p["chain"] = chain
        # digital / flags
        if p["digital"] is None:
            p["digital"] = (ind in V.DIGITAL_INDUSTRIES and rng.random() < 0.8) or rng.random() < 0.03
        if p["flags"] is None:
            big = p["total_investment"] >= 100_000
            if rng.random() < (0.45 if big else 0.1):
                k = rng.choice([1, 1, 2])
                p["flags"] = sorted(rng.sample(V.FLAGS_ORDER, k), key=V.FLAGS_ORDER.index)
            else:
                p["flags"] = []
        # channel / sourcing unit
        if p["channel"] is None:
            if p["event"]:
                p["channel"] = "活动招商"
            elif chain in V.CITY_CHAINS and rng.random() < 0.45 and (p["signed_on"] is None or p["signed_on"].year >= 2022):
                p["channel"] = "产业链招商"
            else:
                p["channel"] = rng.choices(["以商招商", "其他", "资本招商", "资源招商", "场景招商"], [40, 30, 10, 10, 5])[0]
        if p["sourcing_unit"] is None:
            if p["channel"] == "产业链招商" and chain in V.CITY_CHAINS:
                p["sourcing_unit"] = f"{chain}产业链招商小分队"
            elif rng.random() < 0.3:
                p["sourcing_unit"] = rng.choice(["市商务局", "市投促中心", "市工信局"])
            else:
                p["sourcing_unit"] = f"{p['county']}{'管委会' if p['county'] in ('九江经济技术开发区', '八里湖新区', '庐山西海风景名胜区') else '商务局'}"
        if p["notes"] is None and rng.random() < 0.15:
            p["notes"] = rng.choice(V.NOTES)
        if p["status"] == "已终止" and p["notes"] is None:
            p["notes"] = rng.choice(["投资方资金链问题导致项目终止", "企业战略调整已终止", "未能落地"])


