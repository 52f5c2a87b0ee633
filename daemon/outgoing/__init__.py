"""Every mail the desk sends: composed, queued in the outbox, delivered, digests."""
