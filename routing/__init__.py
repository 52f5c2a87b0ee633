"""InboundMail + rules -> Decision. Pure."""

from routing.model import Assignment, Condition, Decision, Pattern, QueueDef, RoutingTable, Rule
from routing.route import decide

__all__ = ["Assignment", "Condition", "Decision", "Pattern", "QueueDef", "RoutingTable", "Rule", "decide"]
