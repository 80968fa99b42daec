-- +goose Up
-- Re-confirmation links: members of a profile not confirmed for a year get
-- an e-mail with a single-use link to confirm it is current. Only the
-- SHA-256 of a token is kept.
CREATE TABLE confirmation_tokens (
	token_hash    bytea PRIMARY KEY CHECK (length(token_hash) = 32),
	initiative_id bigint NOT NULL REFERENCES initiatives (id) ON DELETE CASCADE,
	user_id       bigint REFERENCES users (id) ON DELETE CASCADE,
	created_at    timestamptz NOT NULL,
	expires_at    timestamptz NOT NULL CHECK (expires_at > created_at),
	used_at       timestamptz
);
CREATE INDEX confirmation_tokens_initiative_idx ON confirmation_tokens (initiative_id);
CREATE INDEX initiatives_confirmed_idx ON initiatives (status, confirmed_at NULLS FIRST);

-- +goose Down
DROP INDEX initiatives_confirmed_idx;
DROP TABLE confirmation_tokens;
