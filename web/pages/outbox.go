package pages

import (
	"strconv"

	"rii/web/components"
	"rii/web/layout"
)

// OutboxListView is the admins' Postausgang: every e-mail of the portal,
// newest first.
type OutboxListView struct {
	layout.Frame
	Rows  []OutboxRow
	Total int
	Pager components.Pager
	// LogOnly says that no mail server is set up: messages are only logged.
	LogOnly bool
}

// OutboxRow is one e-mail in the list.
type OutboxRow struct {
	Href, Recipient, Subject, Created string
	Status                            OutboxStatus
}

// OutboxStatus is the state of an e-mail, drawn as a KERN badge.
type OutboxStatus struct {
	// Label is "wartet", "gesendet per SMTP", "protokolliert" or "fehlgeschlagen".
	Label string
	// BadgeClass and IconClass carry the KERN variant (info, success, warning, danger).
	BadgeClass, IconClass string
	// Note explains the state in a sentence, e.g. the last error; may be empty.
	Note string
}

// OutboxMessageView is one e-mail with its full text.
type OutboxMessageView struct {
	layout.Frame
	Recipient, Subject, Created string
	Status                      OutboxStatus
	Attempts                    string
	// Facts are further dated lines (gesendet, nächster Versuch, aufgegeben).
	Facts     []OutboxFact
	LastError string
	Body      string
	BackHref  string
}

// OutboxFact is one term and value of the message's description list.
type OutboxFact struct {
	Term, Value string
}

// outboxCount says how many e-mails the outbox holds.
func outboxCount(n int) string {
	switch n {
	case 0:
		return "Der Postausgang ist leer."
	case 1:
		return "1 E-Mail"
	default:
		return strconv.Itoa(n) + " E-Mails"
	}
}
