package server

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"rii/internal/store"
)

// A conflict that no handler turned into a form reaches the error mapper
// and answers 409 with the German conflict page, not a 500.
func TestConflictReachingTheMapperAnswers409(t *testing.T) {
	t.Parallel()
	s, _ := newServer(t)
	for _, err := range []error{
		fmt.Errorf("store: update event: %w", store.ErrConflict),
		fmt.Errorf("store: create user: %w", store.ErrEmailTaken),
		&store.TermInUseError{Uses: 1},
	} {
		h := s.handle(func(http.ResponseWriter, *http.Request) error { return err })
		rec := httptest.NewRecorder()
		h(rec, httptest.NewRequest(http.MethodPost, "/verwaltung/veranstaltungen/1", nil))
		if rec.Code != http.StatusConflict {
			t.Errorf("%v: status %d, want 409", err, rec.Code)
		}
		doc, perr := goquery.NewDocumentFromReader(rec.Body)
		if perr != nil {
			t.Fatal(perr)
		}
		if h1 := doc.Find("h1").First().Text(); h1 != "Änderung nicht gespeichert" {
			t.Errorf("%v: heading %q", err, h1)
		}
	}
}
