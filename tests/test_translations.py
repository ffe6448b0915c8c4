"""The English catalog: complete, well-formed, in step with the source, and used.

Source strings are Chinese (the default locale, no catalog needed); English
comes from ``crm/translations/en/LC_MESSAGES/messages.po``.  When a test here
fails after a UI change, run ``make translations-update`` and translate every
new (empty) msgstr.
"""

from __future__ import annotations

import io
import os
import re
import tempfile
from gettext import GNUTranslations
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask

ROOT = Path(__file__).resolve().parent.parent
BABEL_CFG = ROOT / "babel.cfg"
TRANSLATIONS = ROOT / "crm" / "translations"
EN_PO = TRANSLATIONS / "en" / "LC_MESSAGES" / "messages.po"
EN_MO = EN_PO.with_suffix(".mo")
# The input directories and keywords of `make translations-update`.
SOURCE_DIRS = ("crm", "templates")
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None}
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdif]")
HOW_TO_FIX = "run: make translations-update, then translate"


def load_en() -> Catalog:
    with EN_PO.open("rb") as f:
        return read_po(f, locale="en")


def msgid_of(message_id: str | tuple[str, ...]) -> str:
    return message_id[0] if isinstance(message_id, tuple) else message_id


def ensure_compiled_en(app: Flask) -> None:
    """Build messages.mo from the .po when it is missing or stale (fresh checkout).

    The .mo is git-ignored and normally built by `make install`/`make translations`.
    """
    if EN_MO.exists() and EN_MO.stat().st_mtime >= EN_PO.stat().st_mtime:
        return
    buffer = io.BytesIO()
    write_mo(buffer, load_en(), use_fuzzy=True)  # as the Makefile: compile --use-fuzzy
    fd, tmp = tempfile.mkstemp(dir=EN_MO.parent, suffix=".mo.tmp")
    with os.fdopen(fd, "wb") as f:
        f.write(buffer.getvalue())
    os.chmod(tmp, 0o644)
    os.replace(tmp, EN_MO)
    # Flask-Babel caches loaded catalogs per locale; forget any stale or empty one.
    from crm.extensions import babel

    with app.app_context():
        babel.domain_instance.cache.clear()


# (a) The catalog itself ---------------------------------------------------


def test_en_catalog_is_complete_and_well_formed() -> None:
    catalog = load_en()
    messages = [m for m in catalog if m.id]
    assert messages, "the English catalog is empty"
    assert not catalog.fuzzy, "the catalog header is marked fuzzy"

    untranslated = [msgid_of(m.id) for m in messages if not m.string or (m.pluralizable and not all(m.string))]
    fuzzy = [msgid_of(m.id) for m in messages if m.fuzzy]
    assert not untranslated, f"untranslated messages ({HOW_TO_FIX}): {untranslated}"
    assert not fuzzy, f"fuzzy messages (check and clear the flag): {fuzzy}"

    problems = [f"{msgid_of(m.id)!r}: {error}" for m, errors in catalog.check() for error in errors]
    assert not problems, "placeholder errors:\n" + "\n".join(problems)

    # Stricter than check(): the same named placeholders on both sides, none lost.
    mismatched = [
        (m.id, m.string)
        for m in messages
        if not m.pluralizable and sorted(PLACEHOLDER.findall(m.id)) != sorted(PLACEHOLDER.findall(m.string))
    ]
    assert not mismatched, f"placeholders differ between msgid and msgstr: {mismatched}"


def test_en_catalog_compiles_and_formats() -> None:
    catalog = load_en()
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    translations = GNUTranslations(buffer)
    for message in catalog:
        if message.id and not message.pluralizable:
            assert translations.gettext(message.id) == message.string
    assert translations.gettext("密码至少 %(n)d 位") % {"n": 10} == "Password must be at least 10 characters"


# (b) In step with the source ----------------------------------------------


def _not_hidden(dirpath: str) -> bool:
    # Babel's default filter also skips folders starting with "_", and templates/_macros holds strings
    # (the Makefile passes --ignore-dirs='.*' for the same reason).
    return not os.path.basename(dirpath).startswith(".")


def extracted_msgids() -> dict[str, str]:
    """Every msgid in crm/ and templates/, as `pybabel extract -F babel.cfg -k _l` finds them."""
    with BABEL_CFG.open(encoding="utf-8") as f:
        method_map, options_map = parse_mapping_cfg(f, str(BABEL_CFG))
    found: dict[str, str] = {}
    for directory in SOURCE_DIRS:
        for filename, lineno, message, _comments, _context in extract_from_dir(
            str(ROOT / directory), method_map, options_map, keywords=KEYWORDS, strip_comment_tags=True,
            directory_filter=_not_hidden,
        ):
            found.setdefault(msgid_of(message), f"{directory}/{filename}:{lineno}")
    return found


def test_every_source_string_has_an_english_translation() -> None:
    found = extracted_msgids()
    # Sanity: both extractors ran (a Python _l() string and a template _() string).
    assert "招商专员" in found and found["招商专员"].startswith("crm/")
    assert "退出" in found and found["退出"].startswith("templates/")
    assert "上一页" in found and found["上一页"].startswith("templates/_macros/")

    catalog = load_en()
    missing = []
    for msgid, where in sorted(found.items()):
        message = catalog.get(msgid)
        if message is None or not message.string or message.fuzzy:
            missing.append(f"{msgid!r} ({where})")
    assert not missing, (
        f"{len(missing)} message(s) without an English translation — {HOW_TO_FIX}:\n" + "\n".join(missing)
    )


# (c) The app speaks English when asked ------------------------------------


@pytest.fixture
def compiled_en(app: Flask) -> None:
    ensure_compiled_en(app)


def test_switching_to_english(compiled_en, client, auth) -> None:
    auth.login_as("staff")
    chinese = client.get("/").get_data(as_text=True)
    assert "工作台" in chinese and "退出" in chinese

    response = client.post("/account/preferences", data={"prefs-locale": "en"})
    assert response.status_code == 302

    page = client.get("/").get_data(as_text=True)
    assert '<html lang="en">' in page
    for chinese_text in ("工作台", "退出"):
        english_text = load_en().get(chinese_text).string
        assert english_text in page
        assert chinese_text not in page
    assert "Investment officer" in page  # the staff member's role label (lazy _l)
