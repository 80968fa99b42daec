-- +goose Up
-- The directory of initiatives: vocabularies editors maintain, the full
-- profile, regions, member organisations, contacts with their visibility
-- and consent, logos, and the revision history.

-- unaccent is only STABLE (its dictionary could change); wrapped with the
-- dictionary named, it is safe to use in indexes and generated columns.
-- +goose StatementBegin
CREATE FUNCTION rii_unaccent(text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
RETURN public.unaccent('public.unaccent'::regdictionary, $1);
-- +goose StatementEnd

-- Vocabularies: a stable slug (used in URLs and filters) and a German name.
CREATE TABLE legal_forms (
	slug     text PRIMARY KEY CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
	name     text NOT NULL UNIQUE CHECK (btrim(name) <> ''),
	position int NOT NULL DEFAULT 0
);
CREATE TABLE topics (
	slug        text PRIMARY KEY CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
	name        text NOT NULL UNIQUE CHECK (btrim(name) <> ''),
	description text NOT NULL DEFAULT '',
	position    int NOT NULL DEFAULT 0
);
CREATE TABLE sectors (LIKE legal_forms INCLUDING ALL);
CREATE TABLE target_groups (LIKE legal_forms INCLUDING ALL);
CREATE TABLE formats (LIKE legal_forms INCLUDING ALL);

INSERT INTO legal_forms (slug, name, position) VALUES
	('ev', 'Eingetragener Verein (e.V.)', 1),
	('gmbh', 'GmbH / gGmbH', 2),
	('eg', 'Genossenschaft (eG)', 3),
	('stiftung', 'Stiftung', 4),
	('oeffentlich', 'Körperschaft oder Einrichtung des öffentlichen Rechts', 5),
	('buendnis', 'Bündnis öffentlicher und privater Akteure', 6),
	('netzwerk', 'Informelles Netzwerk', 7),
	('projekt', 'Projekt einer Kammer, eines Verbands oder Unternehmens', 8),
	('sonstige', 'Sonstige', 9);
INSERT INTO topics (slug, name, position) VALUES
	('innovation', 'Innovation', 1),
	('digitalisierung', 'Digitalisierung', 2),
	('klimaschutz', 'Klimaschutz und Klimaneutralität', 3),
	('fachkraefte', 'Fachkräfte und Nachwuchs', 4),
	('akzeptanz', 'Akzeptanz und Kommunikation', 5),
	('standortmarketing', 'Standortmarketing', 6),
	('energie', 'Energie', 7),
	('nachhaltigkeit', 'Nachhaltigkeit und Kreislaufwirtschaft', 8),
	('infrastruktur', 'Infrastruktur und Mobilität', 9),
	('strukturwandel', 'Strukturwandel', 10);
INSERT INTO sectors (slug, name, position) VALUES
	('chemie', 'Chemie', 1),
	('pharma', 'Pharma', 2),
	('metall-elektro', 'Metall und Elektro', 3),
	('automobil', 'Automobil und Zulieferer', 4),
	('maschinenbau', 'Maschinen- und Anlagenbau', 5),
	('stahl', 'Stahl und Metallerzeugung', 6),
	('kunststoff', 'Kunststoff', 7),
	('papier', 'Papier und Verpackung', 8),
	('glas-keramik', 'Glas und Keramik', 9),
	('lebensmittel', 'Lebensmittel', 10),
	('energiewirtschaft', 'Energiewirtschaft', 11),
	('logistik', 'Logistik', 12),
	('bau', 'Bau und Baustoffe', 13),
	('medizintechnik', 'Medizintechnik', 14),
	('it', 'IT und Software', 15),
	('luft-raumfahrt', 'Luft- und Raumfahrt', 16),
	('branchenuebergreifend', 'Branchenübergreifend', 17);
INSERT INTO target_groups (slug, name, position) VALUES
	('unternehmen', 'Unternehmen', 1),
	('beschaeftigte', 'Beschäftigte', 2),
	('schueler', 'Schülerinnen und Schüler', 3),
	('auszubildende', 'Auszubildende und Studierende', 4),
	('oeffentlichkeit', 'Öffentlichkeit', 5),
	('politik', 'Politik und Verwaltung', 6),
	('medien', 'Medien', 7),
	('lehrkraefte', 'Lehrkräfte', 8);
INSERT INTO formats (slug, name, position) VALUES
	('veranstaltungen', 'Veranstaltungen', 1),
	('netzwerktreffen', 'Netzwerktreffen', 2),
	('wettbewerbe', 'Wettbewerbe', 3),
	('kampagnen', 'Kampagnen und Standortmarketing', 4),
	('betriebsbesichtigungen', 'Betriebsbesichtigungen', 5),
	('bildung', 'Bildungsangebote', 6),
	('dialog', 'Dialogformate', 7),
	('publikationen', 'Publikationen', 8);

-- Images (logos, later report pictures): checked and re-encoded on upload,
-- stored here so app servers keep no files.
CREATE TABLE images (
	id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	content_type text NOT NULL CHECK (content_type IN ('image/png', 'image/jpeg')),
	data         bytea NOT NULL CHECK (length(data) BETWEEN 1 AND 2097152),
	width        int NOT NULL CHECK (width BETWEEN 1 AND 4000),
	height       int NOT NULL CHECK (height BETWEEN 1 AND 4000),
	alt          text NOT NULL CHECK (btrim(alt) <> '' AND length(alt) <= 300),
	sha256       bytea NOT NULL CHECK (length(sha256) = 32),
	created_at   timestamptz NOT NULL DEFAULT now()
);

ALTER TABLE initiatives
	ADD COLUMN short_description text NOT NULL DEFAULT '' CHECK (length(short_description) <= 500),
	ADD COLUMN description       text NOT NULL DEFAULT '' CHECK (length(description) <= 20000),
	ADD COLUMN legal_form        text REFERENCES legal_forms (slug) ON UPDATE CASCADE,
	ADD COLUMN founding_year     int CHECK (founding_year BETWEEN 1800 AND 2100),
	ADD COLUMN website           text CHECK (website ~ '^https?://[^\s/$.?#].[^\s]*$' AND length(website) <= 500),
	ADD COLUMN logo_id           bigint REFERENCES images (id) ON DELETE SET NULL,
	-- When someone responsible last confirmed the profile is current.
	ADD COLUMN confirmed_at      timestamptz,
	ADD COLUMN published_at      timestamptz,
	-- An editor's comment when sending a submission back.
	ADD COLUMN review_comment    text NOT NULL DEFAULT '' CHECK (length(review_comment) <= 5000),
	ADD COLUMN created_by        bigint REFERENCES users (id) ON DELETE SET NULL,
	-- Optimistic locking: every save names the version it started from.
	ADD COLUMN version           int NOT NULL DEFAULT 1 CHECK (version >= 1),
	ADD COLUMN sample            boolean NOT NULL DEFAULT false,
	ADD COLUMN search            tsvector GENERATED ALWAYS AS (
		setweight(to_tsvector('german', rii_unaccent(name)), 'A') ||
		setweight(to_tsvector('german', rii_unaccent(short_description)), 'B') ||
		setweight(to_tsvector('german', rii_unaccent(description)), 'C')) STORED;
UPDATE initiatives SET published_at = created_at WHERE status = 'published';
ALTER TABLE initiatives ADD CONSTRAINT initiatives_published_has_date CHECK (status <> 'published' OR published_at IS NOT NULL);
CREATE INDEX initiatives_search_idx ON initiatives USING gin (search);
CREATE INDEX initiatives_name_trgm_idx ON initiatives USING gin (rii_unaccent(lower(name)) gin_trgm_ops);
CREATE INDEX initiatives_status_updated_idx ON initiatives (status, updated_at DESC);
CREATE INDEX initiatives_status_published_idx ON initiatives (status, published_at DESC);
CREATE INDEX initiatives_name_de_idx ON initiatives ((name COLLATE "de-DE-x-icu"));

CREATE TABLE initiative_districts (
	initiative_id bigint NOT NULL REFERENCES initiatives (id) ON DELETE CASCADE,
	ags           char(5) NOT NULL REFERENCES districts (ags),
	PRIMARY KEY (initiative_id, ags)
);
CREATE INDEX initiative_districts_ags_idx ON initiative_districts (ags);

CREATE TABLE initiative_topics (
	initiative_id bigint NOT NULL REFERENCES initiatives (id) ON DELETE CASCADE,
	topic         text NOT NULL REFERENCES topics (slug) ON UPDATE CASCADE,
	PRIMARY KEY (initiative_id, topic)
);
CREATE INDEX initiative_topics_topic_idx ON initiative_topics (topic);

CREATE TABLE initiative_sectors (
	initiative_id bigint NOT NULL REFERENCES initiatives (id) ON DELETE CASCADE,
	sector        text NOT NULL REFERENCES sectors (slug) ON UPDATE CASCADE,
	PRIMARY KEY (initiative_id, sector)
);
CREATE INDEX initiative_sectors_sector_idx ON initiative_sectors (sector);

CREATE TABLE initiative_target_groups (
	initiative_id bigint NOT NULL REFERENCES initiatives (id) ON DELETE CASCADE,
	target_group  text NOT NULL REFERENCES target_groups (slug) ON UPDATE CASCADE,
	PRIMARY KEY (initiative_id, target_group)
);

CREATE TABLE initiative_formats (
	initiative_id bigint NOT NULL REFERENCES initiatives (id) ON DELETE CASCADE,
	format        text NOT NULL REFERENCES formats (slug) ON UPDATE CASCADE,
	PRIMARY KEY (initiative_id, format)
);

-- Member organisations: public and private actors.
CREATE TABLE initiative_members (
	id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	initiative_id bigint NOT NULL REFERENCES initiatives (id) ON DELETE CASCADE,
	name          text NOT NULL CHECK (btrim(name) <> '' AND length(name) <= 300),
	kind          text NOT NULL CHECK (kind IN ('unternehmen', 'kammer', 'gewerkschaft', 'kommune', 'landkreis',
		'verband', 'wissenschaft', 'sonstige')),
	position      int NOT NULL DEFAULT 0
);
CREATE INDEX initiative_members_initiative_idx ON initiative_members (initiative_id, position);

-- Contacts are personal data. Each shows only to the viewers its visibility
-- allows, on the consent recorded with it (DSGVO Art. 6, 7).
CREATE TABLE contacts (
	id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	name            text NOT NULL CHECK (btrim(name) <> '' AND length(name) <= 200),
	function        text NOT NULL DEFAULT '' CHECK (length(function) <= 300),
	organisation    text NOT NULL DEFAULT '' CHECK (length(organisation) <= 300),
	email           text NOT NULL DEFAULT '' CHECK (length(email) <= 254),
	phone           text NOT NULL DEFAULT '' CHECK (length(phone) <= 50),
	visibility      text NOT NULL DEFAULT 'editors' CHECK (visibility IN ('public', 'members', 'editors')),
	consent_at      timestamptz,
	consent_method  text NOT NULL DEFAULT '' CHECK (length(consent_method) <= 300),
	consent_purpose text NOT NULL DEFAULT '' CHECK (length(consent_purpose) <= 1000),
	created_at      timestamptz NOT NULL DEFAULT now(),
	updated_at      timestamptz NOT NULL DEFAULT now(),
	version         int NOT NULL DEFAULT 1,
	-- Visible beyond the Service-Stelle only with a recorded consent.
	CONSTRAINT contacts_shared_has_consent CHECK (visibility = 'editors' OR consent_at IS NOT NULL)
);

CREATE TABLE initiative_contacts (
	initiative_id bigint NOT NULL REFERENCES initiatives (id) ON DELETE CASCADE,
	contact_id    bigint NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
	role          text NOT NULL DEFAULT '' CHECK (length(role) <= 200),
	position      int NOT NULL DEFAULT 0,
	PRIMARY KEY (initiative_id, contact_id)
);
CREATE INDEX initiative_contacts_contact_idx ON initiative_contacts (contact_id);

-- Every change of a profile: who, when, which fields (from → to), and the
-- whole profile after the change, so an earlier version can be restored.
CREATE TABLE initiative_revisions (
	id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	initiative_id bigint NOT NULL REFERENCES initiatives (id) ON DELETE CASCADE,
	version       int NOT NULL,
	at            timestamptz NOT NULL,
	actor_id      bigint REFERENCES users (id) ON DELETE SET NULL,
	actor         text NOT NULL,
	changes       jsonb NOT NULL DEFAULT '{}',
	snapshot      jsonb NOT NULL,
	UNIQUE (initiative_id, version)
);

-- +goose Down
DROP TABLE initiative_revisions;
DROP TABLE initiative_contacts;
DROP TABLE contacts;
DROP TABLE initiative_members;
DROP TABLE initiative_formats;
DROP TABLE initiative_target_groups;
DROP TABLE initiative_sectors;
DROP TABLE initiative_topics;
DROP TABLE initiative_districts;
ALTER TABLE initiatives DROP CONSTRAINT initiatives_published_has_date;
DROP INDEX initiatives_name_trgm_idx;
DROP INDEX initiatives_status_updated_idx;
DROP INDEX initiatives_name_de_idx;
ALTER TABLE initiatives
	DROP COLUMN search, DROP COLUMN sample, DROP COLUMN version, DROP COLUMN created_by, DROP COLUMN review_comment,
	DROP COLUMN published_at, DROP COLUMN confirmed_at, DROP COLUMN logo_id, DROP COLUMN website,
	DROP COLUMN founding_year, DROP COLUMN legal_form, DROP COLUMN description, DROP COLUMN short_description;
DROP TABLE images;
DROP TABLE formats;
DROP TABLE target_groups;
DROP TABLE sectors;
DROP TABLE topics;
DROP TABLE legal_forms;
DROP FUNCTION rii_unaccent(text);
