-- +goose Up
-- Dialogue events (Veranstaltungen), their programme with the people on
-- stage and the initiatives presenting, the parallel workshops with their
-- results, and the reports with their revisions.

CREATE TABLE events (
	id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	slug               text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(slug) <= 100),
	title              text NOT NULL CHECK (btrim(title) <> '' AND length(title) <= 300),
	-- Auftaktveranstaltung, Industriedialog, … (internal/event.Kinds).
	kind               text NOT NULL CHECK (kind IN ('auftakt', 'industriedialog', 'regionalkonferenz', 'workshopreihe',
		'fachveranstaltung', 'netzwerktreffen', 'sonstige')),
	format             text NOT NULL CHECK (format IN ('digital', 'praesenz', 'hybrid')),
	starts_at          timestamptz NOT NULL,
	ends_at            timestamptz NOT NULL,
	-- Where it takes place: a venue and address for in-person and hybrid events.
	place              text NOT NULL DEFAULT '' CHECK (length(place) <= 500),
	-- The Bundesland of the venue, for the filter; NULL for digital events.
	state_code         char(2) REFERENCES states (code),
	-- The link to join online. Only confirmed participants ever see it.
	online_url         text NOT NULL DEFAULT '' CHECK (online_url = '' OR (online_url ~ '^https://[^\s/$.?#].[^\s]*$' AND length(online_url) <= 500)),
	host               text NOT NULL DEFAULT '' CHECK (length(host) <= 300),
	-- "auf Einladung des BMWi"
	invitation         text NOT NULL DEFAULT '' CHECK (length(invitation) <= 300),
	summary            text NOT NULL DEFAULT '' CHECK (length(summary) <= 1000),
	description        text NOT NULL DEFAULT '' CHECK (length(description) <= 20000),
	capacity           int CHECK (capacity >= 0),
	registration_opens_at  timestamptz,
	registration_closes_at timestamptz,
	-- How many took part, once held.
	participant_count  int CHECK (participant_count >= 0),
	status             text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'completed', 'cancelled')),
	-- Why it was cancelled; stays on the public page.
	cancel_notice      text NOT NULL DEFAULT '' CHECK (length(cancel_notice) <= 2000),
	-- Which facts are invented to fill gaps (demo content); shown on the page.
	sample_note        text NOT NULL DEFAULT '' CHECK (length(sample_note) <= 1000),
	published_at       timestamptz,
	created_by         bigint REFERENCES users (id) ON DELETE SET NULL,
	created_at         timestamptz NOT NULL,
	updated_at         timestamptz NOT NULL,
	version            int NOT NULL DEFAULT 1 CHECK (version >= 1),
	search             tsvector GENERATED ALWAYS AS (
		setweight(to_tsvector('german', rii_unaccent(title)), 'A') ||
		setweight(to_tsvector('german', rii_unaccent(summary)), 'B') ||
		setweight(to_tsvector('german', rii_unaccent(host || ' ' || invitation || ' ' || place)), 'C') ||
		setweight(to_tsvector('german', rii_unaccent(description)), 'C')) STORED,
	CONSTRAINT events_end_after_start CHECK (ends_at > starts_at),
	CONSTRAINT events_registration_window CHECK (registration_opens_at IS NULL OR registration_closes_at IS NULL
		OR registration_closes_at > registration_opens_at),
	CONSTRAINT events_cancelled_has_notice CHECK (status <> 'cancelled' OR btrim(cancel_notice) <> ''),
	CONSTRAINT events_public_has_date CHECK (status = 'draft' OR published_at IS NOT NULL)
);
CREATE INDEX events_status_starts_idx ON events (status, starts_at);
CREATE INDEX events_search_idx ON events USING gin (search);
CREATE INDEX events_title_trgm_idx ON events USING gin (rii_unaccent(lower(title)) gin_trgm_ops);

CREATE TABLE event_topics (
	event_id bigint NOT NULL REFERENCES events (id) ON DELETE CASCADE,
	topic    text NOT NULL REFERENCES topics (slug) ON UPDATE CASCADE,
	PRIMARY KEY (event_id, topic)
);
CREATE INDEX event_topics_topic_idx ON event_topics (topic);

-- The programme: ordered by start time, then position.
CREATE TABLE programme_items (
	id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	event_id    bigint NOT NULL REFERENCES events (id) ON DELETE CASCADE,
	starts_at   timestamptz NOT NULL,
	ends_at     timestamptz,
	title       text NOT NULL CHECK (btrim(title) <> '' AND length(title) <= 300),
	-- welcome, keynote, … (internal/event.ItemKinds).
	kind        text NOT NULL CHECK (kind IN ('welcome', 'keynote', 'interview', 'panel', 'presentation', 'workshops',
		'break', 'other')),
	description text NOT NULL DEFAULT '' CHECK (length(description) <= 5000),
	position    int NOT NULL DEFAULT 0,
	CONSTRAINT programme_items_end_after_start CHECK (ends_at IS NULL OR ends_at > starts_at)
);
CREATE INDEX programme_items_event_idx ON programme_items (event_id, starts_at, position);

-- People on stage: contacts, with their function for this item ("Abteilungs-
-- leiter Industriepolitik im BMWi"). Shown publicly only as the contact's
-- visibility allows.
CREATE TABLE programme_item_people (
	item_id    bigint NOT NULL REFERENCES programme_items (id) ON DELETE CASCADE,
	contact_id bigint NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
	function   text NOT NULL DEFAULT '' CHECK (length(function) <= 300),
	position   int NOT NULL DEFAULT 0,
	PRIMARY KEY (item_id, contact_id)
);
CREATE INDEX programme_item_people_contact_idx ON programme_item_people (contact_id);

-- Initiatives presenting in an item.
CREATE TABLE programme_item_initiatives (
	item_id       bigint NOT NULL REFERENCES programme_items (id) ON DELETE CASCADE,
	initiative_id bigint NOT NULL REFERENCES initiatives (id) ON DELETE CASCADE,
	position      int NOT NULL DEFAULT 0,
	PRIMARY KEY (item_id, initiative_id)
);
CREATE INDEX programme_item_initiatives_initiative_idx ON programme_item_initiatives (initiative_id);

-- Workshops: parallel ones share a time slot within their event.
CREATE TABLE workshops (
	id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	event_id          bigint NOT NULL REFERENCES events (id) ON DELETE CASCADE,
	title             text NOT NULL CHECK (btrim(title) <> '' AND length(title) <= 300),
	description       text NOT NULL DEFAULT '' CHECK (length(description) <= 10000),
	starts_at         timestamptz NOT NULL,
	ends_at           timestamptz NOT NULL,
	capacity          int CHECK (capacity >= 0),
	place             text NOT NULL DEFAULT '' CHECK (length(place) <= 500),
	online_url        text NOT NULL DEFAULT '' CHECK (online_url = '' OR (online_url ~ '^https://[^\s/$.?#].[^\s]*$' AND length(online_url) <= 500)),
	-- What came out of it (Ergebnisse), Markdown; once held.
	results           text NOT NULL DEFAULT '' CHECK (length(results) <= 20000),
	participant_count int CHECK (participant_count >= 0),
	-- Invented to fill a gap in the demo content; marked on the page.
	sample            boolean NOT NULL DEFAULT false,
	position          int NOT NULL DEFAULT 0,
	created_at        timestamptz NOT NULL,
	updated_at        timestamptz NOT NULL,
	version           int NOT NULL DEFAULT 1 CHECK (version >= 1),
	search            tsvector GENERATED ALWAYS AS (
		setweight(to_tsvector('german', rii_unaccent(title)), 'A') ||
		setweight(to_tsvector('german', rii_unaccent(description)), 'B') ||
		setweight(to_tsvector('german', rii_unaccent(results)), 'B')) STORED,
	CONSTRAINT workshops_end_after_start CHECK (ends_at > starts_at)
);
CREATE INDEX workshops_event_idx ON workshops (event_id, starts_at, position);
CREATE INDEX workshops_search_idx ON workshops USING gin (search);
CREATE INDEX workshops_title_trgm_idx ON workshops USING gin (rii_unaccent(lower(title)) gin_trgm_ops);

CREATE TABLE workshop_topics (
	workshop_id bigint NOT NULL REFERENCES workshops (id) ON DELETE CASCADE,
	topic       text NOT NULL REFERENCES topics (slug) ON UPDATE CASCADE,
	PRIMARY KEY (workshop_id, topic)
);
CREATE INDEX workshop_topics_topic_idx ON workshop_topics (topic);

CREATE TABLE workshop_moderators (
	workshop_id bigint NOT NULL REFERENCES workshops (id) ON DELETE CASCADE,
	contact_id  bigint NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
	function    text NOT NULL DEFAULT '' CHECK (length(function) <= 300),
	position    int NOT NULL DEFAULT 0,
	PRIMARY KEY (workshop_id, contact_id)
);
CREATE INDEX workshop_moderators_contact_idx ON workshop_moderators (contact_id);

-- Initiatives that contributed to a workshop.
CREATE TABLE workshop_initiatives (
	workshop_id   bigint NOT NULL REFERENCES workshops (id) ON DELETE CASCADE,
	initiative_id bigint NOT NULL REFERENCES initiatives (id) ON DELETE CASCADE,
	position      int NOT NULL DEFAULT 0,
	PRIMARY KEY (workshop_id, initiative_id)
);
CREATE INDEX workshop_initiatives_initiative_idx ON workshop_initiatives (initiative_id);

-- One report per event. The body is Markdown with the portal's extensions
-- (internal/report); it is rendered and sanitised on display.
CREATE TABLE reports (
	id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	event_id     bigint NOT NULL UNIQUE REFERENCES events (id) ON DELETE CASCADE,
	kicker       text NOT NULL DEFAULT '' CHECK (length(kicker) <= 200),
	title        text NOT NULL CHECK (btrim(title) <> '' AND length(title) <= 300),
	subtitle     text NOT NULL DEFAULT '' CHECK (length(subtitle) <= 500),
	body         text NOT NULL DEFAULT '' CHECK (length(body) <= 100000),
	-- The contact person named under the report.
	contact_id   bigint REFERENCES contacts (id) ON DELETE SET NULL,
	-- Their role for this report, e.g. "Referat: Grundsatzfragen der Industriepolitik".
	contact_role text NOT NULL DEFAULT '' CHECK (length(contact_role) <= 300),
	status       text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published')),
	published_at timestamptz,
	sample_note  text NOT NULL DEFAULT '' CHECK (length(sample_note) <= 1000),
	created_by   bigint REFERENCES users (id) ON DELETE SET NULL,
	created_at   timestamptz NOT NULL,
	updated_at   timestamptz NOT NULL,
	version      int NOT NULL DEFAULT 1 CHECK (version >= 1),
	search       tsvector GENERATED ALWAYS AS (
		setweight(to_tsvector('german', rii_unaccent(title || ' ' || kicker)), 'A') ||
		setweight(to_tsvector('german', rii_unaccent(subtitle)), 'B') ||
		setweight(to_tsvector('german', rii_unaccent(body)), 'C')) STORED,
	CONSTRAINT reports_published_has_date CHECK (status <> 'published' OR published_at IS NOT NULL)
);
CREATE INDEX reports_status_published_idx ON reports (status, published_at DESC);
CREATE INDEX reports_search_idx ON reports USING gin (search);
CREATE INDEX reports_title_trgm_idx ON reports USING gin (rii_unaccent(lower(title)) gin_trgm_ops);
CREATE INDEX reports_contact_idx ON reports (contact_id);

-- Pictures of a report (stored in images with their alt text).
CREATE TABLE report_images (
	report_id bigint NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
	image_id  bigint NOT NULL REFERENCES images (id) ON DELETE CASCADE,
	PRIMARY KEY (report_id, image_id)
);

-- Every change of a report, as for initiatives.
CREATE TABLE report_revisions (
	id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	report_id bigint NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
	version   int NOT NULL,
	at        timestamptz NOT NULL,
	actor_id  bigint REFERENCES users (id) ON DELETE SET NULL,
	actor     text NOT NULL,
	changes   jsonb NOT NULL DEFAULT '{}',
	snapshot  jsonb NOT NULL,
	UNIQUE (report_id, version)
);

-- +goose Down
DROP TABLE report_revisions;
DROP TABLE report_images;
DROP TABLE reports;
DROP TABLE workshop_initiatives;
DROP TABLE workshop_moderators;
DROP TABLE workshop_topics;
DROP TABLE workshops;
DROP TABLE programme_item_initiatives;
DROP TABLE programme_item_people;
DROP TABLE programme_items;
DROP TABLE event_topics;
DROP TABLE events;
