"""What a ledger import did, or found wrong: the result the command and the upload page show."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class RowError:
    sheet: str
    row: int  # as Excel shows it: 1-based, title rows counted
    column: str  # the header, or "" for the whole row
    message: str

    def __str__(self) -> str:
        where = f"第{self.row}行（{self.sheet}）"
        if self.column:
            where += f"“{self.column}”"
        return f"{where}：{self.message}"


@dataclass
class ImportResult:
    """What the import did (or, for a dry run, would do). Nothing is written when `errors`."""

    errors: list[RowError] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    members_created: int = 0
    members_updated: int = 0
    members_unchanged: int = 0
    supervisory_units_created: int = 0
    streets_created: int = 0
    dry_run: bool = False
    rows: int = 0  # rows read (organizations and members), blank lines not counted
    seconds: float = 0.0  # the whole import, reading included
    truncated: bool = False  # reading stopped at MAX_ERRORS errors

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0

    def summary(self) -> str:
        would = "将" if self.dry_run else ""
        text = (
            f"{would}新建社会组织{self.created}家，更新{self.updated}家，"
            f"{self.unchanged}家无变化；{would}新建党员{self.members_created}名，"
            f"更新{self.members_updated}名，{self.members_unchanged}名无变化"
        )
        if self.supervisory_units_created or self.streets_created:
            text += (
                f"；{would}新增业务主管单位{self.supervisory_units_created}个、"
                f"街道{self.streets_created}个"
            )
        if self.dry_run:
            return f"试导入完成，未写入任何数据：{text}。"
        return f"导入完成：{text}。"

    def timing(self) -> str:
        return (
            f"共读取{self.rows}行，用时{self.seconds:.1f}秒（每秒{self.rows_per_second:.0f}行）。"
        )

    def report(self) -> str:
        """The summary when all went well, otherwise one line per error."""
        if self.ok:
            return self.summary()
        count = len(self.errors)
        found = f"至少{count}处错误（只列出前{count}处）" if self.truncated else f"{count}处错误"
        head = f"{'试导入' if self.dry_run else '导入'}失败：发现{found}，"
        head += "未写入任何数据。请修改后重新导入。"
        return "\n".join([head, *(str(error) for error in self.errors)])
