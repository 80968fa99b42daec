package demo

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"time"

	"rii/internal/store"
)

// seedProposal adds one visitor's proposal waiting for review, as it is
// after its e-mail address was confirmed: the Service-Stelle finds it under
// "zur Prüfung eingereicht" and can return or publish it (which invites
// the invented proposer).
func seedProposal(ctx context.Context, tx *store.Store, now time.Time) error {
	token := sha256.Sum256([]byte(rand.Text()))
	p := store.NewProposal{Name: "Erika Beispiel", Email: "erika.beispiel@beispiel.example", TokenHash: token[:],
		Now: now.Add(-2 * time.Hour), Expires: now.Add(70 * time.Hour),
		Profile: store.InitiativeProfile{
			Name:             "Industrienetzwerk Oberlausitz (Beispielvorschlag)",
			ShortDescription: "Ein erfundener Vorschlag für die Demo: Unternehmen, Kammer und Landkreis wollen Fachkräfte in der Oberlausitz halten.",
			Districts:        []string{"14626"}, Topics: []string{"fachkraefte", "strukturwandel"},
			Sectors: []string{}, TargetGroups: []string{}, Formats: []string{}, Members: []store.MemberOrg{},
		}}
	if _, err := tx.CreateProposal(ctx, p); err != nil {
		return err
	}
	claimed, err := tx.ClaimProposal(ctx, p.TokenHash, now.Add(-time.Hour))
	if err != nil {
		return err
	}
	id, err := tx.CreateInitiative(ctx, "industrienetzwerk-oberlausitz-beispielvorschlag", "submitted", p.Profile,
		store.Actor{Label: p.Name + " (Vorschlag ohne Konto)"}, now.Add(-time.Hour))
	if err != nil {
		return err
	}
	return tx.SetProposalInitiative(ctx, claimed.ID, id)
}
