-- Review as a conversation (issue 15): each status change keeps the
-- editor's comment in the history, and visitors without an account propose
-- initiatives with a double opt-in.

-- +goose Up
ALTER TABLE initiative_revisions
	ADD COLUMN comment text NOT NULL DEFAULT '' CHECK (length(comment) <= 5000);

-- A visitor's proposal: until the e-mailed link is used (confirmed_at) it
-- is only this row, deleted when the link expires; once confirmed it is an
-- initiative in review, and the row keeps who proposed it until that
-- person is invited (returned or published) or the proposal is archived.
-- The link is stored only as its SHA-256.
CREATE TABLE initiative_proposals (
	id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	proposer_name  text NOT NULL CHECK (length(btrim(proposer_name)) BETWEEN 1 AND 200),
	proposer_email text NOT NULL CHECK (length(proposer_email) BETWEEN 3 AND 254),
	token_hash     bytea UNIQUE CHECK (token_hash IS NULL OR length(token_hash) = 32),
	profile        jsonb NOT NULL,
	created_at     timestamptz NOT NULL,
	expires_at     timestamptz NOT NULL CHECK (expires_at > created_at),
	confirmed_at   timestamptz,
	initiative_id  bigint UNIQUE REFERENCES initiatives (id) ON DELETE CASCADE,
	CHECK (confirmed_at IS NULL OR token_hash IS NULL),
	CHECK (initiative_id IS NULL OR confirmed_at IS NOT NULL)
);
CREATE INDEX initiative_proposals_unconfirmed_idx ON initiative_proposals (expires_at) WHERE confirmed_at IS NULL;

-- +goose Down
DROP TABLE initiative_proposals;
ALTER TABLE initiative_revisions DROP COLUMN comment;
