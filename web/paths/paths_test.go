package paths

import "testing"

func TestPaths(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ got, want string }{
		{Initiative("nordwind"), "/initiativen/nordwind"},
		{Initiative("nordwind", "kontakte", ID(12)), "/initiativen/nordwind/kontakte/12"},
		{Initiative("a b/c"), "/initiativen/a%20b%2Fc"},
		{Event("tag-der-industrie", "kalender.ics"), "/veranstaltungen/tag-der-industrie/kalender.ics"},
		{Report("tag-der-industrie"), "/berichte/tag-der-industrie"},
		{Topic("energie"), "/themen/energie"},
		{Image(7), "/bilder/7"},
		{Confirm("abc"), "/bestaetigen/abc"},
		{Registration("t1"), "/anmeldung/t1"},
		{Registration("t1", "stornieren"), "/anmeldung/t1/stornieren"},
		{EventInvitation("t2"), "/anmeldung/einladung/t2"},
		{AccountInvitation("t3"), "/einladung/t3"},
		{Proposal("t4"), "/vorschlag/t4"},
		{PasswordReset("t4"), "/passwort-zuruecksetzen/t4"},
		{AccountRegistration(9, "link"), "/konto/anmeldungen/9/link"},
		{DashboardNetwork("a b"), "/dashboard/vernetzung/a%20b"},
		{Import(10), "/verwaltung/initiativen/import/10"},
		{AdminEvent(3, "workshops", ID(4)), "/verwaltung/veranstaltungen/3/workshops/4"},
		{AdminUser(5), "/verwaltung/benutzer/5"},
		{AdminContact(6), "/verwaltung/kontakte/6"},
		{AdminMail(8), "/verwaltung/postausgang/8"},
		{AdminTerms("themen", "energie"), "/verwaltung/begriffe/themen/energie"},
	} {
		if c.got != c.want {
			t.Errorf("got %s, want %s", c.got, c.want)
		}
	}
}
