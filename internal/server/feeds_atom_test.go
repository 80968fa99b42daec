package server

import (
	"bytes"
	"encoding/xml"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"rii/internal/event"
	"rii/internal/store"
)

// Strict structs of RFC 4287: decoding fails unless the elements are in the
// Atom namespace; every field a MUST of the RFC names is checked below.
type atomDoc struct {
	XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
	IDs     []string `xml:"http://www.w3.org/2005/Atom id"`
	Titles  []string `xml:"http://www.w3.org/2005/Atom title"`
	Updated []string `xml:"http://www.w3.org/2005/Atom updated"`
	Authors []struct {
		Name string `xml:"http://www.w3.org/2005/Atom name"`
	} `xml:"http://www.w3.org/2005/Atom author"`
	Links   []atomDocLink `xml:"http://www.w3.org/2005/Atom link"`
	Entries []struct {
		IDs       []string      `xml:"http://www.w3.org/2005/Atom id"`
		Titles    []string      `xml:"http://www.w3.org/2005/Atom title"`
		Updated   []string      `xml:"http://www.w3.org/2005/Atom updated"`
		Published []string      `xml:"http://www.w3.org/2005/Atom published"`
		Links     []atomDocLink `xml:"http://www.w3.org/2005/Atom link"`
		Summary   string        `xml:"http://www.w3.org/2005/Atom summary"`
		Content   []struct {
			Type string `xml:"type,attr"`
			Body string `xml:",chardata"`
		} `xml:"http://www.w3.org/2005/Atom content"`
	} `xml:"http://www.w3.org/2005/Atom entry"`
}

type atomDocLink struct {
	Rel  string `xml:"rel,attr"`
	Type string `xml:"type,attr"`
	Href string `xml:"href,attr"`
}

// parseAtom decodes a feed strictly and checks the MUSTs of RFC 4287.
func parseAtom(t *testing.T, data []byte) atomDoc {
	t.Helper()
	var f atomDoc
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.Strict = true
	if err := dec.Decode(&f); err != nil {
		t.Fatalf("feed does not parse as Atom: %v\n%s", err, data)
	}
	iri := func(what, s string) {
		u, err := url.Parse(s)
		if err != nil || u.Scheme == "" {
			t.Errorf("%s %q is not an absolute IRI", what, s)
		}
	}
	date := func(what, s string) {
		if _, err := time.Parse(time.RFC3339, s); err != nil {
			t.Errorf("%s %q is not an RFC 3339 date", what, s)
		}
	}
	one := func(what string, xs []string) string {
		if len(xs) != 1 || strings.TrimSpace(xs[0]) == "" {
			t.Errorf("%s: %d elements, the RFC wants exactly one", what, len(xs))
			return ""
		}
		return xs[0]
	}
	iri("feed id", one("feed id", f.IDs))
	one("feed title", f.Titles)
	date("feed updated", one("feed updated", f.Updated))
	if len(f.Authors) == 0 || f.Authors[0].Name == "" {
		t.Error("feed has no author (and so the entries have none)")
	}
	rels := map[string]int{}
	for _, l := range f.Links {
		rels[l.Rel]++
		iri("feed link", l.Href)
	}
	if rels["self"] != 1 || rels["alternate"] != 1 {
		t.Errorf("feed links %v, want one self and one alternate", rels)
	}
	for i, e := range f.Entries {
		iri("entry id", one("entry id", e.IDs))
		one("entry title", e.Titles)
		date("entry updated", one("entry updated", e.Updated))
		date("entry published", one("entry published", e.Published))
		alt := 0
		for _, l := range e.Links {
			if l.Rel == "alternate" || l.Rel == "" {
				alt++
				iri("entry link", l.Href)
			}
		}
		if alt != 1 {
			t.Errorf("entry %d has %d alternate links, want 1", i, alt)
		}
		if len(e.Content) != 1 || e.Content[0].Type != "html" {
			t.Errorf("entry %d content %+v, want one of type html", i, e.Content)
		}
	}
	return f
}

func TestReportFeedIsValidAtom(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.addEvent()
	draftEvent := w.addReportEvent("entwurf", event.StatusDraft)
	w.publishReport(draftEvent, "Bericht einer Entwurfsveranstaltung", "Text", nil)
	ev := w.addReportEvent("mit-bild", event.StatusPublished)
	w.clock.Advance(time.Hour)
	w.publishReport(ev, "Bericht mit Bild", referenceBody+"\n\n![Podium](/bilder/5)\n\n<script>alert(1)</script>", nil)
	other := w.addReportEvent("entwurfsbericht", event.StatusPublished)
	if _, err := w.st.CreateReport(t.Context(), other.ID, event.ReportDraft, store.ReportFields{Title: "Entwurf eines Berichts"},
		store.Actor{Label: "Test"}, w.clock.Now()); err != nil {
		t.Fatal(err)
	}

	c := w.client()
	res := c.Get("/berichte/feed.atom").WantStatus(http.StatusOK)
	if ct := res.Header.Get("Content-Type"); ct != "application/atom+xml; charset=utf-8" {
		t.Errorf("Content-Type = %q", ct)
	}
	first := parseAtom(t, res.Body)
	if len(first.Entries) != 2 || first.Entries[0].Titles[0] != "Regionale Initiativen stärken: Bericht mit Bild" {
		t.Fatalf("entries: %+v", first.Entries)
	}
	for _, e := range first.Entries {
		if strings.Contains(e.Titles[0], "Entwurf") {
			t.Errorf("draft in the feed: %s", e.Titles[0])
		}
	}
	content, err := goquery.NewDocumentFromReader(strings.NewReader(first.Entries[0].Content[0].Body))
	if err != nil {
		t.Fatal(err)
	}
	if content.Find("script").Length() != 0 || content.Find(`aside[data-testid="report-box-kurz"]`).Length() != 1 {
		t.Errorf("content: %s", first.Entries[0].Content[0].Body)
	}
	if src, _ := content.Find("img").Attr("src"); !strings.HasPrefix(src, "http") || !strings.HasSuffix(src, "/bilder/5") {
		t.Errorf("image src in the feed = %q, want absolute", src)
	}
	second := parseAtom(t, c.Get("/berichte/feed.atom").Body)
	for i := range first.Entries {
		if first.Entries[i].IDs[0] != second.Entries[i].IDs[0] {
			t.Errorf("entry id changed between requests: %s, %s", first.Entries[i].IDs[0], second.Entries[i].IDs[0])
		}
	}
	if first.IDs[0] != second.IDs[0] {
		t.Error("feed id changed between requests")
	}
}

// TestReportFeedGolden pins the feed of the fixture's report for the fixed
// test clock. RII_UPDATE_GOLDEN=1 rewrites the file.
func TestReportFeedGolden(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.addEvent()
	got := w.client().Get("/berichte/feed.atom").WantStatus(http.StatusOK).Body
	parseAtom(t, got)
	path := filepath.Join("testdata", "reports.atom")
	if os.Getenv("RII_UPDATE_GOLDEN") != "" {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("feed differs from %s:\n%s", path, got)
	}
}
