package server

import (
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"sync"
	"testing"

	"rii/internal/config"
	"rii/internal/store"
)

// postAtOnce sends n posts at the same moment, each from its own client
// (with the X-Forwarded-For clientIP(i) gives, if any), and counts the
// answers by status.
func postAtOnce(w *world, n int, path string, clientIP func(i int) string, form func(i int) url.Values) map[int]int {
	w.t.Helper()
	clients := make([]*webtestClient, n)
	for i := range clients {
		clients[i] = w.client()
		if ip := clientIP(i); ip != "" {
			clients[i].Header.Set("X-Forwarded-For", ip)
		}
	}
	var mu sync.Mutex
	statuses := map[int]int{}
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i, c := range clients {
		wg.Go(func() {
			<-start
			res := c.PostForm(path, form(i))
			mu.Lock()
			defer mu.Unlock()
			statuses[res.StatusCode]++
		})
	}
	close(start)
	wg.Wait()
	return statuses
}

func behindProxy(c *config.Config) {
	c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32"), netip.MustParsePrefix("::1/128")}
}

func oneClient(int) string     { return "198.51.100.7" }
func manyClients(i int) string { return "203.0.113." + strconv.Itoa(i+1) }

// TestProposalLimitsHoldUnderParallelPosts: 20 proposals to one address
// from 20 clients at once send exactly 3 links, and 20 posts from one
// client at once pass exactly 10 times.
func TestProposalLimitsHoldUnderParallelPosts(t *testing.T) {
	t.Parallel()
	w := newWorld(t, behindProxy)
	got := postAtOnce(w, 20, "/initiativen/vorschlagen", manyClients, func(int) url.Values { return proposalForm("ziel@beispiel.example") })
	if got[http.StatusSeeOther] != maxProposalsPerAddress || got[http.StatusTooManyRequests] != 20-maxProposalsPerAddress {
		t.Errorf("one address: answers %v, want %d × 303 and the rest 429", got, maxProposalsPerAddress)
	}
	if n := w.mailCount("ziel@beispiel.example"); n != maxProposalsPerAddress {
		t.Errorf("%d links to one address, want %d", n, maxProposalsPerAddress)
	}

	got = postAtOnce(w, 20, "/initiativen/vorschlagen", oneClient, func(i int) url.Values {
		return proposalForm("p" + strconv.Itoa(i) + "@beispiel.example")
	})
	if got[http.StatusSeeOther] != maxProposalPosts || got[http.StatusTooManyRequests] != 20-maxProposalPosts {
		t.Errorf("one client: answers %v, want %d × 303 and the rest 429", got, maxProposalPosts)
	}
	if n := w.count(`SELECT count(*) FROM initiative_proposals WHERE proposer_email LIKE 'p%@beispiel.example'`); n != maxProposalPosts {
		t.Errorf("%d proposals from one client, want %d", n, maxProposalPosts)
	}
}

// TestPasswordResetLimitHoldsUnderParallelPosts: 20 reset requests for
// one account at once create exactly resetsPerHour links and e-mails.
func TestPasswordResetLimitHoldsUnderParallelPosts(t *testing.T) {
	t.Parallel()
	w := newWorld(t, behindProxy)
	u := w.users["member-a"]
	got := postAtOnce(w, 20, "/passwort-vergessen", manyClients, func(int) url.Values { return url.Values{"email": {u.Email}} })
	if got[http.StatusOK] != 20 {
		t.Errorf("answers %v, want the same neutral page for all 20", got)
	}
	if n := w.count(`SELECT count(*) FROM user_tokens WHERE purpose = '` + store.PurposePasswordReset + `'`); n != resetsPerHour {
		t.Errorf("%d reset links, want %d", n, resetsPerHour)
	}
	if n := w.mailCount(u.Email); n != resetsPerHour {
		t.Errorf("%d reset e-mails, want %d", n, resetsPerHour)
	}
}

// TestRegistrationLimitsHoldUnderParallelPosts: 30 registrations from one
// client at once pass exactly maxRegistrationPosts times; 20 for one address
// from many clients make one registration and one e-mail.
func TestRegistrationLimitsHoldUnderParallelPosts(t *testing.T) {
	t.Parallel()
	w, ws, question := registrationWorld(t, 100)
	w.srv.cfg.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32"), netip.MustParsePrefix("::1/128")}
	path := "/veranstaltungen/" + w.event.Slug + "/anmeldung"
	got := postAtOnce(w, 30, path, oneClient, func(i int) url.Values { return registrationForm(i, ws[0], question) })
	if got[http.StatusSeeOther] != maxRegistrationPosts || got[http.StatusTooManyRequests] != 30-maxRegistrationPosts {
		t.Errorf("one client: answers %v, want %d × 303 and the rest 429", got, maxRegistrationPosts)
	}
	got = postAtOnce(w, 20, path, manyClients, func(int) url.Values { return registrationForm(99, ws[0], question) })
	if got[http.StatusSeeOther] != 20 {
		t.Errorf("one address: answers %v, want the same answer for all 20", got)
	}
	if n := w.count(`SELECT count(*) FROM registrations WHERE email = 'person99@beispiel.example'`); n != 1 {
		t.Errorf("%d registrations of one address, want 1", n)
	}
	if n := w.mailCount("person99@beispiel.example"); n != 1 {
		t.Errorf("%d e-mails to one address, want 1", n)
	}
}
