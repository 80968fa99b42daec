package server

import (
	"io"
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
	"github.com/klauspost/compress/flate"
	"github.com/klauspost/compress/gzip"

	"rii/internal/account"
	"rii/web/static"
)

// Handler returns the portal's route table wrapped in its middleware.
func (s *Server) Handler() http.Handler {
	r := chi.NewRouter()
	r.Use(s.requestID, outcomes(s.answered), s.securityHeaders, s.recoverPanics,
		s.crossOriginProtection, s.limitBody, middleware.RedirectSlashes, middleware.GetHead)
	r.NotFound(s.handle(func(http.ResponseWriter, *http.Request) error { return errNotFound }))
	r.MethodNotAllowed(s.handle(func(http.ResponseWriter, *http.Request) error { return errNotAllowed }))

	// Operations: no session, no compression, no page frame.
	r.Get("/healthz", s.healthz)
	r.Get("/readyz", s.readyz)
	r.Get(static.Prefix+"*", s.assets.ServeHTTP) // gzipped ahead of time

	// Public pages, feeds and open data: anonymous visitors are served from
	// the page cache (pagecache.go), which sits outside compression and
	// sessions.
	r.Group(func(r chi.Router) {
		r.Use(s.pages.Handler)
		s.useSessions(r)

		// Public pages.
		r.Get("/", s.handle(s.showHome))
		r.Get("/impressum", s.handle(s.showImprint))
		r.Get("/datenschutz", s.handle(s.showPrivacy))
		r.Get("/barrierefreiheit", s.handle(s.showAccessibility))
		r.Get("/leichte-sprache", s.handle(s.showEasyLanguage))
		r.Get("/kontakt", s.handle(s.showContact))
		r.Get("/robots.txt", s.robots)
		// The directory of initiatives, its open data and the profiles.
		r.Get("/initiativen", s.handle(s.listDirectory))
		r.Get("/initiativen.csv", s.handle(s.listOpenDataCSV))
		r.Get("/initiativen.json", s.handle(s.listOpenDataJSON))
		r.Get("/initiativen/offene-daten", s.handle(s.showOpenData))
		// Proposals from visitors without an account (issue 15).
		r.Get("/initiativen/vorschlagen", s.handle(s.newProposal))
		r.Post("/initiativen/vorschlagen", s.handle(s.createProposal))
		r.Get("/initiativen/vorschlagen/gesendet", s.handle(s.showProposalSent))
		r.Get("/initiativen/vorschlagen/bestaetigt", s.handle(s.showProposalConfirmed))
		r.Get("/initiativen/{slug}", s.handle(s.showInitiative))
		// Search and topics: one search across everything public, and each
		// topic across initiatives, events, workshops and reports.
		r.Get("/suche", s.handle(s.showSearch))
		r.Get("/themen", s.handle(s.listTopics))
		r.Get("/themen/{topic}", s.handle(s.showTopic))
		// Public events: the list, event pages and their calendar files.
		r.Get("/veranstaltungen", s.handle(s.listEvents))
		r.Get("/veranstaltungen/kalender.ics", s.handle(s.listEventsICS))
		r.Get("/veranstaltungen/{event}", s.handle(s.showEvent))
		r.Get("/veranstaltungen/{event}/kalender.ics", s.handle(s.showEventICS))
		// Registration: the form on the event page, and the personal link.
		r.Post("/veranstaltungen/{event}/anmeldung", s.handle(s.createRegistration))
		r.Get("/veranstaltungen/{event}/anmeldung/gesendet", s.handle(s.showRegistrationSent))
		r.Get("/anmeldung/{token}", s.handle(s.showRegistration))
		r.Post("/anmeldung/{token}/bestaetigen", s.handle(s.confirmRegistration))
		r.Post("/anmeldung/{token}/workshop", s.handle(s.changeRegistrationWorkshop))
		r.Post("/anmeldung/{token}/stornieren", s.handle(s.cancelRegistration))

		// Reports: the public pages and feed.
		r.Get("/berichte", s.handle(s.listReports))
		r.Get("/berichte/feed.atom", s.handle(s.showReportFeed))
		r.Get("/berichte/{event}", s.handle(s.showReport))
	})

	r.Group(func(r chi.Router) {
		s.useSessions(r)

		r.Get("/bilder/{id}", s.handle(s.showImage))

		// The report editor for editors and admins, the history also for
		// officials (reading).
		r.Group(func(r chi.Router) {
			r.Use(s.requireUser, s.requireRole(account.RoleEditor, account.RoleAdmin))
			r.Get("/verwaltung/veranstaltungen/{eventID}/bericht", s.handle(s.editReport))
			r.Post("/verwaltung/veranstaltungen/{eventID}/bericht", s.handle(s.updateReport))
			r.Post("/verwaltung/veranstaltungen/{eventID}/bericht/status", s.handle(s.updateReportStatus))
			r.Post("/verwaltung/veranstaltungen/{eventID}/bericht/verlauf/{version}", s.handle(s.restoreReportRevision))
			r.Post("/verwaltung/veranstaltungen/{eventID}/bericht/bilder", s.handle(s.createReportImage))
			// Safe publishing (publishing.go): the confirmation pages.
			r.Get("/verwaltung/veranstaltungen/{eventID}/veroeffentlichen", s.handle(s.newEventPublish))
			r.Get("/verwaltung/veranstaltungen/{eventID}/bericht/veroeffentlichen", s.handle(s.newReportPublish))
		})
		r.Group(func(r chi.Router) {
			r.Use(s.requireUser, s.requireRole(account.RoleEditor, account.RoleOfficial, account.RoleAdmin))
			r.Get("/verwaltung/veranstaltungen/{eventID}/bericht/verlauf", s.handle(s.showReportHistory))
		})

		// Signing in, and the links sent by e-mail.
		r.Get("/anmelden", s.handle(s.newSignin))
		r.Post("/anmelden", s.handle(s.createSignin))
		r.Get("/anmelden/zweiter-faktor", s.handle(s.newSecondFactor))
		r.Post("/anmelden/zweiter-faktor", s.handle(s.createSecondFactor))
		r.Post("/abmelden", s.handle(s.deleteSignin))
		r.Get("/passwort-vergessen", s.handle(s.newPasswordReset))
		r.Post("/passwort-vergessen", s.handle(s.createPasswordReset))
		r.Get("/passwort-zuruecksetzen/{token}", s.handle(s.editLink(resetLink)))
		r.Post("/passwort-zuruecksetzen/{token}", s.handle(s.updateLink(resetLink)))
		r.Get("/einladung/{token}", s.handle(s.editLink(invitationLink)))
		r.Post("/einladung/{token}", s.handle(s.updateLink(invitationLink)))
		r.Get("/bestaetigen/{token}", s.handle(s.showConfirmation))
		r.Post("/bestaetigen/{token}", s.handle(s.createConfirmation))
		r.Get("/vorschlag/{token}", s.handle(s.showProposalLink))
		r.Post("/vorschlag/{token}", s.handle(s.confirmProposal))

		// Every signed-in user: their own account.
		r.Group(func(r chi.Router) {
			r.Use(s.requireUser)
			r.Get("/konto", s.handle(s.showAccount))
			r.Post("/konto/passwort", s.handle(s.updatePassword))
			r.Post("/konto/sitzungen/beenden", s.handle(s.deleteOtherSessions))
			r.Get("/konto/zwei-faktor", s.handle(s.newTOTP))
			r.Post("/konto/zwei-faktor", s.handle(s.createTOTP))
			r.Post("/konto/zwei-faktor/codes", s.handle(s.createRecoveryCodes))
			r.Post("/konto/zwei-faktor/entfernen", s.handle(s.deleteTOTP))
			r.Post("/konto/anmeldungen/{id}/link", s.handle(s.resendRegistrationLink))
			// Profiles: the handlers check who may edit which initiative.
			r.Get("/initiativen/neu", s.handle(s.newInitiative))
			r.Post("/initiativen/neu", s.handle(s.createInitiative))
			r.Get("/initiativen/{slug}/bearbeiten", s.handle(s.editInitiative))
			r.Post("/initiativen/{slug}/bearbeiten", s.handle(s.updateInitiative))
			r.Post("/initiativen/{slug}/bestaetigen", s.handle(s.confirmInitiative))
			r.Get("/initiativen/{slug}/logo", s.handle(s.editLogo))
			r.Post("/initiativen/{slug}/logo", s.handle(s.updateLogo))
			r.Post("/initiativen/{slug}/logo/entfernen", s.handle(s.deleteLogo))
			r.Get("/initiativen/{slug}/kontakte", s.handle(s.listContacts))
			r.Get("/initiativen/{slug}/kontakte/neu", s.handle(s.newContact))
			r.Post("/initiativen/{slug}/kontakte/neu", s.handle(s.createContact))
			r.Get("/initiativen/{slug}/kontakte/{id}", s.handle(s.editContact))
			r.Post("/initiativen/{slug}/kontakte/{id}", s.handle(s.updateContact))
			r.Post("/initiativen/{slug}/kontakte/{id}/entfernen", s.handle(s.deleteContact))
		})

		// Editors and admins: the Service-Stelle's administration.
		r.Group(func(r chi.Router) {
			r.Use(s.requireUser, s.requireRole(account.RoleEditor, account.RoleAdmin))
			r.Get("/verwaltung/benutzer/einladen", s.handle(s.newInvitation))
			r.Post("/verwaltung/benutzer/einladen", s.handle(s.createInvitation))
			r.Get("/verwaltung/initiativen/import", s.handle(s.newImport))
			r.Post("/verwaltung/initiativen/import", s.handle(s.createImport))
			r.Get("/verwaltung/initiativen/import/vorlage.csv", s.handle(s.showImportTemplate))
			r.Get("/verwaltung/initiativen/import/{id}", s.handle(s.showImport))
			r.Post("/verwaltung/initiativen/import/{id}", s.handle(s.updateImport))
			// Vocabularies: topics, sectors, target groups, formats, legal forms.
			r.Get("/verwaltung/begriffe", s.handle(s.listVocab))
			r.Post("/verwaltung/begriffe/{liste}", s.handle(s.createVocabTerm))
			r.Get("/verwaltung/begriffe/{liste}/{slug}", s.handle(s.editVocabTerm))
			r.Post("/verwaltung/begriffe/{liste}/{slug}", s.handle(s.updateVocabTerm))
			r.Post("/verwaltung/begriffe/{liste}/{slug}/loeschen", s.handle(s.deleteVocabTerm))
			// Contact persons and their DSGVO rights (export, erasure).
			r.Get("/verwaltung/kontakte", s.handle(s.listAdminContacts))
			r.Get("/verwaltung/kontakte/{id}", s.handle(s.showAdminContact))
			r.Get("/verwaltung/kontakte/{id}/export", s.handle(s.showContactExport))
			r.Post("/verwaltung/kontakte/{id}/loeschen", s.handle(s.deleteAdminContact))
		})

		// Events (issue 5, administration): editors and admins manage events,
		// their programme and workshops, and contact persons of no initiative.
		r.Group(func(r chi.Router) {
			r.Use(s.requireUser, s.requireRole(account.RoleEditor, account.RoleAdmin))
			r.Get("/verwaltung/veranstaltungen", s.handle(s.listAdminEvents))
			r.Get("/verwaltung/veranstaltungen/neu", s.handle(s.newEvent))
			r.Post("/verwaltung/veranstaltungen/neu", s.handle(s.createEvent))
			r.Get("/verwaltung/veranstaltungen/{eventID}", s.handle(s.editEvent))
			r.Post("/verwaltung/veranstaltungen/{eventID}", s.handle(s.updateEvent))
			r.Post("/verwaltung/veranstaltungen/{eventID}/status", s.handle(s.updateEventStatus))
			r.Get("/verwaltung/veranstaltungen/{eventID}/programm/neu", s.handle(s.newItem))
			r.Post("/verwaltung/veranstaltungen/{eventID}/programm/neu", s.handle(s.createItem))
			r.Get("/verwaltung/veranstaltungen/{eventID}/programm/{item}", s.handle(s.editItem))
			r.Post("/verwaltung/veranstaltungen/{eventID}/programm/{item}", s.handle(s.updateItem))
			r.Post("/verwaltung/veranstaltungen/{eventID}/programm/{item}/loeschen", s.handle(s.deleteItem))
			r.Get("/verwaltung/veranstaltungen/{eventID}/workshops/neu", s.handle(s.newWorkshop))
			r.Post("/verwaltung/veranstaltungen/{eventID}/workshops/neu", s.handle(s.createWorkshop))
			r.Get("/verwaltung/veranstaltungen/{eventID}/workshops/{workshop}", s.handle(s.editWorkshop))
			r.Post("/verwaltung/veranstaltungen/{eventID}/workshops/{workshop}", s.handle(s.updateWorkshop))
			r.Post("/verwaltung/veranstaltungen/{eventID}/workshops/{workshop}/loeschen", s.handle(s.deleteWorkshop))
			r.Get("/verwaltung/kontakte/neu", s.handle(s.newStandaloneContact))
			r.Post("/verwaltung/kontakte/neu", s.handle(s.createStandaloneContact))
		})

		// An invitation's personal link: register or decline.
		r.Get("/anmeldung/einladung/{token}", s.handle(s.showInvitationLink))
		r.Post("/anmeldung/einladung/{token}", s.handle(s.updateInvitationLink))

		// Registrations (issue 9, administration): editors and admins set
		// up registration, manage participants, check people in and invite;
		// officials read the lists and change nothing.
		r.Group(func(r chi.Router) {
			r.Use(s.requireUser, s.requireRole(account.RoleEditor, account.RoleAdmin))
			r.Get("/verwaltung/veranstaltungen/{eventID}/anmeldung", s.handle(s.editRegistrationSetup))
			r.Post("/verwaltung/veranstaltungen/{eventID}/anmeldung", s.handle(s.updateRegistrationSetup))
			r.Post("/verwaltung/veranstaltungen/{eventID}/anmeldung/fragen", s.handle(s.createQuestion))
			r.Post("/verwaltung/veranstaltungen/{eventID}/anmeldung/fragen/barrierefreiheit", s.handle(s.createAccessibilityQuestion))
			r.Post("/verwaltung/veranstaltungen/{eventID}/anmeldung/fragen/{question}/verschieben", s.handle(s.updateQuestionPosition))
			r.Post("/verwaltung/veranstaltungen/{eventID}/anmeldung/fragen/{question}/loeschen", s.handle(s.deleteQuestion))
			r.Post("/verwaltung/veranstaltungen/{eventID}/teilnehmende/neu", s.handle(s.createParticipant))
			r.Post("/verwaltung/veranstaltungen/{eventID}/teilnehmende/{registration}/workshop", s.handle(s.updateParticipantWorkshop))
			r.Post("/verwaltung/veranstaltungen/{eventID}/teilnehmende/{registration}/stornieren", s.handle(s.cancelParticipant))
			r.Post("/verwaltung/veranstaltungen/{eventID}/einlass/{registration}", s.handle(s.createCheckIn))
			r.Post("/verwaltung/veranstaltungen/{eventID}/einlass/{registration}/zuruecknehmen", s.handle(s.deleteCheckIn))
			r.Post("/verwaltung/veranstaltungen/{eventID}/einladungen", s.handle(s.createInvitations))
		})
		r.Group(func(r chi.Router) {
			r.Use(s.requireUser, s.requireRole(account.RoleEditor, account.RoleOfficial, account.RoleAdmin))
			r.Get("/verwaltung/veranstaltungen/{eventID}/teilnehmende", s.handle(s.listParticipants))
			r.Get("/verwaltung/veranstaltungen/{eventID}/teilnehmende.csv", s.handle(s.listParticipantsCSV))
			r.Get("/verwaltung/veranstaltungen/{eventID}/teilnehmende/{registration}", s.handle(s.showParticipant))
			r.Get("/verwaltung/veranstaltungen/{eventID}/einlass", s.handle(s.showCheckIn))
			r.Get("/verwaltung/veranstaltungen/{eventID}/einladungen", s.handle(s.listInvitations))
		})

		// Editors, officials (reading) and admins: all initiatives, their
		// review and history.
		r.Group(func(r chi.Router) {
			r.Use(s.requireUser, s.requireRole(account.RoleEditor, account.RoleOfficial, account.RoleAdmin))
			r.Get("/verwaltung", s.handle(s.showAdmin))
			r.Get("/verwaltung/initiativen", s.handle(s.listAdminInitiatives))
			r.Get("/initiativen/{slug}/verlauf", s.handle(s.showInitiativeManage))
			r.Get("/verwaltung/initiativen/veraltet", s.handle(s.listStale))
		})
		r.Group(func(r chi.Router) {
			r.Use(s.requireUser, s.requireRole(account.RoleEditor, account.RoleAdmin))
			r.Post("/initiativen/{slug}/status", s.handle(s.updateInitiativeStatus))
			r.Post("/verwaltung/initiativen/veraltet", s.handle(s.createReminders))
			r.Post("/initiativen/{slug}/verlauf/{version}", s.handle(s.restoreRevision))
		})

		// The dashboard (issue 10): read-only figures, coverage, topics,
		// network, activity and exports for editors, officials and admins.
		r.Group(func(r chi.Router) {
			r.Use(s.requireUser, s.requireRole(account.RoleEditor, account.RoleOfficial, account.RoleAdmin))
			r.Get("/dashboard", s.handle(s.showDashboard))
			r.Get("/dashboard/abdeckung", s.handle(s.showDashboardCoverage))
			r.Get("/dashboard/themen", s.handle(s.showDashboardTopics))
			r.Get("/dashboard/vernetzung", s.handle(s.showDashboardNetwork))
			r.Get("/dashboard/vernetzung/{slug}", s.handle(s.showDashboardConnections))
			r.Get("/dashboard/aktivitaet", s.handle(s.showDashboardActivity))
			r.Get("/dashboard/taetigkeitsbericht", s.handle(s.showDashboardReport))
			r.Get("/dashboard/export/{name}", s.handle(s.showDashboardExport))
		})

		// Admins: accounts and the outbox.
		r.Group(func(r chi.Router) {
			r.Use(s.requireUser, s.requireRole(account.RoleAdmin))
			r.Get("/verwaltung/benutzer", s.handle(s.listUsers))
			r.Get("/verwaltung/benutzer/{id}", s.handle(s.editUser))
			r.Post("/verwaltung/benutzer/{id}", s.handle(s.updateUser))
			r.Post("/verwaltung/benutzer/{id}/sperren", s.handle(s.setUserDisabled(true)))
			r.Post("/verwaltung/benutzer/{id}/entsperren", s.handle(s.setUserDisabled(false)))
			r.Post("/verwaltung/benutzer/{id}/einladung", s.handle(s.resendInvitation))
			r.Get("/verwaltung/postausgang", s.handle(s.listOutbox))
			r.Get("/verwaltung/postausgang/{id}", s.handle(s.showOutboxMessage))
			r.Get("/verwaltung/status", s.handle(s.showStatus))
		})
	})
	s.secretPrefixes = secretPrefixes(r)
	return r
}

// useSessions adds what every page but the operations' needs: compression,
// the session and the signed-in user.
func (s *Server) useSessions(r chi.Router) {
	// Level 1: what is compressed here is rendered per request (the page
	// cache compresses its copies once, at 5); at 5 the compression took
	// half of the Go CPU of an uncached directory page, for 13 % fewer bytes.
	// klauspost/compress: at level 1 it compresses the 190 KB directory page
	// in about half the time of compress/gzip, to the same size.
	compress := middleware.NewCompressor(1, "text/html", "text/plain", "text/css", "application/javascript",
		"application/json", "text/csv", "text/calendar", "application/atom+xml")
	compress.SetEncoder("gzip", func(w io.Writer, level int) io.Writer {
		zw, _ := gzip.NewWriterLevel(w, level)
		return zw
	})
	compress.SetEncoder("deflate", func(w io.Writer, level int) io.Writer {
		zw, _ := flate.NewWriter(w, level)
		return zw
	})
	r.Use(compress.Handler)
	r.Use(s.sessions.LoadAndSave)
	r.Use(s.loadUser)
}
