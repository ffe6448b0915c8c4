"""Admin pages for accounts: create, edit, deactivate, reset passwords; bad input never stores anything."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from crm.audit.models import AuditLog
from crm.domain.access import Role
from crm.users.models import User
from tests.conftest import TEST_PASSWORD, sign_in


def new_user_form(world, **overrides):  # type: ignore[no-untyped-def]
    data = {
        "username": "newbie",
        "display_name": "新同事",
        "role": "staff",
        "unit_id": str(world.units["branch_a1"].id),
        "title": "",
        "title_note": "",
        "email": "newbie@example.gov.cn",
        "phone": "0375-1234567",
        "password": "Start-passw0rd",
        "is_active": "y",
    }
    data.update(overrides)
    return data


def count_users(session) -> int:  # type: ignore[no-untyped-def]
    return session.scalar(sa.select(sa.func.count()).select_from(User))


def test_admin_creates_a_user_who_can_sign_in(auth, client, session, world):
    auth.login_as("admin")
    response = client.post("/admin/users/new", data=new_user_form(world))
    assert response.status_code == 302
    user = session.scalars(sa.select(User).where(User.username == "newbie")).one()
    assert user.role is Role.STAFF and user.unit_id == world.units["branch_a1"].id
    assert user.password_hash.startswith("$argon2id$")
    client.post("/logout")
    assert auth.login("newbie", "Start-passw0rd").status_code == 302


def test_leader_needs_a_title(auth, client, session, world):
    auth.login_as("admin")
    response = client.post("/admin/users/new", data=new_user_form(world, role="leader"))
    assert response.status_code == 400
    assert "县级领导必须选择职务" in response.get_data(as_text=True)
    response = client.post("/admin/users/new", data=new_user_form(world, role="leader", title="deputy_head", title_note="分管工业"))
    assert response.status_code == 302
    leader = session.scalars(sa.select(User).where(User.username == "newbie")).one()
    assert leader.title.value == "deputy_head" and leader.title_note == "分管工业"


@pytest.mark.parametrize(
    "overrides,field_message",
    [
        ({"username": "staff_a1"}, "该用户名已被使用"),
        ({"username": "STAFF_A1"}, "该用户名已被使用"),
        ({"username": "张三"}, "用户名须为"),
        ({"username": "a" * 41}, "不能超过 40 个字符"),
        ({"display_name": ""}, "必填项"),
        ({"display_name": "名" * 61}, "不能超过 60 个字符"),
        ({"display_name": "张\x00三"}, "控制字符"),
        ({"display_name": "张\u202e三"}, "控制字符"),
        ({"role": "superuser"}, "请从列表中选择"),
        ({"unit_id": "999999"}, "请从列表中选择"),
        ({"unit_id": "abc"}, "请从列表中选择"),
        ({"title": "emperor"}, "请从列表中选择"),
        ({"title": "county_head"}, "只有县级领导才有职务"),
        ({"email": "not-an-email"}, "邮箱格式不正确"),
        ({"phone": "call me"}, "电话只能包含"),
        ({"password": "short"}, "密码至少 8 位"),
    ],
)
def test_bad_input_is_refused_next_to_the_field_and_kept(auth, client, session, world, overrides, field_message):
    auth.login_as("admin")
    before = count_users(session)
    data = new_user_form(world, **overrides)
    response = client.post("/admin/users/new", data=data)
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert field_message in text
    assert "invalid-feedback" in text
    if overrides.get("display_name", "x") and "\x00" not in overrides.get("display_name", ""):
        assert "新同事" in text or overrides.get("display_name", "") in text  # typed values survive
    assert count_users(session) == before


def test_forged_unit_from_another_county_is_refused(auth, client, session, world):
    auth.login_as("admin")
    response = client.post("/admin/users/new", data=new_user_form(world, unit_id=str(world.units["branch_b1"].id)))
    assert response.status_code == 400
    assert session.scalars(sa.select(User).where(User.username == "newbie")).first() is None


def test_admin_list_shows_only_their_subtree(auth, client, world):
    auth.login_as("admin")
    text = client.get("/admin/users/").get_data(as_text=True)
    assert "<td>staff_a1<" in text
    assert "staff_b1" not in text
    text = client.get("/admin/users/?q=staff&role=staff").get_data(as_text=True)
    assert "<td>staff_a2<" in text and "<td>admin_a<" not in text
    assert "没有符合条件的用户" in client.get("/admin/users/?q=staff_b1").get_data(as_text=True)


def test_list_search_treats_wildcards_literally(auth, client, world):
    auth.login_as("admin")
    text = client.get("/admin/users/?q=%25").get_data(as_text=True)
    assert "没有符合条件的用户" in text


def test_admin_of_a_branch_manages_only_below(auth, client, world):
    # admin_bureau sits at the bureau: county-level accounts are outside their subtree.
    auth.login_as("admin_bureau")
    assert client.get(f"/admin/users/{world.users['staff'].id}/edit").status_code == 200
    assert client.get(f"/admin/users/{world.users['leader'].id}/edit").status_code == 404


def test_edit_user_and_stale_edit(auth, client, session, world):
    auth.login_as("admin")
    target = world.users["staff_a2"]
    form = new_user_form(world, display_name="改名后", unit_id=str(world.units["branch_a2"].id), version=str(target.version))
    form.pop("username"), form.pop("password")
    assert client.post(f"/admin/users/{target.id}/edit", data=form).status_code == 302
    session.expire_all()
    assert session.get(User, target.id).display_name == "改名后"
    # The same form posted again carries the old version: someone else saved in between.
    form["display_name"] = "第三个名字"
    response = client.post(f"/admin/users/{target.id}/edit", data=form)
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert "已被他人修改" in text
    assert "改名后" in text  # the other change is shown
    assert "第三个名字" in text  # and what this user typed is kept
    session.expire_all()
    assert session.get(User, target.id).display_name == "改名后"


def test_role_change_ends_the_users_sessions(app, auth, client, session, world):
    target = world.users["staff_a2"]
    other = app.test_client()
    sign_in(other, target.get_id(), target.id)
    assert other.get("/").status_code == 200
    auth.login_as("admin")
    form = new_user_form(world, display_name=target.display_name, role="chief", unit_id=str(target.unit_id), version=str(target.version))
    form.pop("username"), form.pop("password")
    assert client.post(f"/admin/users/{target.id}/edit", data=form).status_code == 302
    assert other.get("/").status_code == 302


def test_admin_cannot_lock_themselves_out(auth, client, session, world):
    me = auth.login_as("admin")
    form = new_user_form(world, display_name=me.display_name, role="staff", unit_id=str(me.unit_id), version=str(me.version))
    form.pop("username"), form.pop("password")
    response = client.post(f"/admin/users/{me.id}/edit", data=form)
    assert response.status_code == 400
    assert "不能修改自己的管理员角色" in response.get_data(as_text=True)
    response = client.post(f"/admin/users/{me.id}/active", data={"active": "0"})
    assert response.status_code == 302
    session.expire_all()
    assert session.get(User, me.id).is_active


def test_deactivate_and_reactivate(auth, client, session, world):
    auth.login_as("admin")
    target = world.users["staff_a2"]
    assert client.post(f"/admin/users/{target.id}/active", data={"active": "0"}).status_code == 302
    session.expire_all()
    assert not session.get(User, target.id).is_active
    client.post("/logout")
    assert "用户名或密码错误" in auth.login("staff_a2").get_data(as_text=True)
    auth.login_as("admin")
    client.post(f"/admin/users/{target.id}/active", data={"active": "1"})
    client.post("/logout")
    assert auth.login("staff_a2").status_code == 302


def test_reset_password(auth, client, session, world):
    auth.login_as("admin")
    target = world.users["staff_a2"]
    response = client.post(f"/admin/users/{target.id}/password", data={"new_password": "Reset-passw0rd", "confirm": "Reset-passw0rd"})
    assert response.status_code == 302
    client.post("/logout")
    assert auth.login("staff_a2", TEST_PASSWORD).status_code == 200
    assert auth.login("staff_a2", "Reset-passw0rd").status_code == 302


def test_reset_password_refuses_weak_passwords(auth, client, world):
    auth.login_as("admin")
    target = world.users["staff_a2"]
    response = client.post(f"/admin/users/{target.id}/password", data={"new_password": "12345678", "confirm": "12345678"})
    assert response.status_code == 400
    assert "字母和数字" in response.get_data(as_text=True)


def test_user_changes_are_audited_with_the_password_redacted(auth, client, session, world):
    auth.login_as("admin")
    target = world.users["staff_a2"]
    client.post(f"/admin/users/{target.id}/password", data={"new_password": "Reset-passw0rd", "confirm": "Reset-passw0rd"})
    rows = session.scalars(
        sa.select(AuditLog).where(AuditLog.record_type == "users", AuditLog.record_id == target.id, AuditLog.action == "update")
    ).all()
    fields = {row.field: row for row in rows}
    assert fields["password_hash"].new_value == "（已修改，内容不记录）"
    assert "argon2" not in (fields["password_hash"].old_value or "")
    assert fields["session_version"].old_value == "1" and fields["session_version"].new_value == "2"
    assert fields["password_hash"].actor_id == world.users["admin"].id
    assert "admin_a" in fields["password_hash"].actor_label
