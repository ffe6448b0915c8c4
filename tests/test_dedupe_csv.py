"""The spreadsheet dedupe: CSV in, CSV out, no database, no Flask."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from crm.companies.dedupe_csv import run
from tests.shared_data import dev_set

CODE_A = "91350100M000100Y43"
CODE_B = "91441900MA4W1234K4"


def dedupe_text(tmp_path: Path, text: str | bytes, *, name: str = "in.csv") -> tuple[int, dict[str, str], str, list[str]]:
    src = tmp_path / name
    if isinstance(text, bytes):
        src.write_bytes(text)
    else:
        src.write_text(text, encoding="utf-8")
    out = tmp_path / "groups.csv"
    err = io.StringIO()
    status = run(str(src), str(out), err)
    groups: dict[str, str] = {}
    order: list[str] = []
    if out.exists():
        with out.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            assert reader.fieldnames == ["id", "group"]
            for row in reader:
                assert row["id"] not in groups, "every id exactly once"
                groups[row["id"]] = row["group"]
                order.append(row["id"])
    return status, groups, err.getvalue(), order


def test_groups_and_every_id_once(tmp_path: Path) -> None:
    status, groups, err, order = dedupe_text(
        tmp_path,
        "id,name,credit_code\n"
        "1,海威纺织有限公司,\n"
        "2,东莞市海威纺织有限公司,\n"
        "3,海威纺织（东莞）有限公司,\n"
        "4,海伟纺织,\n"
        "5,海威电子有限公司,\n"
        f"6,荣格集团,{CODE_A}\n"
        f"7,深圳市荣格实业有限公司,{CODE_A}\n",
    )
    assert status == 0
    assert order == ["1", "2", "3", "4", "5", "6", "7"]
    assert groups["1"] == groups["2"] == groups["3"] == groups["4"] == "1"
    assert groups["5"] == "5"
    assert groups["6"] == groups["7"] == "6"
    assert "7 ids in 3 groups" in err


def test_bom_and_extra_columns_and_column_order(tmp_path: Path) -> None:
    text = "\ufeffnote,Name, ID ,credit_code,联系人\nx,海威纺织,a,,张\ny,东莞海威纺织,b,,李\n"
    status, groups, _err, _ = dedupe_text(tmp_path, text.encode("utf-8"))
    assert status == 0
    assert groups == {"a": "a", "b": "a"}


def test_credit_code_column_is_optional(tmp_path: Path) -> None:
    status, groups, _err, _ = dedupe_text(tmp_path, "id,name\n1,海威纺织\n2,海伟纺织\n")
    assert status == 0 and groups == {"1": "1", "2": "1"}


def test_full_width_and_spaced_codes_are_normalised(tmp_path: Path) -> None:
    status, groups, err, _ = dedupe_text(
        tmp_path, f"id,name,credit_code\n1,甲公司,９１３５０１００Ｍ０００１００Ｙ４３\n2,乙公司, {CODE_A} \n"
    )
    assert status == 0 and groups["1"] == groups["2"] and "warning:" not in err


def test_empty_name_is_reported_and_kept_alone(tmp_path: Path) -> None:
    status, groups, err, _ = dedupe_text(tmp_path, f"id,name,credit_code\n1,海威纺织,{CODE_A}\n2,,{CODE_A}\n3,海威纺织,\n")
    assert status == 0
    assert groups["2"] == "2"
    assert groups["1"] == groups["3"] == "1"
    assert "line 3: id 2: empty name" in err


def test_invalid_code_is_reported_and_kept_alone(tmp_path: Path) -> None:
    status, groups, err, _ = dedupe_text(
        tmp_path,
        "id,name,credit_code\n"
        "1,海威纺织有限公司,\n"
        "2,海威纺织有限公司,91350100M000100Y44\n"  # wrong check character
        "3,海威纺织有限公司,91350100m000100y43\n"  # lower case
        "4,海威纺织有限公司,9135010\n",  # too short
    )
    assert status == 0
    assert groups == {"1": "1", "2": "2", "3": "3", "4": "4"}
    assert "line 3: id 2: invalid credit code" in err and "校验位错误，应为3" in err
    assert "line 4: id 3" in err and "应为大写" in err
    assert "line 5: id 4" in err and "应为18位，现为7位" in err


def test_different_valid_codes_never_share_a_group(tmp_path: Path) -> None:
    status, groups, _err, _ = dedupe_text(
        tmp_path, f"id,name,credit_code\n1,海威纺织有限公司,{CODE_A}\n2,海威纺织有限公司,{CODE_B}\n"
    )
    assert status == 0 and groups["1"] != groups["2"]


def test_duplicate_ids_are_reported_and_written_once(tmp_path: Path) -> None:
    status, groups, err, order = dedupe_text(tmp_path, "id,name\n1,海威纺织\n2,荣格集团\n1,荣格实业\n3,苏州荣格\n")
    assert status == 0
    assert order == ["1", "2", "3"]
    assert groups["1"] == groups["2"] == "1"
    assert "line 4: id 1 repeats line 2" in err


def test_blank_lines_quoted_newlines_and_empty_ids(tmp_path: Path) -> None:
    text = 'id,name\n1,海威纺织\n\n2,"海威\n纺织"\n,没有编号\n'
    status, groups, err, _ = dedupe_text(tmp_path, text)
    assert status == 0
    assert set(groups) == {"1", "2"}
    assert "line 6: empty id" in err


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty file"),
        ("名称,代码\n海威,1\n".encode(), "no id or name column"),
        (b"id,title\n1,x\n", "no name column"),
        ("id,name\n1,海威纺织\n".encode("gbk"), "not UTF-8"),
        (b"id,name\n1,\x00\x01\n", "NUL"),
    ],
)
def test_unreadable_input_exits_2_with_a_message(tmp_path: Path, content: bytes, message: str) -> None:
    status, groups, err, _ = dedupe_text(tmp_path, content)
    assert status == 2
    assert message in err and "Traceback" not in err
    assert not (tmp_path / "groups.csv").exists()


def test_missing_file_and_directory_exit_2(tmp_path: Path) -> None:
    err = io.StringIO()
    assert run(str(tmp_path / "nope.csv"), str(tmp_path / "out.csv"), err) == 2
    assert "no such file" in err.getvalue()
    err = io.StringIO()
    assert run(str(tmp_path), str(tmp_path / "out.csv"), err) == 2


def test_unwritable_output_exits_2(tmp_path: Path) -> None:
    src = tmp_path / "in.csv"
    src.write_text("id,name\n1,海威\n", encoding="utf-8")
    err = io.StringIO()
    assert run(str(src), str(tmp_path / "missing-dir" / "out.csv"), err) == 2
    assert "cannot write" in err.getvalue()


def test_the_dev_set_round_trip(tmp_path: Path) -> None:
    dev = dev_set()
    out = tmp_path / "groups.csv"
    assert run(str(dev), str(out), io.StringIO()) == 0
    with dev.open(encoding="utf-8-sig") as fh:
        ids = [r["id"] for r in csv.DictReader(fh)]
    with out.open(encoding="utf-8-sig") as fh:
        written = [r["id"] for r in csv.DictReader(fh)]
    assert written == ids
