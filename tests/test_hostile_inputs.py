"""The hostile-input corpus (tests/data/hostile) through every input path: a clear message, nothing stored changed.

- estates registers: the reader behind the Hubs & estates upload (:func:`locality.sources.estates.read_register`);
- travel matrices: ``python -m locality sites --matrix FILE`` (the page reads them with the same reader);
- scenario files: ``python -m locality scenarios import FILE`` (the page checks them with the same functions).

Each case says whether the file must be refused (the message names the file and the row, column or field),
read with a note or warning, or read as valid.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest

from locality import cli, store
from locality.errors import RegisterError
from locality.sources import estates
from locality.store import userdata
from tests.data.hostile.make_corpus import HERE, Case, all_cases, write_corpus

CASES = all_cases(None)  # the cases needing a store (matrices) are added in the matrix test's fixture
REGISTER_CASES = [c for c in CASES if c.kind == "register"]
SCENARIO_CASES = [c for c in CASES if c.kind == "scenario"]


def _ids(cases):
    return [c.name for c in cases]


@pytest.fixture()
def user_db(tmp_path, monkeypatch):
    """A user database already holding a register and a scenario, so "nothing changed" means something."""
    monkeypatch.setenv("LOCALITY_USER_DB", str(tmp_path / "user.duckdb"))
    return tmp_path / "user.duckdb"


def _stored() -> str:
    """A digest of everything the user database holds (registers, their sites, scenarios)."""
    regs = userdata.registers()
    parts = [regs.drop(columns=["saved_at"]).to_json()]
    parts += [userdata.load_register(r).to_json() for r in regs["register"]]
    sc = userdata.scenarios()
    parts += [json.dumps(userdata.load_scenario(n), sort_keys=True) for n in sc["name"]]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


@pytest.fixture()
def seeded(small_store, user_db):
    con = store.connect(small_store)
    good = next(c for c in REGISTER_CASES if c.name == "good.csv")
    userdata.save_register("kept", estates.read_register(good.data, good.name, con), good.name, good.data)
    userdata.save_scenario({"format": "locality-planner-scenario", "version": 1, "name": "kept", "area": "U2G6B",
                            "description": "", "grouping": {"floor": 30000, "ceiling": 50000}})
    yield con
    con.close()


def _check_outcome(case: Case, message: str, notes: list[str]) -> None:
    if case.outcome == "error":
        assert case.name in message, f"the message does not name the file: {message}"
        assert re.search(case.expect, message), f"{case.name}: {message!r} does not match {case.expect!r}"
        assert "Traceback" not in message and "\n" not in message.strip()
    elif case.outcome == "warning":
        assert not message, message
        assert any(re.search(case.expect, n) for n in notes), f"{case.name}: no note matching {case.expect!r} in {notes}"
    else:
        assert not message, message


@pytest.mark.parametrize("case", REGISTER_CASES, ids=_ids(REGISTER_CASES))
def test_register_upload(case, seeded):
    before = _stored()
    message, notes = "", []
    try:
        frame = estates.read_register(case.data, case.name, seeded)
        notes = frame.attrs.get("notes", []) + frame.attrs.get("warnings", [])
    except RegisterError as exc:
        message = str(exc)
        assert exc.problems and all(p.column for p in exc.problems)
    _check_outcome(case, message, notes)
    if case.outcome != "error":
        assert len(frame) >= 3 and frame["site_id"].is_unique
        if case.name == "iso_slash_date.csv":
            assert str(frame["lease_end"].iloc[0].date()) == "2031-03-04"  # year first is never day-first
        if case.name == "two_sheets.xlsx":
            assert len(frame) == 3
        if case.name in ("script_names.csv", "sql_like.csv"):
            assert frame["site_id"].iloc[0].startswith(("<script>", "S1'"))  # kept as text
    assert _stored() == before


def _cli(capsys, *args) -> tuple[int, str, str]:
    code = cli.main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err.strip()


@pytest.fixture(scope="module")
def matrix_corpus(tmp_path_factory, small_store):
    con = store.connect(small_store)
    dest = tmp_path_factory.mktemp("corpus")
    cases = [c for c in write_corpus(dest, con) if c.kind in ("matrix", "scenario")]
    con.close()
    return dest, cases


MATRIX_NAMES = ["good.csv", "semicolons.csv", "duplicate_pair.csv", "inf_minutes.csv", "nan_minutes.csv",
                "negative_minutes.csv", "a_week.csv", "text_minutes.csv", "unknown_lsoa.csv", "lsoa2011_code.csv",
                "unknown_site.csv", "missing_pairs.csv", "missing_column.csv", "duplicate_header.csv",
                "blank_minutes.csv", "empty.csv", "binary.csv", "oversize.csv"]


@pytest.mark.parametrize("name", MATRIX_NAMES)
def test_matrix_on_the_command_line(name, matrix_corpus, seeded, small_store, capsys):
    dest, cases = matrix_corpus
    case = next(c for c in cases if c.kind == "matrix" and c.name == name)
    before = _stored()
    code, out, err = _cli(capsys, "sites", "--practices", "K81010,K81028,K81076,K81655", "--keep", "1",
                          "--matrix", str(dest / "matrix" / name), "--store", str(small_store), "--json")
    if case.outcome == "error":
        assert code == 2 and not out, (code, out, err)
        _check_outcome(case, err.removeprefix("error: "), [])
    else:
        assert code == 0, err
        assert json.loads(out)["options"][0]["mean_travel_min"] > 0
    assert _stored() == before


ALL_SCENARIO_NAMES = [*_ids(SCENARIO_CASES), "good_with_matrix.json", "matrix_negative.json", "matrix_infinite.json",
                      "matrix_text.json", "matrix_duplicates.json", "matrix_unknown_lsoa.json"]


@pytest.mark.parametrize("name", ALL_SCENARIO_NAMES)
def test_scenario_import_on_the_command_line(name, matrix_corpus, seeded, small_store, capsys):
    dest, cases = matrix_corpus
    case = next(c for c in cases if c.kind == "scenario" and c.name == name)
    before = _stored()
    code, out, err = _cli(capsys, "scenarios", "import", str(dest / "scenario" / name), "--store", str(small_store))
    if case.outcome == "error":
        assert code == 2, (code, out, err)
        _check_outcome(case, err.removeprefix("error: "), [])
        assert _stored() == before
    else:
        assert code in (0, 1) and "Saved as" in out, (code, out, err)
        saved = userdata.load_scenario(json.loads(case.data)["name"])
        assert saved["name"] == json.loads(case.data)["name"]  # hostile text saved as the text it is
        assert _stored() != before


def test_the_committed_text_files_are_the_corpus():
    """tests/data/hostile/<kind>/ holds what make_corpus.py writes (without a store: registers and scenarios)."""
    for c in all_cases(None, binary=False):
        assert (HERE / c.kind / c.name).read_bytes() == c.data, f"run python {HERE / 'make_corpus.py'}"


def test_missing_files_on_the_command_line(small_store, tmp_path, capsys, user_db):
    code, _, err = _cli(capsys, "scenarios", "import", str(tmp_path / "nope.json"), "--store", str(small_store))
    assert code == 2 and err == f"error: {tmp_path / 'nope.json'}: file not found"
    code, _, err = _cli(capsys, "sites", "--practices", "K81010", "--matrix", str(tmp_path / "m.csv"),
                        "--store", str(small_store))
    assert code == 2 and err == f"error: {tmp_path / 'm.csv'}: file not found"
    code, _, err = _cli(capsys, "scenarios", "import", str(tmp_path), "--store", str(small_store))
    assert code == 2 and "is a folder" in err


def test_corpus_counts():
    """The corpus covers every input path with refusals, warnings and valid hostile files."""
    by = {}
    for c in CASES:
        by.setdefault((c.kind, c.outcome), 0)
        by[(c.kind, c.outcome)] += 1
    assert by[("register", "error")] >= 30 and by[("register", "warning")] >= 5 and by[("scenario", "error")] >= 20
    assert Path(HERE / "make_corpus.py").is_file()
