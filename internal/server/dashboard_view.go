package server

import (
	"math"
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
	{"anmeldungen", "Anmeldungen (zu Veranstaltungen, die im Zeitraum beginnen)", func(f store.PeriodFigures) int { return f.Registrations }},
	{"bestaetigt", "Bestätigte Anmeldungen", func(f store.PeriodFigures) int { return f.Confirmed }},
	{"teilgenommen", "Teilgenommen (beim Einlass erfasst)", func(f store.PeriodFigures) int { return f.Attended }},
}

// rateFigure is the attendance rate, the one key figure that is no count:
// attended / confirmed.
var rateFigure = struct{ id, label string }{"teilnahmequote", "Teilnahmequote (teilgenommen je bestätigte Anmeldung)"}

// attendanceRate is attended / confirmed as a fraction; ok is false when
// nothing was confirmed (no rate then, not 0 %).
func attendanceRate(f store.PeriodFigures) (rate float64, ok bool) {
	if f.Confirmed == 0 {
		return 0, false
	}
	return float64(f.Attended) / float64(f.Confirmed), true
}

// germanPercent writes a fraction as a German percentage with one
// decimal, "66,7 %" (no-break space), or "–" when there is none.
func germanPercent(rate float64, ok bool) string {
	if !ok {
		return "–"
	}
	return decimal(rate*100) + "\u00a0%"
}

// rateChange is the change of a rate in percentage points, "+8,3
// Prozentpunkte", or "–" when either period has no rate.
func rateChange(cur, prev float64, okCur, okPrev bool) string {
	if !okCur || !okPrev {
		return "–"
	}
	d := math.Round((cur-prev)*1000) / 10
	switch {
	case d > 0:
		return "+" + decimal(d) + " Prozentpunkte"
	case d < 0:
		return "−" + decimal(-d) + " Prozentpunkte"
	}
	return "±0 Prozentpunkte"
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
	a, okA := attendanceRate(cur)
	b, okB := attendanceRate(prev)
	row := pages.FigureRow{ID: rateFigure.id, Label: rateFigure.label, Value: germanPercent(a, okA), IsRate: true}
	if compare {
		row.HasPrevious, row.Previous, row.Change = true, germanPercent(b, okB), rateChange(a, b, okA, okB)
	}
	return append(rows, row)
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
