"""Amounts and attributes of the sample projects, fitted to the published figures (see :mod:`helpers.sample`)."""

from __future__ import annotations

import datetime as dt
import math

from helpers.sample import vocab
from helpers.sample.population import PopulationBuilder
from helpers.sample.util import (
    EVENT_ACADEMICIANS,
    EVENT_CPPCC,
    EVENT_SUMMIT,
    FUNDED_GROUPS,
    OUTSIDE_CITY,
    OUTSIDE_PROVINCE_FUNDED_NEW_100M,
    OUTSIDE_PROVINCE_FUNDED_ONLY,
    OUTSIDE_PROVINCE_NEW_100M_UNFUNDED,
    REST_OF_PROVINCE_FUNDED_NEW_100M,
    _random_date,
    _random_partition,
    chinese_number,
    fit_sum,
)


def _fit_amounts(builder: PopulationBuilder, plan: dict) -> None:
    """Fit 总投资 and this year's funds so every published total is hit exactly."""
    rng, year, projects = builder.rng, builder.year, builder.projects
    fifty_twenty = plan["fifty_twenty"]
    # “50·20” total: each application stays within its tier
    applications = [p for p in projects if p["tag"] == "fifty_twenty"]
    totals = [p["total_investment"] for p in applications]
    bounds = [p["total_bounds"] for p in applications]
    for index, project in enumerate(applications):
        if project["name"] in ("巨石玻纤项目", "心连心新材料项目"):
            bounds[index] = (totals[index], totals[index])
        elif project["total_investment"] >= 1_000_000:
            bounds[index] = (1_000_000, 1_500_000)
        elif project["total_investment"] >= 500_000:
            bounds[index] = (500_000, 990_000)
        else:
            bounds[index] = (200_000, 480_000)
    for project, total in zip(applications, fit_sum(totals, bounds, fifty_twenty["total"], gran=100), strict=True):
        project["total_investment"] = total
    if builder.has_events:
        # 院士论坛: 48 projects, 637亿; summit + CPPCC together 1966.5 − 637 亿
        def fit_event(events, total):
            """Fit the event fillers' 总投资 so the year's signings at ``events`` sum to ``total``."""
            members = [p for p in projects if p["event"] in events and p["signed_on"].year == year]
            free = [p for p in members if p["tag"].startswith("event_filler")]
            fixed = sum(p["total_investment"] for p in members if p not in free)
            fitted = fit_sum([p["total_investment"] for p in free], [p["total_bounds"] for p in free],
                             total - fixed, 100)
            for project, value in zip(free, fitted, strict=True):
                project["total_investment"] = value
        fit_event({EVENT_ACADEMICIANS}, 6_370_000)
        fit_event({EVENT_SUMMIT, EVENT_CPPCC}, 19_665_000 - 6_370_000)
        # the 11 有机硅 projects of 永修县 signed in 2022 total 119.11亿, 星火 (52.5亿) included
        silicone = [p for p in projects if p["tag"] == "silicone"]
        fitted = fit_sum([p["total_investment"] for p in silicone], [p["total_bounds"] for p in silicone],
                         1_191_100 - 525_000, 100)
        for project, value in zip(silicone, fitted, strict=True):
            project["total_investment"] = value
    # funds: total-first members get a share of their total, funds-first members share the rest
    for group in FUNDED_GROUPS:
        target = plan[group]["funds"]
        members = [p for p in projects if p["funding_group"] == group]
        total_first = [p for p in members if not p["tag"].startswith("funds_first")]
        funds_first = [p for p in members if p["tag"].startswith("funds_first")]
        fixed = 0
        for project in total_first:
            if project["funds_year"] is None:
                low_ratio, high_ratio = ((0.1, 0.6) if project["started_on"] and project["started_on"].year == year
                                         else (0.05, 0.4))
                if group == OUTSIDE_PROVINCE_FUNDED_ONLY and project["total_investment"] < 10000:
                    low_ratio, high_ratio = (0.3, 0.8)
                project["funds_year"] = max(1, int(project["total_investment"] * rng.uniform(low_ratio, high_ratio)))
            fixed += project["funds_year"]
        rest = target - fixed
        if funds_first:
            if rest < len(funds_first) * 1000:
                raise ValueError(f"{year} {group}: not enough funds left for funds-first members ({rest})")
            shares = _random_partition(rng, len(funds_first), rest, sigma=0.45, cap=2.5)
            for project, funds in zip(funds_first, shares, strict=True):
                project["funds_year"] = funds
                ratio = rng.uniform(0.45, 0.8)
                total = int(math.ceil(funds / ratio / 100) * 100)
                # keep each member in its sets: 1亿+ for new_100m groups, 2000万+ for the funded ones
                both_sets = group in (REST_OF_PROVINCE_FUNDED_NEW_100M, OUTSIDE_PROVINCE_FUNDED_NEW_100M)
                total = max(total, 10_000 if both_sets else 2_000)
                project["total_investment"] = total
        elif rest != 0:
            raise ValueError(f"{year} {group}: funds off by {rest}")
    # projects outside the funded groups: 市外 ones get no funds (they must stay outside the
    # published sets) unless they are below 2000万元; local/foreign ones get funds once started
    for project in projects:
        if project["funding_group"] is not None:
            continue
        started = project["started_on"] is not None and project["status"] != "已终止"
        if project["source"] in OUTSIDE_CITY:
            project["funds_year"] = (int(project["total_investment"] * rng.uniform(0.2, 0.7))
                                     if started and project["total_investment"] < 2000 else 0)
        elif project["funds_year"] is None:
            project["funds_year"] = int(project["total_investment"] * rng.uniform(0.05, 0.5)) if started else 0
    # no ongoing 50·20 project of 2022 may go into production inside the window by accident
    if builder.has_campaign:
        for project in projects:
            if project["tag"] != "ongoing" and project["producing_on"] is not None \
                    and project["total_investment"] >= 200_000 \
                    and dt.date(year, 6, 1) <= project["producing_on"] <= dt.date(year, 9, 30):
                project["producing_on"] = _random_date(rng, dt.date(year, 10, 10), dt.date(year, 12, 20))


SMALL_SECTORS = {"文化旅游", "现代农业", "其他", "现代纺织服装", "绿色食品", "现代物流"}
BIG_EMERGING = ["新材料", "电子信息", "新能源", "高端装备制造", "新能源汽车", "生物医药"]
BIG_OTHER = ["石油化工", "钢铁有色", "建材"]


def _random_flags(rng) -> list[str]:
    """One or two investor flags (500强, 上市公司, …) in their canonical order."""
    flag_count = rng.choice([1, 1, 2])
    return sorted(rng.sample(vocab.FLAGS_ORDER, flag_count), key=vocab.FLAGS_ORDER.index)


def _assign_attributes(builder: PopulationBuilder, plan: dict) -> None:
    """Industries, ids, names, chains, flags, channels and notes, keeping the published counts exact."""
    rng, year, projects = builder.rng, builder.year, builder.projects
    fifty_twenty = plan["fifty_twenty"]
    # big projects belong to industrial sectors (keeping emerging / non-emerging)
    for project in projects:
        if project["total_investment"] >= 200_000 and not project["industry_fixed"] \
                and project["industry"] in SMALL_SECTORS:
            project["industry"] = rng.choice(BIG_EMERGING if project["industry"] in vocab.EMERGING else BIG_OTHER)
    # emerging among new 1亿+ 省外 projects: exact count
    new_100m_outside_province = [p for p in projects if p["source"] == "省外" and builder.is_new_100m_outside_city(p)]
    expected = (plan[OUTSIDE_PROVINCE_NEW_100M_UNFUNDED] + plan[OUTSIDE_PROVINCE_FUNDED_NEW_100M]["started_in_year"]
                + plan[OUTSIDE_PROVINCE_FUNDED_NEW_100M]["started_earlier"])
    assert len(new_100m_outside_province) == expected, (len(new_100m_outside_province),)
    # projects whose industry is pinned elsewhere (named, 彭泽县 window signings, “50·20”, set chains)
    pinned = [p for p in new_100m_outside_province
              if p["name"] or p["county"] == "彭泽县" and p["tag"] == "window_signing"
              or p["tag"] == "fifty_twenty" or p["requested_chain"] not in ("auto",)]
    free = [p for p in new_100m_outside_province if p not in pinned]
    # digital projects among the “50·20” applications are electronics/IT (emerging)
    applications = [p for p in projects if p["tag"] == "fifty_twenty"]
    unnamed_applications = [p for p in applications if not p["name"]]
    rng.shuffle(unnamed_applications)
    digital_needed = fifty_twenty["digital"] - sum(1 for p in applications if p["digital"])
    for index, project in enumerate(unnamed_applications):
        project["digital"] = index < digital_needed
        if project["digital"]:
            project["industry"] = rng.choice(["电子信息", "电子信息", "新一代信息技术"])
        elif project["industry"] in vocab.DIGITAL_INDUSTRIES:
            project["industry"] = rng.choice(BIG_EMERGING + BIG_OTHER)
    flagged_needed = fifty_twenty["flagged"] - sum(1 for p in applications if p["flags"])
    rng.shuffle(unnamed_applications)
    for index, project in enumerate(unnamed_applications):
        project["flags"] = _random_flags(rng) if index < flagged_needed else []
    emerging_pinned = sum(1 for p in pinned if p["industry"] in vocab.EMERGING)
    emerging_needed = plan["outside_province_new_100m_emerging"] - emerging_pinned
    if not 0 <= emerging_needed <= len(free):
        raise ValueError(f"{year}: cannot place {emerging_needed} emerging projects among {len(free)}")
    rng.shuffle(free)
    for index, project in enumerate(free):
        want_emerging = index < emerging_needed
        if (project["industry"] in vocab.EMERGING) != want_emerging:
            project["industry"] = builder.random_industry(emerging=want_emerging)
            if project["total_investment"] >= 200_000 and project["industry"] in SMALL_SECTORS:
                project["industry"] = rng.choice(BIG_OTHER)
    # ids follow the 入库 order
    for number, project in enumerate(sorted(projects, key=lambda p: (p["entered_on"], p["total_investment"])), 1):
        project["project_id"] = f"JJZS{year}{number:04d}"
    # per-project text attributes
    for project in projects:
        industry = project["industry"]
        source = project["source"]
        if project["origin"] is None:
            project["origin"], short_origin = rng.choice(vocab.ORIGINS[source])
        else:
            short_origin = project["origin"][-3:-1] if project["origin"].endswith("市") else project["origin"]
        if project["investor"] is None or project["name"] is None:
            brand = "".join(rng.sample(vocab.BRAND_CHARS, 2))
            products, suffixes = vocab.PRODUCTS[industry]
            if project["investor"] is None:
                prefix = {"深圳市": "深圳市", "广州市": "广州市", "东莞市": "东莞市"}.get(short_origin, short_origin)
                if source == "本市":
                    prefix = "九江" if rng.random() < 0.6 else "江西"
                project["investor"] = f"{prefix}{brand}{rng.choice(suffixes)}"
            if project["name"] is None:
                product = rng.choice(products)
                if project["requested_chain"] == "有机硅":
                    product = rng.choice(["有机硅下游深加工", "硅橡胶制品", "硅油及硅树脂", "功能性硅烷", "有机硅配套物流"])
                if project["requested_chain"] == "LED":
                    product = rng.choice(["LED照明灯具", "LED封装", "LED驱动电源", "LED显示屏"])
                name = f"{brand}{product}项目"
                phase = 2
                while name in builder.taken_names:  # names are unique: later ones become 二期, 三期, … 十期, 十一期, …
                    name = f"{brand}{product}{chinese_number(phase)}期项目"
                    phase += 1
                project["name"] = name
        builder.taken_names.add(project["name"])
        # chain
        requested = project["requested_chain"]
        if requested == "auto":
            chain = vocab.INDUSTRY_CHAIN.get(industry) if rng.random() < 0.7 else None
            if project["county"] == "九江经济技术开发区" and industry == "新材料" and rng.random() < 0.5:
                chain = "玻纤及复合材料"
            if project["county"] == "瑞昌市" and industry == "电子信息" and rng.random() < 0.6:
                chain = "LED"
            # only projects not signed this year: 2022's 有机硅 signings of 永修县 are pinned by a published count
            if project["county"] == "永修县" and industry == "新材料" \
                    and not (project["signed_on"] and project["signed_on"].year == year):
                chain = "有机硅" if rng.random() < 0.6 else chain
        else:
            chain = requested
        project["chain"] = chain
        # digital / flags
        if project["digital"] is None:
            project["digital"] = (industry in vocab.DIGITAL_INDUSTRIES and rng.random() < 0.8) or rng.random() < 0.03
        if project["flags"] is None:
            big = project["total_investment"] >= 100_000
            project["flags"] = _random_flags(rng) if rng.random() < (0.45 if big else 0.1) else []
        # channel / sourcing unit
        if project["channel"] is None:
            if project["event"]:
                project["channel"] = "活动招商"
            elif chain in vocab.CITY_CHAINS and rng.random() < 0.45 \
                    and (project["signed_on"] is None or project["signed_on"].year >= 2022):
                project["channel"] = "产业链招商"  # the chain teams started in 2022
            else:
                project["channel"] = rng.choices(["以商招商", "其他", "资本招商", "资源招商", "场景招商"],
                                                 [40, 30, 10, 10, 5])[0]
        if project["sourcing_unit"] is None:
            if project["channel"] == "产业链招商" and chain in vocab.CITY_CHAINS:
                project["sourcing_unit"] = f"{chain}产业链招商小分队"
            elif rng.random() < 0.3:
                project["sourcing_unit"] = rng.choice(["市商务局", "市投促中心", "市工信局"])
            else:
                managed = project["county"] in ("九江经济技术开发区", "八里湖新区", "庐山西海风景名胜区")
                project["sourcing_unit"] = f"{project['county']}{'管委会' if managed else '商务局'}"
        if project["notes"] is None and rng.random() < 0.15:
            project["notes"] = rng.choice(vocab.NOTES)
        if project["status"] == "已终止" and project["notes"] is None:
            project["notes"] = rng.choice(["投资方资金链问题导致项目终止", "企业战略调整已终止", "未能落地"])
