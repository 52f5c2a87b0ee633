"""InboundMail + rules -> Decision. Pure."""

from postdesk.routing.model import Assignment, Condition, Decision, Pattern, QueueDef, RoutingTable, Rule
from postdesk.routing.route import decide

__all__ = ["Assignment", "Condition", "Decision", "Pattern", "QueueDef", "RoutingTable", "Rule", "decide"]
