-- +goose Up
-- The directory and the search, fast by construction at any size:
--
-- 1. Each initiative keeps its facet keys in one array of integers (a
--    Land's code, a district's AGS, 1,000,000 + a topic's number,
--    2,000,000 + a sector's number: cheap to hash and count), kept
--    up to date by triggers on the link tables in the same transaction. A
--    facet filter is then an array overlap (GIN index), and the facet
--    counts are one pass over the matching rows' keys instead of a join
--    per facet.
-- 2. The typo-tolerant part of the search compares a word with the small
--    list of distinct words of the titles (a trigram index on a few
--    thousand words) instead of computing a similarity for every row; the
--    similar words found then match through the full-text index like any
--    other word.

ALTER TABLE initiatives ADD COLUMN facet_keys int[] NOT NULL DEFAULT '{}';
ALTER TABLE topics ADD COLUMN num int GENERATED ALWAYS AS IDENTITY UNIQUE;
ALTER TABLE sectors ADD COLUMN num int GENERATED ALWAYS AS IDENTITY UNIQUE;

-- The sorted facet keys of each of the initiatives ids, set-based.
-- +goose StatementBegin
CREATE FUNCTION rii_facet_keys(ids bigint[]) RETURNS TABLE (initiative bigint, keys int[])
LANGUAGE sql STABLE AS $$
	SELECT n, coalesce(array_agg(DISTINCT l.k ORDER BY l.k) FILTER (WHERE l.k IS NOT NULL), '{}')
	FROM unnest(ids) n LEFT JOIN (
		SELECT initiative_id, left(ags, 2)::int FROM initiative_districts WHERE initiative_id = ANY (ids)
		UNION ALL SELECT initiative_id, ags::int FROM initiative_districts WHERE initiative_id = ANY (ids)
		UNION ALL SELECT x.initiative_id, 1000000 + t.num FROM initiative_topics x JOIN topics t ON t.slug = x.topic
			WHERE x.initiative_id = ANY (ids)
		UNION ALL SELECT x.initiative_id, 2000000 + t.num FROM initiative_sectors x JOIN sectors t ON t.slug = x.sector
			WHERE x.initiative_id = ANY (ids)
	) l (initiative_id, k) ON l.initiative_id = n
	GROUP BY n
$$;
-- +goose StatementEnd

-- Statement-level, with the changed link rows as the transition table
-- "changed": a bulk import updates each initiative once per link table,
-- set-based, instead of running a function per link row.
-- +goose StatementBegin
CREATE FUNCTION rii_refresh_facet_keys() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	UPDATE initiatives i SET facet_keys = k.keys
	FROM rii_facet_keys(ARRAY(SELECT DISTINCT initiative_id FROM changed)) k
	WHERE i.id = k.initiative AND i.facet_keys IS DISTINCT FROM k.keys;
	RETURN NULL;
END
$$;
-- +goose StatementEnd

-- +goose StatementBegin
DO $$
DECLARE
	t text;
BEGIN
	FOREACH t IN ARRAY ARRAY['initiative_districts', 'initiative_topics', 'initiative_sectors'] LOOP
		EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %I REFERENCING NEW TABLE AS changed '
			'FOR EACH STATEMENT EXECUTE FUNCTION rii_refresh_facet_keys()', t || '_facet_keys_ins', t);
		EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON %I REFERENCING OLD TABLE AS changed '
			'FOR EACH STATEMENT EXECUTE FUNCTION rii_refresh_facet_keys()', t || '_facet_keys_del', t);
		EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %I REFERENCING OLD TABLE AS changed '
			'FOR EACH STATEMENT EXECUTE FUNCTION rii_refresh_facet_keys()', t || '_facet_keys_upd_old', t);
		EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %I REFERENCING NEW TABLE AS changed '
			'FOR EACH STATEMENT EXECUTE FUNCTION rii_refresh_facet_keys()', t || '_facet_keys_upd_new', t);
	END LOOP;
END
$$;
-- +goose StatementEnd

CREATE INDEX initiatives_facet_keys_idx ON initiatives USING gin (facet_keys);
UPDATE initiatives i SET facet_keys = k.keys FROM rii_facet_keys(ARRAY(SELECT id FROM initiatives)) k
WHERE i.id = k.initiative;

-- The distinct words (unaccented, lower case, three letters or more) of
-- the titles the typo-tolerant search compares with. Words are only
-- added: one no title uses any more finds nothing through the full text.
CREATE TABLE search_words (
	word text PRIMARY KEY
);
CREATE INDEX search_words_trgm_idx ON search_words USING gin (word gin_trgm_ops);
CREATE CONSTRAINT TRIGGER search_words_content_version AFTER INSERT OR UPDATE OR DELETE ON search_words
	DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_content_version();

-- +goose StatementBegin
CREATE FUNCTION rii_title_words(title text) RETURNS SETOF text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
	SELECT DISTINCT w FROM regexp_split_to_table(rii_unaccent(lower(title)), '[^[:alnum:]]+') w
	WHERE length(w) BETWEEN 3 AND 40
$$;
-- +goose StatementEnd

-- Adds the words of the title column TG_ARGV[0]: of the inserted rows
-- (statement level, so that a bulk insert adds its words in one go) or of
-- the updated row whose title changed.
-- +goose StatementBegin
CREATE FUNCTION rii_add_title_words() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF TG_LEVEL = 'ROW' THEN
		INSERT INTO search_words (word) SELECT rii_title_words(to_jsonb(NEW) ->> TG_ARGV[0]) ON CONFLICT DO NOTHING;
	ELSE
		INSERT INTO search_words (word) SELECT DISTINCT rii_title_words(to_jsonb(c) ->> TG_ARGV[0]) FROM changed c
		ON CONFLICT DO NOTHING;
	END IF;
	RETURN NULL;
END
$$;
-- +goose StatementEnd

-- +goose StatementBegin
DO $$
DECLARE
	t text[];
BEGIN
	FOREACH t SLICE 1 IN ARRAY ARRAY[['initiatives', 'name'], ['events', 'title'], ['workshops', 'title'],
		['reports', 'title']] LOOP
		EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %I REFERENCING NEW TABLE AS changed '
			'FOR EACH STATEMENT EXECUTE FUNCTION rii_add_title_words(%L)', t[1] || '_words_ins', t[1], t[2]);
		EXECUTE format('CREATE TRIGGER %I AFTER UPDATE OF %I ON %I FOR EACH ROW '
			'WHEN (OLD.%I IS DISTINCT FROM NEW.%I) EXECUTE FUNCTION rii_add_title_words(%L)',
			t[1] || '_words_upd', t[2], t[1], t[2], t[2], t[2]);
		EXECUTE format('INSERT INTO search_words (word) SELECT DISTINCT rii_title_words(%I) FROM %I '
			'ON CONFLICT DO NOTHING', t[2], t[1]);
	END LOOP;
END
$$;
-- +goose StatementEnd
ANALYZE initiatives;
ANALYZE search_words;

-- +goose Down
DROP TRIGGER initiatives_words_ins ON initiatives;
DROP TRIGGER initiatives_words_upd ON initiatives;
DROP TRIGGER events_words_ins ON events;
DROP TRIGGER events_words_upd ON events;
DROP TRIGGER workshops_words_ins ON workshops;
DROP TRIGGER workshops_words_upd ON workshops;
DROP TRIGGER reports_words_ins ON reports;
DROP TRIGGER reports_words_upd ON reports;
DROP FUNCTION rii_add_title_words();
DROP FUNCTION rii_title_words(text);
DROP TABLE search_words;
-- +goose StatementBegin
DO $$
DECLARE
	t text;
BEGIN
	FOREACH t IN ARRAY ARRAY['initiative_districts', 'initiative_topics', 'initiative_sectors'] LOOP
		EXECUTE format('DROP TRIGGER %I ON %I', t || '_facet_keys_ins', t);
		EXECUTE format('DROP TRIGGER %I ON %I', t || '_facet_keys_del', t);
		EXECUTE format('DROP TRIGGER %I ON %I', t || '_facet_keys_upd_old', t);
		EXECUTE format('DROP TRIGGER %I ON %I', t || '_facet_keys_upd_new', t);
	END LOOP;
END
$$;
-- +goose StatementEnd
DROP FUNCTION rii_refresh_facet_keys();
DROP FUNCTION rii_facet_keys(bigint[]);
ALTER TABLE initiatives DROP COLUMN facet_keys;
ALTER TABLE topics DROP COLUMN num;
ALTER TABLE sectors DROP COLUMN num;
