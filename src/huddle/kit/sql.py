"""SQL expressions that each database spells its own way."""

from typing import Any

from sqlalchemy import String
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import InstrumentedAttribute
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.expression import ColumnElement, FunctionElement


class year_month(FunctionElement[str]):
    """'YYYY-MM' of a stored UTC moment, computed by the database."""

    type = String()
    inherit_cache = True

    def __init__(self, moment: ColumnElement[Any] | InstrumentedAttribute[Any]) -> None:
        super().__init__(moment)


@compiles(year_month, "sqlite")
def _year_month_sqlite(element: year_month, compiler: SQLCompiler, **kw: Any) -> str:
    return f"strftime('%Y-%m', {compiler.process(element.clauses, **kw)})"


@compiles(year_month, "postgresql")
def _year_month_postgresql(element: year_month, compiler: SQLCompiler, **kw: Any) -> str:
    moment = compiler.process(element.clauses, **kw)
    return f"to_char(timezone('UTC', {moment}), 'YYYY-MM')"
