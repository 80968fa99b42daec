-- +goose Up
-- Two pieces every later feature builds on.
--
-- 1. The content version: one number that changes whenever anything a
--    public page shows changes, so app servers can cache anonymous pages and
--    still never serve a stale one. Every table whose rows reach a public
--    page (initiatives, contacts, vocabularies, events, workshops, reports,
--    registrations, …) carries the trigger below; a new such table must get
--    it too (see "How to add a table" at the end).
--
--    The trigger is a deferred constraint trigger: it fires at commit, after
--    every other statement of the transaction, so the version row is always
--    the last lock a transaction takes and holds only during its commit. An
--    ordinary trigger would take it in the middle of a transaction and could
--    deadlock with a transaction that locks rows in the other order. It bumps
--    the version once per transaction (a transaction-local setting remembers
--    that it did) and announces the new version with NOTIFY, which PostgreSQL
--    delivers only once the transaction has committed. A reader of the
--    version therefore never sees a number whose data it cannot see yet.
CREATE TABLE content_version (
	only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
	version  bigint NOT NULL
);
INSERT INTO content_version (version) VALUES (1);

-- +goose StatementBegin
CREATE FUNCTION bump_content_version() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	v bigint;
BEGIN
	IF current_setting('rii.content_bumped', true) = 'yes' THEN
		RETURN NULL;
	END IF;
	PERFORM set_config('rii.content_bumped', 'yes', true);
	UPDATE content_version SET version = version + 1 RETURNING version INTO v;
	PERFORM pg_notify('rii_content', v::text);
	RETURN NULL;
END
$$;
-- +goose StatementEnd

-- +goose StatementBegin
DO $$
DECLARE
	t text;
BEGIN
	FOREACH t IN ARRAY ARRAY[
		'initiatives', 'initiative_districts', 'initiative_topics', 'initiative_sectors',
		'initiative_target_groups', 'initiative_formats', 'initiative_members', 'initiative_contacts',
		'contacts', 'images', 'legal_forms', 'topics', 'sectors', 'target_groups', 'formats',
		'events', 'event_topics', 'programme_items', 'programme_item_people', 'programme_item_initiatives',
		'workshops', 'workshop_topics', 'workshop_moderators', 'workshop_initiatives',
		'reports', 'report_images']
	LOOP
		EXECUTE format('CREATE CONSTRAINT TRIGGER %I AFTER INSERT OR UPDATE OR DELETE ON %I '
			'DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_content_version()',
			t || '_content_version', t);
	END LOOP;
END
$$;
-- +goose StatementEnd

-- 2. Periodic jobs: each named job runs at most once per period across all
--    app servers. An instance claims a run by moving last_started_at forward
--    in one conditional upsert (store.ClaimJob); the others find the period
--    taken. A run that dies half-way is simply claimed again next period,
--    so every job must be idempotent. The figures serve the status page and
--    the metrics.
CREATE TABLE job_runs (
	name             text PRIMARY KEY CHECK (name ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
	last_started_at  timestamptz NOT NULL,
	last_finished_at timestamptz,
	last_ok_at       timestamptz,
	last_error       text NOT NULL DEFAULT '',
	runs             bigint NOT NULL DEFAULT 0,
	failures         bigint NOT NULL DEFAULT 0
);

-- How to add a table whose rows a public page shows, in a later migration:
--   CREATE CONSTRAINT TRIGGER my_table_content_version AFTER INSERT OR UPDATE OR DELETE ON my_table
--   DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_content_version();

-- +goose Down
-- +goose StatementBegin
DO $$
DECLARE
	r record;
BEGIN
	FOR r IN SELECT tgname, tgrelid::regclass AS tbl FROM pg_trigger
		WHERE tgfoid = 'bump_content_version'::regproc
	LOOP
		EXECUTE format('DROP TRIGGER %I ON %s', r.tgname, r.tbl);
	END LOOP;
END
$$;
-- +goose StatementEnd
DROP FUNCTION bump_content_version();
DROP TABLE content_version;
DROP TABLE job_runs;
