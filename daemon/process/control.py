"""The front and the worker process talk in whole messages over a SOCK_SEQPACKET socket pair.

`i` new inbound rows; `r` + a pickled, already validated `Config` (the first message, and every reload);
`s` stop. End of file means the front is gone. A module of its own so the front imports no pipeline.
"""

WAKE, CONFIG, STOP = b"i", b"r", b"s"
MAX_MESSAGE = 1 << 20
