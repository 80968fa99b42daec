-- +goose Up
-- The outbox: every e-mail the portal sends (invitations, password resets,
-- event registrations …). A row is written in the same transaction as what
-- caused it, so a rollback sends nothing, and the outbox worker (internal/mail)
-- sends it afterwards, with retries, on whichever app instance claims it first.
--
-- Personal data: the rows hold addresses and texts that may carry links with
-- tokens. The worker deletes sent messages 30 days after sending and given-up
-- ones 30 days after giving up; nothing else keeps them.
CREATE TABLE outbox (
	id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	recipient       text NOT NULL CHECK (recipient <> '' AND length(recipient) <= 320),
	-- Plain text in German; header injection is impossible by construction.
	subject         text NOT NULL CHECK (subject <> '' AND length(subject) <= 998 AND subject !~ '[\r\n]'),
	body            text NOT NULL,
	created_at      timestamptz NOT NULL DEFAULT now(),
	-- attempts counts claims: a send that crashed the instance counts too.
	attempts        integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
	next_attempt_at timestamptz NOT NULL DEFAULT now(),
	-- The lease: while locked_until lies ahead, one worker is sending the row.
	locked_until    timestamptz,
	sent_at         timestamptz,
	delivered_via   text CHECK (delivered_via IN ('smtp', 'log')),
	last_error      text,
	-- failed_at: given up (3 days of retries, or the server refused the address for good).
	failed_at       timestamptz,
	CONSTRAINT outbox_sent_via CHECK ((sent_at IS NULL) = (delivered_via IS NULL)),
	CONSTRAINT outbox_sent_or_failed CHECK (sent_at IS NULL OR failed_at IS NULL),
	CONSTRAINT outbox_failed_has_error CHECK (failed_at IS NULL OR last_error IS NOT NULL)
);

-- The worker's claim query: pending rows in the order they are due.
CREATE INDEX outbox_pending_idx ON outbox (next_attempt_at, id)
	WHERE sent_at IS NULL AND failed_at IS NULL;

-- The retention cleanup.
CREATE INDEX outbox_sent_at_idx ON outbox (sent_at) WHERE sent_at IS NOT NULL;
CREATE INDEX outbox_failed_at_idx ON outbox (failed_at) WHERE failed_at IS NOT NULL;

-- +goose Down
DROP TABLE outbox;
