from tests.planning.conftest import _planning_settings, clock, staff

__all__ = ["_planning_settings", "clock", "staff"]
