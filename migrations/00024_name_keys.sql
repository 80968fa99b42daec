-- +goose Up
-- Pickers (issue 16) find initiatives and contact persons by a tolerant
-- key of their names: lower case, without accents, every run of other
-- characters than letters and digits one space ("Ems-Achse" and "Ems Achse"
-- both become "ems achse"). The key decides "same name"; its trigrams find
-- the similar ones behind "Meinten Sie …?".
-- +goose StatementBegin
CREATE FUNCTION rii_name_key(text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
RETURN btrim(regexp_replace(lower(rii_unaccent($1)), '[^[:alnum:]]+', ' ', 'g'));
-- +goose StatementEnd

CREATE INDEX initiatives_name_key_trgm_idx ON initiatives USING gin (rii_name_key(name) gin_trgm_ops);
CREATE INDEX contacts_name_key_trgm_idx ON contacts USING gin (rii_name_key(name || ' ' || organisation) gin_trgm_ops);

-- +goose Down
DROP INDEX contacts_name_key_trgm_idx;
DROP INDEX initiatives_name_key_trgm_idx;
DROP FUNCTION rii_name_key(text);
