package store_test

import "testing"

// TestAllVocabulariesHoldTheStates checks that the Länder come with the
// vocabularies, in code order as States lists them.
func TestAllVocabulariesHoldTheStates(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	v, err := s.AllVocabularies(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	states, err := s.States(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if len(v.States) != len(states) || len(states) != 16 {
		t.Fatalf("%d Länder with the vocabularies, %d listed, want 16", len(v.States), len(states))
	}
	for i, st := range states {
		if v.States[i].Slug != st.Code || v.States[i].Name != st.Name {
			t.Errorf("Land %d: %+v, want %+v", i, v.States[i], st)
		}
	}
	if len(v.Topics) == 0 {
		t.Error("no topics next to the Länder")
	}
}
