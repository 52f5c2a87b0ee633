"""One inbound mail, all or nothing: gather the facts, decide (routing.decision), apply."""
