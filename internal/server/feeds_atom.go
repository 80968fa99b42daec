package server

import (
	"bytes"
	"encoding/xml"
	"net/http"
	"strings"
	"time"

	"rii/internal/report"
	"rii/internal/store"
	"rii/web/paths"
)

// feedEntries is how many reports the Atom feed carries.
const feedEntries = 50

// atomFeed is an Atom feed (RFC 4287) as encoding/xml writes it.
type atomFeed struct {
	XMLName  xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	ID       string      `xml:"id"`
	Title    string      `xml:"title"`
	Subtitle string      `xml:"subtitle,omitempty"`
	Updated  string      `xml:"updated"`
	Author   atomPerson  `xml:"author"`
	Links    []atomLink  `xml:"link"`
	Entries  []atomEntry `xml:"entry"`
}

type atomPerson struct {
	Name string `xml:"name"`
	URI  string `xml:"uri,omitempty"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr"`
	Type string `xml:"type,attr,omitempty"`
	Href string `xml:"href,attr"`
}

type atomEntry struct {
	ID        string     `xml:"id"`
	Title     string     `xml:"title"`
	Updated   string     `xml:"updated"`
	Published string     `xml:"published"`
	Links     []atomLink `xml:"link"`
	Summary   *atomText  `xml:"summary,omitempty"`
	Content   atomText   `xml:"content"`
}

type atomText struct {
	Type string `xml:"type,attr"`
	Body string `xml:",chardata"`
}

// feedEpoch dates an empty feed: the Service-Stelle's start.
var feedEpoch = time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC)

// showReportFeed is /berichte/feed.atom: the newest published reports.
// Ids are tag URIs of the report ids, so they survive a changed slug.
func (s *Server) showReportFeed(w http.ResponseWriter, r *http.Request) error {
	items, _, err := s.store.PublishedReports(r.Context(), feedEntries, 0, true)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(s.reportAtom(items)); err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "application/atom+xml; charset=utf-8")
	h.Set("Cache-Control", "public, max-age=300")
	_, err = w.Write(buf.Bytes())
	return err
}

// reportAtom builds the feed of the reports.
func (s *Server) reportAtom(items []store.ReportListItem) atomFeed {
	host := s.cfg.BaseURL.Hostname()
	base := strings.TrimSuffix(s.cfg.BaseURL.String(), "/")
	updated := feedEpoch
	f := atomFeed{ID: "tag:" + host + ",2021:berichte", Title: "Berichte – RII-Portal",
		Subtitle: "Berichte aus den Veranstaltungen der Service- und Beratungsstelle für regionale Industrieinitiativen",
		Author:   atomPerson{Name: "Service- und Beratungsstelle für regionale Industrieinitiativen", URI: base + "/"},
		Links: []atomLink{{Rel: "self", Type: "application/atom+xml", Href: s.link("/berichte/feed.atom")},
			{Rel: "alternate", Type: "text/html", Href: s.link("/berichte")}}}
	for _, it := range items {
		if it.UpdatedAt.After(updated) {
			updated = it.UpdatedAt
		}
		title := it.Title
		if it.Kicker != "" {
			title = it.Kicker + ": " + it.Title
		}
		e := atomEntry{ID: "tag:" + host + ",2021:bericht-" + itoa(it.ID), Title: title,
			Updated: atomTime(it.UpdatedAt), Published: atomTime(it.PublishedAt),
			Links:   []atomLink{{Rel: "alternate", Type: "text/html", Href: s.link(paths.Report(it.EventSlug))}},
			Content: atomText{Type: "html", Body: absoluteLinks(string(report.Render(it.Body)), base)}}
		if it.Subtitle != "" {
			e.Summary = &atomText{Type: "text", Body: it.Subtitle}
		}
		f.Entries = append(f.Entries, e)
	}
	f.Updated = atomTime(updated)
	return f
}

// atomTime writes an instant as RFC 3339 in UTC.
func atomTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// absoluteLinks makes the portal's own paths in sanitised HTML absolute,
// since a feed reader does not know where the text came from. The
// sanitiser writes every attribute in double quotes.
func absoluteLinks(html, base string) string {
	return strings.NewReplacer(`href="/`, `href="`+base+`/`, `src="/`, `src="`+base+`/`).Replace(html)
}
