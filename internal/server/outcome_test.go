package server

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/go-chi/chi/v5"
)

// TestRequestOutcome checks the one outcome the metrics and the request log
// share: the route pattern (not the raw path), the status (200 when the
// handler wrote nothing), the bytes written.
func TestRequestOutcome(t *testing.T) {
	t.Parallel()
	var got []requestOutcome
	r := chi.NewRouter()
	r.Use(outcomes(func(_ *http.Request, o requestOutcome) { got = append(got, o) }))
	r.Get("/anmeldung/{token}", func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusCreated)
		w.Write([]byte("hallo"))
	})
	r.Get("/leer", func(http.ResponseWriter, *http.Request) {})
	for _, c := range []struct {
		path string
		want requestOutcome
	}{
		{"/anmeldung/geheim", requestOutcome{Route: "/anmeldung/{token}", Status: http.StatusCreated, Bytes: 5}},
		{"/leer", requestOutcome{Route: "/leer", Status: http.StatusOK}},
		{"/gibt-es-nicht/geheim", requestOutcome{Route: unmatchedRoute, Status: http.StatusNotFound, Bytes: 19}},
	} {
		got = nil
		r.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, c.path, nil))
		if len(got) != 1 {
			t.Fatalf("%s: %d outcomes, want 1", c.path, len(got))
		}
		o := got[0]
		o.Duration = 0 // a clock reading, not asserted
		if o != c.want {
			t.Errorf("%s: outcome %+v, want %+v", c.path, o, c.want)
		}
	}
}
