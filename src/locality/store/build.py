"""Build the DuckDB store from the raw files, atomically.

The build reads every source with its checked reader, derives the tidy tables
(practices, sites, LSOAs, areas), writes them to a temporary DuckDB file whose tables are
created from :mod:`locality.store.schema` (frames are inserted by column name), and renames
it into place. A failed build leaves any previous store untouched.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import sys
import time
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import shapely

from locality import geography, sources
from locality.errors import SourceError, StoreError
from locality.settings import find_raw_dir, raw_dir_candidates, source_config, source_file, store_path
from locality.sources.access import read_ahah, read_postcode_lsoa11
from locality.store import circuity, consistency, list_history, optional_sources, schema
from locality.store.access import lsoa_access
from locality.store.schema import SCHEMA_VERSION
from locality.vocabulary import PLACEHOLDER_PCN

#: Age bands (as published) that make up "aged 65 and over".
AGE_65_PLUS = ["65_69", "70_74", "75_79", "80_84", "85_89", "90_94", "95+"]

Progress = Callable[[str], None]


def _stderr_progress(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def sha256_file(path: Path) -> str:
    """Return the hex sha256 of a file."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


class _Steps:
    """Numbered progress messages with timings."""

    def __init__(self, total: int, progress: Progress):
        self.total, self.n, self.progress, self.t0 = total, 0, progress, time.perf_counter()
        self.t = self.t0

    def __call__(self, label: str) -> None:
        now = time.perf_counter()
        if self.n:
            self.progress(f"      done in {now - self.t:.1f} s")
        self.n += 1
        self.t = now
        self.progress(f"[{self.n:>2}/{self.total}] {label}")

    def finish(self) -> float:
        now = time.perf_counter()
        self.progress(f"      done in {now - self.t:.1f} s")
        return now - self.t0


def build_store(raw_dir: Path | None = None, out: Path | None = None, progress: Progress = _stderr_progress,
                allow_drop: bool = False) -> Path:
    """Build the store from ``raw_dir`` into ``out`` (atomically).

    Parameters
    ----------
    raw_dir : Path, optional
        Raw-data directory. Defaults to the lookup order in :func:`locality.settings.find_raw_dir`.
    out : Path, optional
        Store path. Defaults to :func:`locality.settings.store_path`.
    progress : callable
        Receives one line of progress text at a time.
    allow_drop : bool
        Build even when practices or patients fall by more than
        :data:`~locality.store.consistency.MAX_DROP` against the store already at ``out``.

    Returns
    -------
    Path
        The store's path.

    Raises
    ------
    SourceError
        A raw file is missing, malformed, damaged, or inconsistent with the others (the message
        names the file, row and column).
    StoreError
        The new files give far fewer practices or patients than the previous store.
    """
    raw_dir = raw_dir or find_raw_dir()
    if raw_dir is None:
        tried = ", ".join(str(p) for p in raw_dir_candidates())
        raise StoreError(f"No raw-data directory holds the source files (tried {tried}). "
                         "Run `python -m locality fetch` to download them.")
    out = Path(out or store_path())
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    if tmp.exists():
        tmp.unlink()
    steps = _Steps(11, progress)
    progress(f"Building {out} from {raw_dir}")
    try:
        tables = _read_and_derive(raw_dir, steps)
        consistency.check_against_previous(consistency.headline(tables["practice"]),
                                           consistency.previous_headline(out), allow_drop)
        steps("Writing the store")
        con = duckdb.connect(str(tmp))
        try:
            _write_tables(con, tables)
        finally:
            con.close()
        os.replace(tmp, out)
    finally:
        if tmp.exists():
            tmp.unlink()
        wal = tmp.with_name(tmp.name + ".wal")
        if wal.exists():
            wal.unlink()
    secs = steps.finish()
    progress(f"Built {out} in {secs:.1f} s ({out.stat().st_size / 1e6:.1f} MB)")
    return out


def _read(raw_dir: Path, key: str, reader, provenance: list[dict], edition: str | None = None,
          path: Path | None = None):
    path = path or source_file(raw_dir, key)
    if not path.is_file():
        raise SourceError(str(path), "file not found. Run `python -m locality fetch`, or set LOCALITY_RAW_DIR.")
    try:
        df = reader(path)
    except (EOFError, zipfile.BadZipFile, zlib.error, gzip.BadGzipFile, UnicodeDecodeError, OSError) as exc:
        raise SourceError(path.name, f"cannot be read: the file is damaged or cut short ({type(exc).__name__}: "
                          f"{exc}). Download it again.") from None
    cfg = source_config()[key]
    provenance.append({
        "key": key, "file": path.name, "path": path.relative_to(raw_dir).as_posix(), "title": cfg["title"],
        "publisher": cfg["publisher"],
        "edition": edition or path.parent.name, "sha256": sha256_file(path), "rows": len(df),
        "licence": cfg["licence"], "url": cfg["url"],
    })
    return df


@dataclass(frozen=True)
class _Sources:
    """The raw files as their checked readers return them, and the provenance of each read."""

    pmap: pd.DataFrame  # NHS England practice map (practice → PCN → sub-ICB → ICB → region)
    age: pd.DataFrame  # registered patients by practice, sex and age band
    epr: pd.DataFrame  # ODS epraccur
    cpo: pd.DataFrame  # OS Code-Point Open
    sub_lu: pd.DataFrame  # ONS LSOA21 → sub-ICB lookup
    lad_lu: pd.DataFrame  # ONS LSOA21 → LAD22 lookup
    lsoa11: pd.DataFrame  # ONS LSOA11 → LSOA21 (same file as lad_lu)
    census: pd.DataFrame  # Census 2021 residents by age band
    iod: pd.DataFrame  # IoD2025 scores, ranks and deciles
    iodi: pd.DataFrame  # IoD2025 underlying indicators
    ruc: pd.DataFrame  # Rural-Urban Classification 2021
    pimd: pd.DataFrame  # Fingertips practice IMD 2025
    road: pd.DataFrame  # IoD2019 road distance to a GP surgery
    lsoa_g: pd.DataFrame  # LSOA 2021 boundaries (British National Grid)
    lad_g: pd.DataFrame  # local authority boundaries (British National Grid)
    ahah: pd.DataFrame  # CDRC AHAH v3 drive time to the nearest GP, LSOA 2011
    pc_lsoa11: pd.DataFrame  # ONS postcode → LSOA 2011 (live English postcodes)
    extract: pd.Timestamp  # the practice map's extract date
    provenance: list[dict]


def _read_sources(raw_dir: Path, steps: _Steps) -> _Sources:
    prov: list[dict] = []
    steps("Reading NHS England practice map, age bands and ODS epraccur")
    pmap = _read(raw_dir, "practice_map", sources.read_practice_map, prov)
    extract = pmap["extract_date"].max()
    prov[-1]["edition"] = f"extract {extract:%Y-%m-%d}"
    age = _read(raw_dir, "practice_age", sources.read_practice_age, prov)
    prov[-1]["edition"] = f"extract {age['extract_date'].max():%Y-%m-%d}"
    epr = _read(raw_dir, "epraccur", sources.read_epraccur, prov)
    last = pd.concat([epr["open_date"], epr["close_date"]]).max()
    prov[-1]["edition"] = f"dates up to {last:%Y-%m-%d}"

    steps("Reading OS Code-Point Open")
    cpo = _read(raw_dir, "codepoint", sources.read_codepoint, prov)
    prov[-1]["edition"] = _codepoint_edition(source_file(raw_dir, "codepoint"))

    steps("Reading ONS lookups, Census 2021, IoD2025, rural-urban, Fingertips")
    sub_lu = _read(raw_dir, "lsoa_subicb_lookup", sources.read_lsoa_subicb_lookup, prov, "2024")
    lad_lu = _read(raw_dir, "lsoa_lad_lookup", sources.read_lsoa_lad_lookup, prov, "LAD 2022")
    census = _read(raw_dir, "census_population", sources.read_census_population, prov, "Census 2021")
    iod = _read(raw_dir, "iod2025", sources.read_iod2025, prov, "IoD2025")
    iodi = _read(raw_dir, "iod2025_indicators", sources.read_iod2025_indicators, prov, "IoD2025")
    ruc = _read(raw_dir, "rural_urban", sources.read_rural_urban, prov, "RUC 2021")
    pimd = _read(raw_dir, "practice_imd", sources.read_practice_imd, prov, "IMD 2025 (Fingertips 94240)")
    road = _read(raw_dir, "iod2019_indicators", sources.read_iod2019_road_distance, prov, "IoD2019 File 8")
    lsoa11 = sources.read_lsoa11_lsoa21(source_file(raw_dir, "lsoa_lad_lookup"))  # same file as lad_lu

    steps("Reading LSOA 2021 and local authority boundaries")
    lsoa_g = geography.to_bng(_read(raw_dir, "lsoa_boundaries", sources.read_lsoa_boundaries, prov, "December 2021 BSC"))
    lad_g = geography.to_bng(_read(raw_dir, "lad_boundaries", sources.read_lad_boundaries, prov, "May 2024 BUC"))

    steps("Reading CDRC AHAH v3 and the ONS postcode → LSOA 2011 lookup")
    ahah = _read(raw_dir, "ahah", read_ahah, prov, "AHAH v3 (GP locations February 2022)")
    pc_lsoa11 = _read(raw_dir, "postcode_lsoa11", read_postcode_lsoa11, prov, "May 2022")
    return _Sources(pmap=pmap, age=age, epr=epr, cpo=cpo, sub_lu=sub_lu, lad_lu=lad_lu, lsoa11=lsoa11, census=census,
                    iod=iod, iodi=iodi, ruc=ruc, pimd=pimd, road=road, lsoa_g=lsoa_g, lad_g=lad_g, ahah=ahah,
                    pc_lsoa11=pc_lsoa11, extract=extract, provenance=prov)


def _read_and_derive(raw_dir: Path, steps: _Steps) -> dict[str, pd.DataFrame]:
    src = _read_sources(raw_dir, steps)
    consistency.check_official_files(src.pmap, src.age, src.epr,
                                     {p["key"]: p["file"] for p in src.provenance})

    steps("Locating practices and sites")
    practice, postcode = _practices(src.pmap, src.age, src.epr, src.cpo, src.pimd)
    lsoa_geoms = src.lsoa_g.geometry.to_numpy()
    idx = geography.locate_points(practice["easting"], practice["northing"], lsoa_geoms)
    practice["lsoa21_code"] = np.where(idx >= 0, src.lsoa_g["lsoa21_code"].to_numpy()[np.maximum(idx, 0)], None)
    site = _sites(practice)

    steps("Assigning LSOAs to sub-ICBs, ICBs, regions and local authorities")
    lsoa = _lsoas(src, practice)

    steps("Dissolving area boundaries and finding LSOA neighbours")
    area = _areas(lsoa, lsoa_geoms, src.pmap, src.lad_g)
    adj = geography.adjacency(lsoa_geoms)
    codes = src.lsoa_g["lsoa21_code"].to_numpy()
    lsoa_adjacency = pd.DataFrame({"a": codes[adj["a"]], "b": codes[adj["b"]], "shared_m": adj["shared_m"]})

    steps("Summarising PCNs; LSOA population centres and AHAH drive times")
    pcn = _pcns(practice)
    access = lsoa_access(src.lsoa_g, lsoa_geoms, postcode, src.pc_lsoa11, src.lsoa11, src.ahah)
    age = src.age
    lists = age[(age["sex"] != "ALL") & (age["age_band"] != "ALL")][["practice_code", "sex", "age_band", "patients"]]

    steps("Deriving the circuity factor (IoD2019 road distance to a GP surgery ÷ straight line)")
    est = circuity.estimate_circuity(**_circuity_inputs(lsoa, site, src.lsoa11, src.road))

    steps("Reading registered patients by LSOA, NHS payments and older list editions; fitting the need weights (where present)")
    extra, extra_meta = optional_sources.optional_tables(
        raw_dir, src.lsoa11, lsoa, lists, lambda *a, **k: _read(*a, provenance=src.provenance, **k), src.provenance)
    editions = list_history.edition_tables(
        raw_dir, lambda *a, **k: _read(*a, provenance=src.provenance, **k), src.provenance, practice, src.epr,
        postcode, (lsoa, lsoa_geoms), pd.Timestamp(src.age["extract_date"].max()))
    meta = pd.DataFrame({
        "key": ["schema_version", "extract_date", "built_at", "raw_dir", *circuity.META_KEYS, *extra_meta],
        "value": [SCHEMA_VERSION, f"{src.extract:%Y-%m-%d}", pd.Timestamp.now(tz="UTC").isoformat(timespec="seconds"),
                  str(raw_dir), *circuity.meta_values(est), *extra_meta.values()],
    })
    return {**extra, **editions,
        "practice": practice, "practice_list": lists.reset_index(drop=True), "site": site, "lsoa": lsoa,
        "area": area, "lsoa_adjacency": lsoa_adjacency, "pcn": pcn, "postcode": postcode,
        "lsoa_access": access, "data_source": pd.DataFrame(src.provenance), "meta": meta,
    }


def _circuity_inputs(lsoa: pd.DataFrame, site: pd.DataFrame, lsoa11: pd.DataFrame, road: pd.DataFrame) -> dict:
    pairs = circuity.pairs_from_frames(lsoa[["lsoa21_code", "centroid_e", "centroid_n", "residents"]],
                                       site[["easting", "northing"]], lsoa11, road)
    return {"road_km": pairs["road_km"], "straight_m": pairs["straight_m"], "weights": pairs["residents"]}


def _codepoint_edition(path: Path) -> str:
    import zipfile

    try:
        text = zipfile.ZipFile(path).read("Doc/metadata.txt").decode("latin-1")
    except KeyError:
        return path.stem
    for line in text.splitlines():
        if line.startswith("DATASET VERSION NUMBER:"):
            return "version " + line.split(":", 1)[1].strip()
    return path.stem


def _practices(pmap, age, epr, cpo, pimd) -> tuple[pd.DataFrame, pd.DataFrame]:
    from locality.sources.os_codepoint import normalise_postcode

    tot = age[(age["sex"] == "ALL") & (age["age_band"] == "ALL")].set_index("practice_code")["patients"]
    bands = age[(age["sex"] != "ALL") & (age["age_band"] != "ALL")]
    band_sum = bands.groupby("practice_code")["patients"].sum()
    old = bands[bands["age_band"].isin(AGE_65_PLUS)].groupby("practice_code")["patients"].sum()
    bad = band_sum.index[band_sum.reindex(tot.index).fillna(0).to_numpy() != tot.to_numpy()] if len(tot) else []
    if len(bad):
        raise SourceError("gp-reg-pat-prac-quin-age.csv", f"age bands do not add up to the ALL total for practice {bad[0]}",
                          column="NUMBER_OF_PATIENTS")
    p = pd.DataFrame({
        "practice_code": pmap["practice_code"],
        "practice_name": pmap["practice_name"].str.title(),
        "postcode": normalise_postcode(pmap["practice_postcode"]),
        "pcn_code": pmap["pcn_code"],
        "pcn_name": pmap["pcn_name"],
        "sub_icb_code": pmap["sub_icb_location_code"],
        "sub_icb_ons_code": pmap["ons_sub_icb_location_code"],
        "icb_code": pmap["icb_code"],
        "region_code": pmap["comm_region_code"],
    })
    p["patients"] = p["practice_code"].map(tot).astype("Int64")
    p["patients_65plus"] = p["practice_code"].map(old).astype("Int64")
    e = epr.drop_duplicates("org_code").set_index("org_code")
    for c in ["address_1", "address_2", "address_3", "address_4", "address_5", "status", "open_date", "phone"]:
        p[c] = p["practice_code"].map(e[c])
    p["practice_imd2025_score"] = p["practice_code"].map(pimd.drop_duplicates("practice_code").set_index("practice_code")["imd_score"])

    # Geocode: exact postcode, else the postcode sector's mean (flagged as an estimate).
    eng = cpo.set_index("postcode")
    p["easting"] = p["postcode"].map(eng["easting"]).astype("float64")
    p["northing"] = p["postcode"].map(eng["northing"]).astype("float64")
    p["lad_code"] = p["postcode"].map(eng["admin_district_code"])
    p["geocoded"] = p["easting"].notna()
    p["location_source"] = np.where(p["geocoded"], "Code-Point Open postcode", None)
    miss = ~p["geocoded"] & p["postcode"].notna()
    psect = p.loc[miss, "postcode"].str[:-2]
    near = cpo[cpo["postcode"].str[:-2].isin(set(psect))].assign(sector=lambda d: d["postcode"].str[:-2])
    sect = near.groupby("sector").agg(easting=("easting", "mean"), northing=("northing", "mean"),
                                      lad=("admin_district_code", lambda s: s.mode().iat[0]))
    p.loc[miss, "easting"] = psect.map(sect["easting"]).to_numpy()
    p.loc[miss, "northing"] = psect.map(sect["northing"]).to_numpy()
    p.loc[miss, "lad_code"] = psect.map(sect["lad"]).to_numpy()
    est = miss & p["easting"].notna()
    p.loc[est, "location_source"] = "postcode sector centre (estimate: postcode not in Code-Point Open)"
    lat, lon = geography.bng_to_wgs84(p["easting"], p["northing"])
    p["lat"], p["lon"] = lat, lon
    p["site_id"] = "SITE-" + p["postcode"].fillna("P-" + p["practice_code"]).str.replace(" ", "", regex=False)
    postcode = cpo[["postcode", "easting", "northing", "admin_district_code", "country_code", "positional_quality"]]
    return p, postcode.reset_index(drop=True)


def _sites(practice: pd.DataFrame) -> pd.DataFrame:
    g = practice.groupby("site_id", sort=True)
    site = g.agg(
        postcode=("postcode", "first"), easting=("easting", "first"), northing=("northing", "first"),
        lat=("lat", "first"), lon=("lon", "first"), geocoded=("geocoded", "first"),
        location_source=("location_source", "first"), lsoa21_code=("lsoa21_code", "first"),
        practices=("practice_code", "count"), patients=("patients", "sum"),
        practice_codes=("practice_code", lambda s: ",".join(sorted(s))),
    ).reset_index()
    site["shared"] = site["practices"] > 1
    return site


def _lsoas(src: _Sources, practice: pd.DataFrame) -> pd.DataFrame:
    lsoa_g, lad_g, pmap = src.lsoa_g, src.lad_g, src.pmap
    lsoa = pd.DataFrame({"lsoa21_code": lsoa_g["lsoa21_code"], "lsoa21_name": lsoa_g["lsoa21_name"]})
    lsoa = lsoa.merge(src.sub_lu[["lsoa21_code", "sicbl_code"]], on="lsoa21_code", how="left")
    lsoa = lsoa.merge(src.lad_lu[["lsoa21_code", "lad_code"]], on="lsoa21_code", how="left")
    # LAD 2022 codes that no longer exist (2023 reorganisations) take the LAD 2024 polygon
    # that holds the LSOA's representative point.
    geoms = lsoa_g.geometry.to_numpy()
    stale = ~lsoa["lad_code"].isin(set(lad_g["lad_code"]))
    if stale.any():
        pts = shapely.point_on_surface(geoms[stale.to_numpy()])
        hit = geography.locate_points(shapely.get_x(pts), shapely.get_y(pts), lad_g.geometry.to_numpy())
        lsoa.loc[stale, "lad_code"] = np.where(hit >= 0, lad_g["lad_code"].to_numpy()[np.maximum(hit, 0)], None)
    current = set(pmap["ons_sub_icb_location_code"])
    ons_sub = geography.assign_orphan_lsoas(lsoa, practice, current)
    ons_to_nhs = pmap.drop_duplicates("ons_sub_icb_location_code").set_index("ons_sub_icb_location_code")
    lsoa["sub_icb_code"] = ons_sub.map(ons_to_nhs["sub_icb_location_code"])
    lsoa["icb_code"] = ons_sub.map(ons_to_nhs["icb_code"])
    lsoa["region_code"] = ons_sub.map(ons_to_nhs["comm_region_code"])
    lsoa = lsoa.drop(columns=["sicbl_code"])
    cen = src.census.rename(columns={"total": "residents"})
    lsoa = lsoa.merge(cen, on="lsoa21_code", how="left")
    lsoa = lsoa.merge(src.iod, on="lsoa21_code", how="left")
    lsoa = lsoa.merge(src.iodi, on="lsoa21_code", how="left")
    lsoa = lsoa.merge(src.ruc, on="lsoa21_code", how="left")
    cent = shapely.centroid(geoms)
    lsoa["centroid_e"] = shapely.get_x(cent)
    lsoa["centroid_n"] = shapely.get_y(cent)
    lsoa["area_km2"] = shapely.area(geoms) / 1e6
    lsoa["geom_bng"] = shapely.to_wkb(geoms)
    lsoa["geom_web"] = shapely.to_wkb(geography.geoms_bng_to_wgs84(geoms))
    return lsoa


def _areas(lsoa: pd.DataFrame, geoms: np.ndarray, pmap: pd.DataFrame, lad_g) -> pd.DataFrame:
    names = {
        "region": pmap.drop_duplicates("comm_region_code").set_index("comm_region_code")["comm_region_name"],
        "icb": pmap.drop_duplicates("icb_code").set_index("icb_code")["icb_name"],
        "sub_icb": pmap.drop_duplicates("sub_icb_location_code").set_index("sub_icb_location_code")["sub_icb_location_name"],
        "lad": lad_g.set_index("lad_code")["lad_name"],
    }
    parents = {
        "region": None,
        "icb": pmap.drop_duplicates("icb_code").set_index("icb_code")["comm_region_code"],
        "sub_icb": pmap.drop_duplicates("sub_icb_location_code").set_index("sub_icb_location_code")["icb_code"],
        "lad": None,
    }
    lad_name = names["lad"]
    share = (lsoa.dropna(subset=["sub_icb_code", "lad_code"]).groupby(["sub_icb_code", "lad_code"]).size()
             .rename("n").reset_index())
    share["share"] = share["n"] / share.groupby("sub_icb_code")["n"].transform("sum")
    share = share[share["share"] >= 0.01].sort_values(["sub_icb_code", "share"], ascending=[True, False])
    covers = share.groupby("sub_icb_code")["lad_code"].agg(lambda s: ", ".join(lad_name.get(c, c) for c in s))
    frames = []
    for kind, col in [("region", "region_code"), ("icb", "icb_code"), ("sub_icb", "sub_icb_code"), ("lad", "lad_code")]:
        d = geography.dissolve(geoms, lsoa[col])
        web = geography.geoms_bng_to_wgs84(d["geometry"].to_numpy(), tolerance_m=60.0)
        frames.append(pd.DataFrame({
            "area_type": kind,
            "code": d["key"],
            "name": d["key"].map(names[kind]).fillna(d["key"]),
            "parent_code": d["key"].map(parents[kind]) if parents[kind] is not None else None,
            "covers": d["key"].map(covers) if kind == "sub_icb" else None,
            "lsoas": d["key"].map(lsoa[col].value_counts()).astype("int64"),
            "geom_web": shapely.to_wkb(web),
        }))
    return pd.concat(frames, ignore_index=True)


def _pcns(practice: pd.DataFrame) -> pd.DataFrame:
    g = practice.groupby("pcn_code")
    pcn = g.agg(pcn_name=("pcn_name", "first"), practices=("practice_code", "count"), patients=("patients", "sum"),
                sites=("site_id", "nunique")).reset_index()
    main = (practice.groupby(["pcn_code", "sub_icb_code"]).size().rename("n").reset_index()
            .sort_values(["pcn_code", "n"], ascending=[True, False]).drop_duplicates("pcn_code"))
    pcn = pcn.merge(main[["pcn_code", "sub_icb_code"]], on="pcn_code", how="left")
    pcn["placeholder"] = pcn["pcn_code"].eq(PLACEHOLDER_PCN)
    return pcn


def _write_tables(con: duckdb.DuckDBPyConnection, tables: dict[str, pd.DataFrame]) -> None:
    """Create the schema's tables, insert each frame by column name, then index; one transaction."""
    if set(tables) != set(schema.TABLES):
        raise StoreError(f"The build made tables {sorted(tables)}, the store schema has {sorted(schema.TABLES)}.")
    con.execute("BEGIN")
    schema.create_tables(con)
    for name in schema.TABLES:
        _insert(con, name, tables[name])
    schema.create_indexes(con)
    con.execute("COMMIT")
    con.execute("CHECKPOINT")


def _insert(con: duckdb.DuckDBPyConnection, name: str, df: pd.DataFrame) -> None:
    """Insert ``df`` into table ``name`` by column name, after checking it has exactly the table's columns."""
    expected = schema.columns(con, name)
    if sorted(map(str, df.columns)) != sorted(expected):
        missing = [c for c in expected if c not in df.columns]
        extra = [str(c) for c in df.columns if c not in expected]
        raise StoreError(f"The build's {name} table does not match the store schema "
                         f"(missing columns: {missing or 'none'}; unexpected: {extra or 'none'}).")
    con.register("_df", df)
    try:
        con.execute(f'INSERT INTO "{name}" BY NAME SELECT * FROM _df')
    except duckdb.ConstraintException as exc:
        raise StoreError(f"The build's {name} table breaks the store schema: {exc}") from exc
    finally:
        con.unregister("_df")
    if name in schema.UNINDEXED_KEYS and (dup := schema.duplicate_key(con, name)) is not None:
        raise StoreError(f"The build's {name} table holds {', '.join(schema.UNINDEXED_KEYS[name])} = "
                         f"{', '.join(map(str, dup))} more than once.")
