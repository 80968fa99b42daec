package server

import (
	"strconv"
	"time"

	"rii/internal/account"
	"rii/internal/initiative"
	"rii/internal/store"
	"rii/web/components"
	"rii/web/pages"
)

// figure is one key figure: its id (CSV and tests), label and how to read
// it from PeriodFigures.
type figure struct {
	id, label string
	get       func(store.PeriodFigures) int
}

// keyFigures are the period's figures in display order.
var keyFigures = []figure{
	{"neue-initiativen", "Neue Initiativen (erstmals veröffentlicht)", func(f store.PeriodFigures) int { return f.NewInitiatives }},
	{"archivierte-initiativen", "Archivierte Initiativen", func(f store.PeriodFigures) int { return f.Archived }},
	{"veranstaltungen-durchgefuehrt", "Veranstaltungen durchgeführt", func(f store.PeriodFigures) int { return f.EventsHeld }},
	{"veranstaltungen-geplant", "Veranstaltungen geplant", func(f store.PeriodFigures) int { return f.EventsPlanned }},
	{"veranstaltungen-abgesagt", "Veranstaltungen abgesagt", func(f store.PeriodFigures) int { return f.EventsCancelled }},
	{"teilnehmende", "Teilnehmende (gemeldete Zahlen der Veranstaltungen)", func(f store.PeriodFigures) int { return f.Participants }},
	{"workshops", "Workshops", func(f store.PeriodFigures) int { return f.Workshops }},
	{"workshops-mit-ergebnissen", "Workshops mit Ergebnissen", func(f store.PeriodFigures) int { return f.WithResults }},
}

// figureRows lists the key figures of cur, with prev and the change when
// compare is set.
func figureRows(cur, prev store.PeriodFigures, compare bool) []pages.FigureRow {
	rows := make([]pages.FigureRow, 0, len(keyFigures))
	for _, f := range keyFigures {
		a, b := f.get(cur), f.get(prev)
		row := pages.FigureRow{ID: f.id, Label: f.label, Value: thousands(a), ValueN: a, PrevN: b}
		if compare {
			row.HasPrevious, row.Previous, row.Change = true, thousands(b), signed(a-b)
		}
		rows = append(rows, row)
	}
	return rows
}

// signed writes a change with its sign: "+3", "−2" (a real minus), "±0".
func signed(n int) string {
	switch {
	case n > 0:
		return "+" + thousands(n)
	case n < 0:
		return "−" + thousands(-n)
	}
	return "±0"
}

// statusRows lists the initiatives by status today, in the life-cycle
// order.
func statusRows(counts map[string]int) []pages.FigureRow {
	var rows []pages.FigureRow
	for _, st := range []string{initiative.StatusDraft, initiative.StatusSubmitted, initiative.StatusPublished, initiative.StatusArchived} {
		rows = append(rows, pages.FigureRow{ID: "status-" + st, Label: initiative.StatusLabel(st), Value: thousands(counts[st]), ValueN: counts[st]})
	}
	return rows
}

// trendCharts draws the quarterly trends: new initiatives, all initiatives
// by the quarter's end, events held and their participants.
func trendCharts(trends []store.QuarterTrend) []components.Chart {
	labels := make([]string, len(trends))
	series := make([][]int, 4)
	for i, t := range trends {
		labels[i] = shortQuarter(t.Quarter)
		series[0] = append(series[0], t.NewInitiatives)
		series[1] = append(series[1], t.Initiatives)
		series[2] = append(series[2], t.EventsHeld)
		series[3] = append(series[3], t.Participants)
	}
	return []components.Chart{
		components.NewColumnChart("trend-neue-initiativen", "Neue Initiativen je Quartal", "Quartal", "Neue Initiativen", labels, series[0]),
		components.NewColumnChart("trend-initiativen", "Initiativen insgesamt am Ende des Quartals", "Quartal", "Initiativen", labels, series[1]),
		components.NewColumnChart("trend-veranstaltungen", "Durchgeführte Veranstaltungen je Quartal", "Quartal", "Veranstaltungen", labels, series[2]),
		components.NewColumnChart("trend-teilnehmende", "Teilnehmende je Quartal", "Quartal", "Teilnehmende", labels, series[3]),
	}
}

// workKinds describe the kinds of waiting work, in display order.
var workKinds = []struct{ kind, id, title, empty string }{
	{store.WorkSubmitted, "eingereicht", "Vorschläge warten auf Prüfung", "Kein Vorschlag wartet."},
	{store.WorkReturned, "zurueckgegeben", "Profile bei den Mitgliedern zur Überarbeitung", "Kein Profil ist zurückgegeben."},
	{store.WorkNoReport, "ohne-bericht", "Vergangene Veranstaltungen ohne veröffentlichten Bericht", "Zu jeder vergangenen Veranstaltung gibt es einen Bericht."},
	{store.WorkClosingSoon, "anmeldeschluss", "Anmeldeschluss in den nächsten " + strconv.Itoa(closingSoonDays) + " Tagen", "Keine Anmeldung schließt demnächst."},
}

// workGroups groups the waiting items by kind, each with how long it
// waits (or when registration closes).
func workGroups(items []store.WorkItem, now time.Time, role account.Role) []pages.WorkGroup {
	var groups []pages.WorkGroup
	for _, k := range workKinds {
		g := pages.WorkGroup{ID: k.id, Title: k.title, Empty: k.empty}
		for _, it := range items {
			if it.Kind != k.kind {
				continue
			}
			g.Total = it.Total
			kind := "initiative"
			if it.Kind == store.WorkNoReport || it.Kind == store.WorkClosingSoon {
				kind = "event"
			}
			note := "wartet seit " + waitingDays(now.Sub(it.At))
			switch it.Kind {
			case store.WorkNoReport:
				note = "zu Ende seit " + waitingDays(now.Sub(it.At))
			case store.WorkClosingSoon:
				note = "Anmeldeschluss " + formatTime(it.At)
			}
			g.Items = append(g.Items, pages.WorkItem{Name: it.Name, Href: objectHref(kind, it.ID, it.Slug, it.Status, role), Note: note})
		}
		if g.Total > len(g.Items) && (k.kind == store.WorkSubmitted || k.kind == store.WorkReturned) {
			status := map[string]string{store.WorkSubmitted: "submitted", store.WorkReturned: "draft"}[k.kind]
			g.More = pages.DashLink{Label: "Alle " + thousands(g.Total) + " in der Liste der Initiativen", Href: "/verwaltung/initiativen?status=" + status}
		}
		groups = append(groups, g)
	}
	return groups
}

// waitingDays is "heute", "1 Tag", "12 Tagen" (dative after "seit").
func waitingDays(d time.Duration) string {
	days := int(d.Hours() / 24)
	switch {
	case days <= 0:
		return "heute"
	case days == 1:
		return "1 Tag"
	}
	return thousands(days) + " Tagen"
}
