"""The yearly monitor's statistics, computed from coded cases by the codebook's counting rules."""

from zicht.analysis.definition import MonitorDefinition, builtin_definition, load_definition
from zicht.analysis.monitor import Flow, monitor, side_by_side
from zicht.analysis.tables import Table, Tables

__all__ = ["Flow", "MonitorDefinition", "Table", "Tables", "builtin_definition", "load_definition", "monitor", "side_by_side"]
