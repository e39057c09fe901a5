"""Year-to-date figures: the funds of a period, what cannot be split by month, and how far a year's ledgers go.

A period's funds are the sum of its months' columns (``monthly_funds``: 1月 … 12月); for the
whole year they are 本年实际进资 (``funds_year``), so whole-year figures never change. A project
whose funds are given only for the whole year (no monthly columns, or blank months while
本年实际进资 is filled) cannot be split by month: the kit does not guess. It counts in the whole
year (``--month 12``) only, and :func:`whole_year_only_funds` lists it for the bulletin's data
quality section. A year-to-date figure therefore reports the funds *known* to be in place by the
end of the month (docs/decisions.md).

>>> projects = pd.DataFrame({"project_id": ["A", "B"], "funds_year": [300.0, 50.0]})
>>> monthly = pd.DataFrame({"project_id": ["A", "A"], "month": [2, 7], "funds": [100.0, 200.0]})
>>> period_funds(projects, monthly, Period.year_to_date(2023, 6)).tolist()
[100.0, 0.0]
>>> period_funds(projects, monthly, Period.whole_year(2023)).tolist()
[300.0, 50.0]
"""

from __future__ import annotations

import pandas as pd

from helpers.errors import UsageError
from helpers.indicators.period import Period
from helpers.ingest.clean import CleanYear

__all__ = [
    "PROJECT_DATES",
    "check_month",
    "latest_month_with_data",
    "peers_for_period",
    "peers_through_month",
    "period_funds",
    "period_projects",
    "whole_year_only_funds",
]

#: The dated fields of the year's tables that say how far its ledgers go.
PROJECT_DATES = ("entered_on", "signed_on", "started_on", "producing_on", "recognized_on", "fifty_twenty_applied_on")
OTHER_DATES = {"trips": ("departed_on",), "leads": ("found_on", "signed_on")}


def period_funds(projects: pd.DataFrame, monthly_funds: pd.DataFrame, period: Period) -> pd.Series:
    """Each project's funds in place in ``period`` (万元, indexed like ``projects``).

    The whole year: 本年实际进资. Otherwise the sum of the period's monthly columns; a project
    without any monthly figure has 0 here (its funds are in the whole year only).
    """
    if period.is_whole_year:
        return projects["funds_year"].astype(float)
    in_months = monthly_funds[monthly_funds["month"].isin(list(period.months))]
    by_project = in_months.groupby("project_id")["funds"].sum()
    return projects["project_id"].map(by_project).fillna(0.0).astype(float)


def period_projects(projects: pd.DataFrame, monthly_funds: pd.DataFrame, period: Period) -> pd.DataFrame:
    """The projects with ``funds_year`` holding the period's funds, so that every definition of
    :mod:`helpers.indicators.definitions` counts the funds of ``period`` (the whole year: unchanged)."""
    if period.is_whole_year:
        return projects
    return projects.assign(funds_year=period_funds(projects, monthly_funds, period).to_numpy())


def whole_year_only_funds(projects: pd.DataFrame, monthly_funds: pd.DataFrame) -> pd.DataFrame:
    """Projects with funds this year (本年实际进资 > 0) but no monthly figure: not split by month.

    >>> projects = pd.DataFrame({"project_id": ["A", "B", "C"], "funds_year": [300.0, 50.0, 0.0]})
    >>> monthly = pd.DataFrame({"project_id": ["A"], "month": [2], "funds": [300.0]})
    >>> whole_year_only_funds(projects, monthly)["project_id"].tolist()
    ['B']
    """
    with_months = set(monthly_funds.loc[monthly_funds["funds"] > 0, "project_id"])
    mask = (projects["funds_year"] > 0) & ~projects["project_id"].isin(with_months)
    return projects[mask.fillna(False).astype(bool)]


def latest_month_with_data(clean: CleanYear) -> int | None:
    """The last month of ``clean.year`` for which its ledgers hold anything: a monthly fund or a
    date (signed, started, trip, lead found …) in that month. None when nothing is dated.

    A ledger sent in mid-year has no data after the month it was filled in.
    """
    months: list[int] = []
    funds = clean.tables["monthly_funds"]
    months.extend(funds.loc[funds["funds"] > 0, "month"].astype(int).tolist())
    fields = {"projects": PROJECT_DATES, **OTHER_DATES}
    for table, columns in fields.items():
        frame = clean.tables[table]
        for column in columns:
            dates = frame[column]
            in_year = dates[(dates.dt.year == clean.year).fillna(False).astype(bool)]
            if len(in_year):
                months.append(int(in_year.dt.month.max()))
    return max(months) if months else None


def check_month(year: int, month: int, latest: int | None, *, force: bool = False) -> None:
    """A bulletin's month: 1–12, and not beyond the year's latest month with data unless forced.

    >>> check_month(2023, 7, 6)
    Traceback (most recent call last):
    ...
    helpers.errors.UsageError: 2023 年台账的数据截至 6 月，1—7 月的数据不完整；如确需计算，请加 --force（报告：-p force=true）
    >>> check_month(2023, 7, 6, force=True)
    """
    if isinstance(month, bool) or not isinstance(month, int) or not 1 <= month <= 12:
        raise UsageError(f"月份 {month!r} 应为 1–12 的整数")
    if force or (latest is not None and month <= latest):
        return
    reached = f"的数据截至 {latest} 月" if latest is not None else "中没有可确定月份的数据"
    raise UsageError(f"{year} 年台账{reached}，1—{month} 月的数据不完整；如确需计算，请加 --force（报告：-p force=true）")


def peers_for_period(peers: pd.DataFrame, period: Period) -> pd.DataFrame:
    """The 全省对比 rows of ``period``: ``截至月份`` = its last month for January..M (blank = the whole year).

    >>> peers = pd.DataFrame({"city": ["南昌市", "南昌市"], "value": [9.0, 4.0],
    ...                       "through_month": pd.array([pd.NA, 6], dtype="Int64")})
    >>> peers_for_period(peers, Period.year_to_date(2023, 6))["value"].tolist()
    [4.0]
    >>> peers_for_period(peers, Period.whole_year(2023))["value"].tolist()
    [9.0]
    """
    if period.first_month != 1:  # the province publishes cumulative figures from January only
        return peers.iloc[0:0]
    return peers_through_month(peers, period.last_month)


def peers_through_month(peers: pd.DataFrame, month: int = 12) -> pd.DataFrame:
    """The 全省对比 rows of January..``month`` (12: the whole-year rows, whose 截至月份 is blank or 12)."""
    if "through_month" not in peers.columns:
        return peers if month == 12 else peers.iloc[0:0]
    months = peers["through_month"].astype("Int64").fillna(12)
    return peers[(months == month).astype(bool)]
