"""How mail comes in: SMTP/LMTP and IMAP, each committing the raw mail before it is acknowledged."""
