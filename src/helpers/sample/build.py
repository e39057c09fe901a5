"""Project population of the synthetic ledgers: pinned projects first, then fillers (see :mod:`helpers.sample`)."""

from __future__ import annotations

import datetime as dt
import random

from helpers.sample.fit import _assign_attributes, _fit_amounts
from helpers.sample.population import PopulationBuilder
from helpers.sample.util import (
    EVENT_ACADEMICIANS,
    EVENT_CEREMONY,
    EVENT_CPPCC,
    EVENT_DATES,
    EVENT_SUMMIT,
    EVENT_YANGTZE_DELTA,
    OUTSIDE_PROVINCE_FUNDED_NEW_100M,
    OUTSIDE_PROVINCE_FUNDED_ONLY,
    OUTSIDE_PROVINCE_NEW_100M_UNFUNDED,
    REST_OF_PROVINCE_FUNDED_NEW_100M,
    REST_OF_PROVINCE_FUNDED_ONLY,
    REST_OF_PROVINCE_NEW_100M_UNFUNDED,
    _random_date,
)

# A newly recognized 1亿+ 市外 signing without funds; 本市/境外 ones belong to no group.
UNFUNDED_NEW_100M_GROUP = {"省外": OUTSIDE_PROVINCE_NEW_100M_UNFUNDED, "省内市外": REST_OF_PROVINCE_NEW_100M_UNFUNDED}
# Counties whose “50·20” and window signings are pinned separately by the published campaign figures.
PINNED_CAMPAIGN_COUNTIES = ("瑞昌市", "彭泽县")


def _build_projects(year: int, plan: dict, rng: random.Random) -> list[dict]:
    """The project population of ``year``: pinned groups first, then fillers, then fitted amounts and attributes."""
    builder = PopulationBuilder(year, rng)
    add = builder.add_project
    fifty_twenty = plan["fifty_twenty"]
    # ------------------------------------------------------------ named (2022)
    if year == 2022:
        add(source="省外", total=1_000_000, lifecycle="new_start", signed=dt.date(year, 5, 19),
            started=dt.date(year, 12, 8), recognized=dt.date(year, 12, 16), funds=30_000,
            funding_group=OUTSIDE_PROVINCE_FUNDED_NEW_100M, county="九江经济技术开发区", industry="新材料",
            chain="玻纤及复合材料", event=EVENT_SUMMIT, name="巨石玻纤项目", investor="中国巨石股份有限公司",
            origin="浙江省嘉兴市", flags=["中国500强", "上市公司"], digital=False, channel="产业链招商",
            fifty_twenty_applied=dt.date(year, 7, 12), notes="年产60万吨电子级玻璃纤维及制品", tag="fifty_twenty",
            entered=dt.date(year, 3, 1))
        add(source="省外", total=1_050_000, lifecycle="signed", signed=dt.date(year, 5, 19),
            recognized=dt.date(year, 6, 10), funds=0, funding_group=OUTSIDE_PROVINCE_NEW_100M_UNFUNDED,
            county="湖口县", industry="新材料", chain="新材料", event=EVENT_SUMMIT, name="心连心新材料项目",
            investor="河南心连心化学工业集团股份有限公司", origin="河南省新乡市", flags=["上市公司", "高新技术企业"],
            digital=False, channel="活动招商", fifty_twenty_applied=dt.date(year, 6, 20), tag="fifty_twenty")
        add(source="省外", total=1_000_000, lifecycle="signed", signed=dt.date(year, 8, 26),
            recognized=dt.date(year, 9, 20), funds=0, funding_group=OUTSIDE_PROVINCE_NEW_100M_UNFUNDED,
            county="瑞昌市", industry="高端装备制造", chain=None, name="扬子江船业集团项目",
            investor="江苏扬子江船业集团有限公司", origin="江苏省泰州市", flags=["民营500强"], digital=False,
            channel="资源招商", sourcing_unit="瑞昌市商务局",
            notes="绿色建材、高端船舶装备制造、船舶外贸进出口、配套产业园四大板块", tag="window_signing")
        add(source="省外", total=150_000, lifecycle="new_start", signed=dt.date(year, 3, 18),
            started=dt.date(year, 4, 20), producing=dt.date(year, 11, 28), recognized=dt.date(year, 5, 16),
            funding_group=OUTSIDE_PROVINCE_FUNDED_NEW_100M, county="濂溪区", industry="新一代信息技术",
            chain="数字经济", name="优必选人工智能项目", investor="深圳市优必选科技股份有限公司",
            origin="广东省深圳市", flags=["高新技术企业"], digital=True, channel="资本招商", sourcing_unit="市商务局",
            notes="鄱阳湖生态科技城", tag="new_start_large")
        add(source="省外", total=50_000, lifecycle="new_start", signed=dt.date(year, 5, 12),
            started=dt.date(year, 8, 3), recognized=dt.date(year, 9, 6), funding_group=OUTSIDE_PROVINCE_FUNDED_NEW_100M,
            county="八里湖新区", industry="新一代信息技术", chain="数字经济", name="忽米网工业互联网项目",
            investor="重庆忽米网络科技有限公司", origin="重庆市", flags=["高新技术企业"], digital=True,
            channel="场景招商", sourcing_unit="市工信局", tag="new_start_medium")
        add(source="省外", total=500_000, lifecycle="ongoing", signed=dt.date(year - 1, 11, 26),
            started=dt.date(year - 1, 12, 28), recognized=dt.date(year, 3, 15),
            funding_group=OUTSIDE_PROVINCE_FUNDED_NEW_100M, county="濂溪区", industry="石油化工", chain="石油化工",
            name="中国石化PX芳烃项目", investor="中国石油化工股份有限公司", origin="北京市",
            flags=["世界500强", "中国500强", "上市公司"], digital=False, channel="以商招商", sourcing_unit="市发改委",
            tag="ongoing", funds=160_000)
        add(source="本市", total=525_000, lifecycle="signed", signed=dt.date(year, 5, 19), county="永修县",
            industry="新材料", chain="有机硅", event=EVENT_SUMMIT, name="星火有机硅下游扩改项目",
            investor="江西蓝星星火有机硅有限公司", origin="九江市永修县", flags=["中国500强"], digital=False,
            channel="以商招商", sourcing_unit="永修县商务局", tag="signed_not_started_50")
        # the other ten 有机硅 projects of 永修县 signed in 2022 (7 main + 3 supporting)
        for index in range(10):
            source = ["省外", "省外", "省外", "省内市外", "省内市外", "本市", "本市", "本市", "省外", "本市"][index]
            add(source=source, size_class="medium", lifecycle="signed",
                signed=(dt.date(year, 2, 10), dt.date(year, 12, 10)), county="永修县", industry="新材料",
                chain="有机硅", recognized=None, funds=0, tag="silicone", total_bounds=(20_000, 150_000),
                notes="配套项目" if index >= 7 else None)
    # ---------------------------------------------------- “50·20” applications
    tier_100_count, tier_50_count, tier_20_count = fifty_twenty["tiers"]
    named_tier_100 = 2 if year == 2022 else 0  # 巨石 and 心连心, added above
    for _ in range(tier_100_count - named_tier_100):
        add(source="省外", size_class="tier_100", lifecycle="signed", signed="before_window", recognized="this_year",
            funds=0, funding_group=OUTSIDE_PROVINCE_NEW_100M_UNFUNDED, tag="fifty_twenty")
    for index in range(tier_50_count):
        kind = ["academicians_outside", "academicians_local", "ongoing_outside", "ongoing_rest_of_province",
                "before_window_rest_of_province"][index % 5]
        if kind == "academicians_outside":
            add(source="省外", size_class="tier_50", lifecycle="signed",
                signed=dt.date(year, 7, 28) if builder.has_events else "window", recognized="this_year", funds=0,
                funding_group=OUTSIDE_PROVINCE_NEW_100M_UNFUNDED,
                event=EVENT_ACADEMICIANS if builder.has_events else None, tag="fifty_twenty",
                exclude_counties=PINNED_CAMPAIGN_COUNTIES)
        elif kind == "academicians_local":
            add(source="本市", size_class="tier_50", lifecycle="signed",
                signed=dt.date(year, 7, 28) if builder.has_events else "window",
                event=EVENT_ACADEMICIANS if builder.has_events else None, tag="fifty_twenty",
                exclude_counties=PINNED_CAMPAIGN_COUNTIES)
        elif kind == "ongoing_outside":
            add(source="省外", size_class="tier_50", lifecycle="ongoing", recognized="previous_year",
                funding_group=OUTSIDE_PROVINCE_FUNDED_ONLY, tag="fifty_twenty")
        elif kind == "ongoing_rest_of_province":
            add(source="省内市外", size_class="tier_50", lifecycle="ongoing", recognized="this_year",
                funding_group=REST_OF_PROVINCE_FUNDED_NEW_100M, tag="fifty_twenty")
        else:
            add(source="省内市外", size_class="tier_50", lifecycle="signed", signed="previous_year",
                recognized="previous_year", funds=0, tag="fifty_twenty")
    for index in range(tier_20_count):
        slot = index % 27
        if slot < 12:  # signed in the campaign window, not started
            source = ["省外", "省外", "省内市外", "本市", "省外", "省内市外"][slot % 6]
            event = None
            signed: str | dt.date = "window"  # a date, or when: "window", "before_window"…
            if builder.has_events and slot < 4:
                event, signed = EVENT_ACADEMICIANS, dt.date(year, 7, 28)
            elif builder.has_events and slot < 6:
                event, signed = EVENT_CPPCC, dt.date(year, 9, 16)
            group = UNFUNDED_NEW_100M_GROUP.get(source)
            add(source=source, size_class="tier_20", lifecycle="signed", signed=signed,
                recognized="this_year" if group else None, funds=0, funding_group=group, event=event,
                tag="fifty_twenty", exclude_counties=PINNED_CAMPAIGN_COUNTIES)
        elif slot < 22:  # signed earlier in the year
            source = ["省外", "省内市外", "本市", "省外", "境外"][slot % 5]
            event, signed = ((EVENT_SUMMIT, dt.date(year, 5, 19)) if (builder.has_events and slot < 16)
                             else (None, "before_window"))
            group = UNFUNDED_NEW_100M_GROUP.get(source)
            add(source=source, size_class="tier_20", lifecycle="signed", signed=signed,
                recognized="this_year" if group else None, funds=0, funding_group=group, event=event,
                tag="fifty_twenty", exclude_counties=PINNED_CAMPAIGN_COUNTIES)
        else:  # ongoing projects applying after they started
            source = ["省外", "省外", "省内市外", "省内市外", "本市"][slot - 22]
            group = {"省外": OUTSIDE_PROVINCE_FUNDED_ONLY, "省内市外": REST_OF_PROVINCE_FUNDED_NEW_100M}.get(source)
            add(source=source, size_class="tier_20", lifecycle="ongoing",
                recognized="previous_year" if source == "省外" else "this_year", funding_group=group,
                tag="fifty_twenty")
    fifty_twenty_projects = [p for p in builder.projects if p["tag"] == "fifty_twenty"]
    assert len(fifty_twenty_projects) == fifty_twenty["count"], (len(fifty_twenty_projects), fifty_twenty["count"])
    # every application falls inside the window, after the signing
    for project in fifty_twenty_projects:
        lo = max(project["signed_on"], dt.date(year, 6, 2))
        if project["fifty_twenty_applied_on"] is None:
            project["fifty_twenty_applied_on"] = _random_date(rng, lo, dt.date(year, 9, 29))
    # ---------------------------------------------------- campaign reserves (2022) / big signings (others)
    if builder.has_campaign:
        # four more “100” projects signed in 2021 and not started
        for index in range(4):
            add(source=["本市", "省外", "境外", "省内市外"][index], size_class="tier_100", lifecycle="signed",
                signed="previous_year", funds=0, tag="signed_not_started_100")
        # “100”/“50”/“20” in talks at the end of the window; some sign at the Q4 events
        for size_class, count in (("tier_100", 4), ("tier_50", 7), ("tier_20", 20)):
            for index in range(count):
                if index == 0 and size_class != "tier_20":
                    add(source=builder.random_source(), size_class=size_class, lifecycle="signs_in_fourth_quarter",
                        signed=dt.date(year, 12, 20), event=EVENT_CEREMONY, tag="in_talks")
                elif size_class == "tier_20" and index < 3:
                    add(source=builder.random_source(), size_class=size_class, lifecycle="signs_in_fourth_quarter",
                        signed=dt.date(year, 11, 10), event=EVENT_YANGTZE_DELTA, tag="in_talks")
                elif size_class == "tier_20" and index < 6:
                    add(source=builder.random_source(), size_class=size_class, lifecycle="signs_in_fourth_quarter",
                        signed=dt.date(year, 12, 20), event=EVENT_CEREMONY, tag="in_talks")
                else:
                    add(source=builder.random_source(), size_class=size_class, lifecycle="in_talks", tag="in_talks")
        # 瑞昌市 signed in the window: 3 “50”, 6 “20”
        for size_class, count in (("tier_50", 3), ("tier_20", 6)):
            for index in range(count):
                source = ["省外", "省内市外", "本市"][index % 3]
                group = UNFUNDED_NEW_100M_GROUP.get(source)
                event, signed = ((EVENT_CPPCC, dt.date(year, 9, 16)) if (size_class == "tier_20" and index == 0)
                                 else (None, "window"))
                add(source=source, size_class=size_class, lifecycle="signed", signed=signed,
                    recognized="this_year" if group else None, funds=0, funding_group=group, county="瑞昌市",
                    event=event, tag="window_signing", industry="电子信息" if index % 2 == 0 else None,
                    chain="LED" if index % 2 == 0 else "auto")
        # 彭泽县 signed in the window: 7, of which 6 emerging, 1 digital
        for index in range(7):
            size_class = "tier_50" if index == 0 else "tier_20"
            source = ["省外", "省内市外", "省外", "本市", "省外", "省内市外", "境外"][index]
            group = UNFUNDED_NEW_100M_GROUP.get(source)
            industry = ["新能源", "新材料", "电子信息", "高端装备制造", "生物医药", "新能源汽车", "绿色食品"][index]
            add(source=source, size_class=size_class, lifecycle="signed", signed="window",
                recognized="this_year" if group else None, funds=0, funding_group=group, county="彭泽县",
                industry=industry, digital=(index == 2), tag="window_signing")
        # other signings in the window: 8 “50”, 42 “20”
        for size_class, count in (("tier_50", 8), ("tier_20", 42)):
            for index in range(count):
                source = builder.random_source((("省外", 38), ("省内市外", 37), ("本市", 20), ("境外", 5)))
                group = UNFUNDED_NEW_100M_GROUP.get(source)
                event, signed = None, "window"
                if size_class == "tier_20" and index < 6:
                    event, signed = EVENT_ACADEMICIANS, dt.date(year, 7, 28)
                elif size_class == "tier_20" and index < 14:
                    event, signed = EVENT_CPPCC, dt.date(year, 9, 16)
                add(source=source, size_class=size_class, lifecycle="signed", signed=signed,
                    recognized="this_year" if group else None, funds=0, funding_group=group, event=event,
                    tag="window_signing", exclude_counties=PINNED_CAMPAIGN_COUNTIES)
        # “50” signed before the window and not started: 3 at the summit, 3 in 2021
        for index in range(6):
            source = ["省外", "省内市外", "本市", "省外", "本市", "境外"][index]
            if index < 3:
                group = UNFUNDED_NEW_100M_GROUP.get(source)
                add(source=source, size_class="tier_50", lifecycle="signed", signed=dt.date(year, 5, 19),
                    event=EVENT_SUMMIT, recognized="this_year" if group else None, funds=0, funding_group=group,
                    tag="signed_not_started_50")
            else:
                add(source=source, size_class="tier_50", lifecycle="signed", signed="previous_year", funds=0,
                    tag="signed_not_started_50")
        # terminated big ones and talks entered after the window (not reserves)
        for _ in range(2):
            add(source=builder.random_source(), size_class="tier_20", lifecycle="terminated", tag="terminated")
        for _ in range(3):
            add(source=builder.random_source(), size_class="tier_20", lifecycle="in_talks_late", tag="in_talks_late")
    else:
        for size_class, count in plan["big_signings"].items():
            for _ in range(count):
                source = builder.random_source()
                group = UNFUNDED_NEW_100M_GROUP.get(source)
                add(source=source, size_class=size_class, lifecycle="signed", signed="year",
                    recognized="this_year" if group else None, funds=0, funding_group=group, tag="big_signing")
        for size_class, count in (("tier_100", 2), ("tier_50", 5), ("tier_20", 18)):
            for _ in range(count):
                add(source=builder.random_source(), size_class=size_class, lifecycle="in_talks", tag="in_talks")
        for _ in range(3):
            add(source=builder.random_source(), size_class="tier_20", lifecycle="terminated", tag="terminated")
    # ---------------------------------------------------- new-started big ones (30亿+ and 10–20亿)
    outside_province_new_started = plan["new_started_outside_province"]
    local_foreign_new_started = plan["new_started_local_foreign"]
    started_tier_30_applications = sum(
        1 for p in builder.projects if p["tag"] == "fifty_twenty" and p["started_on"]
        and p["started_on"].year == year and p["source"] == "省外" and p["total_investment"] >= 300_000)
    for _ in range(outside_province_new_started["tier_30"] - started_tier_30_applications):
        add(source="省外", size_class="tier_30", lifecycle="new_start",
            signed=(dt.date(year, 1, 5), dt.date(year, 3, 31)), started=(dt.date(year, 4, 1), dt.date(year, 5, 25)),
            recognized="this_year", funding_group=OUTSIDE_PROVINCE_FUNDED_NEW_100M, tag="new_start_tier_30")
    named_large = sum(1 for p in builder.projects if p["tag"] == "new_start_large")
    for _ in range(outside_province_new_started["large"] - named_large):
        add(source="省外", size_class="large", lifecycle="new_start", recognized="this_year",
            funding_group=OUTSIDE_PROVINCE_FUNDED_NEW_100M, tag="new_start_large",
            producing="after_window" if rng.random() < 0.2 else None)
    for _ in range(local_foreign_new_started["tier_30"]):
        add(source="本市", size_class="tier_30", lifecycle="new_start",
            signed=(dt.date(year, 1, 5), dt.date(year, 3, 31)), started=(dt.date(year, 4, 1), dt.date(year, 5, 25)),
            recognized="this_year", tag="new_start_tier_30")
    for index in range(local_foreign_new_started["large"]):
        add(source="本市" if index % 3 else "境外", size_class="large", lifecycle="new_start", recognized="this_year",
            tag="new_start_large", producing="after_window" if rng.random() < 0.2 else None)
    # ---------------------------------------------------- 20亿+ projects started in January–June (half-year report)
    if "fifty_twenty_started" in plan["h1"]:
        have = _half_year_tiers(builder.projects, year, "started_on")
        for tier, wanted in zip(FIFTY_TWENTY_TIERS, plan["h1"]["fifty_twenty_started"], strict=True):
            if wanted < have[tier]:
                raise ValueError(f"{year}: {have[tier]} {tier} projects start in January–June, the plan wants {wanted}")
            for _ in range(wanted - have[tier]):  # signed late last year, started in the first half, newly recognized
                project = add(source="省外", size_class=tier, lifecycle="new_start",
                              signed=(dt.date(year - 1, 10, 1), dt.date(year - 1, 12, 20)),
                              started=(dt.date(year, 1, 5), dt.date(year, 6, 28)), recognized="this_year",
                              funding_group=OUTSIDE_PROVINCE_FUNDED_NEW_100M, tag="half_year_big_start")
                project["funds_year"] = int(project["total_investment"] * rng.uniform(0.04, 0.12))
        for _ in range(plan["h1"].get("big_starts_second_half", 0)):  # and a few more after June
            project = add(source="省外", size_class="tier_20", lifecycle="new_start",
                          signed=(dt.date(year - 1, 10, 1), dt.date(year - 1, 12, 20)),
                          started=(dt.date(year, 7, 3), dt.date(year, 11, 28)), recognized="this_year",
                          funding_group=OUTSIDE_PROVINCE_FUNDED_NEW_100M, tag="half_year_big_start")
            project["funds_year"] = int(project["total_investment"] * rng.uniform(0.02, 0.06))
    # ---------------------------------------------------- produced within the window (2022: exactly 4)
    producing_in_window = 4 if builder.has_campaign else 3
    for index in range(producing_in_window):
        source = ["省外", "省内市外", "省外", "省内市外"][index % 4]
        group = OUTSIDE_PROVINCE_FUNDED_NEW_100M if source == "省外" else REST_OF_PROVINCE_FUNDED_NEW_100M
        add(source=source, size_class="tier_20", lifecycle="ongoing", producing="window", recognized="this_year",
            funding_group=group, tag="ongoing")
    # ---------------------------------------------------- event fillers (2022)
    if builder.has_events:
        event_sizes = {EVENT_SUMMIT: 78, EVENT_ACADEMICIANS: 48, EVENT_CPPCC: 30, EVENT_YANGTZE_DELTA: 14,
                       EVENT_CEREMONY: 22}
        for event, size in event_sizes.items():
            pinned = sum(1 for p in builder.projects
                         if p["event"] == event and p["signed_on"] and p["signed_on"].year == year)
            month, day = EVENT_DATES[event]
            for _ in range(size - pinned):
                source = builder.random_source((("省外", 40), ("省内市外", 25), ("本市", 28), ("境外", 7)))
                if event in (EVENT_YANGTZE_DELTA, EVENT_CEREMONY) or rng.random() < 0.7 or source == "省内市外":
                    add(source=source, size_class="medium_large", lifecycle="signed",
                        signed=dt.date(year, month, day), event=event, recognized=None, funds=0, tag="event_filler",
                        total_bounds=(10_000, 199_900), channel="活动招商")
                else:  # started after the event, recognized and funded
                    group = OUTSIDE_PROVINCE_FUNDED_NEW_100M if source == "省外" else None
                    add(source=source, size_class="medium", lifecycle="new_start", signed=dt.date(year, month, day),
                        recognized="this_year", funding_group=group, event=event, tag="event_filler_started",
                        total_bounds=(10_000, 99_900), channel="活动招商")
    # ---------------------------------------------------- fillers for the funded/unfunded groups
    def count_projects(predicate) -> int:
        """How many projects so far satisfy ``predicate``."""
        return sum(1 for p in builder.projects if predicate(p))

    def in_group(group):
        """A predicate: the project belongs to funding ``group``."""
        return lambda p: p["funding_group"] == group

    def new_100m_started_this_year(p) -> bool:
        """Whether ``p`` is a funded new-100m 省外 project that started this year."""
        return (p["funding_group"] == OUTSIDE_PROVINCE_FUNDED_NEW_100M and p["started_on"] is not None
                and p["started_on"].year == year)

    def new_100m_started_earlier(p) -> bool:
        """Whether ``p`` is a funded new-100m 省外 project that started before this year."""
        return p["funding_group"] == OUTSIDE_PROVINCE_FUNDED_NEW_100M and not new_100m_started_this_year(p)

    # tag prefix `funds_first`: funds are drawn first and 总投资 follows from them (see sample_fit)
    both_rest_of_province = plan[REST_OF_PROVINCE_FUNDED_NEW_100M]
    both_outside_province = plan[OUTSIDE_PROVINCE_FUNDED_NEW_100M]
    for _ in range(both_rest_of_province["count"] - count_projects(in_group(REST_OF_PROVINCE_FUNDED_NEW_100M))):
        add(source="省内市外", total=0, lifecycle="ongoing", recognized="this_year",
            funding_group=REST_OF_PROVINCE_FUNDED_NEW_100M, tag="funds_first",
            producing=rng.choice([None, None, "before_window", "after_window", "previous_year"]))
    for _ in range(plan[REST_OF_PROVINCE_FUNDED_ONLY]["count"]
                   - count_projects(in_group(REST_OF_PROVINCE_FUNDED_ONLY))):
        add(source="省内市外", total=0, lifecycle="ongoing", recognized=rng.choice(["previous_year", "earlier"]),
            funding_group=REST_OF_PROVINCE_FUNDED_ONLY, tag="funds_first",
            producing=rng.choice([None, "before_window", "after_window", "previous_year"]))
    for _ in range(both_outside_province["started_in_year"] - count_projects(new_100m_started_this_year)):
        add(source="省外", size_class="medium", lifecycle="new_start", recognized="this_year",
            funding_group=OUTSIDE_PROVINCE_FUNDED_NEW_100M, tag="outside_province_new_start",
            producing="after_window" if rng.random() < 0.15 else None)
    for _ in range(both_outside_province["started_earlier"] - count_projects(new_100m_started_earlier)):
        add(source="省外", total=0, lifecycle="ongoing", recognized="this_year",
            funding_group=OUTSIDE_PROVINCE_FUNDED_NEW_100M, tag="funds_first",
            producing=rng.choice([None, None, "before_window", "after_window", "previous_year"]))
    for _ in range(plan[OUTSIDE_PROVINCE_NEW_100M_UNFUNDED]
                   - count_projects(in_group(OUTSIDE_PROVINCE_NEW_100M_UNFUNDED))):
        add(source="省外", size_class="medium_large", lifecycle="signed",
            signed=rng.choice(["before_window", "window", "after_window"]), recognized="this_year", funds=0,
            funding_group=OUTSIDE_PROVINCE_NEW_100M_UNFUNDED, tag="new_100m_unfunded", total_bounds=(10_000, 199_900))
    for _ in range(plan[REST_OF_PROVINCE_NEW_100M_UNFUNDED]
                   - count_projects(in_group(REST_OF_PROVINCE_NEW_100M_UNFUNDED))):
        add(source="省内市外", size_class="medium_large", lifecycle="signed",
            signed=rng.choice(["before_window", "window", "after_window"]), recognized="this_year", funds=0,
            funding_group=REST_OF_PROVINCE_NEW_100M_UNFUNDED, tag="new_100m_unfunded", total_bounds=(10_000, 199_900))
    missing = plan[OUTSIDE_PROVINCE_FUNDED_ONLY]["count"] - count_projects(in_group(OUTSIDE_PROVINCE_FUNDED_ONLY))
    for index in range(missing):
        if index % 4 == 3:  # older, recognized before the year
            add(source="省外", total=0, lifecycle="ongoing", recognized=rng.choice(["previous_year", "earlier"]),
                funding_group=OUTSIDE_PROVINCE_FUNDED_ONLY, tag="funds_first_small",
                producing=rng.choice([None, "before_window", "after_window", "previous_year"]))
        else:
            add(source="省外", size_class="small", lifecycle=rng.choice(["new_start", "ongoing"]),
                recognized=rng.choice(["this_year", None, "previous_year"]), funding_group=OUTSIDE_PROVINCE_FUNDED_ONLY,
                tag="small_funded", producing=rng.choice([None, None, "after_window"]))
    # 本市/境外 new-started 1亿+ projects recognized this year
    def local_foreign_new_start(p) -> bool:
        """Whether ``p`` counts towards the 本市/境外 part of the published new-started 1亿+ projects."""
        return (p["source"] in ("本市", "境外") and p["started_on"] is not None and p["started_on"].year == year
                and p["recognized_on"] is not None and p["recognized_on"].year == year
                and p["total_investment"] >= 10000)

    for _ in range(local_foreign_new_started["count"] - count_projects(local_foreign_new_start)):
        add(source="本市" if rng.random() < 0.78 else "境外", size_class="medium", lifecycle="new_start",
            recognized="this_year", tag="local_foreign_new_start",
            producing="after_window" if rng.random() < 0.15 else None)
    # the rest stays outside every pinned set: local/foreign ongoing and old projects, small 市外
    # projects, talks, terminated ones and unrecognized signings
    scale = plan["scale"]
    for _ in range(60 * scale):
        add(source="本市" if rng.random() < 0.75 else "境外", size_class=rng.choice(["small", "medium", "medium"]),
            lifecycle="ongoing", recognized=rng.choice(["previous_year", "earlier", None]), tag="local_foreign_ongoing",
            producing=rng.choice([None, "previous_year", "before_window", "after_window"]))
    for _ in range(40 * scale):
        add(source=builder.random_source(), size_class=rng.choice(["small", "medium"]), lifecycle="old",
            recognized=rng.choice(["earlier", None]), funds=0, tag="old")
    for _ in range(25 * scale):
        add(source=builder.random_source(), size_class="tiny", lifecycle=rng.choice(["new_start", "ongoing"]),
            recognized=None, tag="tiny")
    for index in range(45 * scale):
        add(source=builder.random_source(), size_class="medium_large",
            lifecycle=rng.choice(["in_talks", "in_talks", "in_talks_late"]), tag="in_talks_filler",
            total_bounds=(10_000, 199_900), total=20_000 if index == 0 else None)  # one “两亿” project
    for _ in range(12 * scale):
        add(source=builder.random_source(), size_class=rng.choice(["small", "medium"]), lifecycle="terminated",
            tag="terminated")
    for _ in range(30 * scale):  # small signings of the year, not recognized (not new 1亿+)
        add(source=builder.random_source(), size_class=rng.choice(["small", "medium"]), lifecycle="signed",
            signed="year", recognized=None, funds=0, tag="signing_filler")
    _fit_amounts(builder, plan)
    if "fifty_twenty_signed" in plan["h1"]:
        _calibrate_half_year_signings(builder, plan["h1"]["fifty_twenty_signed"])
    for field, key in (("started_on", "fifty_twenty_started"), ("signed_on", "fifty_twenty_signed")):
        if key in plan["h1"]:
            got = tuple(_half_year_tiers(builder.projects, year, field).values())
            assert got == tuple(plan["h1"][key]), (key, got)
    _assign_attributes(builder, plan)
    return builder.projects


FIFTY_TWENTY_TIERS = ("tier_100", "tier_50", "tier_20")


def _tier(total: int) -> str | None:
    """The “50·20” tier of a 总投资 in 万元 (None below 20亿)."""
    return "tier_100" if total >= 1_000_000 else "tier_50" if total >= 500_000 else "tier_20" if total >= 200_000 else None


def _in_first_half(date: dt.date | None, year: int) -> bool:
    return date is not None and dt.date(year, 1, 1) <= date <= dt.date(year, 6, 30)


def _half_year_tiers(projects: list[dict], year: int, field: str) -> dict[str, int]:
    """How many 20亿+ projects of each tier have ``field`` in January–June of ``year``."""
    counts = dict.fromkeys(FIFTY_TWENTY_TIERS, 0)
    for project in projects:
        tier = _tier(project["total_investment"])
        if tier and _in_first_half(project[field], year):
            counts[tier] += 1
    return counts


def _calibrate_half_year_signings(builder: PopulationBuilder, wanted: tuple[int, int, int]) -> None:
    """Move signing dates of 20亿+ projects signed this year between the two halves of the year, so
    that exactly ``wanted`` (by tier) are signed in January–June; every other date stays consistent
    (入库 ≤ 签约 ≤ 认定 / “50·20”申报, and a started project is never moved past its start)."""
    rng, year = builder.rng, builder.year
    for tier, target in zip(FIFTY_TWENTY_TIERS, wanted, strict=True):
        signed = [p for p in builder.projects if _tier(p["total_investment"]) == tier and p["signed_on"] is not None
                  and p["signed_on"].year == year and p["status"] != "已终止"]
        first = [p for p in signed if _in_first_half(p["signed_on"], year)]
        second = [p for p in signed if not _in_first_half(p["signed_on"], year)]
        while len(first) < target:  # sign one of the second half earlier
            movable = [p for p in second if p["tag"] != "fifty_twenty" or p["fifty_twenty_applied_on"] is not None]
            if not movable:
                raise ValueError(f"{year}: not enough {tier} signings to put {target} in January–June")
            project = movable[rng.randrange(len(movable))]
            day = _random_date(rng, dt.date(year, 1, 5), dt.date(year, 6, 28))
            if project["started_on"] is not None and project["started_on"] < day:
                day = project["started_on"]
            if project["entered_on"] is not None and project["entered_on"] > day:
                project["entered_on"] = day - dt.timedelta(days=rng.randint(20, 200))
            project["signed_on"] = day
            second.remove(project)
            first.append(project)
        while len(first) > target:  # sign one of the first half later
            movable = [p for p in first if p["started_on"] is None]
            if not movable:
                raise ValueError(f"{year}: too many {tier} projects start after signing in January–June")
            project = movable[rng.randrange(len(movable))]
            applied = project["fifty_twenty_applied_on"]
            last = dt.date(year, 9, 20) if applied is not None else dt.date(year, 12, 20)
            day = _random_date(rng, dt.date(year, 7, 1), last)
            project["signed_on"] = day
            if project["recognized_on"] is not None and project["recognized_on"] < day:
                project["recognized_on"] = _random_date(rng, day, dt.date(year, 12, 28))
            if applied is not None and applied < day:
                project["fifty_twenty_applied_on"] = _random_date(rng, day, dt.date(year, 9, 29))
            first.remove(project)
            second.append(project)
