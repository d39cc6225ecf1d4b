"""Page-number pagination that never counts a whole table.

A list over a million orders must answer quickly, so:

- a page fetches `page_size + 1` rows: the extra row says whether there is a next page, no
  count needed;
- when the first page holds everything, `count` is simply its length (no COUNT query);
- otherwise the count is taken over at most `COUNT_CAP + 1` rows
  (`SELECT COUNT(*) FROM (... LIMIT 1001)`), so it costs the same on ten thousand or ten
  million rows. Above the cap the answer says `"count": 1000, "count_capped": true`; narrow
  the list with filters to get an exact figure. (Measured on PostgreSQL with a million orders:
  a cap of 10,000 cost a clerk ~1 s per page, because the visibility rule must be checked row
  by row until the cap is reached; 1,000 keeps it near 0.1 s.)
"""

from collections import OrderedDict
from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import NotFound
from rest_framework.pagination import BasePagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

COUNT_CAP = 1_000
#: Pages beyond this are refused (404) rather than sent to the database as a huge OFFSET.
MAX_PAGE = 1_000_000


class Pagination(BasePagination):
    page_size = 50
    max_page_size = 200
    page_query_param = "page"
    page_size_query_param = "page_size"
    count_cap = COUNT_CAP

    def paginate_queryset(self, queryset: Any, request: Request, view: Any = None) -> list[Any]:
        self.request = request
        self.page_size_now = self._page_size(request)
        self.page = self._page_number(request)
        offset = (self.page - 1) * self.page_size_now
        rows = list(queryset[offset : offset + self.page_size_now + 1])
        self.has_next = len(rows) > self.page_size_now
        rows = rows[: self.page_size_now]
        if not rows and self.page > 1:
            raise NotFound(_("There is no page %(page)d.") % {"page": self.page})
        if not self.has_next:
            self.count = offset + len(rows)
        elif offset + len(rows) >= self.count_cap:
            self.count = self.count_cap + 1
        else:
            self.count = queryset.order_by()[: self.count_cap + 1].count()
        return rows

    def get_paginated_response(self, data: Any) -> Response:
        return Response(
            OrderedDict(
                [
                    ("count", min(self.count, self.count_cap)),
                    ("count_capped", self.count > self.count_cap),
                    ("next", self._link(self.page + 1) if self.has_next else None),
                    ("previous", self._link(self.page - 1) if self.page > 1 else None),
                    ("results", data),
                ]
            )
        )

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        return {
            "type": "object",
            "required": ["count", "count_capped", "next", "previous", "results"],
            "properties": {
                "count": {
                    "type": "integer",
                    "example": 123,
                    "description": f"Number of matching records, at most {self.count_cap}.",
                },
                "count_capped": {
                    "type": "boolean",
                    "description": f"True when more than {self.count_cap} records match.",
                },
                "next": {"type": "string", "nullable": True, "format": "uri"},
                "previous": {"type": "string", "nullable": True, "format": "uri"},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        return [
            {
                "name": self.page_query_param,
                "required": False,
                "in": "query",
                "description": "Page number, from 1.",
                "schema": {"type": "integer", "minimum": 1},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Records per page (default {self.page_size}, "
                f"at most {self.max_page_size}).",
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
            },
        ]

    def _page_number(self, request: Request) -> int:
        raw = request.query_params.get(self.page_query_param, "1")
        try:
            page = int(raw)
        except ValueError:
            page = 0
        if not 1 <= page <= MAX_PAGE:
            raise NotFound(_("“%(page)s” is not a page number.") % {"page": raw})
        return page

    def _page_size(self, request: Request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            return self.page_size
        return max(1, min(size, self.max_page_size))

    def _link(self, page: int) -> str:
        url = self.request.build_absolute_uri()
        if page == 1:
            return remove_query_param(url, self.page_query_param)
        return replace_query_param(url, self.page_query_param, page)
