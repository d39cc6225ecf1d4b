"""OpenAPI schema tweaks: stable names for the enums of every app's API.

drf-spectacular names an enum after its field ("status", "unit", "kind"); as soon as two apps
use one field name for different choice sets it must guess a name ("Status466Enum") and warns.
Here every choice class of the project names its own enum after itself (`WorkOrderStatus` →
`WorkOrderStatusEnum`), so new APIs in any app get clear names without a settings change;
`ENUM_NAMES` sets the few names that read better otherwise.
"""

from collections.abc import Iterator
from typing import Any

from django.db import models
from drf_spectacular.hooks import postprocess_schema_enums
from drf_spectacular.plumbing import _load_enum_name_overrides
from drf_spectacular.settings import spectacular_settings

#: Component name → choices, where the class name alone would be unclear.
ENUM_NAMES: dict[str, str] = {
    "OrderChannelEnum": "gendan.orders.status.Channel",
    "OrderStatusEnum": "gendan.orders.status.Status",
    "LedgerKindEnum": "gendan.ledger.models.Kind",
    "CommunicationChannelEnum": "gendan.ledger.models.CommunicationChannel",
}


def name_enums(result: dict[str, Any], generator: Any, **kwargs: Any) -> dict[str, Any]:
    """drf-spectacular's enum post-processing, with the project's enum names added."""
    configured = spectacular_settings.ENUM_NAME_OVERRIDES  # type: ignore[attr-defined]
    wanted = {**project_enum_names(), **configured}
    if wanted != configured:
        spectacular_settings.ENUM_NAME_OVERRIDES = wanted  # type: ignore[attr-defined]
        _load_enum_name_overrides.cache_clear()
    return postprocess_schema_enums(result, generator, **kwargs)


def project_enum_names() -> dict[str, Any]:
    """`ENUM_NAMES`, then "<Class>Enum" for every other choice class of the project.

    A choice set that is already named (same values in the same order) is skipped: the
    override table must not name one set twice.
    """
    names: dict[str, Any] = dict(ENUM_NAMES)
    taken = {_values(_import(path)) for path in ENUM_NAMES.values()}
    for choices in sorted(_project_choices(), key=lambda c: (c.__module__, c.__qualname__)):
        name, values = f"{choices.__name__}Enum", _values(choices)
        if name not in names and values not in taken:
            names[name] = choices
            taken.add(values)
    return names


def _project_choices() -> Iterator[type[models.Choices]]:
    pending: list[type[models.Choices]] = [models.TextChoices, models.IntegerChoices]
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if cls.__module__.startswith("gendan.") and len(cls):  # type: ignore[arg-type]
            yield cls


def _values(choices: type[models.Choices]) -> tuple[Any, ...]:
    return tuple(member.value for member in choices)  # type: ignore[attr-defined]


def _import(path: str) -> type[models.Choices]:
    from django.utils.module_loading import import_string

    return import_string(path)  # type: ignore[no-any-return]
