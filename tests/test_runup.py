"""The Greenwood-Shleifer-You run-up check: arithmetic, the crash table, located CSV errors."""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path

import pytest

from thesis.engine.runup import CRASH_BY_NET_RUN_UP, run_up
from thesis.errors import InputError
from thesis.files.load import load_market
from thesis.files.prices import read_csv
from thesis.models.market import PricePoint


def closes(*rows: tuple[str, float, float | None]) -> list[PricePoint]:
    return [PricePoint(date=date.fromisoformat(d), price=p, market=m) for d, p, m in rows]


def test_a_two_year_run_up_raw_and_net_of_market() -> None:
    result = run_up(closes(("2018-01-01", 100, 100), ("2019-01-01", 180, 115),
                           ("2020-01-01", 250, 130)), date(2020, 6, 1))
    assert (str(result.start), str(result.end)) == ("2018-01-01", "2020-01-01")
    assert result.raw == pytest.approx(1.5)
    assert result.market == pytest.approx(0.3)
    assert result.net == pytest.approx(1.2)
    assert result.exceeds_threshold
    assert result.crash_probability == 0.53  # GSY: net run-up of 100%+ -> 53%
    assert not result.interpolated


def test_an_unobserved_start_is_interpolated_log_linearly() -> None:
    result = run_up(closes(("2017-01-01", 100, None), ("2019-01-01", 400, None),
                           ("2020-01-01", 500, None)), date(2020, 1, 1))
    start = 100 * 4 ** (365 / 730)  # 2018-01-01 is halfway (in days) from 2017 to 2019
    assert result.raw == pytest.approx(500 / start - 1)
    assert result.net is None and result.crash_probability is None
    assert result.interpolated


@pytest.mark.parametrize(("net", "probability"), [
    (0.49, None), (0.5, 0.20), (0.99, 0.20), (1.0, 0.53), (1.49, 0.53), (1.5, 0.80), (4.0, 0.80)])
def test_crash_probability_follows_the_gsy_table(net: float, probability: float | None) -> None:
    market = 1.0
    rows = closes(("2018-01-01", 100, 100), ("2020-01-01", 100 * (1 + market + net), 200))
    assert run_up(rows, date(2020, 1, 1)).crash_probability == probability


def test_the_table_is_monotone() -> None:
    probabilities = [p for _, p in CRASH_BY_NET_RUN_UP]
    thresholds = [x for x, _ in CRASH_BY_NET_RUN_UP]
    assert probabilities == sorted(probabilities) and thresholds == sorted(thresholds)


def test_a_series_too_short_for_two_years_is_a_located_error(write) -> None:
    path = write("name: M\nas_of: 2020-01-01\nprices:\n  series:\n"
                 "    - {date: 2019-01-01, price: 1}\n    - {date: 2020-01-01, price: 2}\n",
                 "market.yaml")
    with pytest.raises(InputError) as info:
        load_market(path)  # checked at load, so `thesis validate` says so too
    [problem] = info.value.problems
    assert problem.file == str(path) and problem.line == 3 and "2018-01-01" in problem.message


def test_series_must_be_increasing_and_consistent(write) -> None:
    path = write("name: M\nas_of: 2020-01-01\nprices:\n  series:\n"
                 "    - {date: 2019-01-01, price: 1, market: 1}\n"
                 "    - {date: 2018-01-01, price: 2, market: 1}\n", "market.yaml")
    with pytest.raises(InputError) as info:
        load_market(path)
    assert info.value.problems[0].line == 4  # at prices.series
    assert "strictly increasing" in info.value.problems[0].message


def test_every_bad_csv_row_is_reported_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text("date,price,market\n2020-01-01,100,100\n2020-02-01,-5,100\n"
                    "2020-03-01,100\n\n2019-12-01,90,90\n")
    with pytest.raises(InputError) as info:
        read_csv(path)
    found = {(p.line, p.message) for p in info.value.problems}
    assert (3, "price: must be a positive number") in found
    assert (4, "expected 3 columns, got 2") in found
    assert (6, "dates must be strictly increasing") in found
    assert all(p.file == str(path) for p in info.value.problems)


def test_a_bad_header_and_a_missing_csv(write) -> None:
    bad = write("day,close\n2020-01-01,1\n", "p.csv")
    with pytest.raises(InputError, match="header must be date,price"):
        read_csv(bad)
    path = write("name: M\nas_of: 2020-01-01\nprices:\n  csv: nowhere.csv\n", "market.yaml")
    with pytest.raises(InputError) as info:
        load_market(path)
    [problem] = info.value.problems
    assert (problem.file, problem.line, problem.field) == (str(path), 4, "prices.csv")


def test_the_dotcom_run_up_from_its_csv() -> None:
    from tests.conftest import EXAMPLES

    path = EXAMPLES / "markets" / "dotcom-2000.yaml"
    market = load_market(path)
    assert market.origin is not None
    result = run_up(market.origin.links["closes"], date(2000, 3, 10))
    nasdaq_start = 1570.35 * (1835.68 / 1570.35) ** (69 / 90)  # 1998-03-10, log-linear
    assert result.raw == pytest.approx(5048.62 / nasdaq_start - 1)
    assert result.raw > 1.0 and math.isclose(result.crash_probability or 0, 0.80)


def test_a_binary_price_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_bytes(b"date,price\n\x00\x01")
    with pytest.raises(InputError, match="binary file"):
        read_csv(path)
