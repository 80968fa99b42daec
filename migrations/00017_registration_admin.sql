-- +goose Up
-- Invitations to register for an event (issue 9): editors paste or upload
-- a list of names and addresses; each person gets a personal link that
-- counts as confirmation of the address. Only editors see the list; public
-- pages never show it, so no content-version trigger.
CREATE TABLE registration_invitations (
	id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	event_id        bigint NOT NULL REFERENCES events (id) ON DELETE CASCADE,
	name            text NOT NULL CHECK (btrim(name) <> '' AND length(name) <= 200),
	email           text NOT NULL CHECK (email LIKE '%_@_%' AND length(email) <= 320),
	-- SHA-256 of the token in the link, as for registration_tokens.
	token_hash      bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),
	-- sent: the e-mail is queued; registered: the person registered through
	-- the link; declined: the person said no through the link.
	status          text NOT NULL DEFAULT 'sent' CHECK (status IN ('sent', 'registered', 'declined')),
	registration_id bigint REFERENCES registrations (id) ON DELETE SET NULL,
	created_by      bigint REFERENCES users (id) ON DELETE SET NULL,
	created_at      timestamptz NOT NULL,
	responded_at    timestamptz,
	CONSTRAINT registration_invitations_responded CHECK ((status = 'sent') = (responded_at IS NULL))
);
-- One invitation per address and event: a list pasted twice invites once.
CREATE UNIQUE INDEX registration_invitations_event_email_key ON registration_invitations (event_id, lower(email));

-- The invitation e-mail names its invitation, so deleting the invitation
-- (retention) deletes the e-mail with the address in it.
ALTER TABLE outbox ADD COLUMN invitation_id bigint REFERENCES registration_invitations (id) ON DELETE CASCADE;
CREATE INDEX outbox_invitation_idx ON outbox (invitation_id) WHERE invitation_id IS NOT NULL;

-- +goose Down
DROP INDEX outbox_invitation_idx;
ALTER TABLE outbox DROP COLUMN invitation_id;
DROP TABLE registration_invitations;
