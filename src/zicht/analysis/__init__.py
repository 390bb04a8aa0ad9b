"""The yearly monitor's statistics, computed from coded cases by the codebook's counting rules."""

from zicht.analysis.definition import MonitorDefinition, builtin_definition, load_definition
from zicht.analysis.monitor import Flow, compare_years, monitor
from zicht.analysis.tables import Table, Tables

__all__ = ["Flow", "MonitorDefinition", "Table", "Tables", "builtin_definition", "compare_years", "load_definition", "monitor"]
