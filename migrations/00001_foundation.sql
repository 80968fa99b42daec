-- +goose Up
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- Sessions of signed-in users (alexedwards/scs pgxstore). Anonymous visitors get none.
CREATE TABLE sessions (
	token  text PRIMARY KEY,
	data   bytea NOT NULL,
	expiry timestamptz NOT NULL
);
CREATE INDEX sessions_expiry_idx ON sessions (expiry);

-- One row per installation: when demo content was seeded, so it is seeded once.
CREATE TABLE installation (
	id         boolean PRIMARY KEY DEFAULT true CHECK (id),
	created_at timestamptz NOT NULL DEFAULT now(),
	demo_seeded_at timestamptz
);
INSERT INTO installation (id) VALUES (true);

-- +goose Down
DROP TABLE installation;
DROP TABLE sessions;
