"""The national store's schema: one ``CREATE TABLE`` per table, its indexes and its version.

:mod:`locality.store.build` creates these tables and inserts its frames into them by column
name; :func:`locality.store.connect` refuses a store whose ``meta.schema_version`` is not
:data:`SCHEMA_VERSION`. Change the version whenever a table, column, type or constraint
changes, so that an old store is rebuilt rather than misread.

Constraints hold what the build guarantees: each table's identity is a key (the readers
reject duplicates, or the build derives it by grouping), and ``NOT NULL`` marks the columns
the readers require or the build always fills. Columns that a source may leave blank (a
practice postcode, an LSOA missing from a lookup) stay nullable.

Keys are ``PRIMARY KEY`` constraints, except on the three long tables (``postcode``,
``practice_list``, ``lsoa_adjacency``), where DuckDB's key index would be several times the
size of the table (about 90 MB for the 1.7 million postcodes, against a 45 MB store) and no
query needs it. Their keys are listed in :data:`UNINDEXED_KEYS` and checked by the build
(:func:`duplicate_key`).
"""

from __future__ import annotations

import duckdb

#: The schema the code reads and writes. ``1``: tables created from the frames (no DDL);
#: ``2``: the explicit DDL below; ``3``: ``lsoa_access`` (population centres, AHAH drive time to a GP);
#: ``4``: registered patients by LSOA and NHS payments; ``5``: the list editions (``list_edition``,
#: ``practice_list_edition``, ``practice_history``), for list trends.
SCHEMA_VERSION = "5"

#: ``CREATE TABLE`` statements, by table name (also the order the build creates them in).
TABLES: dict[str, str] = {
    # One row per practice in NHS England's practice map, with its list size, address and location.
    "practice": """
        CREATE TABLE practice (
            practice_code          VARCHAR PRIMARY KEY,     -- ODS code
            practice_name          VARCHAR NOT NULL,
            postcode               VARCHAR,                 -- normalised "AB1 2CD"
            pcn_code               VARCHAR NOT NULL,        -- "U" is the unallocated placeholder
            pcn_name               VARCHAR NOT NULL,
            sub_icb_code           VARCHAR NOT NULL,        -- NHS code, e.g. U2G6B
            sub_icb_ons_code       VARCHAR NOT NULL,        -- ONS E38 code
            icb_code               VARCHAR NOT NULL,
            region_code            VARCHAR NOT NULL,
            patients               BIGINT,                  -- registered patients, all ages
            patients_65plus        BIGINT,
            address_1              VARCHAR,                 -- address and status from ODS epraccur
            address_2              VARCHAR,
            address_3              VARCHAR,
            address_4              VARCHAR,
            address_5              VARCHAR,
            status                 VARCHAR,
            open_date              TIMESTAMP_NS,
            phone                  VARCHAR,
            practice_imd2025_score DOUBLE,                  -- OHID Fingertips practice IMD 2025
            easting                DOUBLE,                  -- British National Grid metres
            northing               DOUBLE,
            lad_code               VARCHAR,
            geocoded               BOOLEAN NOT NULL,        -- exact postcode found in Code-Point Open
            location_source        VARCHAR,
            lat                    DOUBLE,
            lon                    DOUBLE,
            site_id                VARCHAR NOT NULL,        -- the site (postcode) the practice is at
            lsoa21_code            VARCHAR                  -- the LSOA holding the practice's location
        )""",
    # Registered patients of each practice by sex and 5-year age band (the published rows, not the totals).
    "practice_list": """
        CREATE TABLE practice_list (
            practice_code VARCHAR NOT NULL,             -- key: practice_code, sex, age_band
            sex           VARCHAR NOT NULL,
            age_band      VARCHAR NOT NULL,
            patients      BIGINT NOT NULL
        )""",
    # One row per practice postcode: the practices sharing it make one site.
    "site": """
        CREATE TABLE site (
            site_id         VARCHAR PRIMARY KEY,
            postcode        VARCHAR,
            easting         DOUBLE,
            northing        DOUBLE,
            lat             DOUBLE,
            lon             DOUBLE,
            geocoded        BOOLEAN NOT NULL,
            location_source VARCHAR,
            lsoa21_code     VARCHAR,
            practices       BIGINT NOT NULL,
            patients        BIGINT NOT NULL,
            practice_codes  VARCHAR NOT NULL,               -- comma-separated, sorted
            shared          BOOLEAN NOT NULL
        )""",
    # One row per LSOA 2021: area codes, Census 2021 residents, IoD2025, rural-urban and geometry.
    "lsoa": """
        CREATE TABLE lsoa (
            lsoa21_code                 VARCHAR PRIMARY KEY,
            lsoa21_name                 VARCHAR NOT NULL,
            lad_code                    VARCHAR,
            sub_icb_code                VARCHAR,            -- NULL where no current sub-ICB could be assigned
            icb_code                    VARCHAR,
            region_code                 VARCHAR,
            age_0_15                    BIGINT,             -- Census 2021 usual residents by age band
            age_16_24                   BIGINT,
            age_25_34                   BIGINT,
            age_35_49                   BIGINT,
            age_50_64                   BIGINT,
            age_65_plus                 BIGINT,
            residents                   BIGINT,
            imd_score                   DOUBLE,             -- English Indices of Deprivation 2025
            imd_rank                    BIGINT,
            imd_decile                  BIGINT,
            income_score                DOUBLE,
            income_rank                 BIGINT,
            income_decile               BIGINT,
            employment_score            DOUBLE,
            employment_rank             BIGINT,
            employment_decile           BIGINT,
            education_score             DOUBLE,
            education_rank              BIGINT,
            education_decile            BIGINT,
            health_score                DOUBLE,
            health_rank                 BIGINT,
            health_decile               BIGINT,
            crime_score                 DOUBLE,
            crime_rank                  BIGINT,
            crime_decile                BIGINT,
            housing_and_services_score  DOUBLE,
            housing_and_services_rank   BIGINT,
            housing_and_services_decile BIGINT,
            environment_score           DOUBLE,
            environment_rank            BIGINT,
            environment_decile          BIGINT,
            patient_to_gp_ratio         DOUBLE,             -- IoD2025 underlying indicators
            connectivity_score          DOUBLE,
            ruc21_code                  VARCHAR,            -- Rural-Urban Classification 2021
            ruc_class                   VARCHAR,
            ruc                         VARCHAR,
            centroid_e                  DOUBLE,             -- polygon centroid, British National Grid metres
            centroid_n                  DOUBLE,
            area_km2                    DOUBLE,
            geom_bng                    BLOB,               -- WKB, British National Grid
            geom_web                    BLOB                -- WKB, WGS84
        )""",
    # Regions, ICBs, sub-ICB locations and local authorities, dissolved from their LSOAs.
    "area": """
        CREATE TABLE area (
            area_type   VARCHAR NOT NULL,                   -- region, icb, sub_icb or lad
            code        VARCHAR NOT NULL,
            name        VARCHAR NOT NULL,
            parent_code VARCHAR,                            -- an ICB's region, a sub-ICB's ICB
            covers      VARCHAR,                            -- a sub-ICB's local authorities
            lsoas       BIGINT NOT NULL,
            geom_web    BLOB NOT NULL,                      -- WKB, WGS84, simplified
            PRIMARY KEY (area_type, code)
        )""",
    # Rook adjacency between LSOAs (a < b in the boundary file's order).
    "lsoa_adjacency": """
        CREATE TABLE lsoa_adjacency (
            a        VARCHAR NOT NULL,                      -- key: a, b
            b        VARCHAR NOT NULL,
            shared_m DOUBLE NOT NULL                        -- length of the shared boundary, metres
        )""",
    # One row per PCN (and the placeholder) with its national totals and main sub-ICB.
    "pcn": """
        CREATE TABLE pcn (
            pcn_code     VARCHAR PRIMARY KEY,
            pcn_name     VARCHAR NOT NULL,
            practices    BIGINT NOT NULL,
            patients     BIGINT NOT NULL,
            sites        BIGINT NOT NULL,
            sub_icb_code VARCHAR NOT NULL,                  -- where most of its practices are
            placeholder  BOOLEAN NOT NULL
        )""",
    # OS Code-Point Open: every located postcode in Great Britain.
    "postcode": """
        CREATE TABLE postcode (
            postcode            VARCHAR NOT NULL,       -- key
            easting             BIGINT NOT NULL,
            northing            BIGINT NOT NULL,
            admin_district_code VARCHAR,
            country_code        VARCHAR,
            positional_quality  BIGINT NOT NULL
        )""",
    # Where each LSOA's residents live (mean of its residential postcodes) and AHAH v3's drive time to a GP.
    "lsoa_access": """
        CREATE TABLE lsoa_access (
            lsoa21_code      VARCHAR PRIMARY KEY,
            pop_centre_e     DOUBLE,                    -- mean of the residential postcodes, BNG metres
            pop_centre_n     DOUBLE,
            centre_postcodes BIGINT NOT NULL,           -- postcodes averaged (0: no centre, use the centroid)
            ahah_gp_minutes  DOUBLE,                    -- CDRC AHAH v3 drive minutes to the nearest GP (LSOA11 → 21)
            ahah_lsoa11      BIGINT NOT NULL            -- LSOAs 2011 the figure comes from (mean when several)
        )""",
    # Provenance: one row per raw file read.
    "data_source": """
        CREATE TABLE data_source (
            key       VARCHAR PRIMARY KEY,                  -- the source key in sources.toml
            file      VARCHAR NOT NULL,
            path      VARCHAR NOT NULL,
            title     VARCHAR NOT NULL,
            publisher VARCHAR NOT NULL,
            edition   VARCHAR NOT NULL,
            sha256    VARCHAR NOT NULL,
            rows      BIGINT NOT NULL,
            licence   VARCHAR NOT NULL,
            url       VARCHAR NOT NULL
        )""",
    # Registered patients of each practice by LSOA 2021 (NHS England's LSOA files, where present).
    "practice_lsoa": """
        CREATE TABLE practice_lsoa (
            practice_code VARCHAR NOT NULL,             -- key: practice_code, sex, lsoa21_code
            sex           VARCHAR NOT NULL,             -- ALL, FEMALE or MALE (the file it came from)
            lsoa21_code   VARCHAR NOT NULL,
            patients      DOUBLE NOT NULL               -- a split LSOA 2011's patients are shared by residents
        )""",
    # The patients of those files that no English LSOA 2021 holds, counted per practice and kind.
    "practice_lsoa_unplaced": """
        CREATE TABLE practice_lsoa_unplaced (
            practice_code VARCHAR NOT NULL,
            sex           VARCHAR NOT NULL,
            kind          VARCHAR NOT NULL,             -- wales, scotland, northern_ireland, no_postcode, unknown_lsoa
            patients      BIGINT NOT NULL,
            codes         VARCHAR NOT NULL,             -- the published codes, comma-separated
            PRIMARY KEY (practice_code, sex, kind)
        )""",
    # NHS Payments to General Practice 2022-23, one row per practice in that file.
    "practice_payments": """
        CREATE TABLE practice_payments (
            practice_code       VARCHAR PRIMARY KEY,
            practice_name       VARCHAR,
            postcode            VARCHAR,
            contract_type       VARCHAR,
            rurality            VARCHAR,
            registered_patients DOUBLE NOT NULL,        -- last known figure in the year
            weighted_patients   DOUBLE NOT NULL,        -- Global Sum (Carr-Hill) weighted list
            global_sum          DOUBLE NOT NULL,        -- £ in 2022-23
            premises_payments   DOUBLE NOT NULL,        -- £ in 2022-23 (a few are negative adjustments)
            total_payments      DOUBLE NOT NULL         -- Total NHS Payments to General Practice, £
        )""",
    # Each edition of the registered lists found at build (the latest is the one the store is built on).
    "list_edition": """
        CREATE TABLE list_edition (
            extract_date      TIMESTAMP_NS PRIMARY KEY,
            source_key        VARCHAR NOT NULL,         -- sources.toml key of the file
            file              VARCHAR NOT NULL,
            commissioner_kind VARCHAR NOT NULL,         -- "CCG" (2021 and before) or "sub-ICB location"
            practices         BIGINT NOT NULL,
            patients          BIGINT NOT NULL,
            latest            BOOLEAN NOT NULL
        )""",
    # Each practice's registered list (all ages) at each edition it is published in.
    "practice_list_edition": """
        CREATE TABLE practice_list_edition (
            extract_date      TIMESTAMP_NS NOT NULL,    -- key: extract_date, practice_code
            practice_code     VARCHAR NOT NULL,
            postcode          VARCHAR,                  -- as published in that edition (normalised)
            commissioner_code VARCHAR,                  -- CCG or sub-ICB code, as published
            patients          BIGINT NOT NULL,
            PRIMARY KEY (extract_date, practice_code)
        )""",
    # Every practice code seen in any edition: the area it counts in, and its ODS dates.
    "practice_history": """
        CREATE TABLE practice_history (
            practice_code  VARCHAR PRIMARY KEY,
            in_current_map BOOLEAN NOT NULL,            -- in today's practice map
            last_postcode  VARCHAR,
            sub_icb_code   VARCHAR,                     -- today's map, else the LSOA of the last postcode
            icb_code       VARCHAR,
            region_code    VARCHAR,
            lad_code       VARCHAR,
            area_from      VARCHAR,                     -- "practice map" or "last published postcode"
            practice_name  VARCHAR,
            ods_status     VARCHAR,                     -- epraccur A/C/D/P
            open_date      TIMESTAMP_NS,
            close_date     TIMESTAMP_NS
        )""",
    # Build facts: schema_version, extract_date, built_at, raw_dir and the circuity factor.
    "meta": """
        CREATE TABLE meta (
            key   VARCHAR PRIMARY KEY,
            value VARCHAR NOT NULL
        )""",
}

#: Keys of the tables that carry no ``PRIMARY KEY`` index (see the module notes), checked by the build.
UNINDEXED_KEYS: dict[str, tuple[str, ...]] = {
    "practice_list": ("practice_code", "sex", "age_band"),
    "lsoa_adjacency": ("a", "b"),
    "postcode": ("postcode",),
    "practice_lsoa": ("practice_code", "sex", "lsoa21_code"),
}

#: Secondary indexes, created after the rows are in.
INDEXES: tuple[str, ...] = (
    "CREATE INDEX practice_sub_icb ON practice(sub_icb_code)",
    "CREATE INDEX lsoa_sub_icb ON lsoa(sub_icb_code)",
    "CREATE INDEX practice_lsoa_practice ON practice_lsoa(practice_code)",
)


def create_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Create every table of :data:`TABLES` (empty) on ``con``."""
    for ddl in TABLES.values():
        con.execute(ddl)


def create_indexes(con: duckdb.DuckDBPyConnection) -> None:
    """Create the secondary indexes of :data:`INDEXES` on ``con``."""
    for ddl in INDEXES:
        con.execute(ddl)


def columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    """Return the column names of ``table`` on ``con``, in table order."""
    return [r[0] for r in con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position",
        [table]).fetchall()]


def duplicate_key(con: duckdb.DuckDBPyConnection, table: str) -> tuple | None:
    """Return one value of ``table``'s :data:`UNINDEXED_KEYS` key held by more than one row, or None."""
    key = ", ".join(UNINDEXED_KEYS[table])
    return con.execute(f'SELECT {key} FROM "{table}" GROUP BY {key} HAVING count(*) > 1 LIMIT 1').fetchone()


def stored_version(con: duckdb.DuckDBPyConnection) -> str | None:
    """Return the store's ``meta.schema_version``, or None when it has no meta table or no version."""
    try:
        row = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    except duckdb.CatalogException:
        return None
    return None if row is None else str(row[0])
