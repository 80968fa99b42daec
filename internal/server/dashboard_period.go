package server

import (
	"net/url"
	"strconv"
	"time"

	"rii/internal/store"
)

// Kinds of period the dashboard reports on (?zeitraum=).
const (
	periodYear    = "jahr"
	periodQuarter = "quartal"
	periodRange   = "frei"
	periodAll     = "gesamt"
)

// firstYear is the year the Service-Stelle began (2021): the first year
// offered.
const firstYear = 2021

// dashPeriod is the period a dashboard page reports on, and the one before
// it of the same length for comparison.
type dashPeriod struct {
	Kind          string
	Year, Quarter int
	From, To      string // the free range's days as typed (ISO), for the form
	Cur, Prev     store.Period
	Label         string // "2026", "3. Quartal 2026", "1. März bis 31. Mai 2026", "seit Beginn"
	PrevLabel     string // "" when there is nothing before (gesamt)
	// Error explains input that could not be used; the default is shown.
	Error string
}

// parsePeriod reads ?zeitraum=jahr|quartal|frei|gesamt with jahr, quartal,
// von and bis (ISO days, bis included) in Europe/Berlin. Missing or bad
// input gives def (jahr: the current year) with a German message for the
// bad part.
func parsePeriod(q url.Values, now time.Time, def string) dashPeriod {
	now = now.In(berlin)
	p := dashPeriod{Kind: q.Get("zeitraum"), Year: now.Year(), Quarter: (int(now.Month())-1)/3 + 1}
	if p.Kind == "" {
		p.Kind = def
	}
	if y := q.Get("jahr"); y != "" {
		n, err := strconv.Atoi(y)
		if err != nil || n < firstYear || n > now.Year()+1 {
			return fallback(now, def, "Bitte wählen Sie ein Jahr zwischen "+strconv.Itoa(firstYear)+" und "+strconv.Itoa(now.Year()+1)+".")
		}
		p.Year = n
	}
	switch p.Kind {
	case periodYear:
		p.Cur = store.Period{From: day(p.Year, 1, 1), To: day(p.Year+1, 1, 1)}
		p.Prev = store.Period{From: day(p.Year-1, 1, 1), To: p.Cur.From}
		p.Label, p.PrevLabel = strconv.Itoa(p.Year), strconv.Itoa(p.Year-1)
	case periodQuarter:
		if s := q.Get("quartal"); s != "" {
			n, err := strconv.Atoi(s)
			if err != nil || n < 1 || n > 4 {
				return fallback(now, def, "Bitte wählen Sie ein Quartal von 1 bis 4.")
			}
			p.Quarter = n
		}
		start := day(p.Year, time.Month(3*p.Quarter-2), 1)
		p.Cur = store.Period{From: start, To: start.AddDate(0, 3, 0)}
		p.Prev = store.Period{From: start.AddDate(0, -3, 0), To: start}
		p.Label = quarterLabel(start)
		p.PrevLabel = quarterLabel(p.Prev.From)
	case periodRange:
		p.From, p.To = q.Get("von"), q.Get("bis")
		from, err1 := time.ParseInLocation(time.DateOnly, p.From, berlin)
		to, err2 := time.ParseInLocation(time.DateOnly, p.To, berlin)
		switch {
		case err1 != nil || err2 != nil:
			return fallback(now, def, "Bitte geben Sie Anfang und Ende des Zeitraums als Datum an (TT.MM.JJJJ).")
		case to.Before(from):
			return fallback(now, def, "Das Ende des Zeitraums liegt vor seinem Anfang.")
		case from.Year() < 2000 || to.Year() >= 2100:
			return fallback(now, def, "Bitte wählen Sie einen Zeitraum zwischen 2000 und 2099.")
		}
		end := to.AddDate(0, 0, 1)
		days := int(end.Sub(from).Hours()/24 + 0.5)
		p.Cur = store.Period{From: from, To: end}
		p.Prev = store.Period{From: from.AddDate(0, 0, -days), To: from}
		p.Label = germanDay(from) + " bis " + germanDay(to)
		p.PrevLabel = germanDay(p.Prev.From) + " bis " + germanDay(from.AddDate(0, 0, -1))
	case periodAll:
		p.Cur, p.Label = store.AllTime, "seit Beginn"
	default:
		return fallback(now, def, "Diesen Zeitraum gibt es nicht. Gezeigt wird der Standard.")
	}
	return p
}

// fallback is the default period with the message why it is shown.
func fallback(now time.Time, def, msg string) dashPeriod {
	p := parsePeriod(url.Values{}, now, def)
	p.Error = msg
	return p
}

// day is midnight of a day in Berlin.
func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, berlin) }

// quarterLabel is "3. Quartal 2026".
func quarterLabel(t time.Time) string {
	t = t.In(berlin)
	return strconv.Itoa((int(t.Month())-1)/3+1) + ". Quartal " + strconv.Itoa(t.Year())
}

// shortQuarter is "Q3 2026", for chart labels.
func shortQuarter(t time.Time) string {
	return "Q" + strconv.Itoa((int(t.Month())-1)/3+1) + " " + strconv.Itoa(t.Year())
}

// query is the period as URL parameters, to carry it into links.
func (p dashPeriod) query() url.Values {
	q := url.Values{"zeitraum": {p.Kind}}
	switch p.Kind {
	case periodYear:
		q.Set("jahr", strconv.Itoa(p.Year))
	case periodQuarter:
		q.Set("jahr", strconv.Itoa(p.Year))
		q.Set("quartal", strconv.Itoa(p.Quarter))
	case periodRange:
		q.Set("von", p.From)
		q.Set("bis", p.To)
	}
	return q
}

// href is path with the period's parameters.
func (p dashPeriod) href(path string) string { return path + "?" + p.query().Encode() }
