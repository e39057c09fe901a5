"""The growing project population of one synthetic year, shared by ``build`` and ``fit``.

``build`` adds the pinned projects and fillers; ``fit`` then sets amounts and attributes. Both
work on this one object, so neither module needs the other.
"""

from __future__ import annotations

import datetime as dt
import random

from helpers.sample import vocab
from helpers.sample.util import OUTSIDE_CITY, SIZE_CLASSES, _random_amount, _random_date


class PopulationBuilder:
    """Builds the project population of one year."""

    def __init__(self, year: int, rng: random.Random) -> None:
        """Start an empty population for ``year``."""
        self.year = year
        self.rng = rng
        self.projects: list[dict] = []
        self.taken_names: set[str] = set()
        self.has_campaign = year == 2022  # the 攻坚行动 window (June–September) was only run in 2022
        self.has_events = year == 2022  # the named signing events are those of 2022

    # -- dates
    def window(self, name: str) -> tuple[dt.date, dt.date]:
        """The date range called ``name``, relative to the year (the campaign window is June–September)."""
        year = self.year
        return {
            "before_window": (dt.date(year, 1, 5), dt.date(year, 5, 28)),
            "window": (dt.date(year, 6, 2), dt.date(year, 9, 28)),
            "after_window": (dt.date(year, 10, 8), dt.date(year, 12, 25)),
            "year": (dt.date(year, 1, 5), dt.date(year, 12, 25)),
            "early_year": (dt.date(year, 1, 5), dt.date(year, 8, 31)),
            "previous_year": (dt.date(year - 1, 1, 10), dt.date(year - 1, 12, 20)),
            "previous_two_years": (dt.date(year - 2, 3, 1), dt.date(year - 1, 8, 31)),
            "older_years": (dt.date(year - 4, 3, 1), dt.date(year - 2, 6, 30)),
            "fourth_quarter": (dt.date(year, 10, 8), dt.date(year, 12, 25)),
        }[name]

    def draw_date(self, spec, floor: dt.date | None = None) -> dt.date | None:
        """A date from ``spec``: None, a fixed date, a window name or a ``(lo, hi)`` range (not before ``floor``)."""
        if spec is None:
            return None
        if isinstance(spec, dt.date):
            return spec
        lo, hi = self.window(spec) if isinstance(spec, str) else spec
        if floor is not None and floor > lo:
            lo = min(floor, hi)
        return _random_date(self.rng, lo, hi)

    # -- one project
    def add_project(self, *, source: str, total=None, size_class: str = "medium", lifecycle: str = "signed",
                    signed=None, started=None, producing=None, recognized=None, funds=None,
                    funding_group: str | None = None, county: str | None = None, industry: str | None = None,
                    chain="auto", event: str | None = None, name: str | None = None, investor: str | None = None,
                    origin: str | None = None, flags=None, digital=None, channel: str | None = None,
                    sourcing_unit: str | None = None, notes=None, fifty_twenty_applied=None, entered=None,
                    status: str | None = None, tag: str = "", total_bounds=None, exclude_counties: tuple = ()) -> dict:
        """Add one project; unset attributes are drawn now or later by :mod:`helpers.sample.fit`.

        ``total_bounds`` are the limits within which the amount fitting may move 总投资 (default: the
        size class, or exactly ``total`` when given). ``recognized`` is a date or one of ``this_year``,
        ``previous_year``, ``earlier``; ``funds=None`` means “drawn when amounts are fitted”.
        """
        rng, year = self.rng, self.year
        project: dict = {"tag": tag, "source": source}
        project["total_investment"] = int(total) if total is not None else _random_amount(rng, size_class)
        project["total_bounds"] = total_bounds or (SIZE_CLASSES[size_class] if total is None
                                                   else (int(total), int(total)))
        # dates by life cycle
        if lifecycle == "ongoing":  # signed in the last two years, started before this one
            signed = self.draw_date(signed or "previous_two_years")
            started = self.draw_date(started or (signed + dt.timedelta(days=20), dt.date(year - 1, 12, 20)),
                                     floor=signed)
            producing = self._producing_date(producing, started)
        elif lifecycle == "new_start":  # started this year
            signed = self.draw_date(signed or ((dt.date(year - 1, 10, 1), dt.date(year, 8, 31))))
            started = self.draw_date(started or (max(signed + dt.timedelta(days=15), dt.date(year, 1, 5)),
                                                 dt.date(year, 12, 15)),
                                     floor=max(signed + dt.timedelta(days=7), dt.date(year, 1, 3)))
            producing = self._producing_date(producing, started)
        elif lifecycle == "signed":
            signed = self.draw_date(signed or "year")
            started = producing = None
        elif lifecycle in ("in_talks", "in_talks_late"):
            entered = self.draw_date(entered or ("early_year" if lifecycle == "in_talks" else "after_window"))
            signed = started = producing = None
        elif lifecycle == "signs_in_fourth_quarter":  # in talks during the window, signed afterwards
            entered = self.draw_date(entered or (dt.date(year, 1, 5), dt.date(year, 9, 20)))
            signed = self.draw_date(signed or "fourth_quarter")
            started = producing = None
        elif lifecycle == "terminated":
            entered = self.draw_date(entered or (dt.date(year - 1, 3, 1), dt.date(year, 6, 30)))
            signed = started = producing = None
            status = "已终止"
        elif lifecycle == "old":  # producing before the year
            signed = self.draw_date(signed or "older_years")
            started = self.draw_date((signed + dt.timedelta(days=30), signed + dt.timedelta(days=240)))
            producing = self.draw_date((started + dt.timedelta(days=120), dt.date(year - 1, 12, 20)), floor=started)
        else:
            raise ValueError(lifecycle)
        if entered is None:
            entered = signed - dt.timedelta(days=rng.randint(20, 260))
            if rng.random() < 0.12:
                entered = entered.replace(day=1)  # recorded with month precision only
        if isinstance(entered, (tuple, str)):
            entered = self.draw_date(entered)
        project.update(entered_on=entered, signed_on=signed, started_on=started, producing_on=producing)
        # recognition (认定): never before the signing
        if recognized == "this_year":
            lo = max(signed or dt.date(year, 1, 5), dt.date(year, 1, 5))
            recognized = _random_date(rng, lo, max(lo, dt.date(year, 12, 28)))
        elif recognized == "previous_year":
            lo = max(signed or dt.date(year - 1, 1, 5), dt.date(year - 1, 1, 5))
            recognized = _random_date(rng, lo, max(lo, dt.date(year - 1, 12, 28)))
        elif recognized == "earlier":
            lo = signed or dt.date(year - 3, 1, 5)
            recognized = _random_date(rng, lo, max(lo, dt.date(year - 2, 12, 28)))
        project["recognized_on"] = recognized
        project["fifty_twenty_applied_on"] = fifty_twenty_applied
        if status is None:
            status = ("已投产" if producing else "已开工" if started else "已签约" if signed else "在谈")
        project["status"] = status
        project["funds_year"] = funds
        project["funding_group"] = funding_group
        project["county"] = county or self._random_county(exclude_counties)
        project["industry"] = industry or self.random_industry()
        project["industry_fixed"] = industry is not None
        project["requested_chain"] = chain
        project["event"] = event
        project.update(name=name, investor=investor, origin=origin, flags=flags, digital=digital, channel=channel,
                       sourcing_unit=sourcing_unit, notes=notes)
        self.projects.append(project)
        return project

    def _producing_date(self, spec, started: dt.date) -> dt.date | None:
        """The 投产 date from ``spec`` (None, a date, ``previous_year``, a window or a range), after ``started``."""
        if spec is None:
            return None
        if isinstance(spec, dt.date):
            return spec
        if spec == "previous_year":
            return self.draw_date((started + dt.timedelta(days=90), dt.date(self.year - 1, 12, 28)), floor=started)
        lo, hi = self.window(spec) if isinstance(spec, str) else spec
        lo = max(lo, started + dt.timedelta(days=30))
        return _random_date(self.rng, lo, max(lo, hi)) if lo <= hi else None

    def _random_county(self, exclude=()) -> str:
        """A reporting unit drawn by weight, outside ``exclude``."""
        units = [unit for unit in vocab.UNIT_WEIGHTS if unit not in exclude]
        return self.rng.choices(units, [vocab.UNIT_WEIGHTS[unit] for unit in units])[0]

    def random_industry(self, emerging: bool | None = None) -> str:
        """An industry drawn by weight, optionally only among emerging (or non-emerging) ones."""
        industries = list(vocab.INDUSTRY_WEIGHTS)
        if emerging is True:
            industries = vocab.EMERGING
        elif emerging is False:
            industries = vocab.NON_EMERGING
        return self.rng.choices(industries, [vocab.INDUSTRY_WEIGHTS[industry] for industry in industries])[0]

    def random_source(self, weights=(("省外", 45), ("省内市外", 30), ("本市", 20), ("境外", 5))) -> str:
        """A 资金来源 drawn by weight."""
        return self.rng.choices([weight[0] for weight in weights], [weight[1] for weight in weights])[0]

    # -- membership
    def is_new_100m_outside_city(self, project) -> bool:
        """Whether ``project`` is a 市外 project of 1亿+ recognized this year (the published `new_100m` sets)."""
        recognized = project["recognized_on"]
        return (project["source"] in OUTSIDE_CITY and project["total_investment"] >= 10000 and recognized is not None
                and recognized.year == self.year)
