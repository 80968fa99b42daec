package server

import (
	"net/http"

	"rii/internal/account"
	"rii/web/pages"
)

func (s *Server) showAdmin(w http.ResponseWriter, r *http.Request) error {
	role := userFrom(r.Context()).Role
	// Officials read: the dashboard, the lists of initiatives and of stale
	// profiles; the texts promise them only what they may do.
	v := pages.AdminHomeView{Frame: s.frame(r, "Verwaltung"), Areas: []pages.AdminArea{
		{Title: "Dashboard", Text: "Kennzahlen, Entwicklung, Abdeckung, Themen, Vernetzung und Aktivität – mit CSV-Downloads und Tätigkeitsbericht.", Href: dashPath},
		{Title: "Initiativen", Text: "Alle Initiativen mit Status; eingereichte prüfen, veröffentlichen, zurückgeben oder archivieren; Verlauf jedes Profils.", Href: "/verwaltung/initiativen"},
		{Title: "Profile ohne Bestätigung", Text: "Profile, die seit einem Jahr nicht bestätigt wurden; Erinnerung an die Mitglieder senden.", Href: "/verwaltung/initiativen/veraltet"},
	}}
	if role == account.RoleOfficial {
		v.Areas[1].Text = "Alle Initiativen mit ihrem Status und dem Verlauf jedes Profils lesen."
		v.Areas[2].Text = "Profile lesen, die seit einem Jahr nicht bestätigt wurden, und sehen, wann die Mitglieder erinnert wurden."
	}
	if role == account.RoleEditor || role == account.RoleAdmin {
		v.Areas = append(v.Areas,
			pages.AdminArea{Title: "Veranstaltungen", Text: "Veranstaltungen anlegen und veröffentlichen, Programm und Workshops pflegen, Berichte schreiben.", Href: "/verwaltung/veranstaltungen"},
			pages.AdminArea{Title: "Initiativen importieren", Text: "Viele Initiativen auf einmal aus einer CSV-Datei anlegen – mit Vorschau und Prüfung jeder Zeile.", Href: "/verwaltung/initiativen/import"},
			pages.AdminArea{Title: "Begriffe", Text: "Themen, Branchen, Zielgruppen, Formate und Rechtsformen pflegen.", Href: "/verwaltung/begriffe"},
			pages.AdminArea{Title: "Ansprechpersonen (DSGVO)", Text: "Personen suchen, alles über sie exportieren oder sie auf Anfrage löschen.", Href: "/verwaltung/kontakte"},
			pages.AdminArea{Title: "Person einladen", Text: "Mitarbeitende von Initiativen, der Service-Stelle oder des Ministeriums einladen.", Href: "/verwaltung/benutzer/einladen"})
	}
	if role == account.RoleAdmin {
		v.Areas = append(v.Areas,
			pages.AdminArea{Title: "Benutzerkonten", Text: "Konten suchen, Rollen ändern, Initiativen zuordnen, sperren und entsperren.", Href: "/verwaltung/benutzer"},
			pages.AdminArea{Title: "Postausgang", Text: "Alle E-Mails, die das Portal verschickt hat oder noch verschickt.", Href: "/verwaltung/postausgang"})
	}
	return s.render(w, r, pages.AdminHome(v))
}
