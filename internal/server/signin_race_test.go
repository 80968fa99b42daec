package server

import (
	"context"
	"net/http"
	"net/http/cookiejar"
	"net/netip"
	"net/url"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"rii/internal/config"
	"rii/internal/totp"
)

// rawClient is a plain HTTP client for goroutines (webtest.Client fails the
// test from its own goroutine); it keeps cookies and does not follow redirects.
func rawClient() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// parallelPosts sends n form posts at once, each built by form(i) with
// header(i), and returns the responses' statuses and Retry-After headers.
func parallelPosts(t *testing.T, c *http.Client, target string, n int, form func(i int) url.Values, header func(i int, h http.Header)) (statuses []int, retry []string) {
	t.Helper()
	statuses, retry = make([]int, n), make([]string, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, _ := http.NewRequest(http.MethodPost, target, strings.NewReader(form(i).Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			if header != nil {
				header(i, req.Header)
			}
			<-start
			res, err := c.Do(req)
			if err != nil {
				t.Errorf("post %d: %v", i, err)
				return
			}
			res.Body.Close()
			statuses[i], retry[i] = res.StatusCode, res.Header.Get("Retry-After")
		}()
	}
	close(start)
	wg.Wait()
	return statuses, retry
}

func countStatus(statuses []int, want int) int {
	n := 0
	for _, s := range statuses {
		if s == want {
			n++
		}
	}
	return n
}

// TestParallelWrongPasswordsAreThrottled: 60 wrong passwords for one
// address at once; at most the limit is checked, the rest get 429.
func TestParallelWrongPasswordsAreThrottled(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	email := w.users["member-a"].Email
	statuses, _ := parallelPosts(t, rawClient(), w.ts.URL+"/anmelden", 60,
		func(int) url.Values { return url.Values{"email": {email}, "passwort": {"falsch-falsch-falsch"}} }, nil)
	// On a busy machine an attempt may also meet the hashing bound (503):
	// refused as well, never processed.
	processed, throttled := countStatus(statuses, http.StatusUnprocessableEntity), countStatus(statuses, http.StatusTooManyRequests)
	busy := countStatus(statuses, http.StatusServiceUnavailable)
	if processed > maxAccountFailures || processed+throttled+busy != 60 || throttled < 60-maxAccountFailures-busy {
		t.Errorf("%d answered 422, %d 429, %d 503 of 60 (%v); want at most %d processed, the rest 429",
			processed, throttled, busy, statuses, maxAccountFailures)
	}
	if n := w.auditCount("signin.failed", w.users["member-a"].ID); n > maxAccountFailures {
		t.Errorf("%d failed sign-ins checked, want at most %d", n, maxAccountFailures)
	}
}

// TestParallelWrongCodesAreThrottled: 60 wrong second-factor codes at once
// in one pending sign-in; at most secondFactorMax are checked.
func TestParallelWrongCodesAreThrottled(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	c := rawClient()
	res, err := c.PostForm(w.ts.URL+"/anmelden", url.Values{"email": {w.users["admin"].Email}, "passwort": {testPassword}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if loc := res.Header.Get("Location"); !strings.HasPrefix(loc, "/anmelden/zweiter-faktor") {
		t.Fatalf("password step went to %q", loc)
	}
	statuses, _ := parallelPosts(t, c, w.ts.URL+"/anmelden/zweiter-faktor", 60,
		func(int) url.Values { return url.Values{"code": {"000000"}} }, nil)
	if n := countStatus(statuses, http.StatusUnprocessableEntity); n > secondFactorMax {
		t.Errorf("%d wrong codes checked (%v), want at most %d", n, statuses, secondFactorMax)
	}
	if n := w.auditCount("signin.second_factor_failed", w.users["admin"].ID); n > secondFactorMax {
		t.Errorf("%d wrong codes audited, want at most %d", n, secondFactorMax)
	}
	for i, s := range statuses {
		if s != http.StatusUnprocessableEntity && s != http.StatusTooManyRequests && s != http.StatusSeeOther {
			t.Errorf("post %d: status %d", i, s)
		}
	}
}

// TestPasswordHashingIsBounded: 100 parallel sign-ins with a budget of two
// hashes never run more than two argon2id computations at once, and the
// process's memory stays within the budget (plus the garbage collector's
// headroom) over its baseline; requests that wait too long get 503 with
// Retry-After.
func TestPasswordHashingIsBounded(t *testing.T) {
	const budgetMiB = 92 // two hashes
	w := newWorld(t, func(c *config.Config) {
		c.HashMemoryMiB = budgetMiB
		c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32"), netip.MustParsePrefix("::1/128")}
	})
	base := rssKiB(t)
	// As the README recommends for production: GOMEMLIMIT at the baseline
	// plus the hashing budget, so the collector returns freed hash memory
	// before the heap doubles.
	limit := int64(base)*1024 + (budgetMiB+32)<<20
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(limit))
	done, peakc := make(chan struct{}), make(chan int)
	go func() {
		peak := base
		for {
			select {
			case <-done:
				peakc <- peak
				return
			case <-time.After(5 * time.Millisecond):
				peak = max(peak, rssKiB(t))
			}
		}
	}()
	// Distinct unknown addresses from distinct clients: no limit applies,
	// and each attempt still costs one hash.
	statuses, retry := parallelPosts(t, rawClient(), w.ts.URL+"/anmelden", 100,
		func(i int) url.Values {
			return url.Values{"email": {"niemand-" + strconv.Itoa(i) + "@beispiel.example"}, "passwort": {testPassword}}
		},
		func(i int, h http.Header) { h.Set("X-Forwarded-For", "198.51.100."+strconv.Itoa(i)) })
	close(done)
	peak := <-peakc
	if hw := w.srv.hashes.highWater; hw > 2 || hw < 1 {
		t.Errorf("%d hashes ran at once, want at most 2", hw)
	}
	for i, s := range statuses {
		switch {
		case s == http.StatusServiceUnavailable && retry[i] == "":
			t.Errorf("post %d: 503 without Retry-After", i)
		case s != http.StatusUnprocessableEntity && s != http.StatusServiceUnavailable:
			t.Errorf("post %d: status %d, want 422 or 503", i, s)
		}
	}
	grew := (peak - base) / 1024
	t.Logf("RSS %d MiB before, %d MiB at peak (+%d MiB); %d checked, %d answered 503",
		base/1024, peak/1024, grew, countStatus(statuses, http.StatusUnprocessableEntity), countStatus(statuses, http.StatusServiceUnavailable))
	if grew > budgetMiB+96 {
		t.Errorf("RSS grew by %d MiB, want at most the budget %d MiB + 96 MiB (100 connections)", grew, budgetMiB)
	}
}

// rssKiB reads the process's resident memory from /proc.
func rssKiB(t *testing.T) int {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Skip("no /proc/self/status")
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			n, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(v), " kB"))
			return n
		}
	}
	return 0
}

// TestSecondFactorLockout: 20 wrong codes within 24 hours lock the step for
// the rest of the day and e-mail the account holder once.
func TestSecondFactorLockout(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	admin := w.users["admin"]
	c := w.client()
	for round := range 4 { // 4 × 5 wrong codes, each in its own 15-minute window
		c.PostForm("/anmelden", url.Values{"email": {admin.Email}, "passwort": {testPassword}}).WantStatus(http.StatusSeeOther)
		for range secondFactorMax {
			c.PostForm("/anmelden/zweiter-faktor", url.Values{"code": {"000000"}}).WantStatus(http.StatusUnprocessableEntity)
		}
		if round < 3 {
			w.clock.Advance(throttleWindow + time.Minute)
			if err := w.srv.cleanSessions(context.Background(), w.clock.Now()); err != nil { // must not forget the day's failures
				t.Fatal(err)
			}
		}
	}
	if n := w.auditCount("signin.second_factor_locked", admin.ID); n != 1 {
		t.Errorf("%d lockouts audited, want 1", n)
	}
	if n := mailsTo(t, w, admin.Email, "Anmeldung im RII-Portal gesperrt"); n != 1 {
		t.Errorf("%d lockout e-mails to the account holder, want 1", n)
	}
	// Even after the short window, and with the right code, the step stays locked …
	w.clock.Advance(throttleWindow + time.Minute)
	c.PostForm("/anmelden", url.Values{"email": {admin.Email}, "passwort": {testPassword}}).WantStatus(http.StatusSeeOther)
	code, _ := totp.Code(admin.Secret, w.clock.Now())
	res := c.PostForm("/anmelden/zweiter-faktor", url.Values{"code": {code}})
	if res.StatusCode != http.StatusTooManyRequests || !strings.Contains(res.Text("main"), "24 Stunden") {
		t.Errorf("right code during the lockout: %d %q, want 429 naming the 24 hours", res.StatusCode, res.Text("main"))
	}
	// … until the day has passed.
	w.clock.Advance(secondFactorLockWindow)
	w.signIn(c, "admin")
	if n := mailsTo(t, w, admin.Email, "Anmeldung im RII-Portal gesperrt"); n != 1 {
		t.Errorf("%d lockout e-mails after all, want 1", n)
	}
}

// mailsTo counts outbox messages to an address with a subject.
func mailsTo(t *testing.T, w *world, to, subject string) int {
	t.Helper()
	var n int
	if err := w.pool.QueryRow(context.Background(),
		`SELECT count(*) FROM outbox WHERE recipient = $1 AND subject = $2`, to, subject).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
