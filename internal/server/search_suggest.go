package server

import (
	"context"

	"rii/internal/store"
	"rii/web/components"
)

// suggestion corrects a query of one mistyped word ("Chmie" → "Chemie"):
// the known word and href(word), the same search with it; nothing for
// other queries.
func (s *Server) suggestion(ctx context.Context, query string, href func(word string) string) (components.Suggestion, error) {
	word := store.SearchTerms(query).Word()
	if word == "" {
		return components.Suggestion{}, nil
	}
	known, err := s.store.Suggestion(ctx, word)
	if err != nil || known == "" {
		return components.Suggestion{}, err
	}
	return components.Suggestion{Word: known, Href: href(known)}, nil
}
