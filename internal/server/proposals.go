package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"rii/internal/account"
	"rii/internal/initiative"
	"rii/internal/store"
	"rii/web/components"
	"rii/web/pages"
	"rii/web/paths"
)

// Visitors' proposals (issue 15): a person without an account proposes an
// initiative, confirms the e-mail address through a sealed link, and the
// proposal enters the same review as members' proposals.
const (
	// proposalLifetime is how long the confirmation link holds; unconfirmed
	// proposals are deleted when it ends (the privacy notice says so).
	proposalLifetime = 72 * time.Hour
	// maxProposalPosts bounds posts of the form per client, and
	// maxProposalsPerAddress links sent to one address, per throttleWindow.
	maxProposalPosts       = 10
	maxProposalsPerAddress = 3
	// proposalHoneypot is a field people never see; bots fill it in.
	proposalHoneypot = "homepage"
	proposalsSent    = "/initiativen/vorschlagen/gesendet"
)

func (s *Server) proposalView(r *http.Request, title string, f components.Form) (pages.ProposalView, error) {
	voc, err := s.loadVocabularies(r.Context())
	if err != nil {
		return pages.ProposalView{}, err
	}
	ev, err := s.initiativeEditView(r, voc, f, editLabels{heading: title})
	return pages.ProposalView{Frame: ev.Frame, Form: f, Regions: ev.Regions, Topics: ev.Topics,
		LinkHours: strconv.Itoa(int(proposalLifetime.Hours()))}, err
}

// newProposal is the form; signed-in people propose with the full form.
func (s *Server) newProposal(w http.ResponseWriter, r *http.Request) error {
	if userFrom(r.Context()) != nil {
		http.Redirect(w, r, "/initiativen/neu", http.StatusSeeOther)
		return nil
	}
	v, err := s.proposalView(r, "Initiative vorschlagen", components.NewForm())
	if err != nil {
		return err
	}
	return s.render(w, r, pages.ProposalForm(v))
}

// createProposal stores a proposal with its confirmation link and writes
// the e-mail, in one transaction. Every post counts against the client's
// limit before it is read; a valid one also against the address's.
func (s *Server) createProposal(w http.ResponseWriter, r *http.Request) error {
	ctx, now := r.Context(), s.now()
	if userFrom(ctx) != nil {
		http.Redirect(w, r, "/initiativen/neu", http.StatusSeeOther)
		return nil
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	if pickerRoundTrip(r.PostForm) { // the region search without JavaScript: nothing checked, nothing counted
		_, f, err := s.postedProposal(r)
		if err != nil {
			return err
		}
		return s.renderProposalForm(w, r, f, http.StatusOK)
	}
	limit := store.AttemptLimit{Key: "vorschlag:" + s.clientIP(r), Since: now.Add(-throttleWindow), Max: maxProposalPosts}
	_, allowed, err := s.store.ReserveSigninAttempt(ctx, now, limit)
	if err != nil {
		return err
	}
	p, f, err := s.readProposal(r)
	if err != nil {
		return err
	}
	if !allowed {
		f.Alert = "Von Ihrem Anschluss kamen gerade viele Vorschläge. Bitte versuchen Sie es in einer Viertelstunde noch einmal."
		return s.renderProposalForm(w, r, f, http.StatusTooManyRequests)
	}
	if strings.TrimSpace(r.PostForm.Get(proposalHoneypot)) != "" {
		http.Redirect(w, r, proposalsSent, http.StatusSeeOther) // a bot: the same answer, nothing stored
		return nil
	}
	if !f.OK() {
		return s.renderProposalForm(w, r, f, http.StatusUnprocessableEntity)
	}
	limit = store.AttemptLimit{Key: "vorschlag-adresse:" + p.Email, Since: now.Add(-throttleWindow), Max: maxProposalsPerAddress}
	if _, allowed, err = s.store.ReserveSigninAttempt(ctx, now, limit); err != nil {
		return err
	}
	if !allowed {
		f.Alert = "An diese E-Mail-Adresse haben wir gerade mehrere Links geschickt. Bitte bestätigen Sie einen davon oder versuchen Sie es in einer Viertelstunde noch einmal."
		return s.renderProposalForm(w, r, f, http.StatusTooManyRequests)
	}
	token, hash := newToken()
	p.TokenHash, p.Now, p.Expires = hash, now, now.Add(proposalLifetime)
	err = s.store.InTx(ctx, func(tx *store.Store) error {
		if _, err := tx.CreateProposal(ctx, p); err != nil {
			return err
		}
		return s.enqueueLinkMail(r, tx, p.Email, "Bitte bestätigen Sie Ihren Vorschlag „"+p.Profile.Name+"“", proposalMail(p), s.link(paths.Proposal(token)))
	})
	if err != nil {
		return err
	}
	s.notifyMail()
	http.Redirect(w, r, proposalsSent, http.StatusSeeOther)
	return nil
}

func proposalMail(p store.NewProposal) string {
	return fmt.Sprintf(`Guten Tag %s,

Sie haben im RII-Portal die Initiative „%s“ für das Verzeichnis vorgeschlagen. Bitte bestätigen Sie den Vorschlag über diesen Link:

%s

Der Link gilt %d Stunden und nur einmal. Erst nach der Bestätigung erreicht der Vorschlag die Service-Stelle; ohne Bestätigung löschen wir ihn mit Ihren Angaben. Haben Sie nichts vorgeschlagen, können Sie diese E-Mail ignorieren.`,
		p.Name, p.Profile.Name, store.LinkPlaceholder, int(proposalLifetime.Hours()))
}

func (s *Server) renderProposalForm(w http.ResponseWriter, r *http.Request, f components.Form, status int) error {
	v, err := s.proposalView(r, "Initiative vorschlagen", f)
	if err != nil {
		return err
	}
	return s.renderStatus(w, r, status, pages.ProposalForm(v))
}

// readProposal reads and checks the visitor's form: the person, the
// essential profile fields (as the profile form checks them) and the
// consent.
func (s *Server) readProposal(r *http.Request) (store.NewProposal, components.Form, error) {
	if err := r.ParseForm(); err != nil {
		return store.NewProposal{}, components.Form{}, err
	}
	voc, f, err := s.postedProposal(r)
	if err != nil {
		return store.NewProposal{}, components.Form{}, err
	}
	var p store.NewProposal
	if p.Name, err = account.ValidateName(f.Value("ihr_name")); err != nil {
		f.Fail("ihr_name", err.Error())
	}
	if p.Email, err = account.NormalizeEmail(f.Value("ihre_email")); err != nil {
		f.Fail("ihre_email", err.Error())
	}
	var in initiative.Input
	components.Decode(f, &in)
	in.Website = strings.TrimSpace(in.Website)
	errs := initiative.Validate(in, voc.sets(), s.now().In(berlin).Year())
	if strings.TrimSpace(in.ShortDescription) == "" && errs["kurzbeschreibung"] == "" {
		errs["kurzbeschreibung"] = "Bitte beschreiben Sie die Initiative in ein bis zwei Sätzen."
	}
	failAll(&f, errs, pages.ProposalFields.Names())
	if f.Value("einwilligung") != "ja" {
		f.Fail("einwilligung", "Bitte stimmen Sie zu, dass wir Ihre Angaben für die Prüfung speichern – sonst können wir den Vorschlag nicht annehmen.")
	}
	p.Profile = profileFromInput(in)
	return p, f, nil
}

// postedProposal reads the posted form as it stands, unchecked: the
// Länder ticked whole become their districts.
func (s *Server) postedProposal(r *http.Request) (vocabularies, components.Form, error) {
	voc, err := s.loadVocabularies(r.Context())
	if err != nil {
		return voc, components.Form{}, err
	}
	f := pages.ProposalFields.Read(r.PostForm)
	expandLands(&f, r.PostForm["kreise_land"], voc.districts)
	return voc, f, nil
}

// showProposalSent is the neutral answer after the form.
func (s *Server) showProposalSent(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, pages.ProposalSent(pages.ProposalView{Frame: s.frame(r, "Vorschlag gesendet"),
		LinkHours: strconv.Itoa(int(proposalLifetime.Hours()))}))
}

// showProposalConfirmed thanks the proposer after the confirmation.
func (s *Server) showProposalConfirmed(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, pages.ProposalConfirmed(pages.ProposalView{Frame: s.frame(r, "Vorschlag bestätigt")}))
}

func (s *Server) proposalLinkInvalid(w http.ResponseWriter, r *http.Request) error {
	linkPageHeaders(w)
	return s.renderStatus(w, r, http.StatusNotFound, pages.LinkInvalid(pages.LinkInvalidView{
		Frame: s.frame(r, "Link ungültig"), Heading: "Dieser Link gilt nicht mehr",
		Message: "Der Link ist abgelaufen, wurde schon benutzt oder ist unvollständig. Ein Vorschlag lässt sich 72 Stunden lang und nur einmal bestätigen – schlagen Sie die Initiative gern noch einmal vor.",
	}))
}

// showProposalLink asks the proposer to confirm (a GET changes nothing).
func (s *Server) showProposalLink(w http.ResponseWriter, r *http.Request) error {
	token := chi.URLParam(r, "token")
	p, err := s.store.PendingProposal(r.Context(), hashToken(token), s.now())
	if errors.Is(err, store.ErrTokenInvalid) {
		return s.proposalLinkInvalid(w, r)
	}
	if err != nil {
		return err
	}
	linkPageHeaders(w)
	return s.render(w, r, pages.ProposalConfirm(pages.ProposalConfirmView{Frame: s.frame(r, "Vorschlag bestätigen"),
		Initiative: p.Profile.Name, Email: p.Email, Action: paths.Proposal(token)}))
}

// confirmProposal uses the link up and turns the proposal into an
// initiative in review, telling the Service-Stelle, in one transaction.
func (s *Server) confirmProposal(w http.ResponseWriter, r *http.Request) error {
	ctx, now := r.Context(), s.now()
	hash := hashToken(chi.URLParam(r, "token"))
	err := s.store.InTx(ctx, func(tx *store.Store) error {
		p, err := tx.ClaimProposal(ctx, hash, now)
		if err != nil {
			return err
		}
		id, slug, err := createWithFreeSlug(r, tx, p.Profile, initiative.StatusSubmitted, store.Actor{Label: p.Name + " (Vorschlag ohne Konto)"}, s)
		if err != nil {
			return err
		}
		if err := tx.SetProposalInitiative(ctx, p.ID, id); err != nil {
			return err
		}
		if err := s.tellServiceStelle(r, tx, p.Profile.Name, slug, p.Name+" ohne Konto, E-Mail-Adresse bestätigt", false); err != nil {
			return err
		}
		return s.audit(r, tx, auditEntry{Action: "initiative.created", Object: "initiative", ID: itoa(id),
			Details: map[string]any{"status": initiative.StatusSubmitted, "proposal": true}})
	})
	if errors.Is(err, store.ErrTokenInvalid) {
		return s.proposalLinkInvalid(w, r)
	}
	if err != nil {
		return err
	}
	s.notifyMail()
	linkPageHeaders(w)
	http.Redirect(w, r, "/initiativen/vorschlagen/bestaetigt", http.StatusSeeOther)
	return nil
}

// expireProposals deletes the proposals whose link ran out unconfirmed,
// with the name and address in them.
func (s *Server) expireProposals(ctx context.Context, now time.Time) error {
	n, err := s.store.DeleteExpiredProposals(ctx, now)
	if err != nil {
		return fmt.Errorf("proposals: %w", err)
	}
	if n > 0 {
		s.log.InfoContext(ctx, "unconfirmed proposals deleted", slog.Int64("count", n))
	}
	return nil
}

// proposerLine names the visitor behind a proposal for the review page,
// "" when there is none (or they were invited already).
func (s *Server) proposerLine(ctx context.Context, initiativeID int64) (string, error) {
	p, err := s.store.ProposerOf(ctx, initiativeID)
	if errors.Is(err, store.ErrNotFound) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	return p.Name + " <" + p.Email + ">, ohne Konto – wird beim Zurückgeben oder Veröffentlichen als Mitglied eingeladen", nil
}
