"""A plan looks each of the file's company names up once, in a few batched queries (``prefetch_names``): the
answers must be those of ``find_company_by_name``, row by row — a merged company stands for its survivor, an other
name finds its company, a company's own name comes before another's alias."""

from __future__ import annotations

from crm.access.scoping import SYSTEM, set_scope
from crm.companies.models import Company, CompanyName
from crm.companies.services import find_company_by_name
from crm.domain.companies import OtherNameKind
from crm.domain.imports.fields import Kind
from crm.extensions import db
from crm.imports.companies import company_named, prefetch_names
from crm.imports.context import Context
from tests.factories import new_company
from tests.test_imports_commit import acting, ledger, sheet_of


def test_prefetched_company_names_answer_as_find_company_by_name(app, world):
    with app.app_context():
        set_scope(db.session, SYSTEM)
        survivor = new_company(db.session, "平顶山华源新材料有限公司")
        merged = new_company(db.session, "华源新材料（平顶山）有限公司", merged_into_id=survivor.id)
        aliased = new_company(db.session, "河南鑫源实业集团有限公司")
        db.session.add(CompanyName(company_id=aliased.id, name="鑫源集团", kind=OtherNameKind.ALIAS))
        own = new_company(db.session, "鑫源实业")  # its own name, which is also another company's alias below
        db.session.add(CompanyName(company_id=aliased.id, name="鑫源实业", kind=OtherNameKind.ALIAS))
        db.session.commit()
        ids = {"survivor": survivor.id, "own": own.id, "aliased": aliased.id}
        assert merged.id
    names = ["华源新材料（平顶山）有限公司", "鑫源集团", "鑫源实业", " 河南鑫源实业集团有限公司 ", "没有这家公司", "荣格精工有限公司"]
    rows = [[i, f"项目{i}", name, 1, None, "洽谈中", None, None, None, None] for i, name in enumerate(names, 1)]
    sheet = sheet_of(ledger(*rows))
    with acting(app, world.users["staff"]) as actor:
        ctx = Context(actor, Kind.PROJECTS, None, sheet.layout, {}, None)  # type: ignore[arg-type]
        prefetch_names(ctx, sheet.records())
        read = [record.investor for record in sheet.records()]  # as the cells read (trimmed)
        assert {k[1] for k in ctx.answers} == set(read) and len(read) == len(names)
        for name in read:
            expected = find_company_by_name(name)
            assert ctx.answers[("company", name)] == ((expected.id, expected.name) if expected else None), name
            assert company_named(ctx, name) == ctx.answers[("company", name)]
        assert ctx.answers[("company", "华源新材料（平顶山）有限公司")][0] == ids["survivor"]
        assert ctx.answers[("company", "鑫源集团")][0] == ids["aliased"]
        assert ctx.answers[("company", "鑫源实业")][0] == ids["own"]
        assert db.session.get(Company, world.records["company"]).name == "荣格精工有限公司"
