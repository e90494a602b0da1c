"""The 抄告单 as .docx in the official layout (``core.officialdoc``, shared with the assessment bulletin)."""

from __future__ import annotations

from django.utils import timezone

from chuangcheng.campaigns.notice_models import Notice
from chuangcheng.core.officialdoc import body as write_body
from chuangcheng.core.officialdoc import cn_date, masthead, new_document, paragraph, signature, to_bytes


def notice_filename(notice: Notice) -> str:
    return f"抄告单{notice.number}.docx"


def notice_docx(notice: Notice) -> bytes:
    """Red issuing authority, number, title, addressee, body, the problems, reply requirement, signature."""
    cases = list(notice.cases.order_by("number").only("number", "title", "deadline"))
    doc = new_document()
    masthead(
        doc,
        issuer=notice.issuer,
        number=f"抄告单 {notice.number}",
        title=notice.title,
        addressees=notice.addressee,
    )
    parts = [("", line) for line in notice.body.splitlines() if line.strip()]
    if cases:
        listing = "；".join(
            f"{i}. {case.number} {case.title}" + (f"（整改期限{cn_date(case.deadline)}）" if case.deadline else "")
            for i, case in enumerate(cases, start=1)
        )
        parts.append(("涉及问题", f"{listing}。"))
    parts.append(
        (
            "回复要求",
            f"预警日期：{cn_date(notice.warning_date)}。请于{cn_date(notice.reply_due)}前将整改落实情况书面回复"
            f"{notice.issuer}（在平台“抄告单”中签收并回复，可附整改材料）。逾期未回复的，将按程序督办并报告包抓领导。",
        )
    )
    write_body(doc, parts)
    signature(doc, signer=notice.issuer, day=timezone.localtime(notice.issued_at).date())
    paragraph(doc)
    return to_bytes(doc)
