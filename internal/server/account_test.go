package server

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"rii/internal/secret"
	"rii/internal/store"
	"rii/internal/totp"
	"rii/internal/webtest"
)

// lastMail returns the newest outbox message to an address as the
// recipient reads it: with its sealed link opened and put in place.
func (w *world) lastMail(to string) (subject, body string) {
	w.t.Helper()
	var sealed string
	err := w.pool.QueryRow(context.Background(),
		`SELECT subject, body, coalesce(secret_link, '') FROM outbox WHERE recipient = $1 ORDER BY id DESC LIMIT 1`,
		to).Scan(&subject, &body, &sealed)
	if err != nil {
		w.t.Fatalf("no e-mail to %s: %v", to, err)
	}
	if sealed != "" {
		link, _, err := w.srv.keys.Open(sealed, secret.LinkContext)
		if err != nil {
			w.t.Fatal(err)
		}
		body = strings.ReplaceAll(body, store.LinkPlaceholder, link)
	}
	return subject, body
}

func (w *world) mailCount(to string) int {
	w.t.Helper()
	var n int
	if err := w.pool.QueryRow(context.Background(), `SELECT count(*) FROM outbox WHERE recipient = $1`, to).Scan(&n); err != nil {
		w.t.Fatal(err)
	}
	return n
}

var linkPath = regexp.MustCompile(`https?://[^/\s]+(/(?:einladung|passwort-zuruecksetzen)/[A-Za-z0-9_-]+)`)

func mailLink(t *testing.T, body string) string {
	t.Helper()
	m := linkPath.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no link in the e-mail:\n%s", body)
	}
	return m[1]
}

func TestInvitationWorksOnceWithin72Hours(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	admin := w.client()
	w.signIn(admin, "admin")
	form := url.Values{"name": {"Erika Muster"}, "email": {" Erika.Muster@Beispiel.example "}, "rolle": {"member"},
		"initiativen": {itoa(w.initB)}}
	admin.PostForm("/verwaltung/benutzer/einladen", form).WantStatus(http.StatusSeeOther)
	// The same address again, in other case: a field error, not a 500.
	res := admin.PostForm("/verwaltung/benutzer/einladen", form).WantStatus(http.StatusUnprocessableEntity)
	if !strings.Contains(res.Text("#feld-email-fehler"), "bereits ein Konto") {
		t.Errorf("duplicate address: %q", res.Text("#feld-email-fehler"))
	}
	subject, body := w.lastMail("erika.muster@beispiel.example")
	if !strings.Contains(subject, "Einladung") || !strings.Contains(body, "72 Stunden") {
		t.Errorf("invitation mail: %q\n%s", subject, body)
	}
	link := mailLink(t, body)

	guest := w.client()
	guest.Get(link).WantStatus(http.StatusOK)
	res = guest.PostForm(link, url.Values{"passwort": {"kurz"}, "wiederholung": {"kurz"}}).WantStatus(http.StatusUnprocessableEntity)
	if !strings.Contains(res.Text("#feld-passwort-fehler"), "12 Zeichen") {
		t.Errorf("short password: %q", res.Text("#feld-passwort-fehler"))
	}
	res = guest.PostForm(link, url.Values{"passwort": {"password1234"}, "wiederholung": {"password1234"}}).WantStatus(http.StatusUnprocessableEntity)
	if !strings.Contains(res.Text("#feld-passwort-fehler"), "verbreitet") {
		t.Errorf("common password: %q", res.Text("#feld-passwort-fehler"))
	}
	good := "Seerose am Morgen 42"
	guest.PostForm(link, url.Values{"passwort": {good}, "wiederholung": {good}}).WantStatus(http.StatusSeeOther)
	// Once: the link is spent.
	guest.Get(link).WantStatus(http.StatusNotFound)
	guest.PostForm(link, url.Values{"passwort": {good}, "wiederholung": {good}}).WantStatus(http.StatusNotFound)

	guest.PostForm("/anmelden", url.Values{"email": {"erika.muster@beispiel.example"}, "passwort": {good}}).WantStatus(http.StatusSeeOther)
	konto := guest.Get("/konto").WantStatus(http.StatusOK)
	if got := konto.Text(`[data-testid="my-initiatives"]`); got != "Initiative B" {
		t.Errorf("linked initiatives = %q", got)
	}

	// A second invitation expires after 72 hours.
	admin.PostForm("/verwaltung/benutzer/einladen", url.Values{"name": {"Max Muster"}, "email": {"max@beispiel.example"}, "rolle": {"editor"}}).
		WantStatus(http.StatusSeeOther)
	_, body = w.lastMail("max@beispiel.example")
	w.clock.Advance(72*time.Hour + time.Minute)
	w.client().Get(mailLink(t, body)).WantStatus(http.StatusNotFound)
}

func TestEditorsInviteMembersOnly(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	editor := w.client()
	w.signIn(editor, "editor")
	res := editor.PostForm("/verwaltung/benutzer/einladen", url.Values{"name": {"Neu"}, "email": {"neu@beispiel.example"}, "rolle": {"admin"}})
	res.WantStatus(http.StatusUnprocessableEntity)
	if w.mailCount("neu@beispiel.example") != 0 {
		t.Error("a refused invitation was sent")
	}
	editor.PostForm("/verwaltung/benutzer/einladen", url.Values{"name": {"Neu"}, "email": {"neu@beispiel.example"}, "rolle": {"member"}}).
		WantStatus(http.StatusSeeOther)
}

func TestPasswordResetRevealsNothingAndWorksOnce(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	c := w.client()
	member := w.users["member-a"]
	known := c.PostForm("/passwort-vergessen", url.Values{"email": {member.Email}}).WantStatus(http.StatusOK)
	unknown := c.PostForm("/passwort-vergessen", url.Values{"email": {"niemand@beispiel.example"}}).WantStatus(http.StatusOK)
	if known.Text("main") != unknown.Text("main") {
		t.Error("the answer differs between a known and an unknown address")
	}
	if w.mailCount("niemand@beispiel.example") != 0 || w.mailCount(member.Email) != 1 {
		t.Fatal("reset mail not sent exactly to the existing account")
	}
	_, body := w.lastMail(member.Email)
	link := mailLink(t, body)

	// A session that exists before the reset ends with it.
	old := w.client()
	w.signIn(old, "member-a")

	newPW := "Neues Passwort für den Herbst"
	c.PostForm(link, url.Values{"passwort": {newPW}, "wiederholung": {newPW + "x"}}).WantStatus(http.StatusUnprocessableEntity)
	c.PostForm(link, url.Values{"passwort": {newPW}, "wiederholung": {newPW}}).WantStatus(http.StatusSeeOther)
	c.Get(link).WantStatus(http.StatusNotFound)
	if res := old.Get("/konto"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("old session survived the reset: %d", res.StatusCode)
	}
	c.PostForm("/anmelden", url.Values{"email": {member.Email}, "passwort": {newPW}}).WantStatus(http.StatusSeeOther)

	// Links expire after an hour.
	c2 := w.client()
	c2.PostForm("/passwort-vergessen", url.Values{"email": {w.users["member-b"].Email}})
	_, body = w.lastMail(w.users["member-b"].Email)
	w.clock.Advance(61 * time.Minute)
	c2.Get(mailLink(t, body)).WantStatus(http.StatusNotFound)
	if n := w.auditCount("user.password_reset_used", member.ID); n != 1 {
		t.Errorf("%d reset audit entries", n)
	}
}

func TestTOTPSetupCodesOnceAndRecoveryCodes(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	c := w.client()
	member := w.users["member-a"]
	w.signIn(c, "member-a")
	setup := c.Get("/konto/zwei-faktor").WantStatus(http.StatusOK)
	secret := setup.Text(`[data-testid="totp-secret"]`)
	if src, _ := setup.Find("img.qr-code").Attr("src"); !strings.HasPrefix(src, "data:image/png;base64,") {
		t.Errorf("QR code src = %.40q", src)
	}
	code, _ := totp.Code(secret, w.clock.Now())
	c.PostForm("/konto/zwei-faktor", url.Values{"code": {code}, "passwort": {"falsch-falsch-falsch"}}).WantStatus(http.StatusUnprocessableEntity)
	res := c.PostForm("/konto/zwei-faktor", url.Values{"code": {code}, "passwort": {testPassword}}).WantStatus(http.StatusOK)
	codes := res.Find(`[data-testid="recovery-codes"] li`)
	if codes.Length() != recoveryCodeCount {
		t.Fatalf("%d recovery codes shown", codes.Length())
	}
	recovery := codes.First().Text()

	// Signing in now asks for the code; the code just used does not work again.
	fresh := w.client()
	fresh.PostForm("/anmelden", url.Values{"email": {member.Email}, "passwort": {testPassword}}).WantStatus(http.StatusSeeOther)
	fresh.PostForm("/anmelden/zweiter-faktor", url.Values{"code": {code}}).WantStatus(http.StatusUnprocessableEntity)
	fresh.PostForm("/anmelden/zweiter-faktor", url.Values{"code": {strings.ToUpper(recovery)}}).WantStatus(http.StatusSeeOther)
	fresh.Get("/konto").WantStatus(http.StatusOK)
	// A recovery code works once.
	again := w.client()
	again.PostForm("/anmelden", url.Values{"email": {member.Email}, "passwort": {testPassword}}).WantStatus(http.StatusSeeOther)
	again.PostForm("/anmelden/zweiter-faktor", url.Values{"code": {recovery}}).WantStatus(http.StatusUnprocessableEntity)

	// Removing the factor needs the password.
	c.PostForm("/konto/zwei-faktor/entfernen", url.Values{"passwort": {"falsch"}}).WantStatus(http.StatusUnprocessableEntity)
	c.PostForm("/konto/zwei-faktor/entfernen", url.Values{"passwort": {testPassword}}).WantStatus(http.StatusSeeOther)
	for _, action := range []string{"user.totp_enabled", "user.totp_disabled", "signin.recovery_code_used", "signin.second_factor_failed"} {
		if w.auditCount(action, member.ID) < 1 {
			t.Errorf("no audit entry %s", action)
		}
	}
}

func TestRequiredSecondFactorCannotBeSkipped(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	if _, err := w.pool.Exec(context.Background(), `UPDATE users SET totp_secret = NULL, totp_enabled_at = NULL WHERE id = $1`, w.users["editor"].ID); err != nil {
		t.Fatal(err)
	}
	w.users["editor"].Secret = ""
	c := w.client()
	c.PostForm("/anmelden", url.Values{"email": {w.users["editor"].Email}, "passwort": {testPassword}}).WantStatus(http.StatusSeeOther)
	for _, path := range []string{"/konto", "/verwaltung", "/verwaltung/benutzer/einladen"} {
		res := c.Get(path)
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/konto/zwei-faktor" {
			t.Errorf("%s without the required factor: %d to %q", path, res.StatusCode, res.Header.Get("Location"))
		}
	}
	c.Get("/konto/zwei-faktor").WantStatus(http.StatusOK)
}

func TestPasswordChangeEndsOtherSessions(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	a, b := w.client(), w.client()
	w.signIn(a, "member-a")
	w.signIn(b, "member-a")
	konto := a.Get("/konto").WantStatus(http.StatusOK)
	if n := konto.Find(`[data-testid="sessions"] tbody tr`).Length(); n != 2 {
		t.Errorf("%d sessions listed, want 2", n)
	}
	res := a.PostForm("/konto/passwort", url.Values{"alt": {"falsch"}, "passwort": {"x"}, "wiederholung": {"y"}}).WantStatus(http.StatusUnprocessableEntity)
	if res.Find(`[data-testid="error-summary"] li`).Length() != 2 {
		t.Errorf("want errors for the old and the new password: %q", res.Text(`[data-testid="error-summary"]`))
	}
	newPW := "Ein ganz anderes Passwort"
	a.PostForm("/konto/passwort", url.Values{"alt": {testPassword}, "passwort": {newPW}, "wiederholung": {newPW}}).WantStatus(http.StatusSeeOther)
	a.Get("/konto").WantStatus(http.StatusOK)
	if b.Get("/konto").StatusCode != http.StatusSeeOther {
		t.Error("the other session survived the password change")
	}
	if w.auditCount("user.password_changed", w.users["member-a"].ID) != 1 {
		t.Error("password change not audited")
	}
}

func TestRoleChangeAndDisablingEndSessions(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	admin := w.client()
	w.signIn(admin, "admin")
	target := w.users["target"]
	victim := func() *webtest.Client {
		c := w.client()
		w.signIn(c, "target")
		return c
	}

	v := victim()
	admin.PostForm("/verwaltung/benutzer/"+itoa(target.ID), url.Values{"rolle": {"member"}, "initiativen": {itoa(w.initB)}}).WantStatus(http.StatusSeeOther)
	v.Get("/konto").WantStatus(http.StatusOK) // initiatives changed, role not: session stays
	admin.PostForm("/verwaltung/benutzer/"+itoa(target.ID), url.Values{"rolle": {"editor"}, "initiativen": {itoa(w.initB)}}).
		WantStatus(http.StatusUnprocessableEntity) // editors have no initiatives
	admin.PostForm("/verwaltung/benutzer/"+itoa(target.ID), url.Values{"rolle": {"official"}}).WantStatus(http.StatusSeeOther)
	if v.Get("/konto").StatusCode != http.StatusSeeOther {
		t.Error("session survived the role change")
	}

	w.users["target"].Secret = "" // officials must set up TOTP; signing in still works
	v = victim2(t, w)
	admin.PostForm("/verwaltung/benutzer/"+itoa(target.ID)+"/sperren", nil).WantStatus(http.StatusSeeOther)
	if v.Get("/konto/zwei-faktor").StatusCode != http.StatusSeeOther {
		t.Error("session survived disabling")
	}
	w.client().PostForm("/anmelden", url.Values{"email": {target.Email}, "passwort": {testPassword}}).WantStatus(http.StatusUnprocessableEntity)
	admin.PostForm("/verwaltung/benutzer/"+itoa(target.ID)+"/entsperren", nil).WantStatus(http.StatusSeeOther)
	w.client().PostForm("/anmelden", url.Values{"email": {target.Email}, "passwort": {testPassword}}).WantStatus(http.StatusSeeOther)
	// An admin cannot lock themselves out.
	admin.PostForm("/verwaltung/benutzer/"+itoa(w.users["admin"].ID)+"/sperren", nil).WantStatus(http.StatusForbidden)

	// Initiatives changed twice: A to B, then none for the official.
	for action, want := range map[string]int{"user.role_changed": 1, "user.initiatives_changed": 2, "user.disabled": 1, "user.enabled": 1} {
		if got := w.auditCount(action, target.ID); got != want {
			t.Errorf("audit %s: %d entries, want %d", action, got, want)
		}
	}
	page := admin.Get("/verwaltung/benutzer/" + itoa(target.ID)).WantStatus(http.StatusOK)
	if !strings.Contains(page.Text(`[data-testid="user-audit"]`), "Rolle geändert") {
		t.Error("the user's page does not show the audit trail")
	}
}

// victim2 signs in an account that must still set up its second factor.
func victim2(t *testing.T, w *world) *webtest.Client {
	t.Helper()
	c := w.client()
	c.PostForm("/anmelden", url.Values{"email": {w.users["target"].Email}, "passwort": {testPassword}}).WantStatus(http.StatusSeeOther)
	c.Get("/konto/zwei-faktor").WantStatus(http.StatusOK)
	return c
}

func TestUserListSearchAndPaging(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	for i := range 30 {
		w.addUser("viele-"+itoa(int64(i)), "member", 0)
	}
	admin := w.client()
	w.signIn(admin, "admin")
	res := admin.Get("/verwaltung/benutzer?q=viele&seite=2").WantStatus(http.StatusOK)
	if got := res.Text(`[data-testid="result-count"]`); got != "30 Konten gefunden" {
		t.Errorf("count = %q", got)
	}
	if n := res.Find(`[data-testid="user-table"] tbody tr`).Length(); n != 5 {
		t.Errorf("page 2 has %d rows, want 5", n)
	}
	if prev, _ := res.Find(`[data-testid="pager"] a[rel="prev"]`).Attr("href"); prev != "/verwaltung/benutzer?q=viele" {
		t.Errorf("previous page link %q does not keep the filter", prev)
	}
	for _, q := range []string{"?seite=-1", "?seite=abc", "?rolle=kaiser&status=x", "?q=%25_%5C", "?q=" + strings.Repeat("x", 5000)} {
		admin.Get("/verwaltung/benutzer" + q).WantStatus(http.StatusOK)
	}
	if n := admin.Get("/verwaltung/benutzer?rolle=admin").Find(`[data-testid="user-table"] tbody tr`).Length(); n != 1 {
		t.Errorf("role filter: %d admins", n)
	}
}
