"""The order search: each word of the text is matched against order number, customer name
and customer's reference (an order must match every word); shared by the order list page
(`?q=`) and the API (`?search=`).

Built to stay fast on PostgreSQL with a million orders (bench/pages.py):

- the customers whose name matches are looked up first, in their own small query, so the
  orders query has only indexable conditions on the orders table: `customer_id IN (...)`
  (index `order_customer_recent`), and `UPPER(number) LIKE` / `UPPER(customer_reference)
  LIKE` (trigram indexes, migration `orders.0004_search_indexes`, PostgreSQL only). PostgreSQL
  then combines the three indexes (BitmapOr) instead of reading every order;
- when a word matches very many customers (e.g. 有限公司), the name condition stays a join:
  such a search matches so many orders that reading them newest first fills a page at once;
- a word that starts like an order number (the fixed start of `ORDER_NUMBER_PATTERN`, e.g.
  `SO-`) can only match numbers from their start: it is matched as a prefix, served by a
  B-tree (`number_prefix`) instead of a trigram index that reads every number sharing
  `SO-2026-`;
- numbers and references are matched from `MIN_FRAGMENT` characters on: a trigram index
  cannot serve a shorter fragment, and one or two characters of a number would match almost
  every order anyway. Customer names are matched from one character (Chinese names are
  searched by two-character words, e.g. 宏达).

On SQLite the same lookups run as plain case-insensitive LIKE.
"""

import string

from django.conf import settings
from django.db.models import Q, QuerySet

from gendan.customers.models import Customer
from gendan.orders.models import Order

#: Shortest fragment matched against order numbers and customers' references.
MIN_FRAGMENT = 3
#: Above this many matching customers the name condition is a join rather than a list of ids.
MAX_CUSTOMER_IDS = 200
#: Words of a search beyond this many are ignored (each costs one query for the customers).
MAX_WORDS = 5


def search_condition(text: str) -> Q:
    """The condition an order meets when `text` is found in its number, its customer's name
    or its customer's reference (case-insensitive). One query to find the customers."""
    text = text.strip()
    customer_ids = list(
        Customer.objects.filter(name__icontains=text)
        .order_by()
        .values_list("pk", flat=True)[: MAX_CUSTOMER_IDS + 1]
    )
    if len(customer_ids) > MAX_CUSTOMER_IDS:
        condition = Q(customer__name__icontains=text)
    else:
        condition = Q(customer_id__in=customer_ids)
    if len(text) >= MIN_FRAGMENT:
        if starts_like_a_number(text):
            condition |= number_prefix(text)
        else:
            condition |= Q(number__icontains=text)
        condition |= Q(customer_reference__icontains=text)
    return condition


def number_start() -> str:
    """The fixed start of every order number: `SO-` for `SO-{year}-{seq:06d}`."""
    pattern: str = settings.GENDAN["ORDER_NUMBER_PATTERN"]
    return pattern.split("{", 1)[0].upper()


def number_prefix(text: str) -> Q:
    """Orders whose number starts with `text`, in any letter case.

    Numbers are written from the pattern, so when the pattern has no lower-case letters every
    number is in capitals and `text` in capitals is matched as it is: a plain B-tree prefix
    scan (the `varchar_pattern_ops` index Django keeps for the unique number), which the
    planner cannot trade for the trigram index that reads the whole year. Otherwise the
    case-insensitive match on `UPPER(number)` (index `order_number_prefix`)."""
    pattern: str = settings.GENDAN["ORDER_NUMBER_PATTERN"]
    literals = "".join(literal for literal, *_field in string.Formatter().parse(pattern))
    if literals == literals.upper():
        return Q(number__startswith=text.upper())
    return Q(number__istartswith=text)


def starts_like_a_number(text: str) -> bool:
    """Whether `text` begins with the fixed start of the numbers, so that it can only be found
    at the start of a number (that start occurs nowhere else in one)."""
    start = number_start()
    return bool(start) and text.upper().startswith(start)


def search_orders(orders: QuerySet[Order], text: str) -> QuerySet[Order]:
    """`orders` narrowed to those matching every word of `text` (at most `MAX_WORDS`, the
    rest ignored); unchanged when `text` is blank."""
    for word in text.split()[:MAX_WORDS]:
        orders = orders.filter(search_condition(word))
    return orders
