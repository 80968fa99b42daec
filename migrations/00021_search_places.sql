-- +goose Up
-- The search understands places and the vocabulary:
--
-- 1. Each initiative keeps the names of where and on what it works
--    (its Länder, its districts with their kind and official name, its
--    topics and sectors) in facet_text, kept up to date by the same
--    triggers as facet_keys, and its full text includes them at the lowest
--    weight: "Lörrach", "Landkreis Lörrach", "Solingen", "Bayern" or
--    "Chemie" find the initiatives working there or on it, with every
--    operator of the search syntax.
-- 2. The words the typo-tolerant search compares with (search_words)
--    include those names too, and keep a word as it was first written
--    (shown), so that "Meinten Sie „Lörrach“?" can spell it.

ALTER TABLE initiatives ADD COLUMN facet_text text NOT NULL DEFAULT '';

-- The facet names of each of the initiatives ids, set-based.
-- +goose StatementBegin
CREATE FUNCTION rii_facet_text(ids bigint[]) RETURNS TABLE (initiative bigint, words text)
LANGUAGE sql STABLE AS $$
	SELECT n, coalesce(string_agg(l.w, ' ' ORDER BY l.w), '')
	FROM unnest(ids) n LEFT JOIN (
		SELECT x.initiative_id, s.name FROM initiative_districts x JOIN states s ON s.code = left(x.ags, 2)
			WHERE x.initiative_id = ANY (ids)
		UNION
		SELECT x.initiative_id, concat_ws(' ', d.kind, d.display_name, d.name)
			FROM initiative_districts x JOIN districts d ON d.ags = x.ags WHERE x.initiative_id = ANY (ids)
		UNION
		SELECT x.initiative_id, t.name FROM initiative_topics x JOIN topics t ON t.slug = x.topic
			WHERE x.initiative_id = ANY (ids)
		UNION
		SELECT x.initiative_id, t.name FROM initiative_sectors x JOIN sectors t ON t.slug = x.sector
			WHERE x.initiative_id = ANY (ids)
	) l (initiative_id, w) ON l.initiative_id = n
	GROUP BY n
$$;
-- +goose StatementEnd

-- As in 00015, now with the names too.
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION rii_refresh_facet_keys() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	ids bigint[] := ARRAY(SELECT DISTINCT initiative_id FROM changed);
BEGIN
	UPDATE initiatives i SET facet_keys = k.keys, facet_text = t.words
	FROM rii_facet_keys(ids) k JOIN rii_facet_text(ids) t ON t.initiative = k.initiative
	WHERE i.id = k.initiative AND (i.facet_keys IS DISTINCT FROM k.keys OR i.facet_text IS DISTINCT FROM t.words);
	RETURN NULL;
END
$$;
-- +goose StatementEnd

-- A renamed topic or sector renames it in the facet text of its initiatives.
-- +goose StatementBegin
CREATE FUNCTION rii_refresh_facet_text() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	ids bigint[];
BEGIN
	IF TG_TABLE_NAME = 'topics' THEN
		ids := ARRAY(SELECT DISTINCT x.initiative_id FROM initiative_topics x JOIN changed c ON c.slug = x.topic);
	ELSE
		ids := ARRAY(SELECT DISTINCT x.initiative_id FROM initiative_sectors x JOIN changed c ON c.slug = x.sector);
	END IF;
	UPDATE initiatives i SET facet_text = t.words FROM rii_facet_text(ids) t
	WHERE i.id = t.initiative AND i.facet_text IS DISTINCT FROM t.words;
	RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER topics_facet_text AFTER UPDATE ON topics REFERENCING NEW TABLE AS changed
	FOR EACH STATEMENT EXECUTE FUNCTION rii_refresh_facet_text();
CREATE TRIGGER sectors_facet_text AFTER UPDATE ON sectors REFERENCING NEW TABLE AS changed
	FOR EACH STATEMENT EXECUTE FUNCTION rii_refresh_facet_text();

UPDATE initiatives i SET facet_text = t.words FROM rii_facet_text(ARRAY(SELECT id FROM initiatives)) t
WHERE i.id = t.initiative;

ALTER TABLE initiatives DROP COLUMN search;
ALTER TABLE initiatives ADD COLUMN search tsvector GENERATED ALWAYS AS (
	setweight(to_tsvector('german', rii_unaccent(name)), 'A') ||
	setweight(to_tsvector('german', rii_unaccent(short_description)), 'B') ||
	setweight(to_tsvector('german', rii_unaccent(description)), 'C') ||
	setweight(to_tsvector('german', rii_unaccent(facet_text)), 'D')) STORED;
CREATE INDEX initiatives_search_idx ON initiatives USING gin (search);

-- search_words: each word as first written.
ALTER TABLE search_words ADD COLUMN shown text;

-- The words of a title as rii_title_words finds them, each with its first
-- spelling in the title.
-- +goose StatementBegin
CREATE FUNCTION rii_title_forms(title text) RETURNS TABLE (word text, shown text)
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
	SELECT DISTINCT ON (rii_unaccent(lower(w))) rii_unaccent(lower(w)), w
	FROM regexp_split_to_table(title, '[^[:alnum:]]+') WITH ORDINALITY AS t (w, pos)
	WHERE length(w) BETWEEN 3 AND 40
	ORDER BY rii_unaccent(lower(w)), pos
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION rii_add_title_words() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF TG_LEVEL = 'ROW' THEN
		INSERT INTO search_words (word, shown) SELECT f.word, f.shown FROM rii_title_forms(to_jsonb(NEW) ->> TG_ARGV[0]) f
		ON CONFLICT DO NOTHING;
	ELSE
		INSERT INTO search_words (word, shown)
		SELECT DISTINCT ON (f.word) f.word, f.shown FROM changed c, rii_title_forms(to_jsonb(c) ->> TG_ARGV[0]) f
		ORDER BY f.word, f.shown
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
	FOREACH t SLICE 1 IN ARRAY ARRAY[['topics', 'name'], ['sectors', 'name']] LOOP
		EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %I REFERENCING NEW TABLE AS changed '
			'FOR EACH STATEMENT EXECUTE FUNCTION rii_add_title_words(%L)', t[1] || '_words_ins', t[1], t[2]);
		EXECUTE format('CREATE TRIGGER %I AFTER UPDATE OF %I ON %I FOR EACH ROW '
			'WHEN (OLD.%I IS DISTINCT FROM NEW.%I) EXECUTE FUNCTION rii_add_title_words(%L)',
			t[1] || '_words_upd', t[2], t[1], t[2], t[2], t[2]);
	END LOOP;
END
$$;
-- +goose StatementEnd

-- Every title, vocabulary and place name once more, now with its spelling.
INSERT INTO search_words AS s (word, shown)
SELECT DISTINCT ON (f.word) f.word, f.shown FROM (
	SELECT name FROM initiatives UNION ALL SELECT title FROM events UNION ALL SELECT title FROM workshops
	UNION ALL SELECT title FROM reports UNION ALL SELECT name FROM topics UNION ALL SELECT name FROM sectors
	UNION ALL SELECT name FROM states UNION ALL SELECT display_name FROM districts WHERE valid_until IS NULL
	UNION ALL SELECT name FROM districts WHERE valid_until IS NULL
) t (title), rii_title_forms(t.title) f
ORDER BY f.word, f.shown
ON CONFLICT (word) DO UPDATE SET shown = EXCLUDED.shown WHERE s.shown IS NULL;
ANALYZE initiatives;
ANALYZE search_words;

-- +goose Down
DROP TRIGGER topics_words_ins ON topics;
DROP TRIGGER topics_words_upd ON topics;
DROP TRIGGER sectors_words_ins ON sectors;
DROP TRIGGER sectors_words_upd ON sectors;
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION rii_add_title_words() RETURNS trigger
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
DROP FUNCTION rii_title_forms(text);
ALTER TABLE search_words DROP COLUMN shown;
ALTER TABLE initiatives DROP COLUMN search;
ALTER TABLE initiatives ADD COLUMN search tsvector GENERATED ALWAYS AS (
	setweight(to_tsvector('german', rii_unaccent(name)), 'A') ||
	setweight(to_tsvector('german', rii_unaccent(short_description)), 'B') ||
	setweight(to_tsvector('german', rii_unaccent(description)), 'C')) STORED;
CREATE INDEX initiatives_search_idx ON initiatives USING gin (search);
DROP TRIGGER topics_facet_text ON topics;
DROP TRIGGER sectors_facet_text ON sectors;
DROP FUNCTION rii_refresh_facet_text();
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION rii_refresh_facet_keys() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	UPDATE initiatives i SET facet_keys = k.keys
	FROM rii_facet_keys(ARRAY(SELECT DISTINCT initiative_id FROM changed)) k
	WHERE i.id = k.initiative AND i.facet_keys IS DISTINCT FROM k.keys;
	RETURN NULL;
END
$$;
-- +goose StatementEnd
DROP FUNCTION rii_facet_text(bigint[]);
ALTER TABLE initiatives DROP COLUMN facet_text;
