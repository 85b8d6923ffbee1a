"""Importing a year's official calendar from a CSV: checked whole, audited, all or nothing."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import AuditEvent
from registry.calendar import working_days_between
from registry.calendar_import import calendar_year_import, parse_calendar_csv
from registry.models import CalendarDay
from tests.registry.factories import CalendarDayFactory

pytestmark = pytest.mark.django_db

GOOD = (
    "date,type,name\n"
    "2027-01-01,holiday,New Year\n"
    "2027-02-06,workday,Spring Festival make-up\n"
    "2027-02-08,休,春节\n"
    "2027-02-09,holiday,Spring Festival\n"
).encode()


@pytest.fixture
def as_registrar(client, registrar):  # type: ignore[no-untyped-def]
    client.force_login(registrar)
    return client


def upload(content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("calendar-2027.csv", content, content_type="text/csv")


def test_a_good_file_replaces_the_year_and_is_audited(registrar):
    CalendarDayFactory(date=date(2027, 5, 3), name="Guessed", is_working_day=False)
    rows = calendar_year_import(actor=registrar, year=2027, content=GOOD)
    assert len(rows) == 4
    days = dict(CalendarDay.objects.filter(date__year=2027).values_list("date", "is_working_day"))
    assert days == {
        date(2027, 1, 1): False,
        date(2027, 2, 6): True,
        date(2027, 2, 8): False,
        date(2027, 2, 9): False,
    }
    event = AuditEvent.objects.get(verb="registry.calendar.imported")
    assert event.payload == {"year": 2027, "holidays": 3, "workdays": 1, "replaced": 1}


def test_imported_days_drive_working_day_arithmetic(registrar):
    calendar_year_import(actor=registrar, year=2027, content=GOOD)
    # Fri 5 Feb → Wed 10 Feb: Sat 6 (make-up) and Tue 10 work; Mon 8, Tue 9 are holidays.
    assert working_days_between(date(2027, 2, 5), date(2027, 2, 10)) == 2


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("2027-13-01,holiday,Bad", "Line 3: the date must be written YYYY-MM-DD"),
        ("2026-10-01,holiday,Wrong year", "Line 3: the date is not in 2027"),
        ("2027-03-03,day off,Unknown", "Line 3: the type must be holiday (休) or workday (班)"),
        ("2027-03-03,workday,Wednesday", "Line 3: a make-up working day must be a Saturday"),
        ("2027-01-01,holiday,Twice", "Line 3: this date is listed twice"),
        ("2027-03-03,holiday", "Line 3: expected three values: date, type, name"),
        (f"2027-03-03,holiday,{'x' * 101}", "Line 3: the name is longer than 100 characters"),
    ],
)
def test_each_bad_row_is_reported_by_line_and_nothing_is_saved(registrar, line, message):
    content = f"date,type,name\n2027-01-01,holiday,New Year\n{line}\n".encode()
    with pytest.raises(ValidationError) as caught:
        calendar_year_import(actor=registrar, year=2027, content=content)
    assert any(m.startswith(message) for m in caught.value.messages), caught.value.messages
    assert not CalendarDay.objects.filter(date__year=2027).exists()
    assert not AuditEvent.objects.filter(verb="registry.calendar.imported").exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The first line must be the header"),
        (b"day,kind\n2027-01-01,holiday\n", "The first line must be the header"),
        (b"date,type,name\n", "The file must list between 1 and 200 days."),
        (b"date,type,name\n\xff\xfe,holiday,x\n", "The file must be UTF-8 text (CSV)."),
        (b"date,type,name\n" + b"x" * 70_000, "The file is larger than 64 KB."),
        (b"\x00" * 10, "The first line must be the header"),
    ],
)
def test_a_file_that_is_not_a_calendar_is_refused_whole(content, message):
    with pytest.raises(ValidationError) as caught:
        parse_calendar_csv(content, year=2027)
    assert any(m.startswith(message) for m in caught.value.messages), caught.value.messages


def test_every_bad_row_is_listed_not_only_the_first():
    content = b"date,type,name\n2027-13-01,holiday,a\n2027-03-03,workday,b\n"
    with pytest.raises(ValidationError) as caught:
        parse_calendar_csv(content, year=2027)
    assert [m[:6] for m in caught.value.messages] == ["Line 2", "Line 3"]


@time_machine.travel(date(2026, 11, 28))
def test_the_calendar_page_imports_a_year_in_one_step(as_registrar):
    url = reverse("admin:registry_calendarday_import")
    page = as_registrar.get(url)
    assert page.status_code == 200 and b'value="2027"' in page.content
    response = as_registrar.post(url, {"year": 2027, "file": upload(GOOD)})
    assert response.status_code == 302
    assert CalendarDay.objects.filter(date__year=2027).count() == 4
    after = as_registrar.get(reverse("admin:registry_calendarday_changelist"))
    assert b'id="calendar-warning"' not in after.content


def test_the_import_page_shows_every_row_error_and_saves_nothing(as_registrar):
    url = reverse("admin:registry_calendarday_import")
    bad = b"date,type,name\n2027-13-01,holiday,a\n2027-03-03,workday,b\n"
    response = as_registrar.post(url, {"year": 2027, "file": upload(bad)})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Nothing was saved" in html and "Line 2:" in html and "Line 3:" in html
    assert not CalendarDay.objects.filter(date__year=2027).exists()


def test_the_import_page_refuses_a_year_out_of_range_without_a_server_error(as_registrar):
    url = reverse("admin:registry_calendarday_import")
    response = as_registrar.post(url, {"year": "99999999999999", "file": upload(GOOD)})
    assert response.status_code == 400
    assert not CalendarDay.objects.exists()


def test_staff_without_the_calendar_permission_cannot_import(client, caseworker):
    client.force_login(caseworker)
    response = client.post(
        reverse("admin:registry_calendarday_import"), {"year": 2027, "file": upload(GOOD)}
    )
    assert response.status_code == 403
    assert not CalendarDay.objects.exists()
