"""Project population of the synthetic ledgers: pinned projects first, then fillers (see :mod:`helpers.sample`)."""

from __future__ import annotations

import datetime as dt
import random

from helpers import sample_vocab as V
from helpers.sample_fit import _amounts, _attributes
from helpers.sample_util import (EV_ACAD, EV_CEREMONY, EV_CPPCC, EV_SUMMIT, EV_YRD, EVENT_DATES, OUTSIDE, TCLASS,
                                 _d, _rand_amount, _rand_date)

# ---------------------------------------------------------------------- builder

class _Builder:
    """Builds the project population of one year."""

    def __init__(self, year: int, plan: dict, rng: random.Random) -> None:
        self.y = year
        self.plan = plan
        self.rng = rng
        self.projects: list[dict] = []
        self.names: set[str] = set()
        self.campaign = year == 2022
        self.events = year == 2022

    # -- dates
    def win(self, name: str) -> tuple[dt.date, dt.date]:
        y = self.y
        return {
            "preW": (_d(y, 1, 5), _d(y, 5, 28)),
            "W": (_d(y, 6, 2), _d(y, 9, 28)),
            "postW": (_d(y, 10, 8), _d(y, 12, 25)),
            "Y": (_d(y, 1, 5), _d(y, 12, 25)),
            "Yearly": (_d(y, 1, 5), _d(y, 8, 31)),
            "prev": (_d(y - 1, 1, 10), _d(y - 1, 12, 20)),
            "prev2": (_d(y - 2, 3, 1), _d(y - 1, 8, 31)),
            "old": (_d(y - 4, 3, 1), _d(y - 2, 6, 30)),
            "q4": (_d(y, 10, 8), _d(y, 12, 25)),
        }[name]

    def draw(self, spec, floor: dt.date | None = None) -> dt.date | None:
        if spec is None:
            return None
        if isinstance(spec, dt.date):
            return spec
        lo, hi = self.win(spec) if isinstance(spec, str) else spec
        if floor is not None and floor > lo:
            lo = min(floor, hi)
        return _rand_date(self.rng, lo, hi)

    # -- one project
    def add(self, *, src: str, T=None, tcls: str = "m", life: str = "signed", sig=None, start=None,
            prod=None, rec=None, F=None, fgroup: str | None = None, county: str | None = None,
            industry: str | None = None, chain="auto", event: str | None = None, name: str | None = None,
            investor: str | None = None, origin: str | None = None, flags=None, digital=None,
            channel: str | None = None, sourcing_unit: str | None = None, notes=None, applied=None,
            entered=None, status: str | None = None, tag: str = "", t_bounds=None,
            exclude_counties: tuple = ()) -> dict:
        rng, y = self.rng, self.y
        p: dict = {"tag": tag, "source": src}
        p["total_investment"] = int(T) if T is not None else _rand_amount(rng, tcls)
        p["t_bounds"] = t_bounds or (TCLASS[tcls] if T is None else (int(T), int(T)))
        # dates by life cycle
        if life == "ongoing":
            sig = self.draw(sig or "prev2")
            start = self.draw(start or (sig + dt.timedelta(days=20), _d(y - 1, 12, 20)), floor=sig)
            prod = self._prod(prod, start)
        elif life == "newstart":
            sig = self.draw(sig or ((_d(y - 1, 10, 1), _d(y, 8, 31))))
            start = self.draw(start or (max(sig + dt.timedelta(days=15), _d(y, 1, 5)), _d(y, 12, 15)),
                              floor=max(sig + dt.timedelta(days=7), _d(y, 1, 3)))
            prod = self._prod(prod, start)
        elif life == "signed":
            sig = self.draw(sig or "Y")
            start = prod = None
        elif life in ("talk", "talk_late"):
            entered = self.draw(entered or ("Yearly" if life == "talk" else "postW"))
            sig = start = prod = None
        elif life == "q4sign":
            entered = self.draw(entered or (_d(y, 1, 5), _d(y, 9, 20)))
            sig = self.draw(sig or "q4")
            start = prod = None
        elif life == "terminated":
            entered = self.draw(entered or (_d(y - 1, 3, 1), _d(y, 6, 30)))
            sig = start = prod = None
            status = "已终止"
        elif life == "old":
            sig = self.draw(sig or "old")
            start = self.draw((sig + dt.timedelta(days=30), sig + dt.timedelta(days=240)))
            prod = self.draw((start + dt.timedelta(days=120), _d(y - 1, 12, 20)), floor=start)
        else:
            raise ValueError(life)
        if entered is None:
            base = sig
            entered = base - dt.timedelta(days=rng.randint(20, 260))
            if rng.random() < 0.12:
                entered = entered.replace(day=1)  # recorded with month precision only
        if isinstance(entered, (tuple, str)):
            entered = self.draw(entered)
        p.update(entered_on=entered, signed_on=sig, started_on=start, producing_on=prod)
        # recognition
        if rec == "Y":
            lo = max(sig or _d(y, 1, 5), _d(y, 1, 5))
            rec = _rand_date(rng, lo, max(lo, _d(y, 12, 28)))
        elif rec == "prev":
            lo = max(sig or _d(y - 1, 1, 5), _d(y - 1, 1, 5))
            rec = _rand_date(rng, lo, max(lo, _d(y - 1, 12, 28)))
        elif rec == "older":
            lo = sig or _d(y - 3, 1, 5)
            rec = _rand_date(rng, lo, max(lo, _d(y - 2, 12, 28)))
        p["recognized_on"] = rec
        p["fifty_twenty_applied_on"] = applied
        if status is None:
            status = ("已投产" if prod else "已开工" if start else "已签约" if sig else "在谈")
        p["status"] = status
        p["F"] = F
        p["fgroup"] = fgroup
        p["county"] = county or self._county(exclude_counties)
        p["industry"] = industry or self._industry()
        p["ind_fixed"] = industry is not None
        p["chain_req"] = chain
        p["event"] = event
        p.update(name=name, investor=investor, origin=origin, flags=flags, digital=digital, channel=channel,
                 sourcing_unit=sourcing_unit, notes=notes)
        self.projects.append(p)
        return p

    def _prod(self, prod, start: dt.date) -> dt.date | None:
        if prod is None:
            return None
        if isinstance(prod, dt.date):
            return prod
        if prod == "prev":
            return self.draw((start + dt.timedelta(days=90), _d(self.y - 1, 12, 28)), floor=start)
        lo, hi = self.win(prod) if isinstance(prod, str) else prod
        lo = max(lo, start + dt.timedelta(days=30))
        return _rand_date(self.rng, lo, max(lo, hi)) if lo <= hi else None

    def _county(self, exclude=()) -> str:
        units = [u for u in V.UNIT_WEIGHTS if u not in exclude]
        return self.rng.choices(units, [V.UNIT_WEIGHTS[u] for u in units])[0]

    def _industry(self, emerging: bool | None = None) -> str:
        inds = list(V.INDUSTRY_WEIGHTS)
        if emerging is True:
            inds = V.EMERGING
        elif emerging is False:
            inds = V.NON_EMERGING
        return self.rng.choices(inds, [V.INDUSTRY_WEIGHTS[i] for i in inds])[0]

    def _srcmix(self, weights=(("省外", 45), ("省内市外", 30), ("本市", 20), ("境外", 5))) -> str:
        return self.rng.choices([w[0] for w in weights], [w[1] for w in weights])[0]

    # -- membership
    def in_b(self, p) -> bool:
        r = p["recognized_on"]
        return p["source"] in OUTSIDE and p["total_investment"] >= 10000 and r is not None and r.year == self.y

    def group_of(self, p) -> str | None:
        """Funding group of a 市外 project (decided by recognition, size and whether it gets funds)."""
        return p["fgroup"]


def _ymd(y, m, d):
    return _d(y, m, d)


def _build_projects(year: int, plan: dict, rng: random.Random) -> list[dict]:
    b = _Builder(year, plan, rng)
    y = year
    add = b.add
    ft = plan["ft"]
    # ------------------------------------------------------------ named (2022)
    if year == 2022:
        add(src="省外", T=1_000_000, life="newstart", sig=_d(y, 5, 19), start=_d(y, 12, 8), rec=_d(y, 12, 16),
            F=30_000, fgroup="AB_O", county="九江经济技术开发区", industry="新材料", chain="玻纤及复合材料",
            event=EV_SUMMIT, name="巨石玻纤项目", investor="中国巨石股份有限公司", origin="浙江省嘉兴市",
            flags=["中国500强", "上市公司"], digital=False, channel="产业链招商", applied=_d(y, 7, 12),
            notes="年产60万吨电子级玻璃纤维及制品", tag="ft", entered=_d(y, 3, 1))
        add(src="省外", T=1_050_000, life="signed", sig=_d(y, 5, 19), rec=_d(y, 6, 10), F=0, fgroup="B_O",
            county="湖口县", industry="新材料", chain="新材料", event=EV_SUMMIT, name="心连心新材料项目",
            investor="河南心连心化学工业集团股份有限公司", origin="河南省新乡市", flags=["上市公司", "高新技术企业"],
            digital=False, channel="活动招商", applied=_d(y, 6, 20), tag="ft")
        add(src="省外", T=1_000_000, life="signed", sig=_d(y, 8, 26), rec=_d(y, 9, 20), F=0, fgroup="B_O",
            county="瑞昌市", industry="高端装备制造", chain=None, name="扬子江船业集团项目",
            investor="江苏扬子江船业集团有限公司", origin="江苏省泰州市", flags=["民营500强"], digital=False,
            channel="资源招商", sourcing_unit="瑞昌市商务局",
            notes="绿色建材、高端船舶装备制造、船舶外贸进出口、配套产业园四大板块", tag="wsig")
        add(src="省外", T=150_000, life="newstart", sig=_d(y, 3, 18), start=_d(y, 4, 20), prod=_d(y, 11, 28),
            rec=_d(y, 5, 16), fgroup="AB_O", county="濂溪区", industry="新一代信息技术", chain="数字经济",
            name="优必选人工智能项目", investor="深圳市优必选科技股份有限公司", origin="广东省深圳市",
            flags=["高新技术企业"], digital=True, channel="资本招商", sourcing_unit="市商务局",
            notes="鄱阳湖生态科技城", tag="ns_l")
        add(src="省外", T=50_000, life="newstart", sig=_d(y, 5, 12), start=_d(y, 8, 3), rec=_d(y, 9, 6),
            fgroup="AB_O", county="八里湖新区", industry="新一代信息技术", chain="数字经济",
            name="忽米网工业互联网项目", investor="重庆忽米网络科技有限公司", origin="重庆市",
            flags=["高新技术企业"], digital=True, channel="场景招商", sourcing_unit="市工信局", tag="ns_m")
        add(src="省外", T=500_000, life="ongoing", sig=_d(y - 1, 11, 26), start=_d(y - 1, 12, 28), rec=_d(y, 3, 15),
            fgroup="AB_O", county="濂溪区", industry="石油化工", chain="石油化工", name="中国石化PX芳烃项目",
            investor="中国石油化工股份有限公司", origin="北京市", flags=["世界500强", "中国500强", "上市公司"],
            digital=False, channel="以商招商", sourcing_unit="市发改委", tag="ongoing", F=160_000)
        add(src="本市", T=525_000, life="signed", sig=_d(y, 5, 19), county="永修县", industry="新材料",
            chain="有机硅", event=EV_SUMMIT, name="星火有机硅下游扩改项目", investor="江西蓝星星火有机硅有限公司",
            origin="九江市永修县", flags=["中国500强"], digital=False, channel="以商招商",
            sourcing_unit="永修县商务局", tag="sns_t50")
        # the other ten 有机硅 projects of 永修县 signed in 2022 (7 main + 3 supporting)
        for i in range(10):
            src = ["省外", "省外", "省外", "省内市外", "省内市外", "本市", "本市", "本市", "省外", "本市"][i]
            add(src=src, tcls="m", life="signed", sig=(_d(y, 2, 10), _d(y, 12, 10)), county="永修县",
                industry="新材料", chain="有机硅", rec=None, F=0, tag="silicone",
                t_bounds=(20_000, 150_000), notes="配套项目" if i >= 7 else None)
    # ---------------------------------------------------- “50·20” applications
    n100, n50, n20 = ft["tiers"]
    named100 = 2 if year == 2022 else 0
    ft_new = []
    for i in range(n100 - named100):
        ft_new.append(add(src="省外", tcls="t100", life="signed", sig="preW", rec="Y", F=0, fgroup="B_O", tag="ft"))
    for i in range(n50):
        kind = ["acadW_o", "acadW_l", "ongoing_o", "ongoing_p", "preW_p"][i % 5]
        if kind == "acadW_o":
            p = add(src="省外", tcls="t50", life="signed", sig=_d(y, 7, 28) if b.events else "W", rec="Y", F=0,
                    fgroup="B_O", event=EV_ACAD if b.events else None, tag="ft", exclude_counties=("瑞昌市", "彭泽县"))
        elif kind == "acadW_l":
            p = add(src="本市", tcls="t50", life="signed", sig=_d(y, 7, 28) if b.events else "W",
                    event=EV_ACAD if b.events else None, tag="ft", exclude_counties=("瑞昌市", "彭泽县"))
        elif kind == "ongoing_o":
            p = add(src="省外", tcls="t50", life="ongoing", rec="prev", fgroup="A_O", tag="ft")
        elif kind == "ongoing_p":
            p = add(src="省内市外", tcls="t50", life="ongoing", rec="Y", fgroup="AB_P", tag="ft")
        else:
            p = add(src="省内市外", tcls="t50", life="signed", sig="prev", rec="prev", F=0, tag="ft")
        ft_new.append(p)
    for i in range(n20):
        r = i % 27
        excl = ("瑞昌市", "彭泽县")
        if r < 12:  # signed in the campaign window, not started
            src = ["省外", "省外", "省内市外", "本市", "省外", "省内市外"][r % 6]
            ev = None
            sig = "W"
            if b.events and r < 4:
                ev, sig = EV_ACAD, _d(y, 7, 28)
            elif b.events and r < 6:
                ev, sig = EV_CPPCC, _d(y, 9, 16)
            grp = {"省外": "B_O", "省内市外": "B_P"}.get(src)
            p = add(src=src, tcls="t20", life="signed", sig=sig, rec="Y" if grp else None, F=0, fgroup=grp,
                    event=ev, tag="ft", exclude_counties=excl)
        elif r < 22:  # signed earlier in the year
            src = ["省外", "省内市外", "本市", "省外", "境外"][r % 5]
            ev, sig = (EV_SUMMIT, _d(y, 5, 19)) if (b.events and r < 16) else (None, "preW")
            grp = {"省外": "B_O", "省内市外": "B_P"}.get(src)
            p = add(src=src, tcls="t20", life="signed", sig=sig, rec="Y" if grp else None, F=0, fgroup=grp,
                    event=ev, tag="ft", exclude_counties=excl)
        else:  # ongoing projects applying after they started
            src = ["省外", "省外", "省内市外", "省内市外", "本市"][r - 22]
            grp = {"省外": "A_O", "省内市外": "AB_P"}.get(src)
            p = add(src=src, tcls="t20", life="ongoing", rec="prev" if src == "省外" else "Y", fgroup=grp,
                    tag="ft")
        ft_new.append(p)
    ft_all = [p for p in b.projects if p["tag"] == "ft"]
    assert len(ft_all) == ft["count"], (len(ft_all), ft["count"])
    for p in ft_all:
        lo = max(p["signed_on"], _d(y, 6, 2))
        if p["fifty_twenty_applied_on"] is None:
            p["fifty_twenty_applied_on"] = _rand_date(rng, lo, _d(y, 9, 29))
    # ---------------------------------------------------- campaign reserves (2022) / big signings (others)
    excl = ("瑞昌市", "彭泽县")
    if b.campaign:
        # four more “100” projects signed in 2021 and not started
        for i in range(4):
            add(src=["本市", "省外", "境外", "省内市外"][i], tcls="t100", life="signed", sig="prev", F=0, tag="sns_t100")
        # “100”/“50”/“20” in talks at the end of the window
        for cls, n in (("t100", 4), ("t50", 7), ("t20", 20)):
            for i in range(n):
                if i == 0 and cls != "t20":
                    add(src=b._srcmix(), tcls=cls, life="q4sign", sig=_d(y, 12, 20), event=EV_CEREMONY,
                        tag="talk")
                elif cls == "t20" and i < 3:
                    add(src=b._srcmix(), tcls=cls, life="q4sign", sig=_d(y, 11, 10), event=EV_YRD, tag="talk")
                elif cls == "t20" and i < 6:
                    add(src=b._srcmix(), tcls=cls, life="q4sign", sig=_d(y, 12, 20), event=EV_CEREMONY, tag="talk")
                else:
                    add(src=b._srcmix(), tcls=cls, life="talk", tag="talk")
        # 瑞昌市 signed in the window: 3 “50”, 6 “20”
        for cls, n in (("t50", 3), ("t20", 6)):
            for i in range(n):
                src = ["省外", "省内市外", "本市"][i % 3]
                grp = {"省外": "B_O", "省内市外": "B_P"}.get(src)
                ev, sig = (EV_CPPCC, _d(y, 9, 16)) if (cls == "t20" and i == 0) else (None, "W")
                add(src=src, tcls=cls, life="signed", sig=sig, rec="Y" if grp else None, F=0, fgroup=grp,
                    county="瑞昌市", event=ev, tag="wsig",
                    industry="电子信息" if i % 2 == 0 else None, chain="LED" if i % 2 == 0 else "auto")
        # 彭泽县 signed in the window: 7, of which 6 emerging, 1 digital
        for i in range(7):
            cls = "t50" if i == 0 else "t20"
            src = ["省外", "省内市外", "省外", "本市", "省外", "省内市外", "境外"][i]
            grp = {"省外": "B_O", "省内市外": "B_P"}.get(src)
            ind = ["新能源", "新材料", "电子信息", "高端装备制造", "生物医药", "新能源汽车", "绿色食品"][i]
            add(src=src, tcls=cls, life="signed", sig="W", rec="Y" if grp else None, F=0, fgroup=grp,
                county="彭泽县", industry=ind, digital=(i == 2), tag="wsig")
        # other signings in the window: 8 “50”, 42 “20”
        for cls, n in (("t50", 8), ("t20", 42)):
            for i in range(n):
                src = b._srcmix((("省外", 38), ("省内市外", 37), ("本市", 20), ("境外", 5)))
                grp = {"省外": "B_O", "省内市外": "B_P"}.get(src)
                ev, sig = None, "W"
                if cls == "t20" and i < 6:
                    ev, sig = EV_ACAD, _d(y, 7, 28)
                elif cls == "t20" and i < 14:
                    ev, sig = EV_CPPCC, _d(y, 9, 16)
                add(src=src, tcls=cls, life="signed", sig=sig, rec="Y" if grp else None, F=0, fgroup=grp,
                    event=ev, tag="wsig", exclude_counties=excl)
        # “50” signed before the window and not started: 3 at the summit, 3 in 2021
        for i in range(6):
            src = ["省外", "省内市外", "本市", "省外", "本市", "境外"][i]
            if i < 3:
                grp = {"省外": "B_O", "省内市外": "B_P"}.get(src)
                add(src=src, tcls="t50", life="signed", sig=_d(y, 5, 19), event=EV_SUMMIT, rec="Y" if grp else None,
                    F=0, fgroup=grp, tag="sns_t50")
            else:
                add(src=src, tcls="t50", life="signed", sig="prev", F=0, tag="sns_t50")
        # terminated big ones and talks entered after the window (not reserves)
        for i in range(2):
            add(src=b._srcmix(), tcls="t20", life="terminated", tag="term")
        for i in range(3):
            add(src=b._srcmix(), tcls="t20", life="talk_late", tag="talk_late")
    else:
        for cls, n in (("t100", 1), ("t50", 6), ("t20", 35)):
            for i in range(n):
                src = b._srcmix()
                grp = {"省外": "B_O", "省内市外": "B_P"}.get(src)
                add(src=src, tcls=cls, life="signed", sig="Y", rec="Y" if grp else None, F=0, fgroup=grp,
                    tag="bigsig")
        for cls, n in (("t100", 2), ("t50", 5), ("t20", 18)):
            for i in range(n):
                add(src=b._srcmix(), tcls=cls, life="talk", tag="talk")
        for i in range(3):
            add(src=b._srcmix(), tcls="t20", life="terminated", tag="term")
    # ---------------------------------------------------- new-started big ones
    k4_30, k4_l = plan["ns_k4"]
    lf_n, lf_30, lf_l = plan["ns_lf"]
    have_k4_30 = sum(1 for p in b.projects if p["tag"] == "ft" and p["started_on"] and p["started_on"].year == y
                     and p["source"] == "省外" and p["total_investment"] >= 300_000)
    for i in range(k4_30 - have_k4_30):
        add(src="省外", tcls="t20lo" if False else "t30", life="newstart", sig=(_d(y, 1, 5), _d(y, 3, 31)),
            start=(_d(y, 4, 1), _d(y, 5, 25)), rec="Y", fgroup="AB_O", tag="ns_30", prod=None)
    have_k4_l = sum(1 for p in b.projects if p["tag"] == "ns_l")
    for i in range(k4_l - have_k4_l):
        add(src="省外", tcls="l", life="newstart", rec="Y", fgroup="AB_O", tag="ns_l",
            prod="postW" if rng.random() < 0.2 else None)
    for i in range(lf_30):
        add(src="本市", tcls="t30", life="newstart", sig=(_d(y, 1, 5), _d(y, 3, 31)),
            start=(_d(y, 4, 1), _d(y, 5, 25)), rec="Y", tag="ns_30")
    for i in range(lf_l):
        add(src="本市" if i % 3 else "境外", tcls="l", life="newstart", rec="Y", tag="ns_l",
            prod="postW" if rng.random() < 0.2 else None)
    # ---------------------------------------------------- produced within the window (2022: exactly 4)
    nprodw = 4 if b.campaign else 3
    for i in range(nprodw):
        src = ["省外", "省内市外", "省外", "省内市外"][i % 4]
        grp = "AB_O" if src == "省外" else "AB_P"
        add(src=src, tcls="t20", life="ongoing", prod="W", rec="Y", fgroup=grp, tag="ongoing")
    # ---------------------------------------------------- event fillers (2022)
    if b.events:
        targets = {EV_SUMMIT: 78, EV_ACAD: 48, EV_CPPCC: 30, EV_YRD: 14, EV_CEREMONY: 22}
        for ev, n in targets.items():
            have = sum(1 for p in b.projects if p["event"] == ev and p["signed_on"] and p["signed_on"].year == y)
            m, d = EVENT_DATES[ev]
            for i in range(n - have):
                src = b._srcmix((("省外", 40), ("省内市外", 25), ("本市", 28), ("境外", 7)))
                if ev in (EV_YRD, EV_CEREMONY) or rng.random() < 0.7 or src == "省内市外":
                    add(src=src, tcls="ml", life="signed", sig=_d(y, m, d), event=ev, rec=None, F=0,
                        tag="evfill", t_bounds=(10_000, 199_900), channel="活动招商")
                else:  # started after the event, recognized and funded
                    grp = "AB_O" if src == "省外" else None
                    add(src=src, tcls="m", life="newstart", sig=_d(y, m, d), rec="Y", fgroup=grp,
                        event=ev, tag="evfill_ns", t_bounds=(10_000, 99_900), channel="活动招商")
    # ---------------------------------------------------- fillers for the funded/unfunded groups
    def count(pred):
        return sum(1 for p in b.projects if pred(p))

    ab_p_n, ab_p_funds = plan["ab_p"]
    k4_n, k5_n, ab_o_funds = plan["ab_o"]
    is_k4 = lambda p: p["fgroup"] == "AB_O" and p["started_on"] is not None and p["started_on"].year == y  # noqa: E731
    is_k5 = lambda p: p["fgroup"] == "AB_O" and not is_k4(p)  # noqa: E731
    for i in range(ab_p_n - count(lambda p: p["fgroup"] == "AB_P")):
        add(src="省内市外", T=0, life="ongoing", rec="Y", fgroup="AB_P", tag="ffirst",
            prod=rng.choice([None, None, "preW", "postW", "prev"]))
    for i in range(plan["a_p_only"][0] - count(lambda p: p["fgroup"] == "A_P")):
        add(src="省内市外", T=0, life="ongoing", rec=rng.choice(["prev", "older"]), fgroup="A_P", tag="ffirst",
            prod=rng.choice([None, "preW", "postW", "prev"]))
    for i in range(k4_n - count(is_k4)):
        add(src="省外", tcls="m", life="newstart", rec="Y", fgroup="AB_O", tag="k4",
            prod="postW" if rng.random() < 0.15 else None)
    for i in range(k5_n - count(is_k5)):
        add(src="省外", T=0, life="ongoing", rec="Y", fgroup="AB_O", tag="ffirst",
            prod=rng.choice([None, None, "preW", "postW", "prev"]))
    for i in range(plan["b_o_unf"] - count(lambda p: p["fgroup"] == "B_O")):
        add(src="省外", tcls="ml", life="signed", sig=rng.choice(["preW", "W", "postW"]), rec="Y", F=0,
            fgroup="B_O", tag="bunf", t_bounds=(10_000, 199_900))
    for i in range(plan["b_p_unf"] - count(lambda p: p["fgroup"] == "B_P")):
        add(src="省内市外", tcls="ml", life="signed", sig=rng.choice(["preW", "W", "postW"]), rec="Y", F=0,
            fgroup="B_P", tag="bunf", t_bounds=(10_000, 199_900))
    a_o_n, a_o_funds = plan["a_o_only"]
    need = a_o_n - count(lambda p: p["fgroup"] == "A_O")
    for i in range(need):
        if i % 4 == 3:  # older, recognized before the year
            add(src="省外", T=0, life="ongoing", rec=rng.choice(["prev", "older"]), fgroup="A_O", tag="ffirst_small",
                prod=rng.choice([None, "preW", "postW", "prev"]))
        else:
            add(src="省外", tcls="s", life=rng.choice(["newstart", "ongoing"]), rec=rng.choice(["Y", None, "prev"]),
                fgroup="A_O", tag="small", prod=rng.choice([None, None, "postW"]))
    # L/F new-started
    for i in range(lf_n - count(lambda p: p["source"] in ("本市", "境外") and p["started_on"] is not None
                                and p["started_on"].year == y and p["recognized_on"] is not None
                                and p["recognized_on"].year == y and p["total_investment"] >= 10000)):
        add(src="本市" if rng.random() < 0.78 else "境外", tcls="m", life="newstart", rec="Y", tag="lf_ns",
            F=None, prod="postW" if rng.random() < 0.15 else None)
    # local / foreign ongoing and old projects, small 市外 projects outside every set, talks, terminated
    for i in range(60 * plan["scale"]):
        add(src="本市" if rng.random() < 0.75 else "境外", tcls=rng.choice(["s", "m", "m"]), life="ongoing",
            rec=rng.choice(["prev", "older", None]), tag="lf_on", prod=rng.choice([None, "prev", "preW", "postW"]))
    for i in range(40 * plan["scale"]):
        add(src=b._srcmix(), tcls=rng.choice(["s", "m"]), life="old", rec=rng.choice(["older", None]), F=0, tag="old")
    for i in range(25 * plan["scale"]):
        add(src=b._srcmix(), tcls="xs", life=rng.choice(["newstart", "ongoing"]), rec=None, tag="xs")
    for i in range(45 * plan["scale"]):
        add(src=b._srcmix(), tcls="ml", life=rng.choice(["talk", "talk", "talk_late"]), tag="talkfill",
            t_bounds=(10_000, 199_900), T=20_000 if i == 0 else None)  # one “两亿” project
    for i in range(12 * plan["scale"]):
        add(src=b._srcmix(), tcls=rng.choice(["s", "m"]), life="terminated", tag="term")
    for i in range(30 * plan["scale"]):  # small signings of the year, not recognized (not new 1亿+)
        add(src=b._srcmix(), tcls=rng.choice(["s", "m"]), life="signed", sig="Y", rec=None, F=0, tag="sigfill")
    _amounts(b, plan)
    _attributes(b, plan)
    return b.projects


