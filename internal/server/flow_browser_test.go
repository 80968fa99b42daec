package server

import (
	"context"
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"rii/internal/browsertest"
	"rii/internal/totp"
)

// TestInvitationToSignOutByKeyboard follows an account from the invitation
// to the second sign-out in Chromium, by keyboard only: the admin invites a
// new editor, the invitee sets a password through the e-mailed link, sets
// up the required second factor, signs out, signs in again with a code and
// signs out. Every page state on the way, the ones with form errors
// included, must pass axe-core (WCAG 2.2 A/AA) and log no console error.
// Values are only ever read by script, never set: every field is reached
// with Tab and filled by typing, every form sent with Enter.
func TestInvitationToSignOutByKeyboard(t *testing.T) {
	t.Parallel()
	b := browsertest.Shared(t)
	w := newWorld(t)
	base := w.ts.URL

	const (
		name       = "Erika Mustermann"
		email      = "erika.mustermann@beispiel.example"
		badEmail   = "erika.mustermann.beispiel.example"
		password   = "Leuchtturm-Nordsee-Fahrrad-2026"
		signOutBtn = `form[action="/abmelden"] button[type=submit]`
	)

	// 1. The admin invites the new editor.
	admin := newFlowTab(t, b.Tab(t), base, "admin")
	browserSignIn(t, admin.ctx, base, w, "admin")
	browsertest.CheckPage(t, admin.ctx, base+"/verwaltung/benutzer/einladen")
	admin.at("/verwaltung/benutzer/einladen")

	browsertest.Fill(t, admin.ctx, "#feld-name", name)
	browsertest.Fill(t, admin.ctx, "#feld-email", badEmail)
	// The role by keyboard: the list starts at "Mitglied einer Initiative",
	// the next one down is the editor.
	browsertest.TabTo(t, admin.ctx, "#feld-rolle")
	if got := flowJS[string](t, admin.ctx, `document.querySelector('#feld-rolle').value`); got != "member" {
		t.Fatalf("the role select starts at %q, want member", got)
	}
	browsertest.Press(t, admin.ctx, kb.ArrowDown)
	if got := flowJS[string](t, admin.ctx, `document.querySelector('#feld-rolle').value`); got != "editor" {
		t.Fatalf("ArrowDown on the role select chose %q, want editor", got)
	}
	browsertest.Submit(t, admin.ctx, `main form[action="/verwaltung/benutzer/einladen"] button[type=submit]:not([name])`)

	// The error state: a summary that is announced and links to the field,
	// the message at the field, and nothing the admin typed is lost.
	admin.check("invitation form with an invalid e-mail address")
	if !flowEventually(t, admin.ctx, "document.activeElement.id === 'fehler'") {
		t.Error("the error summary does not take focus")
	}
	admin.at("/verwaltung/benutzer/einladen")
	admin.wantSummary("#feld-email", "gültige E-Mail-Adresse")
	admin.wantFieldError("feld-email", "gültige E-Mail-Adresse")
	for sel, want := range map[string]string{"#feld-name": name, "#feld-email": badEmail, "#feld-rolle": "editor"} {
		if got := flowJS[string](t, admin.ctx, `document.querySelector(`+quoteJSString(sel)+`).value`); got != want {
			t.Errorf("after the failed submission %s holds %q, want %q (the input is lost)", sel, got, want)
		}
	}
	// The summary's link takes the keyboard to the field in error.
	browsertest.TabTo(t, admin.ctx, `#fehler a[href="#feld-email"]`)
	flowPress(t, admin.ctx, kb.Enter)
	// The focus may follow the fragment navigation a frame later.
	if !flowEventually(t, admin.ctx, `document.activeElement !== null && document.activeElement.id === 'feld-email'`) {
		t.Fatalf("Enter on the error summary's link focuses %s (at %s), want #feld-email",
			flowJS[string](t, admin.ctx, `document.activeElement ? document.activeElement.outerHTML.slice(0, 120) : 'nothing'`),
			browsertest.Location(t, admin.ctx))
	}
	// Correct the address as a person would: select it all and type anew.
	if err := chromedp.Do(admin.ctx, chromedp.KeyEvent("a", chromedp.KeyModifiers(chromedp.ModifierCtrl))); err != nil {
		t.Fatal(err)
	}
	browsertest.Type(t, admin.ctx, email)
	if got := flowJS[string](t, admin.ctx, `document.querySelector('#feld-email').value`); got != email {
		t.Fatalf("the corrected e-mail field holds %q, want %q", got, email)
	}
	browsertest.Submit(t, admin.ctx, `main form[action="/verwaltung/benutzer/einladen"] button[type=submit]:not([name])`)
	admin.check("account page with the invitation's flash")
	if got := browsertest.Text(t, admin.ctx, "[data-testid=flash]"); got != "Die Einladung an "+email+" liegt im Postausgang." { // no RII_SMTP_URL in tests
		t.Errorf("flash after inviting = %q", got)
	}
	if !regexp.MustCompile(`^/verwaltung/benutzer/\d+$`).MatchString(browsertest.Location(t, admin.ctx)) {
		t.Errorf("after inviting the admin is at %s, want the new account's page", browsertest.Location(t, admin.ctx))
	}

	// 2. The e-mail is in the outbox; the admin signs out.
	_, body := w.lastMail(email)
	m := regexp.MustCompile(`https?://\S+(/einladung/[A-Za-z0-9_-]+)`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no invitation link in the e-mail:\n%s", body)
	}
	if !strings.Contains(body, "Redaktion (Service-Stelle)") {
		t.Errorf("the invitation does not name the role Redaktion:\n%s", body)
	}
	invitation := m[1]

	browsertest.Submit(t, admin.ctx, signOutBtn)
	admin.check("sign-in page after the admin signed out")
	admin.at("/anmelden?abgemeldet")
	admin.wantText(`[data-testid=signin-page] [role=status]`, "Sie haben sich abgemeldet.")

	// 3. The invitee, in a browser of their own, sets a password.
	inv := newFlowTab(t, b.Tab(t), base, "invitee")
	browsertest.CheckPage(t, inv.ctx, base+invitation)
	if got := browsertest.Text(t, inv.ctx, "h1"); got != "Willkommen im RII-Portal" {
		t.Fatalf("the invitation link shows %q", got)
	}
	browsertest.Fill(t, inv.ctx, "#feld-passwort", "zu-kurz")
	browsertest.Fill(t, inv.ctx, "#feld-wiederholung", "zu-kurz")
	browsertest.Submit(t, inv.ctx, `main form button[type=submit]`)
	inv.check("invitation with a too short password")
	inv.at(invitation)
	inv.wantSummary("#feld-passwort", "mindestens 12 Zeichen")
	inv.wantFieldError("feld-passwort", "Das Passwort muss mindestens 12 Zeichen lang sein.")

	browsertest.Fill(t, inv.ctx, "#feld-passwort", password)
	browsertest.Fill(t, inv.ctx, "#feld-wiederholung", password)
	browsertest.Submit(t, inv.ctx, `main form button[type=submit]`)
	// 4. Setting the password signs the editor in and leads straight to the
	// second factor's setup, which their role requires.
	inv.check("second factor setup, required for editors")
	inv.at("/konto/zwei-faktor")
	inv.wantText("[data-testid=flash]", "Ihr Passwort ist gespeichert. Sie sind angemeldet.")
	inv.wantText("[data-testid=totp-required] .kern-title", "zweitem Faktor vorgeschrieben")
	secret := browsertest.Text(t, inv.ctx, "[data-testid=totp-secret]")
	if secret == "" {
		t.Fatal("the setup page shows no secret")
	}
	w.clock.Advance(30 * time.Second)
	browsertest.Fill(t, inv.ctx, "#feld-code", flowCode(t, secret, w.clock.Now()))
	browsertest.Fill(t, inv.ctx, "#feld-passwort", password)
	browsertest.Submit(t, inv.ctx, `main form[action="/konto/zwei-faktor"] button[type=submit]`)
	inv.check("recovery codes")
	if n := flowJS[int](t, inv.ctx, `document.querySelectorAll('[data-testid=recovery-codes] li').length`); n != 10 {
		t.Errorf("the recovery codes page shows %d codes, want 10", n)
	}

	// 5. Sign out, and in again with the second factor.
	browsertest.Submit(t, inv.ctx, signOutBtn)
	inv.check("sign-in page after signing out")
	inv.at("/anmelden?abgemeldet")
	inv.signInWithPassword(email, password)
	if loc := browsertest.Location(t, inv.ctx); !strings.HasPrefix(loc, "/anmelden/zweiter-faktor") {
		t.Fatalf("signing in with a second factor leads to %s, want /anmelden/zweiter-faktor", loc)
	}
	// The page as loaded, with all page checks (a reload keeps the
	// pending sign-in).
	browsertest.CheckPage(t, inv.ctx, base+browsertest.Location(t, inv.ctx))
	inv.check("second factor page")

	browsertest.Fill(t, inv.ctx, "#feld-code", flowWrongCode(t, secret, w.clock.Now()))
	browsertest.Submit(t, inv.ctx, `main form[action="/anmelden/zweiter-faktor"] button[type=submit]`)
	inv.check("second factor page with a wrong code")
	inv.at("/anmelden/zweiter-faktor")
	inv.wantSummary("#feld-code", "Der Code ist nicht richtig")
	inv.wantFieldError("feld-code", "Der Code ist nicht richtig oder abgelaufen.")

	w.clock.Advance(30 * time.Second)
	browsertest.Fill(t, inv.ctx, "#feld-code", flowCode(t, secret, w.clock.Now()))
	browsertest.Submit(t, inv.ctx, `main form[action="/anmelden/zweiter-faktor"] button[type=submit]`)
	inv.check("administration after signing in")
	inv.at("/verwaltung")
	inv.wantText(".user-nav__name strong", name)

	browsertest.Submit(t, inv.ctx, signOutBtn)
	inv.check("sign-in page after the second sign-out")
	inv.at("/anmelden?abgemeldet")
	inv.wantText(`[data-testid=signin-page] [role=status]`, "Sie haben sich abgemeldet.")
	if got := browsertest.Text(t, inv.ctx, ".user-nav__name strong"); got != "" {
		t.Errorf("after signing out the header still shows %q", got)
	}
	browsertest.Navigate(t, inv.ctx, base+"/konto")
	if loc := browsertest.Location(t, inv.ctx); loc != "/anmelden?weiter=%2Fkonto" {
		t.Errorf("/konto after signing out leads to %s, want /anmelden?weiter=%%2Fkonto", loc)
	}

	// 6. The audit log tells the story.
	u, err := w.st.UserByEmail(context.Background(), email)
	if err != nil {
		t.Fatal(err)
	}
	for action, want := range map[string]int{
		"user.invited":                1,
		"user.invitation_used":        1,
		"user.totp_enabled":           1,
		"signin":                      2,
		"signout":                     2,
		"signin.second_factor_failed": 1,
	} {
		if got := w.auditCount(action, u.ID); got != want {
			t.Errorf("audit log: %d × %s for the new user, want %d", got, action, want)
		}
	}
	if got := w.auditCount("signout", w.users["admin"].ID); got != 1 {
		t.Errorf("audit log: %d × signout for the admin, want 1", got)
	}
}

// flowTab is one browser tab of a flow test, with the checks each page
// state must pass.
type flowTab struct {
	t    *testing.T
	ctx  context.Context
	base string
	who  string
	seen int // console errors already reported
}

func newFlowTab(t *testing.T, ctx context.Context, base, who string) *flowTab {
	return &flowTab{t: t, ctx: ctx, base: base, who: who}
}

// check asserts the tab's current page state: zero axe-core violations, a
// title and exactly one h1, and no console error or CSP violation since the
// last check (except the status of a page answered with an error status on
// purpose, such as a form with errors).
func (f *flowTab) check(what string) {
	f.t.Helper()
	at := browsertest.Location(f.t, f.ctx)
	if vs := browsertest.Axe(f.t, f.ctx); len(vs) != 0 {
		for _, v := range vs {
			f.t.Errorf("%s: %s (%s): axe: %s", f.who, what, at, v)
		}
	}
	facts := flowJS[struct {
		Title string `json:"title"`
		H1    int    `json:"h1"`
	}](f.t, f.ctx, `({title: document.title, h1: document.querySelectorAll('h1').length})`)
	if strings.TrimSpace(facts.Title) == "" || facts.H1 != 1 {
		f.t.Errorf("%s: %s (%s): title %q and %d h1, want a title and one h1", f.who, what, at, facts.Title, facts.H1)
	}
	href := flowJS[string](f.t, f.ctx, `location.href`)
	errs := browsertest.ConsoleErrors(f.ctx)
	for _, e := range errs[min(f.seen, len(errs)):] {
		if strings.HasPrefix(e, "network error:") && strings.HasSuffix(e, "("+href+":1)") {
			continue
		}
		f.t.Errorf("%s: %s (%s): console: %s", f.who, what, at, e)
	}
	f.seen = len(errs)
}

// at asserts the tab's path and query.
func (f *flowTab) at(want string) {
	f.t.Helper()
	if got := browsertest.Location(f.t, f.ctx); got != want {
		f.t.Fatalf("%s is at %s, want %s", f.who, got, want)
	}
}

// wantText asserts that the element's text contains want.
func (f *flowTab) wantText(selector, want string) {
	f.t.Helper()
	if got := browsertest.Text(f.t, f.ctx, selector); !strings.Contains(got, want) {
		f.t.Errorf("%s: %s says %q, want %q in it", f.who, selector, got, want)
	}
}

// wantSummary asserts the error summary: an alert whose only link goes to
// the field in error and carries the message.
func (f *flowTab) wantSummary(href, msg string) {
	f.t.Helper()
	s := flowJS[struct {
		Role  string   `json:"role"`
		Hrefs []string `json:"hrefs"`
		Texts []string `json:"texts"`
	}](f.t, f.ctx, `(() => {
		const s = document.querySelector('[data-testid=error-summary]');
		if (!s) return {role: '', hrefs: [], texts: []};
		const links = [...s.querySelectorAll('a')];
		return {
			role: s.getAttribute('role') || '',
			hrefs: links.map(a => a.getAttribute('href')),
			texts: links.map(a => a.textContent.trim()),
		};
	})()`)
	if s.Role != "alert" {
		f.t.Errorf("%s: the error summary has role %q, want alert", f.who, s.Role)
	}
	if !slices.Equal(s.Hrefs, []string{href}) || len(s.Texts) != 1 || !strings.Contains(s.Texts[0], msg) {
		f.t.Errorf("%s: the error summary links %q with %q, want one link to %s saying %q", f.who, s.Hrefs, s.Texts, href, msg)
	}
}

// wantFieldError asserts the message at the field: shown, tied to the input
// with aria-describedby, and the input marked invalid.
func (f *flowTab) wantFieldError(id, msg string) {
	f.t.Helper()
	e := flowJS[struct {
		Text        string `json:"text"`
		Invalid     string `json:"invalid"`
		DescribedBy string `json:"describedBy"`
	}](f.t, f.ctx, `(() => {
		const el = document.getElementById(`+quoteJSString(id)+`);
		const msg = document.getElementById(`+quoteJSString(id+"-fehler")+`);
		return {
			text: msg ? msg.textContent.trim() : '',
			invalid: el ? el.getAttribute('aria-invalid') || '' : '',
			describedBy: el ? el.getAttribute('aria-describedby') || '' : '',
		};
	})()`)
	if !strings.Contains(e.Text, msg) {
		f.t.Errorf("%s: the message at #%s is %q, want %q in it", f.who, id, e.Text, msg)
	}
	if e.Invalid != "true" || !slices.Contains(strings.Fields(e.DescribedBy), id+"-fehler") {
		f.t.Errorf("%s: #%s has aria-invalid=%q aria-describedby=%q, want true and its message", f.who, id, e.Invalid, e.DescribedBy)
	}
}

// signInWithPassword fills the sign-in form by keyboard and sends it.
func (f *flowTab) signInWithPassword(email, password string) {
	f.t.Helper()
	browsertest.Navigate(f.t, f.ctx, f.base+"/anmelden")
	browsertest.Fill(f.t, f.ctx, "#feld-email", email)
	browsertest.Fill(f.t, f.ctx, "#feld-passwort", password)
	browsertest.Submit(f.t, f.ctx, `main form[action="/anmelden"] button[type=submit]`)
}

// flowJS evaluates a read-only expression in the tab.
func flowJS[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("browser: evaluating %s: %v", expr, err)
	}
	return v
}

// flowPress presses a key the way Chromium receives it from a real
// keyboard: rawKeyDown, char, keyUp. A keydown that the page handles (Enter
// on a link) then swallows the char, as in a real browser. chromedp.KeyEvent
// sends keyDown instead of rawKeyDown, and the char of an Enter that moved
// the focus into a text field would there submit the form.
func flowPress(t *testing.T, ctx context.Context, key string) {
	t.Helper()
	browsertest.Keys(t, ctx, key)
}

// flowEventually reports whether the expression becomes true within two
// seconds. Each try waits for the next rendering frame (at most 100 ms), so
// that effects applied when the page renders have happened.
func flowEventually(t *testing.T, ctx context.Context, expr string) bool {
	t.Helper()
	afterFrame := `new Promise(r => {
		const done = () => r(Boolean(` + expr + `));
		requestAnimationFrame(done);
		setTimeout(done, 100);
	})`
	for deadline := time.Now().Add(2 * time.Second); time.Now().Before(deadline); {
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](afterFrame, chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatalf("browser: evaluating %s: %v", expr, err)
		}
		if ok {
			return true
		}
	}
	return false
}

// flowCode is the TOTP code of secret at now.
func flowCode(t *testing.T, secret string, now time.Time) string {
	t.Helper()
	code, err := totp.Code(secret, now)
	if err != nil {
		t.Fatal(err)
	}
	return code
}

// flowWrongCode is a six-digit code that the server rejects at now: none of
// the codes of the steps it accepts.
func flowWrongCode(t *testing.T, secret string, now time.Time) string {
	t.Helper()
	valid := map[string]bool{}
	for _, d := range []time.Duration{-30 * time.Second, 0, 30 * time.Second} {
		valid[flowCode(t, secret, now.Add(d))] = true
	}
	for _, c := range []string{"000000", "111111", "222222", "333333"} {
		if !valid[c] {
			return c
		}
	}
	t.Fatal("no wrong code found")
	return ""
}

// quoteJSString quotes s as a JavaScript string literal.
func quoteJSString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
