package server

import (
	"net/http"

	"rii/web/pages"
)

// showHome is the start page: what the Service- und Beratungsstelle does.
func (s *Server) showHome(w http.ResponseWriter, r *http.Request) error {
	f := s.frame(r, "")
	f.Description = "Das Portal der Service- und Beratungsstelle für regionale Industrieinitiativen: Initiativen, Industriedialoge, Workshops und Berichte."
	return s.render(w, r, pages.Home(pages.HomeView{Frame: f}))
}

func (s *Server) showImprint(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, pages.Imprint(s.frame(r, "Impressum")))
}

func (s *Server) showPrivacy(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, pages.Privacy(s.frame(r, "Datenschutzerklärung")))
}

func (s *Server) showAccessibility(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, pages.Accessibility(s.frame(r, "Erklärung zur Barrierefreiheit")))
}

func (s *Server) showEasyLanguage(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, pages.EasyLanguage(s.frame(r, "Leichte Sprache")))
}

func (s *Server) showContact(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, pages.Contact(s.frame(r, "Kontakt")))
}

// section is a main-navigation area that a later part of the portal fills.
type section struct {
	Path, Title, Intro string
}

// sections are the main-navigation areas not built yet. Each says honestly
// what it will hold, so the navigation never leads to an error page.
var sections = []section{
	{"/veranstaltungen", "Veranstaltungen", "Hier entsteht die Übersicht der Industriedialoge, Regionalkonferenzen und Workshops der Service- und Beratungsstelle – kommende Termine mit Anmeldung und vergangene mit ihren Berichten."},
	{"/themen", "Themen", "Hier finden Sie bald alles zu den Zukunftsthemen der Industrie – Innovation, Digitalisierung, Klimaschutz, Fachkräfte und mehr – über Initiativen, Veranstaltungen und Berichte hinweg."},
	{"/suche", "Suche", "Hier entsteht die Suche über Initiativen, Veranstaltungen, Workshops und Berichte."},
}

// showSection renders the page of a section under construction.
func (s *Server) showSection(sec section) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		return s.render(w, r, pages.Section(pages.SectionView{
			Frame: s.frame(r, sec.Title), Heading: sec.Title, Intro: sec.Intro,
		}))
	}
}
