-- +goose Up
-- CSV imports of initiatives: an upload is parsed and checked once, its rows
-- kept here for the preview, and imported from here in one transaction, so
-- confirming needs no second upload. Each import expires after a day.
CREATE TABLE imports (
	id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	created_by   bigint REFERENCES users (id) ON DELETE SET NULL,
	created_at   timestamptz NOT NULL,
	expires_at   timestamptz NOT NULL,
	filename     text NOT NULL DEFAULT '' CHECK (length(filename) <= 300),
	-- Every row as checked: line, display values, errors and, when valid,
	-- the normalised profile with the slug it will get.
	rows         jsonb NOT NULL CHECK (jsonb_typeof(rows) = 'array'),
	row_count    int NOT NULL CHECK (row_count BETWEEN 1 AND 5000),
	invalid      int NOT NULL CHECK (invalid BETWEEN 0 AND row_count),
	imported_at  timestamptz,
	imported_by  bigint REFERENCES users (id) ON DELETE SET NULL,
	-- The initiatives created: [{"id", "slug", "name", "status"}].
	result       jsonb,
	CONSTRAINT imports_only_valid_imported CHECK (imported_at IS NULL OR invalid = 0),
	CONSTRAINT imports_result_when_imported CHECK ((imported_at IS NULL) = (result IS NULL))
);
CREATE INDEX imports_expires_idx ON imports (expires_at);

-- +goose Down
DROP TABLE imports;
