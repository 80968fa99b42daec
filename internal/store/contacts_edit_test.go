package store_test

import (
	"errors"
	"strconv"
	"testing"
	"time"

	"rii/internal/store"
)

// contactStore has two initiatives and the time of the test.
func contactStore(t *testing.T) (s *store.Store, a, b int64, now time.Time) {
	t.Helper()
	s = newStore(t)
	var err error
	if a, err = s.CreateInitiativeRef(t.Context(), "kontakt-a", "Kontakt A", "published"); err != nil {
		t.Fatal(err)
	}
	if b, err = s.CreateInitiativeRef(t.Context(), "kontakt-b", "Kontakt B", "draft"); err != nil {
		t.Fatal(err)
	}
	return s, a, b, time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
}

func TestContactAddUpdateConflict(t *testing.T) {
	t.Parallel()
	s, a, b, now := contactStore(t)
	ctx := t.Context()
	first, err := s.AddInitiativeContact(ctx, a, store.NewContact{Name: "Erste", Visibility: store.VisibilityEditors}, "Vorstand", now)
	if err != nil {
		t.Fatal(err)
	}
	second, err := s.AddInitiativeContact(ctx, a, store.NewContact{Name: "Zweite", Visibility: store.VisibilityEditors}, "", now)
	if err != nil {
		t.Fatal(err)
	}
	list, err := s.InitiativeContactList(ctx, a, []string{store.VisibilityEditors})
	if err != nil || len(list) != 2 || list[0].ID != first || list[1].Position != 1 || list[0].Role != "Vorstand" {
		t.Fatalf("list %+v (%v)", list, err)
	}
	if _, err := s.InitiativeContact(ctx, b, first); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("contact of A through B: %v, want ErrNotFound", err)
	}
	// Shared without consent: the database refuses.
	if _, err := s.UpdateContact(ctx, second, 1, store.NewContact{Name: "Zweite", Visibility: store.VisibilityPublic}, now); err == nil {
		t.Error("a public contact without consent was saved")
	}
	next, err := s.UpdateContact(ctx, second, 1, store.NewContact{Name: "Zweite Neu", Visibility: store.VisibilityEditors}, now)
	if err != nil || next != 2 {
		t.Fatalf("update: %d, %v", next, err)
	}
	if _, err := s.UpdateContact(ctx, second, 1, store.NewContact{Name: "Veraltet", Visibility: store.VisibilityEditors}, now); !errors.Is(err, store.ErrConflict) {
		t.Errorf("stale update: %v, want ErrConflict", err)
	}
	if c, _ := s.ContactByID(ctx, second); c == nil || c.Name != "Zweite Neu" {
		t.Errorf("after the conflict: %+v", c)
	}
}

func TestContactUnlinkDeletesTheLastLink(t *testing.T) {
	t.Parallel()
	s, a, b, now := contactStore(t)
	ctx := t.Context()
	id, err := s.AddInitiativeContact(ctx, a, store.NewContact{Name: "Beide", Visibility: store.VisibilityEditors}, "", now)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.LinkContact(ctx, b, id, "", 0); err != nil {
		t.Fatal(err)
	}
	if deleted, err := s.UnlinkContact(ctx, a, id); err != nil || deleted {
		t.Fatalf("first unlink: deleted %v, %v", deleted, err)
	}
	if _, err := s.UnlinkContact(ctx, a, id); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("unlinking twice: %v, want ErrNotFound", err)
	}
	if deleted, err := s.UnlinkContact(ctx, b, id); err != nil || !deleted {
		t.Fatalf("last unlink: deleted %v, %v", deleted, err)
	}
	if _, err := s.ContactByID(ctx, id); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("contact after the last unlink: %v", err)
	}
}

func TestContactEraseAnonymisesTheAudit(t *testing.T) {
	t.Parallel()
	s, a, b, now := contactStore(t)
	ctx := t.Context()
	id, err := s.AddInitiativeContact(ctx, a, store.NewContact{Name: "Geheim", Email: "geheim@beispiel.example", Visibility: store.VisibilityEditors}, "", now)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.LinkContact(ctx, b, id, "", 0); err != nil {
		t.Fatal(err)
	}
	// An entry written carelessly, with a value in it.
	err = s.Audit(ctx, store.AuditEntry{At: now, Actor: "test", Action: "contact.updated", ObjectType: "contact",
		ObjectID: strconv.FormatInt(id, 10), Details: map[string]any{"initiative": a, "fields": []string{"email"}, "email": "geheim@beispiel.example"}})
	if err != nil {
		t.Fatal(err)
	}
	links, err := s.EraseContact(ctx, id, []string{"initiative", "fields"})
	if err != nil || links != 2 {
		t.Fatalf("erase: %d links, %v", links, err)
	}
	entries, err := s.ContactAudit(ctx, id)
	if err != nil || len(entries) != 1 {
		t.Fatalf("audit %+v (%v)", entries, err)
	}
	if d := entries[0].Details; len(d) != 2 || d["email"] != nil || d["fields"] == nil {
		t.Errorf("details after the erasure: %v", d)
	}
	if l, err := s.ContactLinks(ctx, id); err != nil || len(l) != 0 {
		t.Errorf("links after the erasure: %v (%v)", l, err)
	}
	if _, err := s.EraseContact(ctx, id, nil); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("erasing twice: %v, want ErrNotFound", err)
	}
}

func TestContactListPages(t *testing.T) {
	t.Parallel()
	s, a, _, now := contactStore(t)
	ctx := t.Context()
	for _, n := range []string{"Ärger Ätzend", "Anna 100%", "Bert_Unterstrich", "Zora"} {
		if _, err := s.AddInitiativeContact(ctx, a, store.NewContact{Name: n, Visibility: store.VisibilityEditors}, "", now); err != nil {
			t.Fatal(err)
		}
	}
	items, total, err := s.ListContacts(ctx, store.ContactFilter{Limit: 2})
	if err != nil || total != 4 || len(items) != 2 || items[0].Name != "Anna 100%" || items[1].Name != "Ärger Ätzend" || items[0].Initiatives != 1 {
		t.Errorf("first page %+v, total %d (%v)", items, total, err)
	}
	if _, total, err := s.ListContacts(ctx, store.ContactFilter{Limit: 2, Offset: 10}); err != nil || total != 4 {
		t.Errorf("past the last page: total %d (%v)", total, err)
	}
	for q, want := range map[string]int{"%": 1, "_": 1, "ärger": 1, "zz": 0} {
		if _, total, err := s.ListContacts(ctx, store.ContactFilter{Query: q, Limit: 10}); err != nil || total != want {
			t.Errorf("query %q: %d (%v), want %d", q, total, err, want)
		}
	}
}
