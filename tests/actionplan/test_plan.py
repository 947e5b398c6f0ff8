import csv
import datetime as dt
import io
import re
from collections import Counter
from decimal import Decimal

import openpyxl
import pytest
from django.contrib.auth.models import Group, User
from django.db import IntegrityError, transaction

from actionplan import services
from actionplan.models import BudgetFigure, Deliverable, Outcome, ProgressReport
from actionplan.money import Money, total
from actionplan.selectors import budget_overview, plan_with_structure
from core.errors import DomainError
from core.permissions import SYSTEM

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(load_content):
    load_content()
    return plan_with_structure(slug="sse-2023-2029")


def test_the_loaded_plan_matches_the_seed(plan):
    assert (plan.start_year, plan.end_year, plan.currency, plan.source_date) == (
        2023,
        2029,
        "USD",
        dt.date(2022, 9, 29),
    )
    assert [o.number for o in plan.objectives.all()] == [1, 2, 3]
    codes = [oc.code for o in plan.objectives.all() for oc in o.outcomes.all()]
    assert codes == ["1.1", "1.2", "1.3", "2.1", "2.2", "2.3", "3.1", "3.2", "3.3"]
    per_outcome = Counter(
        d.outcome.code for d in Deliverable.objects.filter(outcome__objective__plan=plan)
    )
    assert per_outcome == {
        "1.1": 1,
        "1.2": 4,
        "1.3": 1,
        "2.1": 2,
        "2.2": 1,
        "2.3": 1,
        "3.1": 2,
        "3.2": 4,
        "3.3": 1,
    }
    assert sum(per_outcome.values()) == 17
    assert [p.letter for p in plan.principles.all()] == ["a", "b", "c", "d", "e"]
    assert "approved" in plan.decision_en
    assert "وافق مجلس الإدارة" in plan.decision_ar


def test_references_and_timeframes_are_structured_and_queryable(plan):
    first = Deliverable.objects.get(outcome__code="1.1")
    assert [p.code for p in first.conclusion_paragraphs.all()] == ["7(a)", "16(b)"]
    assert sorted(p.code for p in first.programme_outcomes.all()) == ["4.1", "A.2"]
    assert (first.start_year, first.end_year, first.timeframe) == (2023, 2029, "2023–29")
    only_2023 = Deliverable.objects.filter(start_year=2023, end_year=2023)
    assert only_2023.count() == 2
    assert {d.outcome.code for d in only_2023} == {"1.2"}
    assert Deliverable.objects.filter(end_year=2028).count() == 2
    assert Deliverable.objects.filter(conclusion_paragraphs__code="16(i)").count() == 3
    assert Deliverable.objects.filter(programme_outcomes__code="B.1").count() == 2
    assert Deliverable.objects.filter(conclusion_paragraphs__paragraph=16).distinct().count() == 17


def test_budget_figures_and_decimal_total(plan):
    budget = budget_overview(plan)
    assert [line.current for line in budget["lines"]] == [
        Money(Decimal("15600000"), "USD"),
        Money(Decimal("17200000"), "USD"),
        Money(Decimal("4700000"), "USD"),
    ]
    assert budget["total"].current == Money(Decimal("37500000.00"), "USD")
    assert budget["objectives_sum"] == Money(Decimal("37500000"), "USD")
    assert budget["consistent"] is True
    assert budget["total"].current.as_json() == {"amount": "37500000.00", "currency": "USD"}
    # Decimal, never float: 0.1 + 0.2 stays exact.
    assert total([Decimal("0.1"), Decimal("0.2")], "USD").amount == Decimal("0.3")
    with pytest.raises(TypeError):
        Money(15.6, "USD")


def test_a_revision_keeps_the_history_and_must_add_up(plan):
    objective = plan.objectives.get(number=3)
    revision = BudgetFigure(
        plan=plan,
        objective=objective,
        kind="revision",
        amount=Decimal("5000000"),
        as_of=dt.date(2025, 1, 1),
    )
    with pytest.raises(
        DomainError,
        match=re.escape("add up to 37,800,000.00 USD, but the plan's total is 37,500,000.00 USD"),
    ):
        services.budget_figure_add(figure=revision, actor=SYSTEM)
    BudgetFigure.objects.create(
        plan=plan,
        objective=None,
        kind="revision",
        amount=Decimal("37800000"),
        as_of=dt.date(2025, 1, 1),
    )
    services.budget_figure_add(figure=revision, actor=SYSTEM)
    budget = budget_overview(plan_with_structure(slug=plan.slug))
    line = budget["lines"][2]
    assert line.changed
    assert line.original.amount == Decimal("4700000")
    assert line.current.amount == Decimal("5000000")
    assert budget["consistent"]


@pytest.mark.parametrize(
    "bad",
    [
        {"amount": Decimal("-1")},
    ],
)
def test_database_refuses_negative_amounts(plan, bad):
    with pytest.raises(IntegrityError), transaction.atomic():
        BudgetFigure.objects.create(plan=plan, as_of=dt.date(2024, 1, 1), **bad)


def test_database_refuses_inverted_timeframes_and_duplicate_reports(plan):
    outcome = Outcome.objects.get(code="1.1")
    with pytest.raises(IntegrityError), transaction.atomic():
        Deliverable.objects.create(outcome=outcome, text_en="x", start_year=2027, end_year=2024)
    deliverable = Deliverable.objects.get(outcome=outcome)
    ProgressReport.objects.create(deliverable=deliverable, year=2024, status="on_track")
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgressReport.objects.create(deliverable=deliverable, year=2024, status="at_risk")
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgressReport.objects.create(
            deliverable=deliverable, year=2025, status="on_track", expenditure=Decimal("-5")
        )


def test_services_explain_refusals(plan):
    deliverable = Deliverable.objects.get(outcome__code="1.1")
    services.progress_report_save(
        report=ProgressReport(deliverable=deliverable, year=2024, status="on_track"), actor=SYSTEM
    )
    with pytest.raises(DomainError, match="already has a progress report for 2024"):
        services.progress_report_save(
            report=ProgressReport(deliverable=deliverable, year=2024, status="at_risk"),
            actor=SYSTEM,
        )
    with pytest.raises(DomainError, match="within the plan's period"):
        services.progress_report_save(
            report=ProgressReport(deliverable=deliverable, year=2031, status="at_risk"),
            actor=SYSTEM,
        )
    outside = Deliverable(outcome=deliverable.outcome, text_en="x", start_year=2021, end_year=2024)
    with pytest.raises(Exception, match="within the plan's period"):
        outside.full_clean()


def _user(name, group):
    user = User.objects.create_user(
        name, f"{name}@example.org", "a-long-password-123", is_staff=True
    )
    user.groups.add(Group.objects.get(name=group))
    return User.objects.get(pk=user.pk)


def test_officers_report_progress_but_cannot_edit_the_plan(plan, client):
    officer = _user("officer", "Officer")
    reviewer = _user("reviewer", "Reviewer")
    assert officer.has_perm("actionplan.add_progressreport")
    assert officer.has_perm("actionplan.change_progressreport")
    assert not officer.has_perm("actionplan.change_deliverable")
    assert not officer.has_perm("actionplan.change_plan")
    assert reviewer.has_perm("actionplan.change_deliverable")
    assert reviewer.has_perm("actionplan.change_budgetfigure")
    client.force_login(officer)
    deliverable = Deliverable.objects.get(outcome__code="1.1")
    assert client.get(f"/en/admin/actionplan/deliverable/{deliverable.pk}/change/").status_code in (
        200,
        403,
    )
    response = client.post(
        f"/en/admin/actionplan/deliverable/{deliverable.pk}/change/", {"text_en": "Hijacked"}
    )
    assert response.status_code == 403
    response = client.post(
        "/en/admin/actionplan/progressreport/add/",
        {
            "deliverable": deliverable.pk,
            "year": "2024",
            "status": "on_track",
            "narrative_en": "Research programme launched.",
            "narrative_ar": "أُطلق برنامج البحوث.",
            "expenditure": "125000.50",
        },
    )
    assert response.status_code == 302
    report = ProgressReport.objects.get(deliverable=deliverable, year=2024)
    assert report.reported_by == officer
    assert report.expenditure == Decimal("125000.50")
    assert report.history.first().history_user == officer
    duplicate = client.post(
        "/ar/admin/actionplan/progressreport/add/",
        {"deliverable": deliverable.pk, "year": "2024", "status": "at_risk"},
    )
    assert duplicate.status_code == 200
    assert ProgressReport.objects.filter(deliverable=deliverable).count() == 1


def test_officers_link_published_evidence_and_keep_what_a_report_links_to(plan, client):
    from hub import services as hub_services
    from hub.models import Resource

    officer = _user("officer", "Officer")
    assert not officer.has_perm("hub.view_resource")
    evidence = Resource.objects.published().get(identifier="south-4-care-launch-2025")
    draft = Resource(
        title_en="Unpublished evaluation", resource_type="publication", publication_year=2025
    )
    hub_services.resource_save(resource=draft, actor=SYSTEM)
    deliverable = Deliverable.objects.get(outcome__code="1.1")
    form = {"deliverable": deliverable.pk, "year": "2024", "status": "on_track"}
    client.force_login(officer)

    # A draft is neither offered nor accepted, even by its id.
    found = client.get(
        "/en/admin/autocomplete/",
        {
            "app_label": "actionplan",
            "model_name": "progressreport",
            "field_name": "evidence",
            "term": "",
        },
    ).json()["results"]
    assert str(evidence.pk) in {r["id"] for r in found}
    assert str(draft.pk) not in {r["id"] for r in found}
    refused = client.post(
        "/en/admin/actionplan/progressreport/add/", {**form, "evidence": [draft.pk]}
    )
    assert refused.status_code == 200
    assert "evidence" in refused.context["adminform"].form.errors
    assert "Unpublished evaluation" not in refused.content.decode()
    assert not ProgressReport.objects.filter(deliverable=deliverable, year=2024).exists()

    added = client.post(
        "/en/admin/actionplan/progressreport/add/", {**form, "evidence": [evidence.pk]}
    )
    assert added.status_code == 302
    report = ProgressReport.objects.get(deliverable=deliverable, year=2024)
    assert list(report.evidence.all()) == [evidence]

    # Evidence archived since stays linked, and the report can still be edited.
    hub_services.resource_archive(resource=evidence, actor=SYSTEM)
    edited = client.post(
        f"/en/admin/actionplan/progressreport/{report.pk}/change/",
        {**form, "evidence": [evidence.pk], "narrative_en": "Second draft of the findings."},
    )
    assert edited.status_code == 302
    report.refresh_from_db()
    assert report.narrative_en == "Second draft of the findings."
    assert list(report.evidence.all()) == [evidence]


def test_admin_refuses_budgets_that_do_not_add_up(plan, client):
    client.force_login(
        User.objects.create_superuser("root", "r@example.org", "a-long-password-123")
    )
    response = client.get(f"/en/admin/actionplan/plan/{plan.pk}/change/")
    assert (
        "The objectives&#x27; estimates add up to the plan&#x27;s total."
        in response.content.decode()
    )


def test_downloads_parse_back(plan, client):
    deliverable = Deliverable.objects.get(outcome__code="3.3")
    ProgressReport.objects.create(
        deliverable=deliverable,
        year=2024,
        status="on_track",
        narrative_ar="خطة قيد الإعداد",
        expenditure=Decimal("10.25"),
    )
    raw = client.get("/en/action-plan/sse-2023-2029/download/plan.csv").content
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == 17
    assert rows[0]["Conclusions paragraphs"] == "7(a), 16(b)"
    assert rows[0]["Deliverable (Arabic)"].startswith("وضع وتنفيذ وتعميم برنامج")
    book = openpyxl.load_workbook(
        io.BytesIO(client.get("/ar/action-plan/sse-2023-2029/download/progress.xlsx").content)
    )
    sheet = book.active
    values = list(sheet.iter_rows(values_only=True))
    # Downloaded from /ar/: headers and status for people, in Arabic (no English snake_case).
    assert values[0] == (
        "الحصيلة",
        "النتيجة الرفيعة المستوى (بالإنكليزية)",
        "النتيجة الرفيعة المستوى (بالعربية)",
        "السنة",
        "الحالة",
        "السرد (بالإنكليزية)",
        "السرد (بالعربية)",
        "النفقات",
        "العملة",
        "الأدلة",
        "تاريخ الإبلاغ",
    )
    assert len(values) == 2
    assert values[1][3] == 2024
    assert values[1][6] == "خطة قيد الإعداد"
    assert values[1][7] == "10.25"
    assert values[1][4] != "on_track"
    assert not values[1][4].isascii()


@pytest.mark.parametrize(
    ("lang", "table", "title", "right_to_left"),
    [
        ("ar", "plan", "جدول الخطة", True),
        ("ar", "progress", "التقارير المرحلية", True),
        ("en", "plan", "Plan table", False),
        ("en", "progress", "Progress reports", False),
    ],
)
def test_a_spreadsheet_is_named_and_laid_out_in_the_language_of_its_page(
    plan, client, lang, table, title, right_to_left
):
    response = client.get(f"/{lang}/action-plan/sse-2023-2029/download/{table}.xlsx")
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [title]
    assert bool(book.active.sheet_view.rightToLeft) is right_to_left


def test_plan_page_in_arabic_has_the_chart_and_its_table(plan, client):
    html = client.get("/ar/action-plan/sse-2023-2029/").content.decode()
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in html
    assert "تقديرات الموارد حسب الهدف" in html
    # One convention: Arabic-Indic digits, the currency named, outcome codes written as codes.
    assert "٣٧٫٥ مليون دولار أمريكي" in html
    assert "USD" not in html
    assert "الحصيلة ٣-٣" in html
    # The references beside the plan's own codes take the same convention: conclusions
    # paragraphs ("٧(أ)") and Programme and Budget outcomes ("٤-١", "A-٢").
    refs = " ".join(re.findall(r'<td class="refs"[^>]*>(.*?)</td>', html, re.S))
    refs = re.sub(r"<[^>]+>", "", refs)
    assert "٧(أ)" in refs
    assert "٤-١" in refs
    assert not re.search(r"[0-9]", refs), refs
    # The principles lettered as the Arabic paper letters them, (أ) to (هـ).
    letters = re.findall(r"<dt>\((.+?)\)</dt>", html)
    assert letters == ["أ", "ب", "ج", "د", "هـ"]
    english = client.get("/en/action-plan/sse-2023-2029/").content.decode()
    assert re.findall(r"<dt>\((.+?)\)</dt>", english) == ["a", "b", "c", "d", "e"]


def test_deliverable_filters_have_shareable_urls(plan, client):
    response = client.get(
        "/en/action-plan/sse-2023-2029/deliverables/", {"year": "2023", "conclusion": "9(n)"}
    )
    # 9(n): the four 1.2 rows, the first 2.1 row, 2.2 and 2.3, all active in 2023.
    assert len(response.context["deliverables"]) == 7
    response = client.get(
        "/en/action-plan/sse-2023-2029/deliverables/", {"year": "2029", "conclusion": "9(n)"}
    )
    assert len(response.context["deliverables"]) == 3
