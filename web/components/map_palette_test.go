package components

import (
	"os"
	"regexp"
	"strconv"
	"testing"
)

// TestMapLevelsReadInBlackAndWhite: the map's shades (portal.css, on the
// design system's colours) grow darker level by level in clear steps of
// lightness, so their order reads without telling hues apart: for
// colour-blind readers and printed in black and white.
func TestMapLevelsReadInBlackAndWhite(t *testing.T) {
	t.Parallel()
	css, err := os.ReadFile("../static/css/portal.css")
	if err != nil {
		t.Fatal(err)
	}
	kern, err := os.ReadFile("../static/vendor/kern/kern.min.css")
	if err != nil {
		t.Fatal(err)
	}
	prev := 101.0
	for level := range 6 {
		m := regexp.MustCompile(`\.map-level-` + strconv.Itoa(level) + ` \{ fill: var\((--[a-z0-9-]+),`).FindSubmatch(css)
		if m == nil {
			t.Fatalf("map-level-%d has no design-system colour", level)
		}
		v := regexp.MustCompile(regexp.QuoteMeta(string(m[1])) + `: oklch\(([0-9.]+)% [0-9.]+ ([0-9.]+)\)`).FindSubmatch(kern)
		if v == nil {
			t.Fatalf("%s is not defined in kern.min.css", m[1])
		}
		lightness, _ := strconv.ParseFloat(string(v[1]), 64)
		if prev-lightness < 4 {
			t.Errorf("map-level-%d (%s): lightness %.1f %% after %.1f %%: too close to tell apart in grey", level, m[1], lightness, prev)
		}
		prev = lightness
	}
}
