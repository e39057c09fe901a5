"""The period a figure covers: a whole year, January to month M (year to date), or one month.

Every dated indicator selects its rows with :meth:`Period.contains`; its year-on-year figure
compares with :meth:`Period.comparison`, the same months of the year before. A year alone
(``2022``) means the whole year, so ``compute_metrics`` of a year is the whole-year case.

>>> Period.year_to_date(2023, 6).label, Period.year_to_date(2023, 6).comparison().label
('2023年1—6月', '2022年1—6月')
>>> Period.whole_year(2022).end.date(), Period.month_of(2024, 2).end.date()
(datetime.date(2022, 12, 31), datetime.date(2024, 2, 29))
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass

import pandas as pd

__all__ = ["Period", "as_period"]


@dataclass(frozen=True, order=True)
class Period:
    """Months ``first_month``..``last_month`` (inclusive) of ``year``."""

    year: int
    first_month: int = 1
    last_month: int = 12

    def __post_init__(self) -> None:
        if not 1 <= self.first_month <= self.last_month <= 12:
            raise ValueError(f"months {self.first_month}..{self.last_month} are not a period of a year")

    @classmethod
    def whole_year(cls, year: int) -> Period:
        return cls(year, 1, 12)

    @classmethod
    def year_to_date(cls, year: int, month: int) -> Period:
        """January to the end of ``month`` (the period of a monthly bulletin)."""
        return cls(year, 1, month)

    @classmethod
    def month_of(cls, year: int, month: int) -> Period:
        return cls(year, month, month)

    @property
    def is_whole_year(self) -> bool:
        return (self.first_month, self.last_month) == (1, 12)

    @property
    def months(self) -> range:
        """The month numbers the period covers (``range(1, 7)`` for January–June)."""
        return range(self.first_month, self.last_month + 1)

    @property
    def start(self) -> pd.Timestamp:
        return pd.Timestamp(year=self.year, month=self.first_month, day=1)

    @property
    def end(self) -> pd.Timestamp:
        """The last day of the period (dates carry no time of day)."""
        last_day = calendar.monthrange(self.year, self.last_month)[1]
        return pd.Timestamp(year=self.year, month=self.last_month, day=last_day)

    @property
    def label(self) -> str:
        """How the period reads in a report: ``2022年``, ``2023年1—6月``, ``2023年6月``."""
        if self.is_whole_year:
            return f"{self.year}年"
        if self.first_month == self.last_month:
            return f"{self.year}年{self.last_month}月"
        return f"{self.year}年{self.first_month}—{self.last_month}月"

    def comparison(self, year: int | None = None) -> Period:
        """The same months of ``year`` (default: the year before) — the base of year-on-year figures."""
        return Period(self.year - 1 if year is None else year, self.first_month, self.last_month)

    def contains(self, dates: pd.Series) -> pd.Series:
        """True where the date falls in the period (a missing date never does).

        >>> dates = pd.Series(pd.to_datetime(["2023-06-30", "2023-07-01", None]))
        >>> Period.year_to_date(2023, 6).contains(dates).tolist()
        [True, False, False]
        """
        return ((dates >= self.start) & (dates <= self.end)).fillna(False).astype(bool)


def as_period(period: Period | int) -> Period:
    """A :class:`Period` as given, or the whole of a year given as an int."""
    return period if isinstance(period, Period) else Period.whole_year(int(period))
