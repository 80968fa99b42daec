package server

import "testing"

// TestJoinNonEmptyNamesEachPartOnce: empty parts and parts repeated but for
// case are left out ("Digital, digital").
func TestJoinNonEmptyNamesEachPartOnce(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		parts []string
		want  string
	}{
		{[]string{"Industriedialog", "Digital", "digital"}, "Industriedialog, Digital"},
		{[]string{"Hybrid", "", " ", "Berlin"}, "Hybrid, Berlin"},
		{[]string{"Referentin", "Testministerium"}, "Referentin, Testministerium"},
		{nil, ""},
	} {
		if got := joinNonEmpty(", ", c.parts...); got != c.want {
			t.Errorf("joinNonEmpty(%q) = %q, want %q", c.parts, got, c.want)
		}
	}
}
