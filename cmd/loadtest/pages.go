package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/url"

	"github.com/jackc/pgx/v5/pgxpool"

	"rii/internal/demo"
	"rii/web/paths"
)

// page is one row of the table: the URL of its hot cell and the URLs its
// cold cell cycles through (none: the page has no variants).
type page struct {
	name  string
	hot   string
	cold  []string
	conns int // 0: the -connections flag
}

// maxCold bounds the distinct URLs of a cold cell: more than a cell of a
// few seconds requests, so none repeats.
const maxCold = 20000

// words are what the cold cells search for: words of the synthetic
// initiatives and events, places, rarer words and typos.
var words = []string{"industrie", "chemie", "metall", "kunststoff", "automobil", "wasserstoff", "papier", "glas",
	"stahl", "logistik", "pharma", "elektro", "energie", "netzwerk", "bündnis", "zukunft", "forum", "cluster",
	"fachkräfte", "digitalisierung", "strukturwandel", "innovation", "ausbildung", "akzeptanz", "region", "werkstatt",
	"wandel", "allianz", "initiative", "dialog", "schüler", "hochschule", "produktion", "klimaneutral", "betriebe",
	"standort", "köln", "essen", "dortmund", "leipzig", "chemnitz", "hamburg", "münchen", "stuttgart", "bremen",
	"kassel", "rhein", "wirtschaftsforum", "kompetenznetz", "lebensmittel", "industire", "chemi", "wasserstof",
	"logistk", "netzwek", "hochrein", "digitalsierung", "fachkraft", "maschinenbau", "werkhallen"}

// sortOrders are the directory's sortierung values ("" is the default).
var sortOrders = []string{"", "relevanz", "name", "neu", "aktualisiert"}

// publicPages lists the rows: every public page family, the directory
// twice more (its worst single-word search, and at 64 connections).
func publicPages(ctx context.Context, pool *pgxpool.Pool, n int) ([]page, error) {
	var profiles, events []string
	err := pool.QueryRow(ctx, `SELECT ARRAY(SELECT slug FROM initiatives WHERE status = 'published' ORDER BY id),
		ARRAY(SELECT slug FROM events WHERE status <> 'draft' ORDER BY id)`).Scan(&profiles, &events)
	if err != nil {
		return nil, err
	}
	if len(profiles) == 0 {
		return nil, fmt.Errorf("no published initiative")
	}
	rng := rand.New(rand.NewPCG(uint64(n), 7))
	directory := coldDirectory(rng, true)
	return []page{
		{name: "/", hot: "/"},
		{name: "/initiativen", hot: "/initiativen", cold: directory},
		{name: "/initiativen?q=industrie&land=05", hot: "/initiativen?q=industrie&land=05", cold: coldDirectory(rng, false)},
		{name: "/initiativen, 64 connections", hot: "/initiativen", cold: directory, conns: 64},
		{name: "/suche?q=industrie", hot: "/suche?q=industrie", cold: coldSearch(rng)},
		{name: "profile page", hot: paths.Initiative(profiles[len(profiles)/2]), cold: prefixed("/initiativen/", profiles)},
		{name: "event page (kick-off)", hot: paths.Event(demo.KickOffSlug), cold: prefixed("/veranstaltungen/", events)},
		{name: "/veranstaltungen", hot: "/veranstaltungen"},
		{name: "/berichte", hot: "/berichte"},
		{name: "report page (kick-off)", hot: paths.Report(demo.KickOffSlug)},
		{name: "iCalendar feed", hot: "/veranstaltungen/kalender.ics"},
		{name: "Atom feed", hot: "/berichte/feed.atom"},
	}, nil
}

// coldDirectory varies the directory's query: two words (or, for the
// worst case, the single word "industrie"), a Land or none, the page and
// the sort.
func coldDirectory(rng *rand.Rand, twoWords bool) []string {
	seen := map[string]bool{}
	var out []string
	for tries := 0; len(out) < maxCold && tries < 4*maxCold; tries++ {
		v := url.Values{}
		v.Set("q", "industrie")
		if twoWords {
			v.Set("q", words[rng.IntN(len(words))]+" "+words[rng.IntN(len(words))])
		}
		if land := rng.IntN(17); land > 0 {
			v.Set("land", fmt.Sprintf("%02d", land))
		} else if !twoWords {
			continue
		}
		if p := 1 + rng.IntN(3); p > 1 {
			v.Set("seite", fmt.Sprint(p))
		}
		if s := sortOrders[rng.IntN(len(sortOrders))]; s != "" {
			v.Set("sortierung", s)
		}
		u := "/initiativen?" + v.Encode()
		if !seen[u] {
			seen[u] = true
			out = append(out, u)
		}
	}
	return out
}

// coldSearch varies the search across everything: two words, and the
// overview or one group's page 1 to 3.
func coldSearch(rng *rand.Rand) []string {
	groups := []string{"initiativen", "veranstaltungen", "workshops", "berichte"}
	var out []string
	for _, a := range words {
		for _, b := range words {
			if a == b {
				continue
			}
			out = append(out, "/suche?"+url.Values{"q": {a + " " + b}}.Encode())
			for p := 1; p <= 3; p++ {
				v := url.Values{"q": {a + " " + b}, "art": {groups[rng.IntN(len(groups))]}}
				if p > 1 {
					v.Set("seite", fmt.Sprint(p))
				}
				out = append(out, "/suche?"+v.Encode())
			}
		}
	}
	rng.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out[:min(len(out), maxCold)]
}

// prefixed turns slugs into paths, shuffled the same way every run.
func prefixed(prefix string, slugs []string) []string {
	out := make([]string, 0, min(len(slugs), maxCold))
	for _, s := range slugs[:min(len(slugs), maxCold)] {
		out = append(out, prefix+url.PathEscape(s))
	}
	rand.New(rand.NewPCG(1, 2)).Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}
