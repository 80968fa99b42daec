package server

import (
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"rii/internal/store"
	"rii/web/components"
	"rii/web/pages"
	"rii/web/paths"
)

const outboxPerPage = 50

// listOutbox is the admins' Postausgang: every e-mail, newest first.
func (s *Server) listOutbox(w http.ResponseWriter, r *http.Request) error {
	page := components.ParsePage(r.URL.Query())
	msgs, total, err := s.store.ListOutbox(r.Context(), outboxPerPage, (page-1)*outboxPerPage)
	if err != nil {
		return err
	}
	if last := max(1, (total+outboxPerPage-1)/outboxPerPage); page > last {
		// A page past the end (an old link, a typed number) shows the last one.
		page = last
		if msgs, total, err = s.store.ListOutbox(r.Context(), outboxPerPage, (page-1)*outboxPerPage); err != nil {
			return err
		}
	}
	v := pages.OutboxListView{
		Frame:   s.frame(r, "Postausgang"),
		Total:   total,
		Pager:   components.NewPager(*r.URL, page, outboxPerPage, total),
		LogOnly: s.cfg.SMTPURL == nil,
	}
	for _, m := range msgs {
		st := outboxStatus(m)
		st.Note = clip(st.Note, 160)
		v.Rows = append(v.Rows, pages.OutboxRow{
			Href:      paths.AdminMail(m.ID),
			Recipient: m.Recipient, Subject: m.Subject, Created: formatTime(m.CreatedAt), Status: st,
		})
	}
	return s.render(w, r, pages.OutboxList(v))
}

// showOutboxMessage shows one e-mail with its full text.
func (s *Server) showOutboxMessage(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil || id < 1 {
		return errNotFound
	}
	m, err := s.store.OutboxMessage(r.Context(), id)
	if err != nil {
		return err // store.ErrNotFound becomes a 404
	}
	v := pages.OutboxMessageView{
		Frame:     s.frame(r, "E-Mail im Postausgang"),
		Recipient: m.Recipient, Subject: m.Subject, Created: formatTime(m.CreatedAt),
		Status: outboxStatus(m), Attempts: strconv.Itoa(m.Attempts),
		LastError: m.LastError, Body: shownBody(m.Body), BackHref: "/verwaltung/postausgang",
	}
	switch {
	case m.SentAt != nil && m.DeliveredVia == store.ViaLog:
		v.Facts = append(v.Facts, pages.OutboxFact{Term: "Protokolliert", Value: formatTime(*m.SentAt)})
	case m.SentAt != nil:
		v.Facts = append(v.Facts, pages.OutboxFact{Term: "Gesendet", Value: formatTime(*m.SentAt)})
	case m.FailedAt != nil:
		v.Facts = append(v.Facts, pages.OutboxFact{Term: "Aufgegeben", Value: formatTime(*m.FailedAt)})
	default:
		v.Facts = append(v.Facts, pages.OutboxFact{Term: "Nächster Versuch", Value: formatTime(m.NextAttemptAt)})
	}
	return s.render(w, r, pages.OutboxMessage(v))
}

// outboxStatus describes the state of m for people.
func outboxStatus(m store.OutboxMessage) pages.OutboxStatus {
	badge := func(variant, label, note string) pages.OutboxStatus {
		return pages.OutboxStatus{Label: label, Note: note,
			BadgeClass: "kern-badge kern-badge--" + variant, IconClass: "kern-icon kern-icon--" + variant}
	}
	switch {
	case m.SentAt != nil && m.DeliveredVia == store.ViaLog:
		return badge("info", "protokolliert", "Kein Mailserver eingerichtet: Die E-Mail wurde nur protokolliert, nicht verschickt.")
	case m.SentAt != nil:
		return badge("success", "gesendet per SMTP", "")
	case m.FailedAt != nil:
		return badge("danger", "fehlgeschlagen", "Zustellung aufgegeben. Letzter Fehler: "+m.LastError)
	case m.Attempts > 0 && m.LastError != "":
		return badge("warning", "wartet", attemptsText(m.Attempts)+", nächster Versuch "+formatTime(m.NextAttemptAt)+
			". Letzter Fehler: "+m.LastError)
	default:
		return badge("info", "wartet", "")
	}
}

func attemptsText(n int) string {
	if n == 1 {
		return "1 Versuch"
	}
	return strconv.Itoa(n) + " Versuche"
}

// clip shortens s to n characters, marking the cut.
func clip(s string, n int) string {
	if t := truncate(s, n); t != s {
		return t + " …"
	}
	return s
}
