"""zones, zone_parts, zone_land and zone_buildings: 园区 (规划面积, 建成区, 分区, 主导产业), its land ledger in 亩
(储备, 已征, 报批, 供地) and its 标准化厂房 in m² (issue 17)

Revision ID: 0028
Revises: 0024
Create Date: 2026-12-04
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0028"
down_revision = "0026"
branch_labels = None
depends_on = None


def _common(table: str) -> list[sa.Column | sa.Constraint]:  # UnitOwned, Versioned, Timestamped
    return [
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name=op.f(f"fk_{table}_unit_id_units"), ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
    ]


def _zone_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(["zone_id"], ["zones.id"], name=op.f(f"fk_{table}_zone_id_zones"), ondelete="CASCADE")


def _indexes(table: str, *columns: str) -> None:
    with op.batch_alter_table(table, schema=None) as batch_op:
        for column in columns:
            batch_op.create_index(batch_op.f(f"ix_{table}_{column}"), [column], unique=False)


def upgrade() -> None:
    op.create_table(
        "zones",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("level", sa.String(length=60), nullable=True),
        sa.Column("planned_km2", sa.Numeric(10, 2), nullable=True),
        sa.Column("built_km2", sa.Numeric(10, 2), nullable=True),
        sa.Column("industries", sa.String(length=200), nullable=True),
        sa.Column("firms", sa.Integer(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("is_active", sa.Boolean(), server_default=sa.true(), nullable=False),
        *_common("zones"),
        sa.CheckConstraint("planned_km2 IS NULL OR planned_km2 >= 0", name=op.f("ck_zones_planned_not_negative")),
        sa.CheckConstraint("built_km2 IS NULL OR built_km2 >= 0", name=op.f("ck_zones_built_not_negative")),
        sa.CheckConstraint("length(trim(name)) > 0", name=op.f("ck_zones_has_name")),
    )
    _indexes("zones", "unit_id")
    op.create_table(
        "zone_parts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("zone_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("planned_km2", sa.Numeric(10, 2), nullable=True),
        sa.Column("industries", sa.String(length=200), nullable=True),
        *_common("zone_parts"),
        _zone_fk("zone_parts"),
        sa.UniqueConstraint("zone_id", "name", name=op.f("uq_zone_parts_zone_id_name")),
        sa.CheckConstraint("planned_km2 IS NULL OR planned_km2 >= 0", name=op.f("ck_zone_parts_planned_not_negative")),
    )
    _indexes("zone_parts", "zone_id", "unit_id")
    op.create_table(
        "zone_land",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("zone_id", sa.Integer(), nullable=False),
        sa.Column("part_id", sa.Integer(), nullable=True),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("reserve_mu", sa.Numeric(12, 2), nullable=False),
        sa.Column("acquired_mu", sa.Numeric(12, 2), nullable=False),
        sa.Column("approving_mu", sa.Numeric(12, 2), nullable=False),
        sa.Column("supplied_mu", sa.Numeric(12, 2), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        *_common("zone_land"),
        _zone_fk("zone_land"),
        sa.ForeignKeyConstraint(["part_id"], ["zone_parts.id"], name=op.f("fk_zone_land_part_id_zone_parts"), ondelete="CASCADE"),
        sa.CheckConstraint("reserve_mu >= 0 AND acquired_mu >= 0 AND approving_mu >= 0 AND supplied_mu >= 0", name=op.f("ck_zone_land_not_negative")),
        sa.CheckConstraint("approving_mu + supplied_mu <= acquired_mu", name=op.f("ck_zone_land_within_acquired")),
    )
    _indexes("zone_land", "zone_id", "part_id", "unit_id")
    op.create_table(
        "zone_buildings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("zone_id", sa.Integer(), nullable=False),
        sa.Column("part_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("status", sa.Enum("planned", "building", "built", name="zone_building_status", native_enum=False, create_constraint=True,
                                    length=16), nullable=False),
        sa.Column("total_m2", sa.Numeric(12, 2), nullable=False),
        sa.Column("let_m2", sa.Numeric(12, 2), nullable=False),
        sa.Column("tenants", sa.String(length=500), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        *_common("zone_buildings"),
        _zone_fk("zone_buildings"),
        sa.ForeignKeyConstraint(["part_id"], ["zone_parts.id"], name=op.f("fk_zone_buildings_part_id_zone_parts"), ondelete="SET NULL"),
        sa.CheckConstraint("total_m2 >= 0 AND let_m2 >= 0", name=op.f("ck_zone_buildings_not_negative")),
        sa.CheckConstraint("let_m2 <= total_m2", name=op.f("ck_zone_buildings_let_within_total")),
    )
    _indexes("zone_buildings", "zone_id", "part_id", "unit_id")


def downgrade() -> None:
    op.drop_table("zone_buildings")
    op.drop_table("zone_land")
    op.drop_table("zone_parts")
    op.drop_table("zones")
