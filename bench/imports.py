"""A county's 项目台账 of 20,000 rows imported against a library of 200,000 companies (issue 13).

    .venv/bin/python bench/imports.py                       # a temporary SQLite file under --workdir
    .venv/bin/python bench/imports.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/bk_imp
    .venv/bin/python bench/imports.py --reuse --profile preview     # the library as built before; cProfile one phase

Build (skipped with ``--reuse``): the database is emptied and migrated, the 鲁山县 demo is loaded (``crm demo
load``: units, accounts, chains, a few projects), and 200,000 companies named by ``bench/synth.py`` are bulk-inserted
through the app's schema (PostgreSQL: COPY) with their blocking keys computed by the app's ``keys_for``; about 10 %
get a second name (an alias or a former name), as in ``bench/city_companies.py``. Search text is left as the
lower-cased names (the import never reads the pinyin). Then a 项目台账 .xlsx is written with openpyxl's write-only
mode: a title, a 填报单位 line, a header with 总投资（亿元）, and 20,000 projects of 5,000 distinct investors — half
exact library names, a quarter variants of library names (synth's own variants: region dropped, legal form
shortened, a homophone …; or 有限公司 → 有限责任公司, or the region prefix dropped), a quarter new names — with stages
as counties write them (洽谈中, 已签约, 在建, 已投产), 签约时间 as 2025.4 and 开工时间 as 2025年6月.

Run (in a fresh process, so its peak memory is the import's and not the build's): the library is copied (SQLite:
the file; PostgreSQL: ``CREATE DATABASE <name>_run TEMPLATE <name>``), and on the copy, as staff1 of 第一招商分局:

1. parse + convert: ``open_book`` and ``convert_sheet``;
2. preview: ``plan_import`` (then rolled back);
3. commit: ``commit_import`` and one ``session.commit()`` at the end.

Each phase prints its wall time; the peak resident memory of the import process (VmHWM) is printed at the end.
Targets (docs/PERFORMANCE.md): preview ≤ 30 s, commit ≤ 60 s, peak memory ≤ 1 GB.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import hashlib
import io
import os
import pstats
import random
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import sqlalchemy as sa  # noqa: E402
from city import Clock, empty_database, load_demo_scenario  # noqa: E402
from city_companies import LEGAL_FORMS, _region_map  # noqa: E402
from synth import generate  # noqa: E402

IMPORTER = "staff1"  # 第一招商分局专员 of the demo
IMPORTER_NAME = "第一招商分局专员"
BATCH = 20_000
PRODUCTS = ("新型建材", "碳素新材料", "金刚石微粉", "超硬材料", "尼龙新材料", "高端纺织", "功能性面料", "智能装备", "汽车零部件",
            "精密模具", "电子元器件", "锂电池", "光伏组件", "生物医药", "医疗器械", "食品加工", "预制菜", "冷链物流", "仓储物流",
            "电商产业园", "数字经济", "文旅康养", "农产品深加工", "特色养殖", "中药材种植", "户外用品", "体育用品", "工艺品",
            "环保设备", "再生资源利用")
SCALES = ("年产5万吨", "年产10万吨", "年产20万吨", "年产300万件", "年产1000万套", "年产50万台", "", "", "", "")
KINDS = ("项目", "产业园项目", "生产线项目", "基地项目", "扩建项目", "智能工厂项目", "研发中心项目")
SITES = ("产业集聚区", "高新区", "物流园区", "城南工业园", "张官营镇", "梁洼镇", "辛集乡", "董周乡")
# (stage word, share): how a county's ledger says where a project stands.
STAGES = (("洽谈中", 40), ("在谈", 5), ("已签约", 25), ("签约", 3), ("在建", 15), ("已开工", 3), ("已投产", 6), (None, 3))


def rss_mb() -> float:
    """The peak resident memory of this process so far, in MB. Linux: VmHWM, which starts afresh at exec —
    ``ru_maxrss`` would carry the building parent's peak into the import process it starts."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux, bytes on macOS


# --- the library ---------------------------------------------------------------------------------------------
def _entities(n: int, seed: int) -> tuple[list[tuple[str, str, list[str]]], list[tuple[str, str, list[str]]]]:
    """(library, outside): the first ``n`` entities synth names (name, credit code, its other spellings), and the
    entities after them, which are the ledger's new investors."""
    raw = generate(int(n * 1.25) + 100, seed=seed, dup_share=0.105)
    entities: list[tuple[str, str, list[str]]] = []
    index: dict[int, int] = {}
    for _id, name, code, entity in raw:
        if entity in index:
            entities[index[entity]][2].append(name)
        else:
            index[entity] = len(entities)
            entities.append((name, code, []))
    return entities[:n], entities[n:]


def _copy_rows(connection: sa.Connection, table: str, columns: list[str], rows: list[tuple[Any, ...]]) -> None:
    if connection.dialect.name == "postgresql":
        cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
        quoted = ", ".join(f'"{c}"' for c in columns)
        with cursor.copy(f'COPY "{table}" ({quoted}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row(row)
        return
    statement = sa.text(f'INSERT INTO "{table}" ({", ".join(columns)}) VALUES ({", ".join(":" + c for c in columns)})')
    for start in range(0, len(rows), BATCH):
        connection.execute(statement, [dict(zip(columns, row)) for row in rows[start : start + BATCH]])


def build_library(engine: sa.Engine, n: int, seed: int) -> tuple[list[tuple[str, str, list[str]]], list[tuple[str, str, list[str]]]]:
    from crm.companies.duplicates import keys_for
    from crm.db import utcnow
    from crm.domain.companies import OtherNameKind
    from crm.domain.dedup.credit_code import is_valid_credit_code

    library, outside = _entities(n, seed)
    with engine.connect() as connection:
        first = (connection.execute(sa.text("SELECT COALESCE(MAX(id), 0) FROM companies")).scalar_one() or 0) + 1
        first_name = (connection.execute(sa.text("SELECT COALESCE(MAX(id), 0) FROM company_names")).scalar_one() or 0) + 1
        taken = {c for (c,) in connection.execute(sa.text("SELECT credit_code FROM companies WHERE credit_code IS NOT NULL"))}
    rng = random.Random(seed)
    now = utcnow()
    companies, names, keys = [], [], []
    for i, (name, code, variants) in enumerate(library):
        cid = first + i
        if not code or code in taken or not is_valid_credit_code(code):
            code = ""
        taken.add(code)
        all_names = [name]
        if variants and variants[0].strip() and variants[0].strip() != name and rng.random() < 0.35:
            other = variants[0].strip()[:200]
            kind = OtherNameKind.FORMER if rng.random() < 0.3 else OtherNameKind.ALIAS
            names.append((first_name + len(names), cid, other, kind.value, now))
            all_names.append(other)
        companies.append((cid, name, code or None, " ".join(n.lower() for n in all_names), 1, now, now))
        keys += [(cid, k[:80]) for k in sorted(keys_for(all_names))]
    with engine.begin() as connection:
        _copy_rows(connection, "companies", ["id", "name", "credit_code", "search_text", "version", "created_at", "updated_at"], companies)
        _copy_rows(connection, "company_names", ["id", "company_id", "name", "kind", "created_at"], names)
        _copy_rows(connection, "company_name_keys", ["company_id", "key"], keys)
        if connection.dialect.name == "postgresql":
            for table in ("companies", "company_names"):
                connection.execute(sa.text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"))
    print(f"  library: {len(companies):,} companies, {len(names):,} other names, {len(keys):,} blocking keys", flush=True)
    return library, outside


# --- the ledger ----------------------------------------------------------------------------------------------
def _variant(rng: random.Random, name: str, spellings: list[str], regions: dict[str, Any]) -> str:
    """A library name as another ledger writes it: one of synth's spellings, 有限责任公司 for 有限公司, or no region."""
    usable = [s.strip() for s in spellings if s.strip() and s.strip() != name]
    if usable and rng.random() < 0.5:
        return rng.choice(usable)
    if name.endswith("有限公司") and not name.endswith("有限责任公司") and not name.endswith("股份有限公司") and rng.random() < 0.5:
        return name[: -len("有限公司")] + "有限责任公司"
    region = next((name[:k] for k in range(min(len(name) - 2, 18), 1, -1) if name[:k] in regions), None)
    if region and len(name) - len(region) >= 4:
        return name[len(region):]
    return name.replace("有限公司", "公司") if "有限公司" in name else name + "有限公司"


def _core(name: str, regions: dict[str, Any]) -> str:
    """The 字号 and trade of a company name, for a project's name: no region, no legal form."""
    region = next((name[:k] for k in range(min(len(name) - 2, 18), 1, -1) if name[:k] in regions), None)
    rest = name[len(region):] if region else name
    for form in LEGAL_FORMS + ("公司",):
        if rest.endswith(form):
            return rest[: -len(form)][:8]
    return rest[:8]


def _month(rng: random.Random, low: int, high: int) -> int:
    return rng.randint(low, high)  # months counted from 2024-01 (0); 2026-11 is 34


def _written(index: int, style: int) -> str:
    year, month = 2024 + index // 12, index % 12 + 1
    return f"{year}.{month}" if style == 0 else f"{year}年{month}月"


def ledger_rows(rng: random.Random, investors: list[str], rows: int, regions: dict[str, Any]) -> list[list[Any]]:
    weights = [1 / (i + 1) ** 0.6 for i in range(len(investors))]
    picks = list(investors) + rng.choices(investors, weights, k=rows - len(investors))
    rng.shuffle(picks)
    words = [w for w, _ in STAGES]
    shares = [s for _, s in STAGES]
    seen: set[str] = set()
    out = []
    for number, investor in enumerate(picks, 1):
        name = f"{_core(investor, regions)}{rng.choice(SCALES)}{rng.choice(PRODUCTS)}{rng.choice(KINDS)}"
        phase = 1
        while name in seen:
            phase += 1
            name = name.removesuffix(f"（{phase - 1}期）") + f"（{phase}期）"
        seen.add(name)
        stage = rng.choices(words, shares)[0]
        signed = started = produced = None
        if stage in ("已签约", "签约", "在建", "已开工", "已投产"):
            s = _month(rng, 0, 30)
            signed = _written(s, 0)
            if stage in ("在建", "已开工", "已投产"):
                t = _month(rng, s, min(s + 8, 33))
                started = _written(t, 1)
                if stage == "已投产":
                    produced = _written(_month(rng, t, 34), 0)
        total = round(rng.lognormvariate(0.8, 0.9), 2)
        out.append([number, name, investor, total, stage, signed, started, produced, rng.choice(SITES),
                    f"建设{rng.choice(PRODUCTS)}生产线及配套设施", IMPORTER_NAME if rng.random() < 0.2 else None,
                    "台账导入基准" if rng.random() < 0.1 else None])
    return out


def write_ledger(path: Path, library: list[tuple[str, str, list[str]]], outside: list[tuple[str, str, list[str]]], rows: int,
                 investors: int, seed: int) -> dict[str, int]:
    import openpyxl

    rng = random.Random(seed + 1)
    regions = _region_map()
    exact_n, variant_n = investors // 2, investors // 4
    new_n = investors - exact_n - variant_n
    chosen = rng.sample(range(len(library)), exact_n + variant_n)
    exact = [library[i][0] for i in chosen[:exact_n]]
    variants = [_variant(rng, library[i][0], library[i][2], regions) for i in chosen[exact_n:]]
    new = [name for name, _code, _spellings in outside[:new_n]]
    names = list(dict.fromkeys(exact + variants + new))
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("项目台账")
    sheet.append(["鲁山县2026年招商引资项目台账"])
    sheet.append(["填报单位：第一招商分局"])
    sheet.append(["序号", "项目名称", "投资方", "总投资（亿元）", "项目阶段", "签约时间", "开工时间", "投产时间", "建设地点", "建设内容",
                  "跟踪人", "备注"])
    for row in ledger_rows(rng, names, rows, regions):
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    path.write_bytes(buffer.getvalue())
    return {"exact": len(exact), "variants": len(variants), "new": len(new), "distinct": len(names)}


# --- the run -------------------------------------------------------------------------------------------------
def run_copy(url: str, workdir: Path) -> str:
    """A copy of the library to import into, so ``--reuse`` starts from the same library every time."""
    parsed = sa.engine.make_url(url)
    if url.startswith("postgresql"):
        copy = parsed.set(database=f"{parsed.database}_run")
        admin = sa.create_engine(parsed.set(database="template1"), isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{copy.database}"')
            connection.exec_driver_sql(f'CREATE DATABASE "{copy.database}" TEMPLATE "{parsed.database}"')
        admin.dispose()
        return copy.render_as_string(hide_password=False)
    target = workdir / "run.db"
    shutil.copyfile(parsed.database, target)
    return f"sqlite:///{target}"


def timed(what: str, profile: str | None, workdir: Path, call: Any) -> Any:
    profiler = cProfile.Profile() if profile == what else None
    started = time.perf_counter()
    if profiler is not None:
        profiler.enable()
    result = call()
    if profiler is not None:
        profiler.disable()
    elapsed = time.perf_counter() - started
    print(f"  {what:<16} {elapsed:7.1f} s   (peak RSS so far {rss_mb():,.0f} MB)", flush=True)
    if profiler is not None:
        out = workdir / f"profile-{what}.txt"
        profiler.dump_stats(str(out.with_suffix(".prof")))  # for pstats' callers/callees
        with out.open("w") as handle:
            stats = pstats.Stats(profiler, stream=handle)
            stats.sort_stats("cumulative").print_stats(45)
            stats.sort_stats("tottime").print_stats(30)
        print(f"  (profile: {out})")
    return result, elapsed


def run_phases(url: str, ledger: Path, workdir: Path, profile: str | None, preview_only: bool = False) -> None:
    from crm import create_app
    from crm.access.policy import build_actor
    from crm.access.scoping import SYSTEM, set_scope
    from crm.audit.services import set_audit_actor
    from crm.domain.imports.fields import Kind
    from crm.extensions import db
    from crm.imports.reading import Limits, open_book
    from crm.imports.services import commit_import, plan_import
    from crm.imports.sheets import convert_sheet
    from crm.users.models import User

    data = ledger.read_bytes()
    app = create_app({"DATABASE_URL": run_copy(url, workdir), "SECRET_KEY": "bench"})
    print(f"import of {ledger.name} ({len(data) / 1024 / 1024:.1f} MB) on {url.split(':')[0].split('+')[0]}:", flush=True)
    with app.app_context():
        sheet, _ = timed("parse+convert", profile, workdir,
                         lambda: convert_sheet(open_book(data, ledger.name, Limits.from_config(app.config)).sheet(), Kind.PROJECTS))
        set_scope(db.session, SYSTEM)
        user = db.session.scalars(sa.select(User).where(User.username == IMPORTER)).one()
        actor = build_actor(user)
        unit = user.unit
        set_scope(db.session, actor)
        set_audit_actor(db.session, user.id, f"{user.display_name}（基准）")
        plan, _ = timed("preview", profile, workdir, lambda: plan_import(actor, Kind.PROJECTS, sheet, unit))
        totals = plan.totals
        print(f"    plan: {totals.rows:,} rows, {totals.new:,} new, {totals.updated:,} update, {totals.unchanged:,} unchanged, "
              f"{totals.decisions:,} decisions, {totals.errors:,} errors, {totals.skipped:,} skipped", flush=True)
        errors = [e for row in plan.rows for e in row.errors][:5]
        for error in errors:
            print(f"    e.g. {error}")
        db.session.rollback()
        del plan
        gc.collect()

        def commit() -> Any:
            outcome = commit_import(actor, Kind.PROJECTS, sheet, unit, None, file_name=ledger.name,
                                    sha256=hashlib.sha256(data).hexdigest(), sheet_name="项目台账")
            db.session.commit()
            return outcome

        if preview_only:
            print(f"peak RSS of the import process: {rss_mb():,.0f} MB (no commit: --preview-only)", flush=True)
            return
        outcome, _ = timed("commit", profile, workdir, commit)
        print(f"    import #{outcome.import_id}: {outcome.created:,} created, {outcome.updated:,} updated, {outcome.skipped:,} skipped, "
              f"{len(outcome.refused):,} refused", flush=True)
        for line in outcome.refused[:5]:
            print(f"    e.g. {line}")
        with db.engine.connect() as connection:
            counts = {t: connection.execute(sa.text(f"SELECT count(*) FROM {t}")).scalar_one()
                      for t in ("companies", "projects", "project_stage_events", "audit_log")}
        print("    after: " + ", ".join(f"{t} {n:,}" for t, n in counts.items()))
    print(f"peak RSS of the import process: {rss_mb():,.0f} MB", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=None, help="default: a SQLite file in --workdir")
    parser.add_argument("--workdir", default="/tmp/crm-bench-imports")
    parser.add_argument("--companies", type=int, default=200_000)
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--investors", type=int, default=5_000)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--reuse", action="store_true", help="import into a copy of the library built before (no build)")
    parser.add_argument("--profile", choices=("parse+convert", "preview", "commit"), default=None,
                        help="cProfile this phase; the top functions go to WORKDIR/profile-PHASE.txt")
    parser.add_argument("--preview-only", action="store_true", help="with --reuse: stop after the preview")
    args = parser.parse_args(argv)
    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    os.environ["CRM_INSTANCE_PATH"] = str(workdir / "instance")
    url = args.database_url or f"sqlite:///{workdir / 'library.db'}"
    ledger = workdir / f"项目台账-{args.rows}-{args.investors}-{args.companies}-{args.seed}.xlsx"
    if args.reuse:
        run_phases(url, ledger, workdir, args.profile, args.preview_only)
        return 0

    from crm import create_app
    from crm.extensions import db
    from crm.migrate import run as run_alembic

    clock = Clock()
    empty_database(url)
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench"})
    with app.app_context():
        run_alembic(db.engine, "upgrade", "head")
        load_demo_scenario()
        clock.lap("empty database, migrate, demo scenario")
        library, outside = build_library(db.engine, args.companies, args.seed)
        clock.lap(f"{args.companies:,} companies")
        with db.engine.begin() as connection:
            connection.exec_driver_sql("ANALYZE")
        db.engine.dispose()
    mix = write_ledger(ledger, library, outside, args.rows, args.investors, args.seed)
    clock.lap(f"ledger: {args.rows:,} rows, investors {mix}")
    del library, outside
    # The import runs in a process of its own: its peak memory is the import's, not the build's.
    command = [sys.executable, __file__, "--database-url", url, "--workdir", str(workdir), "--companies", str(args.companies),
               "--rows", str(args.rows), "--investors", str(args.investors), "--seed", str(args.seed), "--reuse"]
    if args.profile:
        command += ["--profile", args.profile]
    return subprocess.call(command)


if __name__ == "__main__":
    sys.exit(main())
