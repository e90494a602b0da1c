"""The archive as a zip: one folder per clause, then requirement / unit / year, plus an index spreadsheet.

Nothing here writes to the database; the caller records the export through ``services.log_archive_export``.
"""

from __future__ import annotations

import re
import tempfile
import zipfile
from dataclasses import dataclass

from django.utils import timezone

from chuangcheng.core.tabular import write_xlsx
from chuangcheng.dossiers.models import Material
from chuangcheng.dossiers.selectors import NO_CLAUSE_LABEL

INDEX_NAME = "索引.xlsx"
INDEX_HEADERS = (
    "序号",
    "条款",
    "资料要求",
    "单位",
    "年度",
    "资料标题",
    "状态",
    "文件类型",
    "大小（字节）",
    "SHA-256",
    "上传时间",
    "审核人",
    "包内路径",
)
UNSAFE = re.compile(r'[\\/:*?"<>|\r\n\t]+')


def safe_name(text: str, limit: int = 80) -> str:
    cleaned = UNSAFE.sub("_", text).strip(" .") or "_"
    return cleaned[:limit]


def clause_folder(material: Material) -> str:
    """The clause's folder; a 测评内容 (a clause with 测评方法) sits inside its 测评项目's folder."""
    clause = material.requirement.clause
    if clause is None:
        return NO_CLAUSE_LABEL
    folder = safe_name(f"{clause.number} {clause.title}".strip())
    parent = clause.parent if clause.methods and clause.parent_id else None
    if parent is not None:
        return f"{safe_name(f'{parent.number} {parent.title}'.strip())}/{folder}"
    return folder


def member_path(material: Material) -> str:
    return "/".join(
        (
            clause_folder(material),
            safe_name(material.requirement.title),
            safe_name(material.unit.name),
            str(material.year),
            safe_name(f"{material.pk}-{material.original_name}", 120),
        )
    )


@dataclass
class ArchiveFile:
    file: tempfile.SpooledTemporaryFile
    count: int
    size: int


def build_archive(queryset) -> ArchiveFile:
    """Write the materials of ``queryset`` (already scoped) into a zip in a spooled temporary file."""
    materials = queryset.select_related("requirement__clause__parent", "unit", "reviewer").order_by(
        "requirement__clause__sort_order", "requirement__sort_order", "requirement_id", "unit__path", "year", "id"
    )
    spool = tempfile.SpooledTemporaryFile(max_size=32 * 1024 * 1024)
    rows, total = [], 0
    with zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for number, material in enumerate(materials.iterator(chunk_size=500), start=1):
            path = member_path(material)
            with material.file.open("rb") as source, archive.open(path, "w", force_zip64=True) as target:
                for chunk in iter(lambda: source.read(1024 * 1024), b""):
                    target.write(chunk)
            total += material.size
            clause = material.requirement.clause
            rows.append(
                [
                    number,
                    f"{clause.number} {clause.title}".strip() if clause else NO_CLAUSE_LABEL,
                    material.requirement.title,
                    material.unit.name,
                    material.year,
                    material.title,
                    material.get_status_display(),
                    material.kind,
                    material.size,
                    material.sha256,
                    timezone.localtime(material.uploaded_at).strftime("%Y-%m-%d %H:%M"),
                    material.reviewer.display_name if material.reviewer else "",
                    path,
                ]
            )
        index = write_xlsx(
            title="档案索引", headers=INDEX_HEADERS, rows=rows, widths=(6, 30, 30, 20, 8, 30, 10, 8, 12, 20, 18, 10, 60)
        )
        archive.writestr(INDEX_NAME, index)
    spool.seek(0)
    return ArchiveFile(file=spool, count=len(rows), size=total)
