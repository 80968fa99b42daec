package main

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"rii/internal/pgtest"
)

// TestRegistrationBurstSurvivesSIGKILL kills a real `rii serve` with
// SIGKILL in the middle of a burst of registrations, starts it again, and
// checks that no registration is half-written: each has its personal link
// and exactly one confirmation e-mail queued or sent, every e-mail belongs
// to a stored registration, and every registration the server confirmed
// with a redirect is there.
func TestRegistrationBurstSurvivesSIGKILL(t *testing.T) {
	t.Parallel()
	dbURL := pgtest.NewDB(t)
	// Posts come through a "proxy" (loopback is trusted), each from its own
	// client address, so the per-client limit does not stop the burst.
	env := []string{"RII_TRUSTED_PROXIES=127.0.0.1/32"}
	cmd, out, base := startServe(t, dbURL, env...)
	defer func() { cmd.Process.Kill() }()
	pool, err := pgxpool.New(context.Background(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	now := time.Now()
	if _, err := pool.Exec(t.Context(), `INSERT INTO events (slug, title, kind, format, starts_at, ends_at, capacity,
			status, published_at, created_at, updated_at, registration_open)
		VALUES ('burst', 'Burst', 'industriedialog', 'digital', $1, $2, 100, 'published', $3, $3, $3, true)`,
		now.Add(30*24*time.Hour), now.Add(30*24*time.Hour+4*time.Hour), now); err != nil {
		t.Fatal(err)
	}

	const posts = 400
	var acknowledged sync.Map // e-mail → true once the server answered 303
	var answered atomic.Int64
	client := &http.Client{Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}
	var wg sync.WaitGroup
	jobs := make(chan int)
	for range 16 {
		wg.Go(func() {
			for i := range jobs {
				email := fmt.Sprintf("burst%d@beispiel.example", i)
				form := url.Values{"name": {fmt.Sprintf("Person %d", i)}, "email": {email}, "einwilligung": {"ja"}}
				req, _ := http.NewRequest(http.MethodPost, base+"/veranstaltungen/burst/anmeldung", strings.NewReader(form.Encode()))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				req.Header.Set("Origin", base)
				req.Header.Set("X-Forwarded-For", fmt.Sprintf("10.0.%d.%d", i/250, i%250+1))
				res, err := client.Do(req)
				if err != nil {
					continue // the server died under this request
				}
				res.Body.Close()
				if res.StatusCode == http.StatusSeeOther {
					acknowledged.Store(email, true)
				}
				answered.Add(1)
			}
		})
	}
	go func() {
		for answered.Load() < 60 {
			time.Sleep(time.Millisecond)
		}
		cmd.Process.Kill() // SIGKILL
	}()
	for i := range posts {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	cmd.Wait()
	if n := answered.Load(); n >= posts {
		t.Fatalf("all %d posts were answered: the kill came too late to test anything; output:\n%s", n, out.String())
	}

	// Restarted, the portal sends what is queued; the data must be whole.
	cmd, out, _ = startServe(t, dbURL, env...)
	var regs, withoutOneMail, withoutLink, strayMails int
	err = pool.QueryRow(t.Context(), `SELECT
		(SELECT count(*) FROM registrations),
		(SELECT count(*) FROM registrations r WHERE (SELECT count(*) FROM outbox o
			WHERE o.registration_id = r.id AND o.subject LIKE 'Bitte bestätigen%') <> 1),
		(SELECT count(*) FROM registrations r WHERE NOT EXISTS (SELECT 1 FROM registration_tokens k WHERE k.registration_id = r.id)),
		(SELECT count(*) FROM outbox WHERE subject LIKE 'Bitte bestätigen%' AND registration_id IS NULL)`).
		Scan(&regs, &withoutOneMail, &withoutLink, &strayMails)
	if err != nil {
		t.Fatal(err)
	}
	if withoutOneMail != 0 || withoutLink != 0 || strayMails != 0 {
		t.Errorf("%d registrations: %d without exactly one confirmation e-mail, %d without a link, %d e-mails without a registration",
			regs, withoutOneMail, withoutLink, strayMails)
	}
	acked := 0
	acknowledged.Range(func(k, _ any) bool {
		acked++
		var n int
		if err := pool.QueryRow(t.Context(), `SELECT count(*) FROM registrations WHERE email = $1`, k).Scan(&n); err != nil || n != 1 {
			t.Errorf("acknowledged registration %s stored %d times (%v)", k, n, err)
		}
		return true
	})
	if regs < acked || regs == 0 {
		t.Errorf("%d registrations stored, %d acknowledged", regs, acked)
	}
	t.Logf("%d posts answered before the kill, %d acknowledged, %d registrations stored", answered.Load(), acked, regs)
	_ = out
}

func TestRegistrationsAnonymiseCommand(t *testing.T) {
	t.Parallel()
	dbURL := pgtest.NewDB(t)
	pool, err := pgxpool.New(context.Background(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	ended := time.Now().AddDate(0, 0, -200)
	if _, err := pool.Exec(t.Context(), `WITH e AS (INSERT INTO events (slug, title, kind, format, starts_at, ends_at,
			status, published_at, created_at, updated_at)
		VALUES ('alt', 'Alt', 'industriedialog', 'digital', $1, $2, 'completed', $1, $1, $1) RETURNING id)
		INSERT INTO registrations (event_id, name, email, status, holds_place, hold_expires_at, created_at, consent_at,
			confirmed_at, link_sent_at)
		SELECT id, 'Vergessene Person', 'vergessen@beispiel.example', 'confirmed', true, $1, $1, $1, $1, $1 FROM e`,
		ended.Add(-4*time.Hour), ended); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(binary(t), "registrations", "anonymise")
	cmd.Env = append(os.Environ(), "DATABASE_URL="+dbURL)
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "1 Anmeldungen anonymisiert") {
		t.Fatalf("rii registrations anonymise: %v\n%s", err, out)
	}
	var name, email string
	if err := pool.QueryRow(t.Context(), `SELECT name, email FROM registrations`).Scan(&name, &email); err != nil || name != "" || email != "" {
		t.Errorf("after the command: %q %q %v", name, email, err)
	}
}
