"""The edit forms' shared pieces (crm/web/forms.py): an EnumField holds the enum member (shown selected, handed to the
services), and VersionedForm refuses a stale edit of any kind of record alike, keeping what was typed."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
from werkzeug.datastructures import MultiDict

from crm.domain.leads import LeadGrade, LeadSource
from crm.web.forms import EnumField, VersionedForm
from tests.test_admin_units import unit_form
from tests.test_admin_users import new_user_form


class LeadLikeForm(VersionedForm):
    source = EnumField("来源方式", LeadSource)
    grade = EnumField("等级", LeadGrade, blank="—")


def selected(html: str, name: str) -> list[str]:
    """The values of the options shown selected in select ``name``."""
    options = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', html, re.S).group(1)
    return re.findall(r'<option selected value="([^"]*)"', options)


def test_an_enum_field_shows_the_records_member_and_hands_back_members(app):
    with app.test_request_context():
        form = LeadLikeForm(formdata=None, obj=SimpleNamespace(source=LeadSource.EXPO, grade=None, version=3))
        assert form.source.data is LeadSource.EXPO and form.grade.data is None
        assert selected(str(form.source), "source") == ["expo"] and selected(str(form.grade), "grade") == [""]
        assert form.version.data == 3

        posted = LeadLikeForm(formdata=MultiDict({"source": "chain", "grade": "B", "version": "3"}))
        assert posted.validate()
        assert posted.source.data is LeadSource.CHAIN and posted.grade.data is LeadGrade.B


@pytest.mark.parametrize("value", ["nonsense", "CHAIN", "chain\x00", "1e309"])
def test_an_enum_field_refuses_a_value_that_names_no_member(app, value):
    with app.test_request_context():
        form = LeadLikeForm(formdata=MultiDict({"source": value, "grade": value, "version": "1"}))
        assert not form.validate()
        assert [str(e) for e in form.errors["source"]] == ["请从列表中选择"]
        assert [str(e) for e in form.errors["grade"]] == ["请从列表中选择"]
        assert selected(str(form.source), "source") == []  # re-rendered with nothing chosen, never a 500


def test_a_required_enum_field_refuses_the_blank(app):
    with app.test_request_context():
        form = LeadLikeForm(formdata=MultiDict({"source": "", "grade": "", "version": "1"}))
        assert not form.validate() and "source" in form.errors and "grade" not in form.errors


def test_a_form_for_a_record_carries_its_version_until_posted(app):
    record = SimpleNamespace(version=7)
    with app.test_request_context():
        assert LeadLikeForm(formdata=None, record=record).version.data == 7
        # A post that lost its version is stale, not quietly given the record's current one.
        posted = LeadLikeForm(formdata=MultiDict({"source": "chain"}), record=record)
        assert posted.version.data is None and posted.stale_for(record)


def stale_edit(client, path: str, form: dict[str, str], first: dict[str, str], second: dict[str, str]) -> str:
    """Save ``first`` over ``form``, then post ``second`` from the same (now outdated) version; the refusal's page."""
    assert client.post(path, data={**form, **first}).status_code == 302
    response = client.post(path, data={**form, **second})
    assert response.status_code == 400
    return response.get_data(as_text=True)


def test_a_stale_edit_of_a_unit_or_an_account_keeps_what_was_typed(auth, client, world):
    auth.login_as("admin")
    squad = world.units["squad_a1"]
    page = stale_edit(
        client, f"/admin/units/{squad.id}/edit",
        unit_form(name=squad.name, type="squad", parent_id=str(squad.parent_id), version=str(squad.version)),
        {"head_title": "队长甲"}, {"head_title": "队长乙", "type": "command"},
    )
    assert "保存失败：该记录已被他人修改" in page
    assert 'value="队长乙"' in page and selected(page, "type") == ["command"]  # what was typed
    assert "队长甲" in page  # the other change is shown

    user = world.users["staff_a2"]
    form = new_user_form(world, display_name=user.display_name, unit_id=str(user.unit_id), version=str(user.version))
    form.pop("username"), form.pop("password")
    page = stale_edit(client, f"/admin/users/{user.id}/edit", form, {"phone": "0375-1111111"},
                      {"phone": "0375-2222222", "role": "chief"})
    assert "保存失败：该记录已被他人修改" in page
    assert 'value="0375-2222222"' in page and selected(page, "role") == ["chief"]
    assert "0375-1111111" in page
