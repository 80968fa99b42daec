package server

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// everyEmailedLink makes one link of every kind the portal e-mails: a
// password reset, an account invitation, an initiative confirmation, a
// personal registration link, a registration invitation and a proposal
// confirmation. It returns their paths.
func everyEmailedLink(t *testing.T) (*world, []string) {
	t.Helper()
	w, ws, question := registrationWorld(t, 5)
	links := emailedLinks(t, w)
	c := w.client()
	c.PostForm("/veranstaltungen/"+w.event.Slug+"/anmeldung", registrationForm(1, ws[0], question)).WantStatus(http.StatusSeeOther)
	links = append(links, w.personalPath("person1@beispiel.example"))
	w.editorClient().PostForm("/verwaltung/veranstaltungen/"+itoa(w.event.ID)+"/einladungen",
		url.Values{"liste": {"Erika Muster; erika@beispiel.example"}}).WantStatus(http.StatusSeeOther)
	_, body := w.lastMail("erika@beispiel.example")
	invitation := registrationTokenLink.FindString(body)
	if !strings.HasPrefix(invitation, "/anmeldung/einladung/") {
		t.Fatalf("no registration invitation link:\n%s", body)
	}
	links = append(links, invitation, w.propose(c, "vorschlag@beispiel.example"))
	return w, links
}

// TestNoTokenReachesLogsMetricsOrOutbox: every route that carries a secret
// from an e-mail, its unknown sub-paths, a wrong method, a trailing slash
// and mistyped prefixes leave the token in no log line, no metrics label and
// no outbox column but the (sealed) link itself.
func TestNoTokenReachesLogsMetricsOrOutbox(t *testing.T) {
	t.Parallel()
	w, links := everyEmailedLink(t)
	logs := captureLogs(w.srv)
	c := w.client()
	for _, p := range links {
		token := p[strings.LastIndex(p, "/")+1:]
		c.Get(p).WantStatus(http.StatusOK)
		for _, q := range []string{p + "/", p + "/unbekannt", p + "/unbekannt/tiefer", p + "%2Fx",
			strings.ToUpper(p[:2]) + p[2:], "/" + token, "/initiativen/" + token, "/gibt-es-nicht/" + token + "/x"} {
			c.Get(q)
			c.PostForm(q, url.Values{"x": {"1"}})
		}
		c.Do(http.MethodPut, p, nil, "") // method not allowed
	}
	ts := httptest.NewServer(w.srv.Metrics())
	t.Cleanup(ts.Close)
	res, err := http.Get(ts.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	metricsText, _ := io.ReadAll(res.Body)
	res.Body.Close()
	var outbox string
	if err := w.pool.QueryRow(context.Background(),
		`SELECT coalesce(string_agg((to_jsonb(o) - 'body' - 'secret_link')::text, E'\n'), '') FROM outbox o`).Scan(&outbox); err != nil {
		t.Fatal(err)
	}

	out := logs.String()
	if !strings.Contains(out, "/anmeldung/{token}") || !strings.Contains(out, "/vorschlag/{token}") {
		t.Fatalf("the requests were not logged:\n%s", out)
	}
	for _, p := range links {
		token := p[strings.LastIndex(p, "/")+1:]
		for where, text := range map[string]string{"log": out, "metrics": string(metricsText), "outbox": outbox} {
			if strings.Contains(text, token) {
				t.Errorf("token of %s in the %s:\n%s", p, where, text)
			}
		}
	}
}

func TestMaskPath(t *testing.T) {
	t.Parallel()
	prefixes := []string{"/anmeldung/einladung/", "/anmeldung/"}
	const token = "tHuzycYY1tTzz_TySg-MNT_bV_UlRocS5EYSgfQLf_Y"
	for path, want := range map[string]string{
		"/anmeldung/" + token + "/x":               "/anmeldung/{token}",
		"/Anmeldung/Einladung/" + token:            "/Anmeldung/Einladung/{token}",
		"/anmeldung/":                              "/anmeldung/",
		"/irgendwo/" + token + "/x":                "/irgendwo/{token}/x",
		"/initiativen/netzwerk-industrie-2030-nrw": "/initiativen/netzwerk-industrie-2030-nrw",
		"/veranstaltungen/Kurz":                    "/veranstaltungen/Kurz",
	} {
		if got := maskPath(path, prefixes); got != want {
			t.Errorf("maskPath(%q) = %q, want %q", path, got, want)
		}
	}
}
