-- +goose Up

-- Recovery codes are now stored as a keyed hash (HMAC with a key from the
-- environment, RII_SECRET_KEYS); codes issued before are unkeyed SHA-256 and
-- marked legacy: they keep working until used or renewed.
ALTER TABLE recovery_codes ADD COLUMN legacy boolean NOT NULL DEFAULT true;
ALTER TABLE recovery_codes ALTER COLUMN legacy SET DEFAULT false;

-- The secret part of an e-mail (a reset, invitation or confirmation link)
-- is kept apart from the body, encrypted with the environment key, and only
-- until the message is delivered or given up: afterwards the database holds
-- no usable link.
ALTER TABLE outbox ADD COLUMN secret_link text;
ALTER TABLE outbox ADD CONSTRAINT outbox_secret_link_only_pending
	CHECK (secret_link IS NULL OR (sent_at IS NULL AND failed_at IS NULL));

-- Links already in bodies of delivered or given-up messages are struck out;
-- waiting messages keep theirs and go out as they are.
UPDATE outbox
SET body = regexp_replace(body, '(/(passwort-zuruecksetzen|einladung|bestaetigen)/)[A-Za-z0-9_-]+', '\1[entfernt]', 'g')
WHERE sent_at IS NOT NULL OR failed_at IS NOT NULL;

-- +goose Down
ALTER TABLE outbox DROP CONSTRAINT outbox_secret_link_only_pending;
ALTER TABLE outbox DROP COLUMN secret_link;
ALTER TABLE recovery_codes DROP COLUMN legacy;
