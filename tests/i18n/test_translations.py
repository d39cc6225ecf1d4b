"""The Simplified Chinese catalogue: complete, well-formed, compiled, and what users see.

The rest of the suite runs in English (tests/conftest.py); these tests switch to Chinese, the
language Gendan speaks by default.
"""

import ast
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.utils import translation

import gendan
from gendan import settings as gendan_settings
from gendan.core.errors import Blocked
from gendan.orders.actions import transition_order
from gendan.orders.status import Status

LOCALE = Path(gendan.__file__).parent / "locale" / "zh_Hans" / "LC_MESSAGES"
PO = LOCALE / "django.po"
MO = LOCALE / "django.mo"

#: %(name)s, %s, %d, %.1f, %% … and {name} / {0} placeholders.
PERCENT = re.compile(r"%(?:\([^)]+\))?[-#0 +]*\d*(?:\.\d+)?[sdifrx%]")
BRACE = re.compile(r"(?<!\{)\{[A-Za-z_0-9]*\}(?!\})")


@dataclass
class Entry:
    context: str | None = None
    msgid: str = ""
    plural: str | None = None
    msgstr: list[str] = field(default_factory=list)
    flags: set[str] = field(default_factory=set)
    line: int = 0


def parse_po(path: Path) -> list[Entry]:
    """A small, strict reader of the catalogue (no third-party PO library is needed): entries
    are separated by blank lines; obsolete (#~) lines are skipped."""
    entries = []
    lines = path.read_text(encoding="utf-8").splitlines()
    start = 0
    for number, raw in enumerate([*lines, ""], 1):
        if raw.strip():
            continue
        block = [(n, line) for n, line in enumerate(lines[start : number - 1], start + 1)]
        start = number
        block = [(n, line) for n, line in block if not line.startswith("#~")]
        if not any(line.startswith("msgid") for _n, line in block):
            continue
        entry = Entry(line=block[0][0])
        target = ""
        for _n, line in block:
            if line.startswith("#,"):
                entry.flags |= {flag.strip() for flag in line[2:].split(",")}
                continue
            if line.startswith("#"):
                continue
            if not line.startswith('"'):
                target, _, line = line.partition(" ")
                if target.startswith("msgstr"):
                    entry.msgstr.append("")
            value = ast.literal_eval(line)
            if target == "msgctxt":
                entry.context = (entry.context or "") + value
            elif target == "msgid":
                entry.msgid += value
            elif target == "msgid_plural":
                entry.plural = (entry.plural or "") + value
            else:
                entry.msgstr[-1] += value
        entries.append(entry)
    return entries


@pytest.fixture(scope="module")
def entries() -> list[Entry]:
    return [entry for entry in parse_po(PO) if entry.msgid]


def placeholders(text: str) -> list[str]:
    return sorted(PERCENT.findall(text) + BRACE.findall(text))


def label(entry: Entry) -> str:
    context = f"[{entry.context}] " if entry.context else ""
    return f"line {entry.line}: {context}{entry.msgid[:70]!r}"


# --- the catalogue ---------------------------------------------------------------------------


def test_the_catalogue_has_the_chinese_header(entries):
    header = parse_po(PO)[0]
    assert header.msgid == ""
    assert "Language: zh_Hans" in header.msgstr[0]
    assert "Plural-Forms: nplurals=1; plural=0;" in header.msgstr[0]
    assert "fuzzy" not in header.flags
    assert len(entries) > 1000  # every app's strings are in it


def test_every_message_is_translated_and_none_is_fuzzy(entries):
    fuzzy = [label(e) for e in entries if "fuzzy" in e.flags]
    untranslated = [label(e) for e in entries if not e.msgstr or not all(e.msgstr)]
    assert not fuzzy, "fuzzy entries:\n" + "\n".join(fuzzy)
    assert not untranslated, "untranslated entries:\n" + "\n".join(untranslated)


def test_translations_keep_every_placeholder(entries):
    broken = []
    for entry in entries:
        if "no-python-format" in entry.flags:
            continue
        expected = placeholders(entry.plural if entry.plural is not None else entry.msgid)
        if entry.plural is not None:
            # Chinese has one plural form; it may drop the count of the singular.
            expected = sorted(set(expected) | set(placeholders(entry.msgid)))
        for text in entry.msgstr:
            found = placeholders(text)
            wrong = set(found) != set(expected) if entry.plural is not None else found != expected
            if wrong:
                broken.append(f"{label(entry)}: {expected} became {found} in {text!r}")
    assert not broken, "placeholders changed:\n" + "\n".join(broken)


def test_translations_are_chinese(entries):
    """A msgstr copied from the English msgid is an untranslated entry in disguise."""
    han = re.compile(r"[\u4e00-\u9fff]")
    suspicious = [
        label(e)
        for e in entries
        if re.search(r"[a-z]{3,}", PERCENT.sub("", BRACE.sub("", e.msgid)))
        and not any(han.search(text) for text in e.msgstr)
    ]
    assert not suspicious, "still in English:\n" + "\n".join(suspicious)


def test_the_sales_order_is_translated_apart_from_djangos_ordering_field(entries):
    by_key = {(e.context, e.msgid): e.msgstr[0] for e in entries}
    assert by_key[("sales order", "Order")] == "订单"
    with translation.override("zh-hans"):
        assert translation.pgettext("sales order", "Order") == "订单"
        assert translation.gettext("Orders") == "订单"


def test_the_committed_mo_matches_the_po(tmp_path):
    """`make run` on a fresh clone uses the committed .mo: it must be compiled from this .po."""
    fresh = tmp_path / "django.mo"
    result = subprocess.run(
        ["msgfmt", "--check", "-o", str(fresh), str(PO)], capture_output=True, text=True
    )
    if result.returncode == 127:  # pragma: no cover - gettext tools missing
        pytest.skip("msgfmt is not installed")
    assert result.returncode == 0, result.stderr
    assert MO.exists(), "compile the catalogue: make messages"
    assert catalogue_of(MO) == catalogue_of(fresh), "the .mo is stale: run make messages"


def catalogue_of(path: Path) -> dict[str, str]:
    import gettext

    with path.open("rb") as handle:
        return dict(gettext.GNUTranslations(handle)._catalog)  # type: ignore[attr-defined]


# --- what users see --------------------------------------------------------------------------


def test_chinese_is_the_default_language():
    assert gendan_settings.LANGUAGE_CODE == "zh-hans"
    assert [code for code, _name in gendan_settings.LANGUAGES] == ["zh-hans", "en"]
    assert str(django_settings.LOCALE_PATHS[0]) == str(LOCALE.parent.parent)


@pytest.fixture
def chinese(settings):
    """Production's default language: a browser that asks for nothing gets Chinese."""
    settings.LANGUAGE_CODE = "zh-hans"
    translation.activate("zh-hans")
    yield
    translation.activate("en")


@pytest.mark.django_db
def test_the_home_page_speaks_chinese_by_default(chinese, client_for, order):
    html = client_for("clerk").get("/").content.decode()

    assert '<html lang="zh-hans">' in html
    for text in ("首页", "订单", "待办", "我的待办", "退出登录"):
        assert text in html
    assert "My tasks" not in html
    assert "Sign out" not in html


@pytest.mark.django_db
def test_the_order_list_shows_chinese_labels_and_statuses(chinese, client_for, order):
    html = client_for("clerk").get("/orders/").content.decode()

    assert "<h1>订单</h1>" in html
    assert "草稿" in html  # the order's status badge
    assert order.number in html
    assert "No orders match" not in html


@pytest.mark.django_db
def test_the_order_page_shows_chinese_labels(chinese, client_for, order):
    html = client_for("clerk").get(f"/orders/{order.number}/").content.decode()

    for text in ("草稿", "客户", "明细", "下一步", "提交初审"):
        assert text in html, text
    assert "Next steps" not in html


@pytest.mark.django_db
def test_a_browser_asking_for_english_gets_english(chinese, client_for, order):
    client = client_for("clerk")

    html = client.get("/orders/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "<h1>Orders</h1>" in html
    assert "Draft" in html
    assert "草稿" not in html


@pytest.mark.django_db
def test_the_language_switch_changes_the_language(chinese, client_for, order):
    client: Client = client_for("clerk")
    assert "<h1>订单</h1>" in client.get("/orders/").content.decode()

    response = client.post("/i18n/setlang/", {"language": "en", "next": "/orders/"})
    assert response.status_code == 302
    assert response["Location"] == "/orders/"
    assert "<h1>Orders</h1>" in client.get("/orders/").content.decode()

    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/orders/"})
    assert "<h1>订单</h1>" in client.get("/orders/").content.decode()


@pytest.mark.django_db
def test_action_messages_are_translated(chinese, users, order):
    """A refused step answers in Chinese: the messages of actions are in the catalogue too."""
    with pytest.raises(Blocked) as refused:
        transition_order(order=order, name="return_to_draft", user=users["clerk"], reason="试一下")

    assert refused.value.messages == ["订单为“草稿”时不能执行“退回协商”。"]
    order.refresh_from_db()
    assert order.status == Status.DRAFT
