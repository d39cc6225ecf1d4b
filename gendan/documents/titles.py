"""The printable forms' official names, in Chinese and English.

The names are the ones the company's rulebooks give the forms (《订单评审会议纪要》...), so they
are kept here as proper names rather than as translatable strings: a printed form carries its
official title in the reader's language whatever the state of the translation catalogue.
"""

from django.utils.translation import get_language

FORM_TITLES: dict[str, tuple[str, str]] = {
    "review:technical": ("技术评审报告", "Technical review report"),
    "review:production": ("生产评审报告", "Production review report"),
    "review:quality": ("质量评审报告", "Quality review report"),
    "review:procurement": ("采购评审报告", "Procurement review report"),
    "review:finance": ("财务评审报告", "Finance review report"),
    "review_minutes": ("订单评审会议纪要", "Order review meeting minutes"),
    "contract_draft": ("销售合同（草案）", "Sales contract (draft)"),
    "order_confirmation": ("订单确认书", "Order confirmation"),
    "allocation": ("订单分配表", "Order allocation sheet"),
}


def is_chinese(language: str | None = None) -> bool:
    return (language or get_language() or "zh-hans").lower().startswith("zh")


def form_title(code: str, language: str | None = None) -> str:
    """The form's official title in `language` (default: the active language)."""
    zh, en = FORM_TITLES[code]
    return zh if is_chinese(language) else en


def review_report_title(
    department_code: str, name_zh: str, name_en: str, language: str | None = None
) -> str:
    """《技术评审报告》 etc.; departments added by administrators get "<name>评审报告"."""
    code = f"review:{department_code}"
    if code in FORM_TITLES:
        return form_title(code, language)
    return f"{name_zh}评审报告" if is_chinese(language) else f"{name_en} review report"
