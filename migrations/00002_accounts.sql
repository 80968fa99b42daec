-- +goose Up

-- Initiatives: the directory issue extends this table with every profile
-- field; accounts need it now to link members to their initiatives.
CREATE TABLE initiatives (
	id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	slug       text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(slug) <= 120),
	name       text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 300),
	status     text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'submitted', 'published', 'archived')),
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
	id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	-- Stored normalised (trimmed, lower case): uniqueness ignores case.
	email               text NOT NULL CHECK (email = lower(btrim(email)) AND email LIKE '_%@_%' AND length(email) <= 254),
	name                text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
	role                text NOT NULL CHECK (role IN ('member', 'editor', 'official', 'admin')),
	state               text NOT NULL DEFAULT 'invited' CHECK (state IN ('invited', 'active', 'disabled')),
	-- argon2id in PHC form; never the password.
	password_hash       text CHECK (password_hash IS NULL OR password_hash LIKE '$argon2id$%'),
	password_changed_at timestamptz,
	totp_secret         text,
	totp_enabled_at     timestamptz,
	-- The last accepted TOTP time step: a code works once (ASVS 2.8.4).
	totp_last_step      bigint NOT NULL DEFAULT 0,
	created_at          timestamptz NOT NULL DEFAULT now(),
	updated_at          timestamptz NOT NULL DEFAULT now(),
	CONSTRAINT users_active_has_password CHECK (state <> 'active' OR password_hash IS NOT NULL),
	CONSTRAINT users_totp_enabled_has_secret CHECK (totp_enabled_at IS NULL OR totp_secret IS NOT NULL)
);
CREATE UNIQUE INDEX users_email_key ON users (email);

-- Members edit the initiatives they are linked to, and only those.
CREATE TABLE user_initiatives (
	user_id       bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	initiative_id bigint NOT NULL REFERENCES initiatives (id) ON DELETE CASCADE,
	PRIMARY KEY (user_id, initiative_id)
);
CREATE INDEX user_initiatives_initiative_idx ON user_initiatives (initiative_id);

-- Invitation and password-reset links. Only the SHA-256 of a token is kept;
-- the token itself exists only in the e-mail.
CREATE TABLE user_tokens (
	token_hash bytea PRIMARY KEY CHECK (length(token_hash) = 32),
	user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	purpose    text NOT NULL CHECK (purpose IN ('invitation', 'password_reset')),
	created_at timestamptz NOT NULL,
	expires_at timestamptz NOT NULL CHECK (expires_at > created_at),
	used_at    timestamptz
);
CREATE INDEX user_tokens_user_idx ON user_tokens (user_id, purpose);

-- One-time recovery codes for a lost authenticator, hashed.
CREATE TABLE recovery_codes (
	user_id   bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	code_hash bytea NOT NULL CHECK (length(code_hash) = 32),
	used_at   timestamptz,
	PRIMARY KEY (user_id, code_hash)
);

-- The signed-in sessions of each user: the session cookie's data names one
-- row here. Deleting rows ends sessions (sign-out elsewhere, disabling,
-- password reset); idle and absolute limits are checked against these times.
CREATE TABLE user_sessions (
	id           text PRIMARY KEY CHECK (length(id) >= 32),
	user_id      bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	created_at   timestamptz NOT NULL,
	last_seen_at timestamptz NOT NULL,
	user_agent   text NOT NULL DEFAULT '' CHECK (length(user_agent) <= 300)
);
CREATE INDEX user_sessions_user_idx ON user_sessions (user_id);

-- Failed sign-ins, per account key and per client address, for throttling.
-- Rows older than the window are deleted as they are read.
CREATE TABLE signin_failures (
	key text        NOT NULL,
	at  timestamptz NOT NULL
);
CREATE INDEX signin_failures_key_at_idx ON signin_failures (key, at);

-- Who did what to which object, when, from where. Never a password.
CREATE TABLE audit_log (
	id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	at          timestamptz NOT NULL,
	actor_id    bigint REFERENCES users (id) ON DELETE SET NULL,
	actor       text NOT NULL,
	action      text NOT NULL,
	object_type text NOT NULL DEFAULT '',
	object_id   text NOT NULL DEFAULT '',
	details     jsonb NOT NULL DEFAULT '{}',
	client_ip   text NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_at_idx ON audit_log (at DESC);
CREATE INDEX audit_log_object_idx ON audit_log (object_type, object_id);
CREATE INDEX audit_log_actor_idx ON audit_log (actor_id, at DESC);

-- +goose Down
DROP TABLE audit_log;
DROP TABLE signin_failures;
DROP TABLE user_sessions;
DROP TABLE recovery_codes;
DROP TABLE user_tokens;
DROP TABLE user_initiatives;
DROP TABLE users;
DROP TABLE initiatives;
