package server

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"rii/internal/account"
	"rii/internal/totp"
)

// TestEachRoleLandsWhereItsWorkIs: after signing in without a page to
// return to, members land on their initiative (or the list of them),
// editors and admins on the administration, officials on the dashboard; a
// safe weiter= still wins, an unsafe one is ignored.
func TestEachRoleLandsWhereItsWorkIs(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.addUser("member-both", account.RoleMember, w.initA)
	if err := w.st.SetUserInitiatives(context.Background(), w.users["member-both"].ID, []int64{w.initA, w.initB}); err != nil {
		t.Fatal(err)
	}
	w.addUser("member-none", account.RoleMember, 0)
	for key, want := range map[string]string{
		"member-a":    "/initiativen/initiative-a",
		"member-both": "/konto#initiativen",
		"member-none": "/konto",
		"editor":      "/verwaltung",
		"admin":       "/verwaltung",
		"official":    "/dashboard",
	} {
		c := w.client()
		if got := w.signInNext(c, key, ""); got != want {
			t.Errorf("%s lands on %q, want %q", key, got, want)
		}
		c.Get(strings.TrimSuffix(want, "#initiativen")).WantStatus(http.StatusOK)
		if got := w.signInNext(w.client(), key, "/berichte?seite=2"); got != "/berichte?seite=2" {
			t.Errorf("%s with weiter=/berichte?seite=2 lands on %q", key, got)
		}
		if got := w.signInNext(w.client(), key, "//angreifer.example/"); got != want {
			t.Errorf("%s with an unsafe weiter lands on %q, want %q", key, got, want)
		}
	}
	// Whoever is signed in already and opens the sign-in goes there too.
	c := w.client()
	w.signIn(c, "editor")
	if loc := c.Get("/anmelden").Header.Get("Location"); loc != "/verwaltung" {
		t.Errorf("a signed-in editor opening /anmelden is sent to %q", loc)
	}
	// The account page has the anchor members with several initiatives land on.
	c = w.client()
	w.signIn(c, "member-both")
	if c.Get("/konto").Find("#initiativen").Length() != 1 {
		t.Error("the account page has no #initiativen")
	}
}

// inviteForTest invites a person as the admin and returns the link path
// from the e-mail.
func inviteForTest(t *testing.T, w *world, form url.Values) string {
	t.Helper()
	admin := w.client()
	w.signIn(admin, "admin")
	admin.PostForm("/verwaltung/benutzer/einladen", form).WantStatus(http.StatusSeeOther)
	_, body := w.lastMail(form.Get("email"))
	return mailLink(t, body)
}

// TestInvitationSignsInAMember: setting the password from an invitation
// signs the member in under a new session token (a token planted before
// stays dead) and lands them on their initiative.
func TestInvitationSignsInAMember(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	link := inviteForTest(t, w, url.Values{"name": {"Erika Muster"}, "email": {"erika@beispiel.example"},
		"rolle": {"member"}, "initiativen": {itoa(w.initB)}})

	// An attacker's session token, planted in the invitee's browser.
	attacker := w.client()
	planted := sessionCookie(attacker.PostForm("/anmelden", url.Values{"email": {w.users["admin"].Email}, "passwort": {testPassword}}))
	if planted == nil {
		t.Fatal("no session to plant")
	}
	guest := w.client()
	req := guest.NewRequest(http.MethodPost, link, strings.NewReader(url.Values{"passwort": {"Seerose am Morgen 42"},
		"wiederholung": {"Seerose am Morgen 42"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(&http.Cookie{Name: planted.Name, Value: planted.Value})
	res := guest.Send(req).WantStatus(http.StatusSeeOther)
	if loc := res.Header.Get("Location"); loc != "/initiativen/initiative-b" {
		t.Errorf("the new member is sent to %q, want their initiative", loc)
	}
	renewed := sessionCookie(res)
	if renewed == nil || renewed.Value == planted.Value {
		t.Fatal("setting the password did not start a session under a new token")
	}
	if res := withCookie(w, "/konto", planted.Value); res.StatusCode != http.StatusSeeOther {
		t.Errorf("the planted token is signed in: /konto = %d", res.StatusCode)
	}
	landed := withCookie(w, "/initiativen/initiative-b", renewed.Value).WantStatus(http.StatusOK)
	if flash := landed.Text("[data-testid=flash]"); flash != "Ihr Passwort ist gespeichert. Sie sind angemeldet." {
		t.Errorf("the landing page says %q", flash)
	}
	konto := withCookie(w, "/konto", renewed.Value).WantStatus(http.StatusOK)
	if got := konto.Text(`[data-testid="my-initiatives"]`); got != "Initiative B" {
		t.Errorf("signed in, but the account shows initiatives %q", got)
	}
	u, err := w.st.UserByEmail(context.Background(), "erika@beispiel.example")
	if err != nil || u.State != account.StateActive || w.auditCount("signin", u.ID) != 1 || w.auditCount("user.invitation_used", u.ID) != 1 {
		t.Errorf("after the invitation: %v, state %v, %d signins", err, u.State, w.auditCount("signin", u.ID))
	}
}

// TestInvitationContinuesWithTheSecondFactor: an invited editor is signed
// in and goes straight to the second factor's setup, which says once, in
// an information box, why; nothing else opens before it is set up.
func TestInvitationContinuesWithTheSecondFactor(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	link := inviteForTest(t, w, url.Values{"name": {"Max Muster"}, "email": {"max@beispiel.example"}, "rolle": {"editor"}})
	c := w.client()
	pw := "Seerose am Morgen 42"
	res := c.PostForm(link, url.Values{"passwort": {pw}, "wiederholung": {pw}}).WantStatus(http.StatusSeeOther)
	if loc := res.Header.Get("Location"); loc != "/konto/zwei-faktor" {
		t.Fatalf("the new editor is sent to %q, want the second factor's setup", loc)
	}
	if loc := c.Get("/verwaltung").Header.Get("Location"); loc != "/konto/zwei-faktor" {
		t.Errorf("/verwaltung before the setup leads to %q", loc)
	}
	setup := c.Get("/konto/zwei-faktor").WantStatus(http.StatusOK)
	notice := setup.Find("[data-testid=totp-required]")
	if !notice.HasClass("kern-alert--info") || !strings.Contains(notice.Text(), "vorgeschrieben") {
		t.Errorf("the required notice is %q in %q", notice.Text(), notice.AttrOr("class", ""))
	}
	if n := strings.Count(setup.Text("main"), "vorgeschrieben"); n != 1 {
		t.Errorf("the setup page says %d times that the factor is required", n)
	}
	if flash := setup.Find("[data-testid=flash]"); flash.Length() != 0 && strings.Contains(flash.Text(), "vorgeschrieben") {
		t.Errorf("a flash repeats the notice: %q", flash.Text())
	}
	w.clock.Advance(30 * time.Second)
	code, err := totp.Code(setup.Text("[data-testid=totp-secret]"), w.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	c.PostForm("/konto/zwei-faktor", url.Values{"code": {code}, "passwort": {pw}}).WantStatus(http.StatusOK)
	c.Get("/verwaltung").WantStatus(http.StatusOK)
}

// TestPasswordResetDoesNotSignIn: a reset link sets the password but never
// signs in; it would skip the second factor.
func TestPasswordResetDoesNotSignIn(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	c := w.client()
	c.PostForm("/passwort-vergessen", url.Values{"email": {w.users["editor"].Email}}).WantStatus(http.StatusOK)
	_, body := w.lastMail(w.users["editor"].Email)
	pw := "Seerose am Morgen 42"
	res := c.PostForm(mailLink(t, body), url.Values{"passwort": {pw}, "wiederholung": {pw}}).WantStatus(http.StatusSeeOther)
	if loc := res.Header.Get("Location"); loc != "/anmelden?passwort-gesetzt" {
		t.Errorf("a reset leads to %q", loc)
	}
	if c.Get("/konto").StatusCode == http.StatusOK {
		t.Error("a password reset signed the editor in")
	}
}
