"""Tests of the synthetic sample generator (helpers.sample).

The indicator definitions below are an independent, test-side implementation of
docs/domain.md §3 over the truth tables; the published figures come from the project's
own copy data/published/jiujiang.yaml.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import pytest
import yaml

from helpers.reference import load_reference
from helpers.sample.generate import build_sample_tables, write_sample

ROOT = Path(__file__).resolve().parents[1]
REF = ROOT / "data" / "reference"
PUBLISHED = yaml.safe_load((ROOT / "data" / "published" / "jiujiang.yaml").read_text(encoding="utf-8"))

OUTSIDE = {"省内市外", "省外"}


def _yi(wan: float) -> float:
    return round(wan / 10000, 2)


def _in_year(s: pd.Series, y: int) -> pd.Series:
    return s.dt.year.eq(y).fillna(False).astype(bool)


def _between(s: pd.Series, a: str, b: str) -> pd.Series:
    return s.between(pd.Timestamp(a), pd.Timestamp(b)).fillna(False).astype(bool)


def compute_figures(t: dict[str, pd.DataFrame], y: int, prev: dict[str, pd.DataFrame] | None = None) -> dict:
    """Every indicator of docs/domain.md §3 (amounts in 亿元, 2 decimals) as a nested dict."""
    p = t["projects"]
    emerging = set(pd.read_csv(REF / "industries.csv").query("emerging == True")["name"])
    T, F = p["total_investment"], p["funds_year"]
    rec_y, sig_y, start_y = _in_year(p["recognized_on"], y), _in_year(p["signed_on"], y), _in_year(p["started_on"], y)
    out: dict = {}

    def proj_set(srcs):
        m = p["source"].isin(srcs) & (T >= 2000) & (F > 0)
        return {"count": int(m.sum()), "funds": _yi(F[m].sum())}

    def new_set(srcs):
        m = p["source"].isin(srcs) & (T >= 10000) & rec_y
        return m, {"count": int(m.sum()), "funds": _yi(F[m].sum())}

    out["outside_city_projects"] = proj_set(OUTSIDE)
    out["outside_province_projects"] = proj_set({"省外"})
    out["outside_city_new_100m"] = new_set(OUTSIDE)[1]
    bo_mask, out["outside_province_new_100m"] = new_set({"省外"})
    ft = p[_in_year(p["fifty_twenty_applied_on"], y)]
    out["fifty_twenty_applied"] = {
        "count": len(ft), "total_investment": _yi(ft["total_investment"].sum()),
        "tier_100": int((ft["total_investment"] >= 1_000_000).sum()),
        "tier_50": int(ft["total_investment"].between(500_000, 999_999.99).sum()),
        "tier_20": int(ft["total_investment"].between(200_000, 499_999.99).sum()),
        "average": ft["total_investment"].mean() if len(ft) else None,
        "flagged_investors": int(ft["investor_flags"].notna().sum()),
        "digital": int(ft["is_digital"].sum()),
    }
    tr = t["trips"]
    tr_y = tr[_in_year(tr["departed_on"], y)]
    out["team_trips"] = {"count": int((tr_y["unit_kind"] == "产业链招商小分队").sum())}
    ld = t["leads"]
    signed = ld[ld["progress"] == "已签约"]
    out["team_leads"] = {
        "count": len(ld), "planned_20b_plus": int((ld["planned_investment"] >= 200_000).sum()),
        "signed": len(signed), "signed_20b_plus": int((signed["signed_amount"] >= 200_000).sum()),
        "signed_amount": _yi(signed["signed_amount"].sum()),
    }
    princ = tr_y[tr_y["is_principal"]]
    city = princ[princ["unit_kind"] == "市直单位"]
    out["principal_trips"] = {"city_unit_count": len(city), "city_units": city["unit"].nunique(),
                              "county_count": int((princ["unit_kind"] == "县（市、区）").sum())}
    ev = {}
    for name, g in p[sig_y & p["event"].notna()].groupby("event"):
        ev[name] = {"count": len(g), "total_investment": _yi(g["total_investment"].sum())}
    out["event_signings"] = ev
    ns = p[rec_y & start_y & (T >= 10000)]
    out["new_started_100m"] = {"count": len(ns), "over_10b": int((ns["total_investment"] >= 100_000).sum()),
                               "over_30b": int((ns["total_investment"] >= 300_000).sum())}
    bo = p[bo_mask]
    n_em = int(bo["industry"].isin(emerging).sum())
    out["emerging_share"] = {"count": n_em, "share": 100 * n_em / len(bo) if len(bo) else None}
    out["signed_100m"] = {"count": int((sig_y & (T >= 10000)).sum()), "total_investment": _yi(T[sig_y & (T >= 10000)].sum())}
    out["foreign_funds"] = {"funds": _yi(F[p["source"] == "境外"].sum())}
    camp = pd.read_csv(REF / "campaigns.csv")
    camp = camp[camp["year"] == y]
    if len(camp):
        a, b = camp.iloc[0]["start"], camp.iloc[0]["end"]
        end = pd.Timestamp(b)
        big = p[p["total_investment"] >= 200_000]

        def tier(df):
            return {"tier_100": int((df["total_investment"] >= 1_000_000).sum()),
                    "tier_50": int(df["total_investment"].between(500_000, 999_999.99).sum()),
                    "tier_20": int(df["total_investment"].between(200_000, 499_999.99).sum())}

        applied = big[_between(big["fifty_twenty_applied_on"], a, b)]
        sw = big[_between(big["signed_on"], a, b)]
        prod = big[_between(big["producing_on"], a, b)]
        live = big["status"] != "已终止"
        talks = big[(big["entered_on"] <= end) & (big["signed_on"].isna() | (big["signed_on"] > end)) & live]
        sns = big[(big["signed_on"] <= end) & (big["started_on"].isna() | (big["started_on"] > end)) & live]
        by_county = {}
        for c, g in sw.groupby("county"):
            tt = tier(g)
            by_county[c] = {"signed": len(g), "signed_tier_100": tt["tier_100"], "signed_tier_50": tt["tier_50"],
                            "signed_tier_20": tt["tier_20"], "signed_emerging": int(g["industry"].isin(emerging).sum()),
                            "signed_digital": int(g["is_digital"].sum())}
        out["campaign"] = {
            "applied": len(applied), "applied_tier_100": tier(applied)["tier_100"], "signed": len(sw),
            "producing": len(prod), "in_talks_at_end": len(talks),
            "signed_not_started_at_end": {k: v for k, v in tier(sns).items() if k != "tier_20"},
            "in_talks_at_end_by_tier": {k: v for k, v in tier(talks).items() if k != "tier_20"},
            "by_county": by_county,
        }
    cm = t["chain_map"]
    out["chain_completeness"] = {}
    for (c, ch), g in cm.groupby(["county", "chain"]):
        out["chain_completeness"].setdefault(c, {})[ch] = {
            "present": int(g["present"].sum()), "listed": len(g), "links": g["link"].nunique(),
            "pct": round(100 * g["present"].sum() / len(g), 2)}
    if prev is not None:
        pf = compute_figures(prev, y - 1)
        out["outside_province_projects"]["funds_yoy_pct"] = round(
            100 * (out["outside_province_projects"]["funds"] / pf["outside_province_projects"]["funds"] - 1), 2)
        out["principal_trips"]["county_count_yoy_change"] = (out["principal_trips"]["county_count"]
                                                             - pf["principal_trips"]["county_count"])
        out["new_started_100m"]["count_yoy_change"] = out["new_started_100m"]["count"] - pf["new_started_100m"]["count"]
        out["fifty_twenty_applied"]["average_yoy_pct"] = 100 * (
            out["fifty_twenty_applied"]["average"] / pf["fifty_twenty_applied"]["average"] - 1)
        out["emerging_share"]["share_change_pp"] = out["emerging_share"]["share"] - pf["emerging_share"]["share"]
    # province ranks (ties share the smaller rank); the city's own value comes from the ledger
    peers = t["province_peers"]
    names = {"outside_province_projects": ("省外2000万元以上项目个数", "省外2000万元以上项目实际进资"),
             "outside_province_new_100m": ("新认定省外亿元以上项目个数", "新认定省外亿元以上项目实际进资")}
    for key, (n_count, n_funds) in names.items():
        for field, ind in (("count", n_count), ("funds", n_funds)):
            own = out[key][field] if field == "count" else out[key][field] * 10000
            others = peers[(peers["indicator"] == ind) & (peers["city"] != "九江市")]["value"]
            out[key][f"{field}_rank"] = int((others > own + 1e-6).sum()) + 1
    return out


def _get(d: dict, path: list[str]):
    for k in path:
        d = d[k]
    return d


def _check_published(fig: dict, pub: dict, path=()) -> list[str]:
    errors = []
    for k, v in pub.items():
        if k == "sums":
            for s in v:
                total = round(sum(_get(fig, x.split("/")) for x in s["paths"]), 2)
                if total != s["equals"]:
                    errors.append(f"sum {s['paths']}: {total} != {s['equals']}")
            continue
        if isinstance(v, dict):
            if k not in fig:
                errors.append(f"missing {'/'.join(path + (k,))}")
                continue
            errors += _check_published(fig[k], v, path + (k,))
        elif k.endswith("_rounded"):
            base = k[: -len("_rounded")]
            got = fig.get(base)
            if got is None or round(got) != v:
                errors.append(f"{'/'.join(path + (k,))}: {got} !~ {v}")
        else:
            got = fig.get(k)
            if got != v:
                errors.append(f"{'/'.join(path + (k,))}: {got} != {v}")
    return errors


@pytest.fixture(scope="module")
def truth() -> dict[int, dict[str, pd.DataFrame]]:
    return {y: build_sample_tables(y) for y in (2020, 2021, 2022, 2023)}


def test_published_2022_figures_exact(truth):
    fig = compute_figures(truth[2022], 2022, truth[2021])
    assert _check_published(fig, PUBLISHED["years"][2022]) == []


def test_implied_2021_figures_exact(truth):
    fig = compute_figures(truth[2021], 2021)
    assert _check_published(fig, PUBLISHED["years"][2021]) == []


def test_sample_facts_2022(truth):
    p = truth[2022]["projects"].set_index("name")
    f = {x["project"]: x for x in PUBLISHED["sample_facts_2022"] if "project" in x}
    for name, fact in f.items():
        row = p.loc[name]
        if "county" in fact:
            assert row["county"] == fact["county"], name
        if "channel" in fact:
            assert row["channel"] == fact["channel"], name
        if "note" in fact:
            assert fact["note"] in (row["notes"] or ""), name
        if "total_investment" in fact:
            assert row["total_investment"] == fact["total_investment"] * 10000, name
        if "total_investment_at_least" in fact:
            assert row["total_investment"] >= fact["total_investment_at_least"] * 10000, name
        if "fifty_twenty_tier" in fact:
            assert row["fifty_twenty_applied_on"].year == 2022 and row["total_investment"] >= 1_000_000
        if "source" in fact:
            assert row["source"] == fact["source"]
        if "recognized_in" in fact:
            assert row["recognized_on"].year == fact["recognized_in"]
        if "chain" in fact:
            assert row["chain"] == fact["chain"]
        if fact.get("signed_and_producing_same_year"):
            assert row["signed_on"].year == row["producing_on"].year == 2022
    q = truth[2022]["projects"]
    sil = q[(q["county"] == "永修县") & (q["chain"] == "有机硅") & (q["signed_on"].dt.year == 2022)]
    assert len(sil) == 11 and sil["total_investment"].sum() == 1_191_100


@pytest.mark.parametrize("year", [2020, 2021, 2022, 2023])
def test_internal_consistency(truth, year):
    t = truth[year]
    p = t["projects"]
    units = set(pd.read_csv(REF / "units.csv")["name"])
    inds = set(pd.read_csv(REF / "industries.csv")["name"])
    chains = set(pd.read_csv(REF / "chains.csv")["name"])
    events = set(pd.read_csv(REF / "events.csv")["name"])
    cats = yaml.safe_load((REF / "categories.yaml").read_text(encoding="utf-8"))
    assert p["project_id"].is_unique
    assert set(p["county"]) <= units
    assert set(p["industry"]) <= inds
    assert set(p["chain"].dropna()) <= chains
    assert set(p["event"].dropna()) <= events
    assert set(p["source"]) <= set(cats["source"])
    assert set(p["status"]) <= set(cats["status"])
    assert set(p["channel"]) <= set(cats["channel"])
    order = list(cats["investor_flag"])
    for f in p["investor_flags"].dropna():
        parts = f.split("、")
        assert parts == sorted(parts, key=order.index) and set(parts) <= set(order)
    for a, b in [("entered_on", "signed_on"), ("signed_on", "started_on"), ("started_on", "producing_on"),
                 ("signed_on", "recognized_on"), ("signed_on", "fifty_twenty_applied_on")]:
        both = p[a].notna() & p[b].notna()
        assert (p.loc[both, a] <= p.loc[both, b]).all(), (a, b)
    for c in ["signed_on", "started_on", "producing_on", "recognized_on", "entered_on"]:
        assert (p[c].dropna().dt.year <= year).all(), c
    live = p["status"] != "已终止"
    st = p[live]
    assert (st["status"].eq("已投产") == st["producing_on"].notna()).all()
    assert (st["status"].eq("已开工") == (st["started_on"].notna() & st["producing_on"].isna())).all()
    assert (st["status"].eq("已签约") == (st["signed_on"].notna() & st["started_on"].isna())).all()
    assert (st["status"].eq("在谈") == st["signed_on"].isna()).all()
    assert (p["funds_year"] <= p["total_investment"]).all()
    assert (p["total_investment"] == p["total_investment"].round()).all()
    m = t["monthly_funds"]
    sums = m.groupby("project_id")["funds"].sum()
    assert (sums == p.set_index("project_id").loc[sums.index, "funds_year"]).all()
    assert m["month"].between(1, 12).all() and (m["funds"] > 0).all()
    funded = p[(p["funds_year"] > 0) & p["project_id"].isin(set(m["project_id"]))]
    assert not m.duplicated(["project_id", "month"]).any() and len(funded) == m["project_id"].nunique()
    tr = t["trips"]
    assert tr["departed_on"].notna().all() and set(tr["unit_kind"]) <= set(cats["unit_kind"])
    assert not tr.duplicated(["departed_on", "unit", "leader", "destination"]).any()
    ld = t["leads"]
    assert ld["lead_id"].is_unique
    assert set(ld["project_id"].dropna()) <= set(p["project_id"])
    pr = t["province_peers"]
    assert (pr["city"] == "九江市").sum() == 1

    target_names = {spec.name for spec in load_reference(REF).target_indicators()}
    tg = t["targets"]
    units_rows = tg[tg["county"] != "九江市"]
    # every reporting unit has a target for every target indicator; the city gives its own for one
    assert set(tg["indicator"]) == target_names and len(units_rows) == len(target_names) * len(units)
    assert set(units_rows["county"]) == units and (tg["county"] == "九江市").sum() == 1
    assert (tg["target"] == 0).sum() == 1  # one planted zero target (a data-quality warning)


def test_text_columns_use_none(truth):
    p = truth[2022]["projects"]
    assert p["chain"].dtype == object and any(v is None for v in p["chain"])
    assert str(p["signed_on"].dtype).startswith("datetime64")


def test_build_is_deterministic():
    a, b = build_sample_tables(2022), build_sample_tables(2022)
    for k in a:
        pd.testing.assert_frame_equal(a[k], b[k])


def _digest(folder: Path) -> dict[str, str]:
    return {str(f.relative_to(folder)): hashlib.sha256(f.read_bytes()).hexdigest() for f in sorted(folder.rglob("*.xlsx"))}


def test_write_is_byte_deterministic(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    pa = write_sample(a, years=[2022])
    write_sample(b, years=[2022])
    assert len(pa) >= 3
    assert _digest(a) == _digest(b)
    for f in pa:
        assert f.stat().st_size < 1_000_000


def test_messy_cells_parse_back():
    """Every amount/date style the writer uses parses back exactly (with the kit's parsers)."""
    parsers = pytest.importorskip("helpers.ingest.cells")
    import datetime as dt
    import random

    from helpers.sample.writer import cn_amount, messy_amount, messy_date

    rng = random.Random(1)
    for wan in (25000, 20000, 12345, 1_000_000, 2_150_000, 3000, 987_600):
        for unit in ("万元", "亿元"):
            for style in range(8):
                cell = messy_amount(wan, unit, rng, style)
                got = parsers.parse_amount(cell, unit)
                assert round(got, 6) == wan, (wan, unit, style, cell, got)
    assert cn_amount(25000) == "贰亿伍仟万" and cn_amount(20000) == "两亿"
    for d in (dt.date(2022, 3, 5), dt.date(2022, 3, 1), dt.date(2021, 12, 31)):
        for style in ("excel", "serial", "iso", "slash", "dot", "cn", "compact", "month_cn", "month_iso"):
            got = parsers.parse_date(messy_date(d, rng, style))
            assert got.value == d, (d, style)


@pytest.mark.parametrize("year", [2020, 2021, 2022, 2023])
def test_cleaner_reproduces_truth(tmp_path, year):
    """Cleaning the written workbooks gives exactly the truth tables, and the planted bad rows are quarantined."""
    from helpers.ingest.clean import clean_year

    write_sample(tmp_path, years=[year])
    clean = clean_year(tmp_path / "raw" / str(year), year, load_reference(REF))
    truth = build_sample_tables(year)
    keys = {"projects": ["project_id"], "monthly_funds": ["project_id", "month"], "leads": ["lead_id"],
            "trips": ["departed_on", "unit", "leader", "destination"], "chain_map": ["county", "chain", "link", "item"],
            "province_peers": ["city", "indicator", "through_month"], "targets": ["county", "indicator"]}
    def norm(df: pd.DataFrame) -> pd.DataFrame:
        df = df.copy()
        for col in df.columns:
            if pd.api.types.is_bool_dtype(df[col]):  # a blank yes/no cell means 否
                df[col] = df[col].astype("boolean").fillna(False).astype(bool)
            elif not (pd.api.types.is_numeric_dtype(df[col]) or pd.api.types.is_datetime64_any_dtype(df[col])):
                df[col] = df[col].astype(object).where(df[col].notna(), None)
            elif pd.api.types.is_numeric_dtype(df[col]) and not pd.api.types.is_bool_dtype(df[col]):
                df[col] = df[col].astype(float)
        return df

    for name, key in keys.items():
        t = norm(truth[name].sort_values(key).reset_index(drop=True))
        c = norm(clean.tables[name][list(truth[name].columns)].sort_values(key).reset_index(drop=True))
        pd.testing.assert_frame_equal(t, c, check_dtype=False, check_exact=False, rtol=0, atol=1e-6, obj=name)
    q = clean.quarantine
    assert len(q[q["table"] == "projects"]) == 6
    assert len(q[q["table"] == "trips"]) == 1 and len(q[q["table"] == "leads"]) == (1 if year >= 2022 else 0)


@pytest.mark.parametrize("year", [2020, 2021, 2022, 2023])
def test_committed_workbooks_are_the_generator_output(tmp_path, year):
    """data/raw/<year>/ is exactly what `zhaoshang sample` writes: regenerate and compare the cleaned tables."""
    from helpers.ingest.clean import OUTPUT_TABLES, clean_year

    reference = load_reference(REF)
    write_sample(tmp_path, years=[year])
    committed_folder = REF.parent / "raw" / str(year)
    regenerated = clean_year(tmp_path / "raw" / str(year), year, reference)
    committed = clean_year(committed_folder, year, reference)
    assert sorted(p.name for p in committed_folder.glob("*.xlsx")) == sorted(p.name for p in (tmp_path / "raw" / str(year)).glob("*.xlsx"))
    for table in OUTPUT_TABLES:
        pd.testing.assert_frame_equal(regenerated.tables[table], committed.tables[table], obj=table)
    pd.testing.assert_frame_equal(regenerated.quarantine, committed.quarantine)
    pd.testing.assert_frame_equal(regenerated.warnings, committed.warnings)
    assert regenerated.counts() == committed.counts()
    # byte for byte too (with the locked versions), so `zhaoshang sample` on the shipped data
    # finds nothing to overwrite and the input hashes in the stored notebooks stay valid
    for path in sorted(committed_folder.glob("*.xlsx")):
        assert path.read_bytes() == (tmp_path / "raw" / str(year) / path.name).read_bytes(), path.name


def test_scale_multiplies_the_ledger_in_the_same_format(tmp_path):
    """--scale N: about N times the trips and leads, and the projects (the pinned 50·20 set stays),
    written in the same messy format and cleaned without loss."""
    from helpers.ingest.clean import clean_year

    base, scaled = build_sample_tables(2022), build_sample_tables(2022, scale=3)
    for table in ("trips", "leads"):  # the published subsets scale exactly; a few filler rows are rounded
        assert abs(len(scaled[table]) - 3 * len(base[table])) <= 0.01 * 3 * len(base[table]), table
    assert 2.5 * len(base["projects"]) < len(scaled["projects"]) <= 3 * len(base["projects"])
    write_sample(tmp_path, years=[2022], scale=3)
    clean = clean_year(tmp_path / "raw" / "2022", 2022, load_reference(REF))
    assert len(clean.tables["projects"]) == len(scaled["projects"])
    for counts in clean.counts().values():
        assert counts["rows_read"] == sum(v for k, v in counts.items() if k != "rows_read")


def test_trips_end_when_a_day_has_every_destination_taken(monkeypatch):
    """At a large --scale a (day, unit, leader) can run out of destinations (a key of the trips
    ledger): the trip moves to the next day instead of drawing destinations for ever (the scale-400
    sample never finished). Here with one destination, so two trips of a leader on one day run out."""
    import signal

    from helpers.sample import vocab

    monkeypatch.setattr(vocab, "DESTINATIONS", vocab.DESTINATIONS[:1])

    def stuck(*_):
        raise AssertionError("the trips never finished")

    previous = signal.signal(signal.SIGALRM, stuck)
    signal.alarm(30)
    try:
        trips = build_sample_tables(2022, scale=3)["trips"]
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert not trips.duplicated(["departed_on", "unit", "leader", "destination"]).any()
    assert trips["departed_on"].dt.year.eq(2022).all()


# --------------------------------------------------------------------------- never over what it did not write


def test_sample_never_overwrites_a_file_it_did_not_write(tmp_path, capsys):
    """A different file at a target stops the whole write (exit 2, naming it); identical files are left as
    they are; other files are never touched; --force replaces only the sample's own targets."""
    import os

    from helpers.cli.main import main

    written = write_sample(tmp_path, years=[2022])
    city, county = written[0], written[1]
    mine = tmp_path / "raw" / "2022" / "我的台账.xlsx"
    mine.write_bytes(b"mine")
    for path in written:
        os.utime(path, (1_000_000, 1_000_000))  # to see whether a file is written again
    county.write_bytes(b"edited by hand")
    os.utime(county, (1_000_000, 1_000_000))

    assert main(["sample", "--years", "2022", "--data-dir", str(tmp_path)]) == 2
    error = capsys.readouterr().err.strip()
    assert error == (f"错误：已有内容不同的文件，为免覆盖拒绝写入：{county}；"
                     "确认要用样例替换时加 --force，或指定其他 --data-dir")
    assert county.read_bytes() == b"edited by hand" and mine.read_bytes() == b"mine"
    assert {p: p.stat().st_mtime for p in written} == {p: 1_000_000 for p in written}  # nothing written

    assert main(["sample", "--years", "2022", "--data-dir", str(tmp_path), "--force"]) == 0
    assert capsys.readouterr().out.strip() == f"已写入 1 个样例工作簿到 {tmp_path / 'raw'}（3 个内容相同，未改动）"
    assert county.read_bytes() != b"edited by hand" and county.stat().st_mtime != 1_000_000
    assert city.stat().st_mtime == 1_000_000  # identical: left as it was
    assert mine.read_bytes() == b"mine"


def test_sample_refuses_a_folder_in_place_of_a_workbook(tmp_path):
    from helpers.errors import UsageError
    from helpers.sample.generate import write_sample_files

    target = tmp_path / "raw" / "2021" / "瑞昌市2021年招商项目台账.xlsx"
    target.mkdir(parents=True)
    with pytest.raises(UsageError, match="同名的文件夹"):
        write_sample_files(tmp_path, years=[2021], force=True)
    assert sorted(p.name for p in target.parent.iterdir()) == [target.name]


def test_sample_write_reports_what_it_did(tmp_path):
    from helpers.sample.generate import write_sample_files

    first = write_sample_files(tmp_path, years=[2021])
    assert sorted(first.values()) == ["new"] * 4
    again = write_sample_files(tmp_path, years=[2021])
    assert sorted(again.values()) == ["unchanged"] * 4 and list(again) == list(first)
