"""The `postdesk` command line, one module per command group."""
