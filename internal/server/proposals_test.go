package server

import (
	"context"
	"net/http"
	"net/netip"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"rii/internal/config"
)

// proposalForm is a valid visitor's proposal.
func proposalForm(email string) url.Values {
	return url.Values{"ihr_name": {"Erika Beispiel"}, "ihre_email": {email}, "name": {"Netzwerk Oberlausitz"},
		"kurzbeschreibung": {"Unternehmen halten Fachkräfte in der Region."}, "kreise": {"14626"}, "themen": {"fachkraefte"},
		"einwilligung": {"ja"}}
}

var proposalLinkPath = regexp.MustCompile(`https?://[^/\s]+(/vorschlag/[A-Za-z0-9_-]+)`)

// propose sends a proposal as a visitor and returns the confirmation link
// from the e-mail.
func (w *world) propose(c *webtestClient, email string) string {
	w.t.Helper()
	res := c.PostForm("/initiativen/vorschlagen", proposalForm(email)).WantStatus(http.StatusSeeOther)
	if loc := res.Header.Get("Location"); loc != "/initiativen/vorschlagen/gesendet" {
		w.t.Fatalf("after proposing: %s", loc)
	}
	_, body := w.lastMail(email)
	m := proposalLinkPath.FindStringSubmatch(body)
	if m == nil {
		w.t.Fatalf("no confirmation link:\n%s", body)
	}
	return m[1]
}

// TestVisitorProposalDoubleOptInAndInvitation: a visitor proposes, confirms
// through the e-mailed link (once), the editors hear of it, and the
// proposer becomes an invited member when the proposal is returned – the
// invitation carries the comment – and hears of the publication.
func TestVisitorProposalDoubleOptInAndInvitation(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	visitor, editor := w.client(), w.client()
	w.signIn(editor, "editor")
	const email = "erika.beispiel@beispiel.example"
	link := w.propose(visitor, email)
	if n := w.count(`SELECT count(*) FROM initiatives WHERE slug = 'netzwerk-oberlausitz'`); n != 0 {
		t.Fatal("the proposal is in review before it is confirmed")
	}
	w.wantMails(w.users["editor"].Email)

	page := visitor.Get(link).WantStatus(http.StatusOK)
	if page.Header.Get("Cache-Control") != "no-store" || !strings.Contains(page.Text("main"), "Netzwerk Oberlausitz") {
		t.Errorf("confirmation page: %q, %s", page.Header.Get("Cache-Control"), page.Text("main"))
	}
	res := visitor.PostForm(link, nil).WantStatus(http.StatusSeeOther)
	if loc := res.Header.Get("Location"); loc != "/initiativen/vorschlagen/bestaetigt" {
		t.Errorf("after confirming: %s", loc)
	}
	visitor.PostForm(link, nil).WantStatus(http.StatusNotFound) // once
	visitor.Get(link).WantStatus(http.StatusNotFound)
	w.wantMails(w.users["editor"].Email, "Neuer Vorschlag zur Prüfung: Netzwerk Oberlausitz")
	w.wantLink(w.users["editor"].Email, "/initiativen/netzwerk-oberlausitz/verlauf", "Erika Beispiel")

	hist := editor.Get("/initiativen/netzwerk-oberlausitz/verlauf").WantStatus(http.StatusOK)
	if got := hist.Text(`[data-testid="status"]`); got != "zur Prüfung eingereicht" {
		t.Errorf("status %q", got)
	}
	if !strings.Contains(hist.Text(`[data-testid="proposer"]`), email) {
		t.Error("the review page does not say who proposed it")
	}
	editor.PostForm("/initiativen/netzwerk-oberlausitz/status", url.Values{"aktion": {"zurueckgeben"}, "kommentar": {"Bitte Website ergänzen."},
		"version": {reviewedVersion(editor, "netzwerk-oberlausitz")}}).WantStatus(http.StatusSeeOther)
	w.wantMails(email, "Bitte bestätigen Sie Ihren Vorschlag „Netzwerk Oberlausitz“", "Rückfrage zu Ihrer Initiative „Netzwerk Oberlausitz“")
	_, body := w.lastMail(email)
	if !strings.Contains(body, "Bitte Website ergänzen.") || !regexp.MustCompile(`/einladung/[A-Za-z0-9_-]+`).MatchString(body) {
		t.Errorf("the invitation lacks the comment or the link:\n%s", body)
	}
	if n := w.count(`SELECT count(*) FROM users u JOIN user_initiatives ui ON ui.user_id = u.id JOIN initiatives i ON i.id = ui.initiative_id
		WHERE u.email = $1 AND u.state = 'invited' AND u.role = 'member' AND i.slug = 'netzwerk-oberlausitz'`, email); n != 1 {
		t.Error("the proposer is not an invited member of the initiative")
	}
	if n := w.count(`SELECT count(*) FROM initiative_proposals`); n != 0 {
		t.Error("the proposal keeps the proposer's data after the invitation")
	}
	editor.PostForm("/initiativen/netzwerk-oberlausitz/status", url.Values{"aktion": {"veroeffentlichen"},
		"version": {reviewedVersion(editor, "netzwerk-oberlausitz")}}).WantStatus(http.StatusSeeOther)
	w.wantMails(email, "Bitte bestätigen Sie Ihren Vorschlag „Netzwerk Oberlausitz“", "Rückfrage zu Ihrer Initiative „Netzwerk Oberlausitz“",
		"Ihre Initiative „Netzwerk Oberlausitz“ ist veröffentlicht")
}

// TestProposerWithAnAccountOrArchived: a proposer who already has a member
// account is linked and told as a member; an archived proposal tells its
// proposer and forgets them.
func TestProposerWithAnAccountOrArchived(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	editor := w.client()
	w.signIn(editor, "editor")
	known := w.users["member-b"].Email
	w.client().PostForm(w.propose(w.client(), known), nil).WantStatus(http.StatusSeeOther)
	editor.PostForm("/initiativen/netzwerk-oberlausitz/status", url.Values{"aktion": {"veroeffentlichen"},
		"version": {reviewedVersion(editor, "netzwerk-oberlausitz")}}).WantStatus(http.StatusSeeOther)
	w.wantMails(known, "Bitte bestätigen Sie Ihren Vorschlag „Netzwerk Oberlausitz“", "Ihre Initiative „Netzwerk Oberlausitz“ ist veröffentlicht")
	memberB := w.client()
	w.signIn(memberB, "member-b")
	memberB.Get("/initiativen/netzwerk-oberlausitz/bearbeiten").WantStatus(http.StatusOK)

	other := "niemand@beispiel.example"
	form := proposalForm(other)
	form.Set("name", "Zweiter Vorschlag")
	w.client().PostForm("/initiativen/vorschlagen", form).WantStatus(http.StatusSeeOther)
	_, body := w.lastMail(other)
	w.client().PostForm(proposalLinkPath.FindStringSubmatch(body)[1], nil).WantStatus(http.StatusSeeOther)
	editor.PostForm("/initiativen/zweiter-vorschlag/status", url.Values{"aktion": {"archivieren"},
		"version": {reviewedVersion(editor, "zweiter-vorschlag")}}).WantStatus(http.StatusSeeOther)
	w.wantMails(other, "Bitte bestätigen Sie Ihren Vorschlag „Zweiter Vorschlag“", "Ihr Vorschlag „Zweiter Vorschlag“")
	if n := w.count(`SELECT count(*) FROM initiative_proposals`) + w.count(`SELECT count(*) FROM users WHERE email = $1`, other); n != 0 {
		t.Error("the archived proposal keeps its proposer")
	}
}

// TestHostileProposalsAreRefusedClearly: bad input gets German messages at
// the fields, 422, nothing stored, no e-mail, never a 500.
func TestHostileProposalsAreRefusedClearly(t *testing.T) {
	t.Parallel()
	// One client address per case: more cases than one client may post.
	w := newWorld(t, func(c *config.Config) { c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")} })
	cases := map[string]struct {
		change func(url.Values)
		field  string
		says   string
	}{
		"empty":             {func(v url.Values) { v.Del("name"); v.Del("ihr_name") }, "name", "Namen"},
		"no address":        {func(v url.Values) { v.Set("ihre_email", "") }, "ihre_email", "E-Mail-Adresse"},
		"bad address":       {func(v url.Values) { v.Set("ihre_email", "erika@@beispiel") }, "ihre_email", "E-Mail-Adresse"},
		"header injection":  {func(v url.Values) { v.Set("ihre_email", "a@b.example\r\nBcc: x@y.example") }, "ihre_email", "E-Mail-Adresse"},
		"no consent":        {func(v url.Values) { v.Del("einwilligung") }, "einwilligung", "stimmen Sie zu"},
		"no description":    {func(v url.Values) { v.Set("kurzbeschreibung", "  ") }, "kurzbeschreibung", "ein bis zwei Sätzen"},
		"long description":  {func(v url.Values) { v.Set("kurzbeschreibung", strings.Repeat("ä", 501)) }, "kurzbeschreibung", "500"},
		"control character": {func(v url.Values) { v.Set("name", "Netz\x00werk") }, "name", "Zeichen"},
		"script website":    {func(v url.Values) { v.Set("website", "javascript:alert(1)") }, "website", "Adresse der Website"},
		"unknown district":  {func(v url.Values) { v.Set("kreise", "99999") }, "kreise", "aus der Liste"},
		"no district":       {func(v url.Values) { v.Del("kreise") }, "kreise", "mindestens einen"},
		"unknown topic":     {func(v url.Values) { v["themen"] = []string{"<script>"} }, "themen", "aus der Liste"},
		"long name":         {func(v url.Values) { v.Set("ihr_name", strings.Repeat("x", 400)) }, "ihr_name", ""},
	}
	i := 0
	for name, c := range cases {
		form := proposalForm("erika.beispiel@beispiel.example")
		c.change(form)
		i++
		client := w.client()
		client.Header.Set("X-Forwarded-For", "192.0.2."+strconv.Itoa(i))
		res := client.PostForm("/initiativen/vorschlagen", form)
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("%s: status %d", name, res.StatusCode)
			continue
		}
		msg := res.Text("#feld-" + c.field + "-fehler")
		if msg == "" {
			msg = res.Text(`[data-testid="error-summary"]`)
		}
		if !strings.Contains(msg, c.says) || res.Find(`[data-testid="error-summary"] a[href="#feld-`+c.field+`"]`).Length() != 1 {
			t.Errorf("%s: message %q, want one at %s saying %q", name, msg, c.field, c.says)
		}
	}
	if n := w.count(`SELECT count(*) FROM initiative_proposals`) + w.count(`SELECT count(*) FROM outbox WHERE recipient LIKE '%erika%'`); n != 0 {
		t.Errorf("hostile input stored %d rows", n)
	}
	// An unknown or mangled link is a 404, not a 500.
	for _, p := range []string{"/vorschlag/x", "/vorschlag/" + strings.Repeat("A", 400), "/vorschlag/%00"} {
		if st := w.client().PostForm(p, nil).StatusCode; st != http.StatusNotFound {
			t.Errorf("POST %s: %d", p, st)
		}
	}
}

// TestProposalHoneypotAndLimits: a filled honeypot gets the same answer and
// stores nothing; the form takes 10 posts per client and 3 per address in
// 15 minutes, then answers 429 with a German message, over real HTTP.
func TestProposalHoneypotAndLimits(t *testing.T) {
	t.Parallel()
	w := newWorld(t, func(c *config.Config) { c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")} })
	bot := w.client()
	bot.Header.Set("X-Forwarded-For", "198.51.100.1")
	form := proposalForm("bot@beispiel.example")
	form.Set("homepage", "https://spam.example")
	if loc := bot.PostForm("/initiativen/vorschlagen", form).WantStatus(http.StatusSeeOther).Header.Get("Location"); loc != proposalsSent {
		t.Errorf("honeypot answer %s", loc)
	}
	if n := w.count(`SELECT count(*) FROM initiative_proposals`) + w.mailCount("bot@beispiel.example"); n != 0 {
		t.Error("the honeypot stored something")
	}

	// One client, many addresses: 10 posts in all (the bot's counted too).
	for i := range maxProposalPosts - 1 {
		bot.PostForm("/initiativen/vorschlagen", proposalForm("p"+strconv.Itoa(i)+"@beispiel.example")).WantStatus(http.StatusSeeOther)
	}
	res := bot.PostForm("/initiativen/vorschlagen", proposalForm("spaet@beispiel.example")).WantStatus(http.StatusTooManyRequests)
	if !strings.Contains(res.Text(`[data-testid="form-alert"]`), "Viertelstunde") || res.Find(`#feld-ihr_name[value="Erika Beispiel"]`).Length() != 1 {
		t.Errorf("429 page: %q", res.Text("main"))
	}
	// One address from many clients: 3 links, then 429.
	for i := range maxProposalsPerAddress + 1 {
		c := w.client()
		c.Header.Set("X-Forwarded-For", "203.0.113."+strconv.Itoa(i+1))
		want := http.StatusSeeOther
		if i == maxProposalsPerAddress {
			want = http.StatusTooManyRequests
		}
		c.PostForm("/initiativen/vorschlagen", proposalForm("ziel@beispiel.example")).WantStatus(want)
	}
	if n := w.mailCount("ziel@beispiel.example"); n != maxProposalsPerAddress {
		t.Errorf("%d links to one address, want %d", n, maxProposalsPerAddress)
	}
	// After the window, the client may post again.
	w.clock.Advance(throttleWindow + time.Second)
	bot.PostForm("/initiativen/vorschlagen", proposalForm("spaet@beispiel.example")).WantStatus(http.StatusSeeOther)
}

// TestUnconfirmedProposalsExpire: the job deletes proposals whose link ran
// out, with the person's data, and leaves confirmed ones; the link no
// longer works.
func TestUnconfirmedProposalsExpire(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.client().PostForm(w.propose(w.client(), "bestaetigt@beispiel.example"), nil).WantStatus(http.StatusSeeOther)
	link := w.propose(w.client(), "vergessen@beispiel.example")
	w.clock.Advance(proposalLifetime + time.Minute)
	w.client().Get(link).WantStatus(http.StatusNotFound)
	w.srv.runDueJobs(context.Background())
	if n := w.count(`SELECT count(*) FROM initiative_proposals WHERE proposer_email = 'vergessen@beispiel.example'`); n != 0 {
		t.Error("the unconfirmed proposal is still stored")
	}
	if n := w.count(`SELECT count(*) FROM initiative_proposals WHERE proposer_email = 'bestaetigt@beispiel.example'`); n != 1 {
		t.Error("the job deleted a confirmed proposal")
	}
}

// TestProposalLinks: the start page and the directory lead to the form;
// signed-in people are sent to the full form.
func TestProposalLinks(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	for _, p := range []string{"/", "/initiativen"} {
		if w.client().Get(p).Find(`a[href="/initiativen/vorschlagen"]`).Length() == 0 {
			t.Errorf("%s does not link to the proposal form", p)
		}
	}
	page := w.client().Get("/initiativen/vorschlagen").WantStatus(http.StatusOK)
	// One fold-out per Land (the districts come sorted by name across Länder).
	if n := page.Find(`details.district-group`).Length(); n != 16 {
		t.Errorf("%d district groups, want one per Land", n)
	}
	if page.Find(`a[href="/datenschutz#vorschlaege"]`).Length() != 1 {
		t.Error("the form does not link to the privacy notice")
	}
	if !strings.Contains(w.client().Get("/datenschutz").Text("#vorschlaege + p + dl"), "72 Stunden") {
		t.Error("the privacy notice does not say how long proposals are kept")
	}
	member := w.client()
	w.signIn(member, "member-a")
	if loc := member.Get("/initiativen/vorschlagen").WantStatus(http.StatusSeeOther).Header.Get("Location"); loc != "/initiativen/neu" {
		t.Errorf("signed-in member sent to %s", loc)
	}
}

// TestProposalRegionSearchWithoutJavaScript: the region search of the
// visitor's form works without JavaScript – the search answers 200 with
// the typed values kept, nothing stored, mailed or counted against the
// client's limit – and a whole Land ticked becomes its districts.
func TestProposalRegionSearchWithoutJavaScript(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	visitor := w.client()
	search := proposalForm("erika.beispiel@beispiel.example")
	search.Set("kreise_suche", "Bautzen")
	search.Set("suchen", "kreise")
	for range maxProposalPosts + 2 {
		res := visitor.PostForm("/initiativen/vorschlagen", search).WantStatus(http.StatusOK)
		if got := res.Find(`#feld-name`).AttrOr("value", ""); got != "Netzwerk Oberlausitz" {
			t.Fatalf("the search lost the typed name: %q", got)
		}
		if got := res.Text(`[data-testid="regions-found"]`); !strings.Contains(got, "1 Kreis") {
			t.Fatalf("region search for Bautzen: %q", got)
		}
		if res.Find(`[data-testid="regions-chosen"] input[value="14626"]:checked`).Length() != 1 {
			t.Fatal("the chosen district is not kept")
		}
	}
	if n := w.count(`SELECT count(*) FROM initiative_proposals`); n != 0 {
		t.Fatalf("the region search stored %d proposals", n)
	}
	whole := proposalForm("erika.beispiel@beispiel.example")
	whole.Del("kreise")
	whole.Set("kreise_land", "14")
	if loc := visitor.PostForm("/initiativen/vorschlagen", whole).WantStatus(http.StatusSeeOther).Header.Get("Location"); loc != proposalsSent {
		t.Fatalf("after proposing with a whole Land: %s", loc)
	}
	if n := w.count(`SELECT count(*) FROM initiative_proposals p, jsonb_array_elements_text(p.profile->'districts') d
		WHERE left(d, 2) = '14'`); n != 13 {
		t.Errorf("whole Sachsen: %d districts in the proposal, want 13", n)
	}
}
