-- The SQLite schema the first release made with create_all() (no alembic_version table).
CREATE TABLE attachments (
	id INTEGER NOT NULL, 
	message_pk INTEGER NOT NULL, 
	filename TEXT NOT NULL, 
	content_type VARCHAR(255) NOT NULL, 
	size INTEGER NOT NULL, 
	sha256 VARCHAR(64) NOT NULL, 
	inline BOOLEAN NOT NULL, 
	data BLOB, 
	PRIMARY KEY (id), 
	FOREIGN KEY(message_pk) REFERENCES messages (id) ON DELETE CASCADE
);
CREATE TABLE events (
	id INTEGER NOT NULL, 
	ticket_id INTEGER NOT NULL, 
	at DATETIME NOT NULL, 
	actor VARCHAR(320) NOT NULL, 
	via VARCHAR(16) NOT NULL, 
	kind VARCHAR(32) NOT NULL, 
	detail JSON NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(ticket_id) REFERENCES tickets (id) ON DELETE CASCADE
);
CREATE TABLE inbound (
	id INTEGER NOT NULL, 
	received_at DATETIME NOT NULL, 
	source VARCHAR(16) NOT NULL, 
	mailbox VARCHAR(255) NOT NULL, 
	queue VARCHAR(64), 
	envelope_from VARCHAR(998), 
	envelope_to JSON NOT NULL, 
	message_id VARCHAR(998), 
	uidvalidity BIGINT, 
	uid BIGINT, 
	size INTEGER NOT NULL, 
	raw BLOB, 
	status VARCHAR(16) NOT NULL, 
	stage VARCHAR(32), 
	error TEXT, 
	attempts INTEGER NOT NULL, 
	processed_at DATETIME, 
	ticket_id INTEGER, 
	outcome TEXT, 
	options JSON NOT NULL, 
	PRIMARY KEY (id), 
	CONSTRAINT uq_inbound_mailbox_message_id UNIQUE (mailbox, message_id), 
	CONSTRAINT uq_inbound_mailbox_uid UNIQUE (mailbox, uidvalidity, uid)
);
CREATE TABLE mailbox_state (
	name VARCHAR(255) NOT NULL, 
	uidvalidity BIGINT, 
	last_uid BIGINT NOT NULL, 
	connected BOOLEAN NOT NULL, 
	heartbeat_at DATETIME, 
	last_success_at DATETIME, 
	last_error TEXT, 
	last_error_at DATETIME, 
	idle BOOLEAN NOT NULL, 
	PRIMARY KEY (name)
);
CREATE TABLE messages (
	id INTEGER NOT NULL, 
	ticket_id INTEGER NOT NULL, 
	inbound_id INTEGER, 
	outbox_id INTEGER, 
	direction VARCHAR(8) NOT NULL, 
	kind VARCHAR(16) NOT NULL, 
	visibility VARCHAR(16) NOT NULL, 
	message_id VARCHAR(998), 
	author_email VARCHAR(320), 
	author_name VARCHAR(320) NOT NULL, 
	subject TEXT NOT NULL, 
	text TEXT NOT NULL, 
	full_text TEXT, 
	html TEXT, 
	created_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(ticket_id) REFERENCES tickets (id) ON DELETE CASCADE
);
CREATE TABLE outbox (
	id INTEGER NOT NULL, 
	created_at DATETIME NOT NULL, 
	ticket_id INTEGER, 
	kind VARCHAR(16) NOT NULL, 
	message_id VARCHAR(998) NOT NULL, 
	mail_from VARCHAR(320) NOT NULL, 
	rcpt JSON NOT NULL, 
	recipient VARCHAR(320) NOT NULL, 
	subject TEXT NOT NULL, 
	raw BLOB, 
	status VARCHAR(16) NOT NULL, 
	attempts INTEGER NOT NULL, 
	next_attempt_at DATETIME NOT NULL, 
	last_error TEXT, 
	sent_at DATETIME, 
	PRIMARY KEY (id), 
	UNIQUE (message_id)
);
CREATE TABLE participants (
	id INTEGER NOT NULL, 
	ticket_id INTEGER NOT NULL, 
	email VARCHAR(320) NOT NULL, 
	name VARCHAR(320) NOT NULL, 
	role VARCHAR(16) NOT NULL, 
	PRIMARY KEY (id), 
	CONSTRAINT uq_participant UNIQUE (ticket_id, email), 
	FOREIGN KEY(ticket_id) REFERENCES tickets (id) ON DELETE CASCADE
);
CREATE TABLE tickets (
	id INTEGER NOT NULL, 
	subject TEXT NOT NULL, 
	status VARCHAR(16) NOT NULL, 
	queue VARCHAR(64) NOT NULL, 
	category VARCHAR(64), 
	priority VARCHAR(16) NOT NULL, 
	assignee VARCHAR(320), 
	requester_email VARCHAR(320) NOT NULL, 
	requester_name VARCHAR(320) NOT NULL, 
	language VARCHAR(8) NOT NULL, 
	rule VARCHAR(128), 
	route_reason TEXT, 
	origin_message_id VARCHAR(998), 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	resolved_at DATETIME, 
	PRIMARY KEY (id)
);
CREATE INDEX ix_inbound_status ON inbound (status, id);
CREATE INDEX ix_tickets_origin ON tickets (origin_message_id);
CREATE INDEX ix_outbox_status_due ON outbox (status, next_attempt_at);
CREATE INDEX ix_outbox_recipient_kind ON outbox (recipient, kind, created_at);
CREATE INDEX ix_outbox_ticket_id ON outbox (ticket_id);
CREATE INDEX ix_participants_ticket_id ON participants (ticket_id);
CREATE INDEX ix_messages_message_id ON messages (message_id);
CREATE INDEX ix_messages_ticket_id ON messages (ticket_id);
CREATE INDEX ix_events_ticket_id ON events (ticket_id);
CREATE INDEX ix_attachments_message_pk ON attachments (message_pk);
