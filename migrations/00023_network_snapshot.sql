-- +goose Up
-- The dashboard's network (issue 10), precomputed: which initiatives met at
-- the same events held, counted from programme, workshops, their contact
-- people on stage or moderating, and the registrations of their people
-- checked in at the door. Counting the pairs live takes seconds at 10,000
-- initiatives, so the periodic job "network-refresh" recomputes these
-- tables in one transaction (readers see the previous snapshot until it
-- commits) and the pages say when. Derived data only: no foreign keys (a
-- deleted initiative or event leaves with the next refresh; the pages join
-- the live tables for names), no personal data, and no content-version
-- trigger (no public page shows it).

-- How an initiative took part in an event held: one row per pair.
CREATE TABLE network_meetings (
	event_id      bigint NOT NULL,
	initiative_id bigint NOT NULL,
	starts_at     timestamptz NOT NULL,
	presented     boolean NOT NULL, -- in the programme
	workshops     int NOT NULL,     -- workshops it contributed to or moderated
	people        boolean NOT NULL, -- its contact people on stage or moderating
	attended      boolean NOT NULL, -- its people registered and checked in
	PRIMARY KEY (initiative_id, event_id)
);

-- Two initiatives (a < b) at the same event held, and in how many of its
-- workshops both were.
CREATE TABLE network_pairs (
	a         bigint NOT NULL,
	b         bigint NOT NULL,
	event_id  bigint NOT NULL,
	starts_at timestamptz NOT NULL,
	workshops int NOT NULL,
	PRIMARY KEY (a, b, event_id),
	CHECK (a < b)
);
CREATE INDEX network_pairs_starts_idx ON network_pairs (starts_at) INCLUDE (a, b, workshops);
CREATE INDEX network_pairs_b_idx ON network_pairs (b);

-- The pairs counted for whole spans the pages ask for most: scope 'all'
-- (since the start), each calendar year ('2026') and each quarter
-- ('2026-Q3') in Europe/Berlin. Free ranges count from network_pairs.
CREATE TABLE network_pair_counts (
	scope     text NOT NULL,
	a         bigint NOT NULL,
	b         bigint NOT NULL,
	events    int NOT NULL,
	workshops int NOT NULL,
	PRIMARY KEY (scope, a, b)
);
CREATE INDEX network_pair_counts_rank_idx ON network_pair_counts (scope, events DESC, workshops DESC, a, b);

-- How many pairs each scope has.
CREATE TABLE network_scopes (
	scope text PRIMARY KEY,
	pairs int NOT NULL
);

-- Each scope's vernetzung.csv, gzip-compressed (so not compressed again),
-- made by the same job: hundreds of thousands of pairs are too many to
-- read and write per download.
CREATE TABLE network_exports (
	scope text PRIMARY KEY,
	csv_gz bytea NOT NULL
);
ALTER TABLE network_exports ALTER COLUMN csv_gz SET STORAGE EXTERNAL;

-- When the snapshot was computed (one row once it was).
CREATE TABLE network_state (
	id          boolean PRIMARY KEY DEFAULT true CHECK (id),
	computed_at timestamptz NOT NULL
);

-- The dashboard's counts join initiatives only for their status, and
-- registrations only for their status and check-in: read from the indexes
-- alone instead of the wide rows.
CREATE INDEX initiatives_status_id_idx ON initiatives (status, id);
CREATE INDEX registrations_event_figures_idx ON registrations (event_id) INCLUDE (status, attended_at);
-- "What changed since your last visit" finds the few initiatives created or
-- changed since a moment (a bitmap of both) instead of reading them all.
CREATE INDEX initiatives_updated_idx ON initiatives (updated_at);
CREATE INDEX initiatives_created_idx ON initiatives (created_at);

-- +goose Down
DROP INDEX initiatives_created_idx;
DROP INDEX initiatives_updated_idx;
DROP INDEX registrations_event_figures_idx;
DROP INDEX initiatives_status_id_idx;
DROP TABLE network_state;
DROP TABLE network_exports;
DROP TABLE network_scopes;
DROP TABLE network_pair_counts;
DROP TABLE network_pairs;
DROP TABLE network_meetings;
