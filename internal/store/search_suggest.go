package store

import "context"

// Suggestion is the known word most like word, as first written ("Chemie"
// for "chmie"), for a "Meinten Sie …?": the words of titles, of the
// vocabulary and of place names (search_words), by trigram similarity.
// It is "" when word is itself one of them or occurs, stemmed, in
// anything public, or when no known word is similar enough. One
// statement, through the trigram and full-text indexes.
func (s *Store) Suggestion(ctx context.Context, word string) (string, error) {
	var shown string
	err := s.db.QueryRow(ctx, `
		WITH q AS (SELECT rii_unaccent(lower($1)) AS w, plainto_tsquery('german', rii_unaccent($1)) AS ts)
		SELECT coalesce((SELECT coalesce(s.shown, s.word) FROM search_words s, q
		WHERE s.word % q.w
			AND NOT EXISTS (SELECT 1 FROM search_words WHERE word = q.w)
			AND NOT EXISTS (SELECT 1 FROM initiatives WHERE status = 'published' AND search @@ q.ts)
			AND NOT EXISTS (SELECT 1 FROM events WHERE status <> 'draft' AND search @@ q.ts)
			AND NOT EXISTS (SELECT 1 FROM workshops w JOIN events e ON e.id = w.event_id
				WHERE e.status <> 'draft' AND w.search @@ q.ts)
			AND NOT EXISTS (SELECT 1 FROM reports r JOIN events e ON e.id = r.event_id
				WHERE r.status = 'published' AND e.status <> 'draft' AND r.search @@ q.ts)
		ORDER BY similarity(s.word, q.w) DESC, s.word LIMIT 1), '')`, word).Scan(&shown)
	return shown, wrap("suggestion", err, nil)
}
