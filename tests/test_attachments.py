"""Attachments: type from content, size limit, storage outside the web root, serving by access, delete."""

from __future__ import annotations

import hashlib
from io import BytesIO
from pathlib import Path
from urllib.parse import quote

import pytest
import sqlalchemy as sa
from werkzeug.datastructures import FileStorage

import crm
from crm.agreements.models import Agreement
from crm.attachments import services
from crm.attachments.models import Attachment
from crm.audit.models import AuditLog
from crm.errors import FieldError
from tests.world import TINY_PNG

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
JPG = bytes.fromhex("ffd8ffe000104a4649460001010000010001000000") + b"\x00" * 64 + bytes.fromhex("ffd9")
NOT_A_PDF = "这其实是一份 Word 文档，只是改了扩展名".encode("utf-8") * 20


def upload(client, agreement_id, content, name):  # type: ignore[no-untyped-def]
    return client.post(
        f"/agreements/{agreement_id}/attachments",
        data={"file": (BytesIO(content), name)},
        content_type="multipart/form-data",
    )


def stored_files(app) -> set[Path]:  # type: ignore[no-untyped-def]
    root = Path(app.instance_path) / "attachments"
    return {p for p in root.rglob("*") if p.is_file()} if root.exists() else set()


def attachment_count(session) -> int:  # type: ignore[no-untyped-def]
    return session.scalar(sa.select(sa.func.count()).select_from(Attachment))


# --- the service ------------------------------------------------------------------------------
def test_store_keeps_the_file_under_the_instance_folder_with_a_random_name(app, app_session, world):
    agreement = app_session.get(Agreement, world.records["agreement"])
    attachment = services.store(FileStorage(BytesIO(PDF), filename="投资协议书（盖章版）.pdf"), agreement, world.users["staff"].id)
    app_session.commit()
    assert attachment.record_type == "agreements" and attachment.record_id == agreement.id
    assert attachment.unit_id == agreement.unit_id
    assert attachment.original_name == "投资协议书（盖章版）.pdf"
    assert attachment.content_type == "application/pdf"
    assert attachment.size == len(PDF) and attachment.sha256 == hashlib.sha256(PDF).hexdigest()
    assert len(attachment.stored_name) == 32 and "协议" not in attachment.stored_name
    path = services.path_of(attachment)
    assert path.read_bytes() == PDF
    assert Path(app.instance_path).resolve() in path.resolve().parents
    assert path.parent.name == attachment.stored_name[2:4] and path.parent.parent.name == attachment.stored_name[:2]
    static = Path(crm.__file__).resolve().parent / "static"
    assert static not in path.resolve().parents
    with services.open_for(attachment) as handle:
        assert handle.read() == PDF


@pytest.mark.parametrize(
    "content,name,message",
    [
        (NOT_A_PDF, "协议.pdf", "只能上传 PDF、JPG 或 PNG 文件"),
        (b"MZ\x90\x00" + b"\x00" * 100, "scan.pdf", "只能上传 PDF、JPG 或 PNG 文件"),
        (b"<html><script>alert(1)</script></html>", "photo.png", "只能上传 PDF、JPG 或 PNG 文件"),
        (TINY_PNG, "扫描件.pdf", "文件内容是 PNG，与扩展名 .pdf 不符"),
        (PDF, "photo.jpg", "文件内容是 PDF，与扩展名 .jpg 不符"),
        (b"", "empty.pdf", "文件是空的"),
    ],
    ids=["text-renamed-pdf", "exe-renamed-pdf", "html-renamed-png", "png-named-pdf", "pdf-named-jpg", "empty"],
)
def test_store_refuses_by_content_and_keeps_nothing(app, app_session, world, content, name, message):
    agreement = app_session.get(Agreement, world.records["agreement"])
    before_files, before_rows = stored_files(app), attachment_count(app_session)
    with pytest.raises(FieldError) as refused:
        services.store(FileStorage(BytesIO(content), filename=name), agreement)
    assert refused.value.field == "file" and message in refused.value.message
    assert stored_files(app) == before_files
    assert attachment_count(app_session) == before_rows


def test_size_limit_is_exact(app, app_session, world, monkeypatch):
    monkeypatch.setattr(services, "MAX_SIZE", 100)
    agreement = app_session.get(Agreement, world.records["agreement"])
    services.store(FileStorage(BytesIO(PDF.ljust(100, b" ")), filename="a.pdf"), agreement)
    with pytest.raises(FieldError, match="20 MB"):
        services.store(FileStorage(BytesIO(PDF.ljust(101, b" ")), filename="b.pdf"), agreement)


def test_accepted_kinds_and_names(app, app_session, world):
    agreement = app_session.get(Agreement, world.records["agreement"])
    jpg = services.store(FileStorage(BytesIO(JPG), filename="现场照片.JPEG"), agreement)
    png = services.store(FileStorage(BytesIO(TINY_PNG), filename="C:\\Users\\张三\\Desktop\\..\\签约仪式"), agreement)
    sneaky = services.store(FileStorage(BytesIO(PDF), filename="../../etc/passwd\x07.pdf"), agreement)
    assert (jpg.content_type, jpg.original_name) == ("image/jpeg", "现场照片.JPEG")
    assert (png.content_type, png.original_name) == ("image/png", "签约仪式.png")  # the content's extension is added
    assert sneaky.original_name == "passwd.pdf"
    assert [a.id for a in services.attachments_of(agreement)][-3:] == [jpg.id, png.id, sneaky.id]


def test_a_rolled_back_upload_leaves_no_file(app, app_session, world):
    agreement = app_session.get(Agreement, world.records["agreement"])
    attachment = services.store(FileStorage(BytesIO(PDF), filename="a.pdf"), agreement)
    path = services.path_of(attachment)
    assert path.exists()
    app_session.rollback()
    assert not path.exists()
    # A request that ends without committing closes its session: same outcome.
    agreement = app_session.get(Agreement, world.records["agreement"])
    path = services.path_of(services.store(FileStorage(BytesIO(PDF), filename="b.pdf"), agreement))
    app_session.close()
    assert not path.exists()


def test_a_deleted_attachment_loses_its_file_only_when_committed(app, app_session, world):
    agreement = app_session.get(Agreement, world.records["agreement"])
    attachment = app_session.get(Attachment, world.records["agreement_file"])
    path = services.path_of(attachment)
    services.delete(attachment)
    app_session.rollback()
    assert path.exists()  # the row is back, so is its file
    attachment = app_session.get(Attachment, world.records["agreement_file"])
    services.delete(attachment)
    app_session.commit()
    assert not path.exists()
    assert services.attachments_of(agreement) == []


def test_content_disposition_carries_the_name_per_rfc_5987():
    header = services.content_disposition("投资协议书 第1页.pdf", download=True)
    assert header.startswith("attachment; filename=")
    assert f"filename*=UTF-8''{quote('投资协议书 第1页.pdf', safe='')}" in header
    assert services.content_disposition('a"b;c.png', download=False).startswith('inline; filename="a_b_c.png"')


# --- the pages --------------------------------------------------------------------------------
def test_upload_list_download_delete(app, auth, client, session, world):
    auth.login_as("staff")
    agreement_id = world.records["agreement"]
    response = upload(client, agreement_id, PDF, "海威投资协议书.pdf")
    assert response.status_code == 302 and response.headers["Location"].endswith("#attachments")
    attachment = session.scalars(sa.select(Attachment).where(Attachment.original_name == "海威投资协议书.pdf")).one()
    assert attachment.uploaded_by_id == world.users["staff"].id
    page = client.get(f"/agreements/{agreement_id}").get_data(as_text=True)
    assert "海威投资协议书.pdf" in page and "协议扫描件.png" in page

    served = client.get(f"/agreements/{agreement_id}/attachments/{attachment.id}")
    assert served.status_code == 200 and served.data == PDF
    assert served.headers["Content-Type"] == "application/pdf"
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    # A PDF is never opened in the app's origin (it was served inline: its script would have run there): a
    # download, sandboxed besides. A photo is still shown in place.
    assert served.headers["Content-Disposition"].startswith("attachment;")
    assert served.headers["Content-Security-Policy"].startswith("sandbox;") and "script" not in served.headers["Content-Security-Policy"]
    assert f"filename*=UTF-8''{quote('海威投资协议书.pdf', safe='')}" in served.headers["Content-Disposition"]
    assert "no-store" in served.headers["Cache-Control"]
    download = client.get(f"/agreements/{agreement_id}/attachments/{attachment.id}?download=1")
    assert download.headers["Content-Disposition"].startswith("attachment;")
    shown = client.get(f"/agreements/{agreement_id}/attachments/{world.records['agreement_file']}")
    assert shown.headers["Content-Disposition"].startswith("inline;") and shown.headers["Content-Security-Policy"].startswith("sandbox;")

    # The reviewer and the leader read it; they cannot delete it.
    for role in ("reviewer", "leader"):
        auth.login_as(role)
        assert client.get(f"/agreements/{agreement_id}/attachments/{attachment.id}").data == PDF
        assert client.post(f"/agreements/{agreement_id}/attachments/{attachment.id}/delete").status_code == 403

    auth.login_as("chief")
    path = Path(app.instance_path) / "attachments" / attachment.stored_name[:2] / attachment.stored_name[2:4] / attachment.stored_name
    assert path.exists()
    assert client.post(f"/agreements/{agreement_id}/attachments/{attachment.id}/delete").status_code == 302
    assert session.scalar(sa.select(sa.func.count()).select_from(Attachment).where(Attachment.id == attachment.id)) == 0
    assert not path.exists()
    deleted = session.scalars(
        sa.select(AuditLog).where(AuditLog.record_type == "attachments", AuditLog.record_id == attachment.id, AuditLog.action == "delete")
    ).one()
    assert deleted.actor_id == world.users["chief"].id and deleted.old_value == "海威投资协议书.pdf"
    assert client.get(f"/agreements/{agreement_id}/attachments/{attachment.id}").status_code == 404


@pytest.mark.parametrize(
    "content,name,message",
    [
        (NOT_A_PDF, "协议.pdf", "只能上传 PDF、JPG 或 PNG 文件"),
        (TINY_PNG, "协议.pdf", "与扩展名 .pdf 不符"),
        (None, "", "请选择要上传的文件"),
    ],
    ids=["text-renamed-pdf", "png-named-pdf", "no-file"],
)
def test_refused_upload_shows_a_message_next_to_the_field(app, auth, client, session, world, content, name, message):
    auth.login_as("staff")
    before_files, before_rows = stored_files(app), attachment_count(session)
    if content is None:
        response = client.post(f"/agreements/{world.records['agreement']}/attachments", data={}, content_type="multipart/form-data")
    else:
        response = upload(client, world.records["agreement"], content, name)
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert message in text and "invalid-feedback" in text
    assert stored_files(app) == before_files and attachment_count(session) == before_rows


def test_oversized_upload_is_refused_with_a_message(app, auth, client, session, world):
    auth.login_as("staff")
    before_files, before_rows = stored_files(app), attachment_count(session)
    big = PDF + b"0" * (services.MAX_SIZE + 1 - len(PDF))
    response = upload(client, world.records["agreement"], big, "大文件.pdf")
    assert response.status_code == 400
    assert "文件不能超过 20 MB" in response.get_data(as_text=True)
    assert stored_files(app) == before_files and attachment_count(session) == before_rows


def test_another_units_staff_gets_404_for_the_file(app, auth, client, world):
    auth.login_as("staff_a2")  # branch_a2; the agreement is branch_a1's
    agreement_id, file_id = world.records["agreement"], world.records["agreement_file"]
    assert client.get(f"/agreements/{agreement_id}/attachments/{file_id}").status_code == 404
    assert client.get(f"/agreements/{agreement_id}/attachments/{file_id}?download=1").status_code == 404
    assert client.post(f"/agreements/{agreement_id}/attachments/{file_id}/delete").status_code == 404
    assert upload(client, agreement_id, PDF, "a.pdf").status_code == 404
    # Their own agreement's id does not unlock another agreement's file either.
    own = world.records["agreement_a2"]
    assert client.get(f"/agreements/{own}/attachments/{file_id}").status_code == 404
    assert client.get(f"/agreements/{own}/attachments/{world.records['agreement_a2_file']}").status_code == 200
    assert client.get(f"/history/attachments/{file_id}").status_code == 404


def test_files_are_not_reachable_as_static_files(app, auth, client, world, session):
    auth.login_as("staff")
    attachment = session.get(Attachment, world.records["agreement_file"])
    for guess in (f"/static/{attachment.stored_name}", f"/static/attachments/{attachment.stored_name}", f"/attachments/{attachment.stored_name}"):
        assert client.get(guess).status_code == 404
