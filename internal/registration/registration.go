// Package registration is the vocabulary of event registrations
// (Anmeldungen): statuses, question kinds, sources, and the checks of what a
// person types into the registration form.
package registration

import (
	"errors"
	"time"
)

// Statuses of a registration (the database CHECK lists the same):
// pending → confirmed or waitlisted → cancelled; pending → lapsed.
const (
	StatusPending    = "pending"
	StatusConfirmed  = "confirmed"
	StatusWaitlisted = "waitlisted"
	StatusCancelled  = "cancelled"
	StatusLapsed     = "lapsed"
)

// StatusLabel is the German name of a status as the person reads it.
func StatusLabel(status string) string {
	switch status {
	case StatusPending:
		return "noch nicht bestätigt"
	case StatusConfirmed:
		return "bestätigt"
	case StatusWaitlisted:
		return "Warteliste"
	case StatusCancelled:
		return "storniert"
	case StatusLapsed:
		return "verfallen"
	}
	return status
}

// Active reports whether a registration in this status still counts as the
// person's registration (one per person and event).
func Active(status string) bool {
	return status == StatusPending || status == StatusConfirmed || status == StatusWaitlisted
}

// Sources of a registration.
const (
	SourcePublic     = "public"
	SourceInvitation = "invitation"
	SourceManual     = "manual"
)

// Kinds of registration questions.
const (
	QuestionText   = "text"
	QuestionChoice = "choice"
	QuestionYesNo  = "yesno"
)

// Answers to a yes/no question, as stored.
const (
	Yes = "ja"
	No  = "nein"
)

// AccessibilityQuestion is the suggested question on support needs.
const AccessibilityQuestion = "Benötigen Sie Unterstützung, z. B. Gebärdensprachdolmetschung?"

// Defaults of an event's registration settings (the database's defaults).
const (
	DefaultHold          = 24 * time.Hour
	DefaultReminderLead  = 48 * time.Hour
	DefaultRetentionDays = 180
)

// ResendAfter spaces out e-mails with the personal link: a second
// registration with the same address within it sends nothing, so a flood of
// posts sends one e-mail.
const ResendAfter = 10 * time.Minute

// Errors of registration changes.
var (
	// ErrClosed: the event does not take registrations (now).
	ErrClosed = errors.New("registration closed")
	// ErrEnded: the registration was cancelled or lapsed.
	ErrEnded = errors.New("registration ended")
	// ErrFull: the chosen workshop has no free place.
	ErrFull = errors.New("no place free")
	// ErrWorkshop: a workshop that is not the event's, or two in one slot.
	ErrWorkshop = errors.New("workshop not offered")
)
