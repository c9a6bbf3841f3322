"""The hostile-input corpus: malformed and hostile estates registers, travel matrices and scenario files.

Each case is a file and what must happen to it on its input path:

- ``error``: refused with a clear message naming the file and the pattern given (row, column or field);
- ``warning``: read, with a note or warning matching the pattern;
- ``valid``: read as what it says (hostile text stays text).

``python tests/data/hostile/make_corpus.py`` writes the text files into this folder (they are committed
for reading); the tests call :func:`write_corpus` into a temporary folder, which also makes the binary
(XLSX) and large files. Travel matrices need the store's LSOA codes, so they are written from a store.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ASCOT = ["K81010", "K81028", "K81076", "K81655"]
HEADER = ("site_id,site_name,postcode,easting,northing,practices,gia_m2,clinical_rooms,tenure,lease_end,condition,"
          "running_cost_gbp,must_keep,must_close")
ROWS = [
    "S1,Kings Corner Surgery,SL5 0AE,,,K81010,650,9,leasehold,2031-03-31,B,98000,no,no",
    "S2,Magnolia House,SL5 0QJ,,,K81028,720,11,freehold,,A,120000,,",
    "S3,Green Meadows and Ascot MC,SL5 7GB,,,K81076;K81655,1400,20,NHS Property Services,2029-12-31,C,210000,,",
]


@dataclass(frozen=True)
class Case:
    """One file of the corpus and what must happen to it."""

    kind: str  # "register", "matrix" or "scenario"
    name: str  # file name
    outcome: str  # "error", "warning" or "valid"
    expect: str  # a regular expression the message (or note) must match
    data: bytes = b""
    binary: bool = False  # generated, not committed (XLSX, large files)


def _csv(*rows: str, header: str = HEADER, sep: str = ",", nl: str = "\n") -> bytes:
    def line(text: str) -> str:
        if sep == ",":
            return text
        return sep.join(f'"{f}"' if sep in f else f for f in text.split(","))

    return (nl.join(line(ln) for ln in [header, *rows]) + nl).encode()


def _row(i: int, **change) -> str:
    cols = HEADER.split(",")
    vals = dict(zip(cols, ROWS[i].split(","), strict=True))
    vals.update({k: str(v) for k, v in change.items()})
    return ",".join(vals[c] for c in cols)


def register_cases() -> list[Case]:
    """Estates registers (CSV text), each with its expected outcome."""
    r = "register"
    cp1252 = _csv(_row(0, site_name="Caf\u00e9 Surgery \u2013 St John\u2019s"), *ROWS[1:]).decode().encode("cp1252")
    return [
        Case(r, "good.csv", "valid", "", _csv(*ROWS)),
        Case(r, "semicolons.csv", "warning", "separated by semicolons", _csv(*ROWS, sep=";")),
        Case(r, "tabs.csv", "warning", "separated by tabs", _csv(*ROWS, sep="\t")),
        Case(r, "title_row.csv", "warning", "header is on row 3",
             b"East Berkshire estates register,,,\nAs at July 2026\n" + _csv(*ROWS)),
        Case(r, "cp1252.csv", "warning", "read as Windows-1252", cp1252),
        Case(r, "not_text_encoding.csv", "error", r"row 2, column -: byte 0x81", _csv(*ROWS).replace(b"Kings", b"K\x81ngs")),
        Case(r, "crlf.csv", "valid", "", _csv(*ROWS, nl="\r\n")),
        Case(r, "duplicate_header.csv", "error", "column gia_m2: column appears twice",
             _csv(*[x + ",1" for x in ROWS], header=HEADER + ",gia_m2")),
        Case(r, "duplicate_header_case.csv", "error", "column site_id: column appears twice",
             _csv(*ROWS, header=HEADER.replace("site_name", "Site_ID"))),
        Case(r, "misspelt_column.csv", "error", "column gia m2: unknown column: did you mean 'gia_m2'",
             _csv(*ROWS, header=HEADER.replace("gia_m2", "gia m2"))),
        Case(r, "misspelt_required.csv", "error", "column practices: required column is missing",
             _csv(*ROWS, header=HEADER.replace("practices", "practises"))),
        Case(r, "extra_column.csv", "warning", "not in the template were not read: notes",
             _csv(*[x + ",call Jo" for x in ROWS], header=HEADER + ",notes")),
        Case(r, "iso_slash_date.csv", "valid", "", _csv(_row(0, lease_end="2031/03/04"), *ROWS[1:])),
        Case(r, "uk_date.csv", "warning", "day/month/year", _csv(_row(0, lease_end="04/03/2031"), *ROWS[1:])),
        Case(r, "us_date.csv", "error", "row 2, column lease_end: '12/31/2031' is not a date",
             _csv(_row(0, lease_end="12/31/2031"), *ROWS[1:])),
        Case(r, "date_far_future.csv", "error", "row 2, column lease_end: '9999-01-01' is not between",
             _csv(_row(0, lease_end="9999-01-01"), *ROWS[1:])),
        Case(r, "huge_area.csv", "error", "row 2, column gia_m2: '1000000000' is above",
             _csv(_row(0, gia_m2="1000000000"), *ROWS[1:])),
        Case(r, "huge_rooms.csv", "error", "row 3, column clinical_rooms: '1000000000000' is above",
             _csv(ROWS[0], _row(1, clinical_rooms="1000000000000"), ROWS[2])),
        Case(r, "huge_cost.csv", "error", "column running_cost_gbp: .* is above",
             _csv(_row(0, running_cost_gbp="9e12"), *ROWS[1:])),
        Case(r, "negative_area.csv", "error", "row 2, column gia_m2: '-650' is below 0",
             _csv(_row(0, gia_m2="-650"), *ROWS[1:])),
        Case(r, "nan_area.csv", "error", "row 2, column gia_m2: 'nan' is not a number",
             _csv(_row(0, gia_m2="nan"), *ROWS[1:])),
        Case(r, "inf_rooms.csv", "error", "row 2, column clinical_rooms: 'inf' is not a number",
             _csv(_row(0, clinical_rooms="inf"), *ROWS[1:])),
        Case(r, "fraction_rooms.csv", "error", "column clinical_rooms: '9.5' is not a whole number",
             _csv(_row(0, clinical_rooms="9.5"), *ROWS[1:])),
        Case(r, "formula_text.csv", "error", "row 2, column gia_m2: '=SUM\\(A1:A3\\)' is not a number",
             _csv(_row(0, gia_m2="=SUM(A1:A3)"), *ROWS[1:])),
        Case(r, "tenure_castle.csv", "error", "row 2, column tenure: 'castle' is not one of",
             _csv(_row(0, tenure="castle"), *ROWS[1:])),
        Case(r, "condition_z.csv", "error", "row 2, column condition: 'Z' is not A, B, C or D",
             _csv(_row(0, condition="Z"), *ROWS[1:])),
        Case(r, "flag_maybe.csv", "error", "row 2, column must_keep: 'maybe' is not yes or no",
             _csv(_row(0, must_keep="maybe"), *ROWS[1:])),
        Case(r, "keep_and_close.csv", "error", "row 2, column must_close: a site cannot be both",
             _csv(_row(0, must_keep="yes", must_close="yes"), *ROWS[1:])),
        Case(r, "unknown_practice.csv", "error", "row 2, column practices: unknown ODS code\\(s\\) Q99999",
             _csv(_row(0, practices="Q99999"), *ROWS[1:])),
        Case(r, "duplicate_site.csv", "error", "row 3, column site_id: 'S1' already used on row 2",
             _csv(ROWS[0], _row(1, site_id="S1"), ROWS[2])),
        Case(r, "blank_required.csv", "error", "row 2, column site_name: is blank",
             _csv(_row(0, site_name=""), *ROWS[1:])),
        Case(r, "unknown_postcode.csv", "error", "row 2, column postcode: 'ZZ9 9ZZ' is not in Code-Point Open",
             _csv(_row(0, postcode="ZZ9 9ZZ"), *ROWS[1:])),
        Case(r, "not_a_postcode.csv", "error", "row 2, column postcode: '\\?\\?' is not a postcode",
             _csv(_row(0, postcode="??"), *ROWS[1:])),
        Case(r, "no_location.csv", "error", "row 2, column postcode: give a postcode, or an easting",
             _csv(_row(0, postcode=""), *ROWS[1:])),
        Case(r, "outside_gb.csv", "error", "row 2, column easting: 900000 is outside Great Britain",
             _csv(_row(0, postcode="", easting="900000", northing="100000"), *ROWS[1:])),
        Case(r, "site_in_scotland.csv", "warning", r"row 2 \(site S1\): [0-9,]+ km from the nearest practice",
             _csv(_row(0, postcode="", easting="325000", northing="673000"), *ROWS[1:])),
        Case(r, "long_name.csv", "error", "row 2, column site_name: is 300 characters long",
             _csv(_row(0, site_name="x" * 300), *ROWS[1:])),
        Case(r, "long_site_id.csv", "error", "row 2, column site_id: is 100 characters long",
             _csv(_row(0, site_id="s" * 100), *ROWS[1:])),
        Case(r, "script_names.csv", "valid", "",
             _csv(_row(0, site_id="<script>alert(1)</script>", site_name="<img src=x onerror=alert(2)>"),
                  _row(1, site_id="${alert(3)}", site_name="`;alert(4);`"), ROWS[2])),
        Case(r, "sql_like.csv", "valid", "", _csv(_row(0, site_id="S1'; DROP TABLE estates_site; --"), *ROWS[1:])),
        Case(r, "unterminated_quote.csv", "error", "cannot be read as CSV",
             _csv(_row(0, site_name='"Kings Corner'), *ROWS[1:])),
        Case(r, "no_header.csv", "error", "no header row with the template's columns",
             b"S1,Kings Corner Surgery,SL5 0AE\nS2,Magnolia House,SL5 0QJ\n"),
        Case(r, "header_only.csv", "error", "the file has no sites", (HEADER + "\n").encode()),
        Case(r, "blank_rows_only.csv", "error", "the file has no sites", (HEADER + "\n,,,,,,,,,,,,,\n\n").encode()),
        Case(r, "empty.csv", "error", "the file is empty", b""),
        Case(r, "whitespace.csv", "error", "only blank space", b"  \n\n \t\n"),
        Case(r, "binary.csv", "error", "not a text file", b"PK\x03\x04\x00\x00binary\x00\x00"),
        Case(r, "utf16.csv", "error", "not a text file", _csv(*ROWS).decode().encode("utf-16")),
        Case(r, "register.txt", "error", "upload a .csv or .xlsx file", _csv(*ROWS)),
        Case(r, "bom.csv", "valid", "", b"\xef\xbb\xbf" + _csv(*ROWS)),
    ]


def _xlsx(sheets: dict[str, list[list]], formulas: dict | None = None) -> bytes:
    """Write a workbook (openpyxl: formulas are saved without a cached value, as by a program)."""
    import openpyxl

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for r in rows:
            ws.append(r)
    for (title, cell), f in (formulas or {}).items():
        wb[title][cell] = f
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _cells(line: str) -> list:
    out: list = []
    for v in line.split(","):
        try:
            out.append(float(v) if v and v.replace(".", "", 1).isdigit() else v or None)
        except ValueError:
            out.append(v)
    return out


def xlsx_cases() -> list[Case]:
    """Estates registers as workbooks (generated)."""
    import datetime as dt

    r = "register"
    head, rows = HEADER.split(","), [_cells(x) for x in ROWS]
    dated = [list(x) for x in rows]
    dated[0][9] = dt.datetime(2031, 3, 31)
    return [
        Case(r, "good.xlsx", "valid", "", _xlsx({"Sites": [head, *rows]}), True),
        Case(r, "date_cells.xlsx", "valid", "", _xlsx({"Sites": [head, *dated]}), True),
        Case(r, "two_sheets.xlsx", "warning", "Read sheet\\(s\\) 'Sites', 'More sites'",
             _xlsx({"Sites": [head, *rows[:2]], "More sites": [head, rows[2]]}), True),
        Case(r, "cover_sheet.xlsx", "warning", "not read \\(no register header\\): 'Cover'",
             _xlsx({"Cover": [["East Berkshire estates register"], ["July 2026"]], "Sites": [head, *rows]}), True),
        Case(r, "title_row.xlsx", "warning", "header is on row 2",
             _xlsx({"Sites": [["Estates register, July 2026"], head, *rows]}), True),
        Case(r, "formula_no_value.xlsx", "error", "sheet 'Sites', row 2, column gia_m2: 1 formula cell",
             _xlsx({"Sites": [head, *rows]}, {("Sites", "G2"): "=100*6.5"}), True),
        Case(r, "sheets_differ.xlsx", "error", "both have a register header, but with different columns",
             _xlsx({"Sites": [head, *rows[:2]], "More": [head[:6], [*rows[2][:6]]]}), True),
        Case(r, "bad_row_second_sheet.xlsx", "error", "sheet 'More sites', row 2, column condition",
             _xlsx({"Sites": [head, *rows[:2]], "More sites": [head, [*rows[2][:10], "Z", *rows[2][11:]]]}), True),
        Case(r, "empty.xlsx", "error", "the file is empty", b"", True),
        Case(r, "not_a_workbook.xlsx", "error", "this is not an .xlsx workbook", b"just some text, not a zip\n", True),
        Case(r, "broken_zip.xlsx", "error", "cannot be read as an .xlsx workbook",
             b"PK\x05\x06" + bytes(18), True),
        Case(r, "oversize.csv", "error", "the file is [0-9.]+ MB; the limit is 2.0 MB",
             _csv(*ROWS, *[_row(2, site_id=f"X{i}") for i in range(30_000)]), True),
    ]


def matrix_cases(lsoas: list[str], sites: list[str]) -> list[Case]:
    """Travel matrices for the Ascot practices' sites (``sites``) and their catchment (``lsoas``)."""
    m = "matrix"
    good = [f"{lsoa},{s},{5 + (i * 7 + j * 3) % 20}" for i, lsoa in enumerate(lsoas) for j, s in enumerate(sites)]
    head = "lsoa21_code,site_id,minutes"

    def mx(rows, header=head, sep=","):
        return ("\n".join(x.replace(",", sep) for x in [header, *rows]) + "\n").encode()

    def at(i, value):  # row i (0-based data row) with new minutes
        rows = list(good)
        a, b, _ = rows[i].split(",")
        rows[i] = f"{a},{b},{value}"
        return rows

    return [
        Case(m, "good.csv", "valid", "", mx(good)),
        Case(m, "semicolons.csv", "valid", "", mx(good, sep=";")),
        Case(m, "duplicate_pair.csv", "error", "the same LSOA and site appear more than once, on rows 2 and ",
             mx([*good, good[0]])),
        Case(m, "inf_minutes.csv", "error", "row 4, column minutes: expected a finite number", mx(at(2, "inf"))),
        Case(m, "nan_minutes.csv", "error", "row 4, column minutes: expected a number, found 'nan'",
             mx(at(2, "nan"))),
        Case(m, "negative_minutes.csv", "error", "column minutes: minutes is negative on row 3", mx(at(1, "-10.9"))),
        Case(m, "a_week.csv", "error", "minutes is more than 1,440", mx(at(0, "10080"))),
        Case(m, "text_minutes.csv", "error", "row 5, column minutes: expected a number, found 'ten'",
             mx(at(3, "ten"))),
        Case(m, "unknown_lsoa.csv", "error", "LSOA code\\(s\\) not in the LSOA 2021 boundaries, e.g. 'E01999999'",
             mx([*good, f"E01999999,{sites[0]},5"])),
        Case(m, "lsoa2011_code.csv", "error", "not in the LSOA 2021 boundaries",
             mx([*good, f"W01000001,{sites[0]},5"])),
        Case(m, "unknown_site.csv", "error", "unknown_site.csv, column site_id: site id\\(s\\) that are not among these sites: 'SITE-NOWHERE' on row [0-9]+",
             mx([*good, f"{lsoas[0]},SITE-NOWHERE,5"])),
        Case(m, "missing_pairs.csv", "error", "missing_pairs.csv: the travel matrix lacks [0-9]+ LSOA × site pair", mx(good[: len(good) // 2])),
        Case(m, "missing_column.csv", "error", "column minutes: missing column",
             mx([x.rsplit(",", 1)[0] for x in good], header="lsoa21_code,site_id")),
        Case(m, "duplicate_header.csv", "error", "row 1, column minutes: column appears twice",
             mx([x + ",1" for x in good], header=head + ",minutes")),
        Case(m, "blank_minutes.csv", "error", "row 2, column minutes: value is blank", mx(at(0, ""))),
        Case(m, "empty.csv", "error", "file is empty", b""),
        Case(m, "binary.csv", "error", "not a text file", b"\x00\x01\x02binary"),
        Case(m, "oversize.csv", "error", "the limit is 10.0 MB",
             mx([*good, *(f"{lsoas[0]},{sites[0]}-{i:07d},5" for i in range(420_000))]), True),
    ]


def _scenario(**change) -> dict:
    doc = {"format": "locality-planner-scenario", "version": 1, "name": "Ascot hubs", "description": "Four practices.",
           "area": "U2G6B", "grouping": None,
           "sites": {"practices": list(ASCOT), "circuity": None, "demand": "residents", "must_keep": [],
                     "must_close": [], "capacity": {"basis": "none", "rate": 0.0, "respect": False},
                     "chosen_k": 2, "weights": {}, "register": None, "travel_matrix": None}}
    for path, v in change.items():
        *parents, last = path.split("__")
        node = doc
        for p in parents:
            node = node[p] if not p.isdigit() else node[int(p)]
        node[last] = v
    return doc


def _register_records(**change) -> dict:
    sites = []
    for line in ROWS:
        rec: dict = dict(zip(HEADER.split(","), line.split(","), strict=True))
        for k in ("gia_m2", "running_cost_gbp"):
            rec[k] = float(rec[k])
        rec["clinical_rooms"] = int(rec["clinical_rooms"])
        rec["easting"] = rec["northing"] = None
        rec["must_keep"] = rec["must_keep"] == "yes"
        rec["must_close"] = rec["must_close"] == "yes"
        rec["lease_end"] = rec["lease_end"] or None
        sites.append(rec)
    for k, v in change.items():
        if v is _DROP:
            sites[0].pop(k)
        else:
            sites[0][k] = v
    return {"name": "ascot", "sites": sites}


_DROP = object()


def _json(doc) -> bytes:
    return json.dumps(doc, indent=1).encode()


def scenario_cases(matrix_rows: list[dict] | None = None) -> list[Case]:
    """Scenario files (JSON), valid and hostile; ``matrix_rows`` (from the store) embed a travel matrix."""
    s = "scenario"
    cases = [
        Case(s, "good.json", "valid", "", _json(_scenario())),
        Case(s, "good_with_register.json", "valid", "", _json(_scenario(sites__register=_register_records()))),
        Case(s, "script_name.json", "valid", "",
             _json(_scenario(name="<script>alert(1)</script> ${alert(2)}",
                             description='<img src=x onerror="alert(3)"> [x](javascript:alert(4))'))),
        Case(s, "not_json.json", "error", "not_json.json: line 2, column [0-9]+: not a readable JSON", b"{\n}}\n"),
        Case(s, "empty.json", "error", "empty.json: the file is empty", b""),
        Case(s, "array.json", "error", "array.json: a scenario file holds one JSON object", b"[1, 2, 3]"),
        Case(s, "not_utf8.json", "error", "not_utf8.json: not a readable JSON", b'{"name": "\xff\xfe"}'),
        Case(s, "deep_nesting.json", "error", "deep_nesting.json: objects or arrays are nested too deeply",
             b"[" * 200_000 + b"]" * 200_000, True),
        Case(s, "deep_results.json", "error", "deep_results.json: objects or arrays are nested more than 16",
             _json(_scenario(results=json.loads("[" * 40 + "]" * 40)))),
        Case(s, "wrong_format.json", "error", "wrong_format.json: format: 'locality-planner-scenario' was expected",
             _json(_scenario(format="something-else"))),
        Case(s, "long_description.json", "error", "long_description.json: description: .* is too long",
             _json(_scenario(description="x" * 5000))),
        Case(s, "huge_description.json", "error", "huge_description.json: the file is 2[0-9].[0-9] MB; .* at most 10 MB",
             _json(_scenario(description="x" * 20_000_000)), True),
        Case(s, "long_name.json", "error", "long_name.json: name: .* is too long", _json(_scenario(name="n" * 500))),
        Case(s, "unknown_area.json", "error", "unknown_area.json: area: No area has the code 'ZZZZZ'",
             _json(_scenario(area="ZZZZZ"))),
        Case(s, "unknown_practice.json", "error",
             "unknown_practice.json: sites.practices: 'Q99999' is not a practice code in this store",
             _json(_scenario(sites__practices=[*ASCOT, "Q99999"]))),
        Case(s, "unknown_pcn_lock.json", "error",
             "unknown_pcn_lock.json: grouping.keep_pcns_whole: 'U99999' is not a PCN code",
             _json(_scenario(grouping={"floor": 30000, "ceiling": 50000, "keep_pcns_whole": ["U99999"]}))),
        Case(s, "unknown_together.json", "error",
             "unknown_together.json: grouping.keep_together\\[0\\]: 'Q11111' is not a practice code",
             _json(_scenario(grouping={"floor": 30000, "ceiling": 50000, "keep_together": [["K81010", "Q11111"]]}))),
        Case(s, "floor_above_ceiling.json", "error", "floor 60,000 is above the ceiling 50,000",
             _json(_scenario(grouping={"floor": 60000, "ceiling": 50000}))),
        Case(s, "register_negative_area.json", "error",
             "register_negative_area.json: sites.register.sites: 1 problem.*row 1, column gia_m2: '-650.0' is below 0",
             _json(_scenario(sites__register=_register_records(gia_m2=-650.0)))),
        Case(s, "register_castle.json", "error", "sites.register.sites: .*row 1, column tenure: 'castle' is not one",
             _json(_scenario(sites__register=_register_records(tenure="castle")))),
        Case(s, "register_condition_z.json", "error", "sites.register.sites: .*row 1, column condition: 'Z'",
             _json(_scenario(sites__register=_register_records(condition="Z")))),
        Case(s, "register_huge_rooms.json", "error", "row 1, column clinical_rooms: '1000000000000' is above",
             _json(_scenario(sites__register=_register_records(clinical_rooms=10**12)))),
        Case(s, "register_missing_column.json", "error",
             "register_missing_column.json: sites.register.sites\\[1\\]: missing field\\(s\\) practices",
             _json(_scenario(sites__register=_register_records(practices=_DROP)))),
        Case(s, "register_unknown_field.json", "error", "sites.register.sites\\[1\\]: unknown field\\(s\\) gia m2",
             _json(_scenario(sites__register=_register_records(**{"gia m2": 5})))),
        Case(s, "register_unknown_practice.json", "error", "row 1, column practices: unknown ODS code\\(s\\) Q99999",
             _json(_scenario(sites__register=_register_records(practices="Q99999")))),
        Case(s, "register_not_objects.json", "error", "sites.register.sites.0: 'S1' is not of type 'object'",
             _json(_scenario(sites__register={"name": "x", "sites": ["S1"]}))),
        Case(s, "long_source.json", "error", "sites.area_benchmark.source: .* is too long",
             _json(_scenario(version=2, sites__area_benchmark={"m2_per_patient": 0.08, "source": "s" * 1000}))),
        Case(s, "unknown_must_keep.json", "error", "unknown_must_keep.json: sites: Unknown site_id\\(s\\) in the flags",
             _json(_scenario(sites__must_keep=["SITE-NOWHERE"]))),
    ]
    if matrix_rows:
        def mx(i, value):
            rows = [dict(r) for r in matrix_rows]
            rows[i]["minutes"] = value
            return rows

        cases += [
            Case(s, "good_with_matrix.json", "valid", "", _json(_scenario(sites__travel_matrix=matrix_rows))),
            Case(s, "matrix_negative.json", "error",
                 "matrix_negative.json: sites.travel_matrix, column minutes: minutes is negative on row 3",
                 _json(_scenario(sites__travel_matrix=mx(2, -10.9)))),
            Case(s, "matrix_infinite.json", "error", "sites.travel_matrix, column minutes: minutes is not a finite",
                 json.dumps(_scenario(sites__travel_matrix=mx(0, float("inf")))).encode()),
            Case(s, "matrix_text.json", "error", "sites.travel_matrix, row 2, column minutes: 'ten' is not a number",
                 _json(_scenario(sites__travel_matrix=mx(1, "ten")))),
            Case(s, "matrix_duplicates.json", "error", "sites.travel_matrix, column lsoa21_code: the same LSOA",
                 _json(_scenario(sites__travel_matrix=[*matrix_rows, matrix_rows[0]]))),
            Case(s, "matrix_unknown_lsoa.json", "error", "sites.travel_matrix, column lsoa21_code: LSOA code",
                 _json(_scenario(sites__travel_matrix=[*matrix_rows,
                                                        {**matrix_rows[0], "lsoa21_code": "E01999999"}]))),
        ]
    return cases


def store_inputs(con) -> tuple[list[str], list[str]]:
    """The Ascot practices' sites and their catchment's LSOAs in ``con``'s store (for the matrices)."""
    from locality.sites import SiteOptions, appraise_sites

    a = appraise_sites(con, SiteOptions(practices=tuple(ASCOT), keep_counts=(1,)))
    return list(a.demand.points["lsoa21_code"]), list(a.sites["site_id"])


def all_cases(con=None, binary: bool = True) -> list[Case]:
    """Every case; the matrices (and the scenarios embedding one) only with a store connection."""
    cases = register_cases() + (xlsx_cases() if binary else [])
    rows = None
    if con is not None:
        lsoas, sites = store_inputs(con)
        cases += matrix_cases(lsoas, sites)
        rows = [{"lsoa21_code": lsoa, "site_id": s, "minutes": float(5 + (i * 7 + j * 3) % 20)}
                for i, lsoa in enumerate(lsoas) for j, s in enumerate(sites)]
    cases += scenario_cases(rows)
    return [c for c in cases if binary or not c.binary]


def write_corpus(dest: Path, con=None, binary: bool = True) -> list[Case]:
    """Write every case's file under ``dest/<kind>/`` and return the cases."""
    cases = all_cases(con, binary)
    for c in cases:
        (dest / c.kind).mkdir(parents=True, exist_ok=True)
        (dest / c.kind / c.name).write_bytes(c.data)
    return cases


if __name__ == "__main__":
    import sys

    from locality import store

    con = store.connect(sys.argv[1]) if len(sys.argv) > 1 else None
    written = write_corpus(HERE, con, binary=False)
    print(f"wrote {len(written)} files under {HERE}")
