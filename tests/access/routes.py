"""Every URL pattern the application answers, read from the resolver."""

import re
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver


@dataclass(frozen=True)
class Route:
    """One URL pattern: its name ("namespace:name"), pattern text and keyword arguments."""

    name: str
    pattern: str

    @property
    def kwargs(self) -> list[str]:
        return [a or b for a, b in re.findall(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>", self.pattern)]

    @property
    def is_api(self) -> bool:
        return self.pattern.startswith("api/")


def all_routes() -> list[Route]:
    """Every pattern of the root URL configuration; unnamed ones are named by their text."""
    found: list[Route] = []

    def walk(patterns: list, prefix: str, namespace: str) -> None:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                inner = namespace
                if entry.namespace:
                    inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
                walk(entry.url_patterns, prefix + str(entry.pattern), inner)
            elif isinstance(entry, URLPattern):
                pattern = prefix + str(entry.pattern)
                name = entry.name or pattern
                if entry.name and namespace:
                    name = f"{namespace}:{entry.name}"
                found.append(Route(name, pattern))

    walk(get_resolver().url_patterns, "", "")
    return found
