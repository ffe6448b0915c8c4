"""Admin pages for the unit tree."""

from __future__ import annotations

import sqlalchemy as sa

from crm.units.models import Unit


def unit_form(**overrides):  # type: ignore[no-untyped-def]
    data = {"name": "新招商分局", "short_name": "", "type": "branch", "parent_id": "", "head_title": "局长", "sort_order": "3", "is_active": "y"}
    data.update(overrides)
    return data


def test_tree_shows_the_admins_subtree(auth, client, world):
    auth.login_as("admin")
    text = client.get("/admin/units/").get_data(as_text=True)
    assert "甲县珠三角小分队" in text
    assert "乙县" not in text


def test_create_a_unit_under_the_bureau(auth, client, session, world):
    auth.login_as("admin")
    response = client.post("/admin/units/new", data=unit_form(parent_id=str(world.units["bureau_a"].id)))
    assert response.status_code == 302
    unit = session.scalars(sa.select(Unit).where(Unit.name == "新招商分局")).one()
    assert unit.parent_id == world.units["bureau_a"].id


def test_parent_must_be_in_the_subtree(auth, client, session, world):
    auth.login_as("admin")
    response = client.post("/admin/units/new", data=unit_form(parent_id=str(world.units["county_b"].id)))
    assert response.status_code == 400
    assert "请从列表中选择" in response.get_data(as_text=True)
    assert session.scalars(sa.select(Unit).where(Unit.name == "新招商分局")).first() is None


def test_no_duplicate_names_under_one_parent(auth, client, world):
    auth.login_as("admin")
    response = client.post("/admin/units/new", data=unit_form(name="甲县第一招商分局", parent_id=str(world.units["bureau_a"].id)))
    assert response.status_code == 400
    assert "同一上级单位下已有同名单位" in response.get_data(as_text=True)


def test_a_unit_cannot_move_under_its_own_descendant(auth, client, world):
    auth.login_as("admin")
    branch = world.units["branch_a1"]
    form = unit_form(name=branch.name, parent_id=str(world.units["squad_a1"].id), version=str(branch.version))
    response = client.post(f"/admin/units/{branch.id}/edit", data=form)
    assert response.status_code == 400
    assert "上级单位不能是本单位或其下级单位" in response.get_data(as_text=True)


def test_a_unit_with_active_people_cannot_be_deactivated(auth, client, world):
    auth.login_as("admin")
    branch = world.units["branch_a2"]
    form = unit_form(name=branch.name, parent_id=str(branch.parent_id), version=str(branch.version))
    form.pop("is_active")
    response = client.post(f"/admin/units/{branch.id}/edit", data=form)
    assert response.status_code == 400
    assert "启用的用户" in response.get_data(as_text=True)


def test_rename_is_audited(auth, client, session, world):
    from crm.audit.models import AuditLog

    auth.login_as("admin")
    branch = world.units["branch_a2"]
    form = unit_form(name="甲县第二招商分局（轻纺）", parent_id=str(branch.parent_id), version=str(branch.version))
    assert client.post(f"/admin/units/{branch.id}/edit", data=form).status_code == 302
    row = session.scalars(
        sa.select(AuditLog).where(AuditLog.record_type == "units", AuditLog.record_id == branch.id, AuditLog.field == "name", AuditLog.action == "update")
    ).one()
    assert (row.old_value, row.new_value) == ("甲县第二招商分局", "甲县第二招商分局（轻纺）")
    history = client.get(f"/history/units/{branch.id}").get_data(as_text=True)
    assert "甲县第二招商分局（轻纺）" in history


def test_admin_cannot_move_their_own_unit(auth, client, world):
    auth.login_as("admin_bureau")
    bureau = world.units["bureau_a"]
    form = unit_form(name=bureau.name, type="bureau", parent_id=str(world.units["branch_a1"].id), version=str(bureau.version))
    response = client.post(f"/admin/units/{bureau.id}/edit", data=form)
    assert response.status_code == 400
    # Keeping the parent (shown as "unchanged") saves fine.
    form["parent_id"] = str(bureau.parent_id)
    assert client.post(f"/admin/units/{bureau.id}/edit", data=form).status_code == 302


def test_sort_order_must_be_a_small_number(auth, client, world):
    auth.login_as("admin")
    response = client.post("/admin/units/new", data=unit_form(parent_id=str(world.units["bureau_a"].id), sort_order="abc"))
    assert response.status_code == 400
    assert "新招商分局" in response.get_data(as_text=True)


def test_unit_pickers_offer_units_by_name_within_reach(auth, client, world):
    """The pickers ask by name: an admin's forms offer the admin's own subtree, a list's filter the units whose
    records the user reads; names carry their parent, since every county has a 第一招商分局."""
    def found(q: str, within: str = "visible") -> set[str]:
        return {o["text"] for o in client.get(f"/units/candidates?q={q}&within={within}").get_json()["options"]}

    auth.login_as("admin")
    assert found("第一", "manage") == {"甲县第一招商分局（甲县招商局）"}
    assert found("乙县", "manage") == set()
    auth.login_as("admin_b")
    assert found("第一", "manage") == {"乙县第一招商分局（乙县）"}
    auth.login_as("reviewer")
    assert found("分局") == {"甲县第一招商分局（甲县招商局）", "甲县第二招商分局（甲县招商局）"}
    auth.login_as("staff")
    assert found("分局") == {"甲县第一招商分局（甲县招商局）"}  # staff read their own unit's records only
    page = client.get("/admin/users/new")
    assert page.status_code == 403
    auth.login_as("admin")
    form = client.get("/admin/users/new").get_data(as_text=True)
    assert 'data-picker-url="/units/candidates?within=manage"' in form and "甲县第二招商分局" not in form
