package server

import (
	"errors"
	"fmt"
	"net/http"

	"rii/internal/account"
	"rii/internal/store"
	"rii/web/paths"
)

// The e-mails of the review conversation. Each is written in the
// transaction of the step it reports, so it goes out exactly when the step
// happened (and never when the step rolled back).

// reviewStep is a step the Service-Stelle takes that the members hear of.
type reviewStep int

const (
	stepReturned reviewStep = iota
	stepPublished
	stepArchived
)

// reviewNoticeText is the subject, the opening sentence and the page of a
// step's e-mail to the members.
func reviewNoticeText(step reviewStep, name, slug string) (subject, what, path string) {
	switch step {
	case stepReturned:
		return "Rückfrage zu Ihrer Initiative „" + name + "“",
			"die Service-Stelle hat das Profil „" + name + "“ mit einer Anmerkung an Sie zurückgegeben. Es ist bis zur nächsten Prüfung nicht öffentlich.",
			paths.Initiative(slug, "bearbeiten")
	case stepPublished:
		return "Ihre Initiative „" + name + "“ ist veröffentlicht",
			"die Service-Stelle hat das Profil „" + name + "“ geprüft und veröffentlicht. Es steht jetzt im Verzeichnis der Initiativen.",
			paths.Initiative(slug)
	default:
		return "Ihre Initiative „" + name + "“ ist archiviert",
			"die Service-Stelle hat das Profil „" + name + "“ archiviert. Es erscheint nicht mehr im Verzeichnis.",
			paths.Initiative(slug, "bearbeiten")
	}
}

// reviewNoticeBody is the text of a step's e-mail; comment may be empty.
func (s *Server) reviewNoticeBody(what, comment, path, linkLabel string) string {
	body := "Guten Tag,\n\n" + what
	if comment != "" {
		body += "\n\nAnmerkung der Service-Stelle:\n\n" + comment
	}
	return body + "\n\n" + linkLabel + "\n" + s.link(path)
}

// tellMembers writes the e-mail of a step to every active or invited member
// of the initiative. A visitor's proposal that is returned or published
// first makes its proposer a member (invited, or linked if they have an
// account); an archived one forgets its proposer after telling them.
func (s *Server) tellMembers(r *http.Request, tx *store.Store, e *store.EditableInitiative, step reviewStep, comment string) error {
	ctx := r.Context()
	subject, what, path := reviewNoticeText(step, e.Profile.Name, e.Slug)
	label := "Zum Profil:"
	if step == stepReturned {
		label = "Sie können das Profil hier überarbeiten und erneut zur Prüfung einreichen:"
	}
	told, err := s.welcomeProposer(r, tx, e, step, subject, what, comment)
	if err != nil {
		return err
	}
	members, err := tx.MembersToNotify(ctx, e.ID)
	if err != nil {
		return err
	}
	for _, to := range members {
		if to == told {
			continue // the invitation said it already
		}
		if err := s.enqueueMail(r, tx, to, subject, s.reviewNoticeBody(what, comment, path, label)); err != nil {
			return err
		}
	}
	return nil
}

// welcomeProposer handles the visitor behind a proposal, if any: on return
// or publication they become a member of the initiative (an invitation
// that carries the step's message, whose address it returns; or, for an
// existing member account, a link to the initiative and the normal
// e-mail); on archiving they get the message directly. Either way the
// proposal row and its personal data go.
func (s *Server) welcomeProposer(r *http.Request, tx *store.Store, e *store.EditableInitiative, step reviewStep, subject, what, comment string) (string, error) {
	ctx := r.Context()
	p, err := tx.ProposerOf(ctx, e.ID)
	if errors.Is(err, store.ErrNotFound) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	if err := tx.DeleteProposal(ctx, p.ID); err != nil {
		return "", err
	}
	if step == stepArchived {
		body := "Guten Tag " + p.Name + ",\n\nvielen Dank für Ihren Vorschlag. Die Service-Stelle hat „" + e.Profile.Name +
			"“ nicht in das Verzeichnis aufgenommen und den Vorschlag archiviert."
		if comment != "" {
			body += "\n\nAnmerkung der Service-Stelle:\n\n" + comment
		}
		body += "\n\nIhren Namen und Ihre E-Mail-Adresse haben wir gelöscht."
		return p.Email, s.enqueueMail(r, tx, p.Email, "Ihr Vorschlag „"+e.Profile.Name+"“", body)
	}
	u, err := tx.UserByEmail(ctx, p.Email)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return p.Email, s.inviteProposer(r, tx, p, e, subject, what, comment)
	case err != nil:
		return "", err
	case u.Role == account.RoleMember:
		return "", tx.AddUserInitiative(ctx, u.ID, e.ID) // now among the members told below
	}
	// Staff accounts are not linked to initiatives; they are told directly.
	return "", s.enqueueMail(r, tx, p.Email, subject, s.reviewNoticeBody(what, comment, paths.Initiative(e.Slug), "Zum Profil:"))
}

// inviteProposer creates the proposer's member account for the initiative
// and writes the invitation, which carries the step's message.
func (s *Server) inviteProposer(r *http.Request, tx *store.Store, p store.Proposal, e *store.EditableInitiative, subject, what, comment string) error {
	ctx, now := r.Context(), s.now()
	id, err := tx.CreateUser(ctx, store.NewUser{Email: p.Email, Name: p.Name, Role: account.RoleMember,
		State: account.StateInvited, Now: now})
	if err != nil {
		return err
	}
	if err := tx.AddUserInitiative(ctx, id, e.ID); err != nil {
		return err
	}
	token, hash := newToken()
	if err := tx.CreateToken(ctx, hash, id, store.PurposeInvitation, now, now.Add(invitationLifetime)); err != nil {
		return err
	}
	body := "Guten Tag " + p.Name + ",\n\n" + what
	if comment != "" {
		body += "\n\nAnmerkung der Service-Stelle:\n\n" + comment
	}
	body += fmt.Sprintf("\n\nDamit Sie das Profil Ihrer Initiative selbst pflegen können, haben wir Ihnen ein Konto im RII-Portal angelegt (Rolle: %s). "+
		"Über diesen Link legen Sie Ihr Passwort fest:\n\n%s\n\nDer Link gilt 72 Stunden und nur einmal. Danach finden Sie das Profil unter %s",
		account.RoleMember.Label(), store.LinkPlaceholder, s.link(paths.Initiative(e.Slug, "bearbeiten")))
	if err := s.enqueueLinkMail(r, tx, p.Email, subject, body, s.link(paths.AccountInvitation(token))); err != nil {
		return err
	}
	return s.audit(r, tx, auditEntry{Action: "user.invited", Object: "user", ID: itoa(id),
		Details: map[string]any{"email": p.Email, "role": string(account.RoleMember), "initiatives": []int64{e.ID}, "proposal": true}})
}

// tellServiceStelle writes the e-mail about a new or resubmitted proposal
// to RII_REVIEW_NOTIFY, or else to every active editor.
func (s *Server) tellServiceStelle(r *http.Request, tx *store.Store, name, slug, by string, again bool) error {
	recipients := []string{s.cfg.ReviewNotify}
	if s.cfg.ReviewNotify == "" {
		var err error
		if recipients, err = tx.EditorEmails(r.Context()); err != nil {
			return err
		}
		if len(recipients) == 0 {
			s.log.WarnContext(r.Context(), "review: no active editor and no RII_REVIEW_NOTIFY, nobody is told of a proposal")
		}
	}
	subject, what := "Neuer Vorschlag zur Prüfung: "+name, "„"+name+"“ ist neu zur Prüfung eingereicht"
	if again {
		subject, what = "Erneut zur Prüfung eingereicht: "+name, "„"+name+"“ ist überarbeitet und erneut zur Prüfung eingereicht"
	}
	body := fmt.Sprintf("Guten Tag,\n\n%s (von %s).\n\nPrüfen, zurückgeben oder veröffentlichen Sie es hier:\n%s",
		what, by, s.link(paths.Initiative(slug, "verlauf")))
	for _, to := range recipients {
		if err := s.enqueueMail(r, tx, to, subject, body); err != nil {
			return err
		}
	}
	return nil
}

// mailState says where just-written e-mails (n of them) are: on their way,
// or, without a mail server (RII_SMTP_URL empty), waiting in the outbox
// for an admin to read.
func (s *Server) mailState(n int) string {
	switch {
	case s.cfg.SMTPURL == nil && n == 1:
		return "liegt im Postausgang"
	case s.cfg.SMTPURL == nil:
		return "liegen im Postausgang"
	case n == 1:
		return "ist unterwegs"
	}
	return "sind unterwegs"
}
