package server

import (
	"context"
	"time"

	"rii/web/pages"
)

// The conflict flow, one for every form with optimistic locking: the store
// refuses a save whose version moved on (store.ErrConflict), the handler
// re-renders the form with the typed values, moved to the saved version,
// and conflictView's panel above it. Saving again is a deliberate
// overwrite.

// conflictView says who saved the object last and when, and lists the
// fields of rows whose saved and typed values differ. what names the object
// in the sentence ("das Profil").
func (s *Server) conflictView(ctx context.Context, objectType string, id int64, what string, savedAt time.Time,
	rows []pages.ConflictField) (*pages.ConflictView, error) {
	who, err := s.store.LastSavedBy(ctx, objectType, id)
	if err != nil {
		return nil, err
	}
	if who == "" {
		who = "Eine andere Person"
	}
	return &pages.ConflictView{What: what, SavedAt: formatTime(savedAt), SavedBy: who, Fields: differing(rows)}, nil
}

// differing keeps the rows whose saved and typed values differ.
func differing(rows []pages.ConflictField) []pages.ConflictField {
	var out []pages.ConflictField
	for _, r := range rows {
		if r.Saved != r.Yours {
			out = append(out, r)
		}
	}
	return out
}

// pairRows pairs labels with the saved and typed values shown for them.
func pairRows(labels, saved, yours []string) []pages.ConflictField {
	rows := make([]pages.ConflictField, len(labels))
	for i, l := range labels {
		rows[i] = pages.ConflictField{Label: l, Saved: saved[i], Yours: yours[i]}
	}
	return rows
}
