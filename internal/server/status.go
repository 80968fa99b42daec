package server

import (
	"fmt"
	"net/http"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"rii/internal/pagecache"
	"rii/internal/store"
	"rii/web/pages"
)

// outboxStuckAfter is when a waiting e-mail counts as stuck on the status page.
const outboxStuckAfter = 15 * time.Minute

// showStatus is the admins' operations overview: version, migrations,
// database size, outbox, page cache and background jobs.
func (s *Server) showStatus(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	applied, err := s.store.AppliedMigrations(ctx)
	if err != nil {
		return err
	}
	size, err := s.store.DatabaseSize(ctx)
	if err != nil {
		return err
	}
	ob, err := s.store.OutboxStats(ctx)
	if err != nil {
		return err
	}
	runs, err := s.store.JobRuns(ctx)
	if err != nil {
		return err
	}
	now := s.now()
	st := s.pool.Stat()
	v := pages.StatusView{Frame: s.frame(r, "Betriebsstatus"), Generated: formatTime(now)}
	v.Sections = append(v.Sections,
		pages.StatusSection{ID: "programm", Heading: "Programm", Facts: buildFacts()},
		pages.StatusSection{ID: "datenbank", Heading: "Datenbank", Facts: append(migrationFacts(applied, s.wantSchema),
			pages.StatusFact{Term: "Größe", Value: formatBytes(size)},
			pages.StatusFact{Term: "Verbindungen dieser Instanz", Value: fmt.Sprintf("%d in Gebrauch, %d frei, höchstens %d",
				st.AcquiredConns(), st.IdleConns(), st.MaxConns())})},
		pages.StatusSection{ID: "postausgang", Heading: "Postausgang", Facts: outboxFacts(ob, now)},
		pages.StatusSection{ID: "seitenspeicher", Heading: "Seitenspeicher dieser Instanz", Facts: cacheFacts(s.CacheStats(), s.cfg.CacheBytes)},
	)
	v.Jobs = s.jobRows(runs)
	return s.render(w, r, pages.Status(v))
}

// buildFacts describes the running binary from its build information.
func buildFacts() []pages.StatusFact {
	facts := []pages.StatusFact{{Term: "Go-Version", Value: runtime.Version()}}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return facts
	}
	rev, at, dirty := "unbekannt (ohne Versionskontrolle gebaut)", "", false
	for _, kv := range bi.Settings {
		switch kv.Key {
		case "vcs.revision":
			rev = kv.Value
		case "vcs.time":
			at = kv.Value
		case "vcs.modified":
			dirty = kv.Value == "true"
		}
	}
	if dirty {
		rev += " (mit nicht eingecheckten Änderungen)"
	}
	facts = append(facts, pages.StatusFact{Term: "Version", Value: bi.Main.Version},
		pages.StatusFact{Term: "Revision", Value: rev})
	if t, err := time.Parse(time.RFC3339, at); err == nil {
		facts = append(facts, pages.StatusFact{Term: "Stand der Revision", Value: formatTime(t)})
	}
	return facts
}

// migrationFacts compares the applied migrations with the binary's newest.
func migrationFacts(applied []int64, want int64) []pages.StatusFact {
	newest := int64(0)
	if len(applied) > 0 {
		newest = applied[len(applied)-1]
	}
	f := pages.StatusFact{Term: "Migrationen", Value: fmt.Sprintf("%d angewandt, neueste %05d; dieses Programm bringt bis %05d mit",
		len(applied), newest, want)}
	switch {
	case newest < want:
		f.Value += " – ausstehende Migrationen werden beim nächsten Start angewandt"
		f.Warn = true
	case newest > want:
		f.Value += " – die Datenbank ist neuer als dieses Programm"
		f.Warn = true
	}
	return []pages.StatusFact{f}
}

// outboxFacts summarises the outbox; an old waiting e-mail is flagged.
func outboxFacts(ob store.OutboxStats, now time.Time) []pages.StatusFact {
	oldest := pages.StatusFact{Term: "Älteste wartende E-Mail", Value: "keine"}
	if ob.OldestQueued != nil {
		age := max(0, now.Sub(*ob.OldestQueued))
		oldest.Value = formatTime(*ob.OldestQueued) + " (seit " + formatAge(age) + ")"
		oldest.Warn = age > outboxStuckAfter
	}
	return []pages.StatusFact{
		{Term: "Wartend", Value: strconv.FormatInt(ob.Queued, 10) + ", davon nach Fehlversuch " + strconv.FormatInt(ob.Retrying, 10)},
		{Term: "Aufgegeben (30 Tage)", Value: strconv.FormatInt(ob.Failed, 10), Warn: ob.Failed > 0},
		{Term: "Gesendet (30 Tage)", Value: strconv.FormatInt(ob.Sent, 10)},
		oldest,
	}
}

// cacheFacts summarises the page cache of anonymous responses; capBytes is
// its memory cap, 0 when it is off.
func cacheFacts(st pagecache.Stats, capBytes int64) []pages.StatusFact {
	if capBytes <= 0 {
		return []pages.StatusFact{{Term: "Zustand", Value: "ausgeschaltet (RII_CACHE_BYTES ist 0)"}}
	}
	answered := st.Hits + st.Misses
	rate := "noch keine Anfragen"
	if answered > 0 {
		rate = strconv.FormatInt(st.Hits*100/answered, 10) + " % von " + strconv.FormatInt(answered, 10) + " Anfragen aus dem Speicher"
	}
	version := pages.StatusFact{Term: "Inhaltsstand", Value: strconv.FormatInt(st.Version, 10)}
	if st.Version == 0 {
		version.Value, version.Warn = "unbekannt – bis er wieder gelesen ist, wird jede Seite neu erzeugt", true
	}
	return []pages.StatusFact{
		{Term: "Zustand", Value: "eingeschaltet, höchstens " + formatBytes(capBytes)},
		{Term: "Belegt", Value: countNoun(st.Entries, "Seite", "Seiten") + ", " + formatBytes(st.Bytes)},
		{Term: "Treffer", Value: strconv.FormatInt(st.Hits, 10) + " (" + rate + ")"},
		{Term: "Neu erzeugt", Value: strconv.FormatInt(st.Misses, 10)},
		{Term: "Letzte gute Kopie bei Datenbankausfall ausgeliefert", Value: strconv.FormatInt(st.StaleServes, 10)},
		{Term: "Wegen der Obergrenze verdrängt", Value: strconv.FormatInt(st.Evictions, 10)},
		version,
	}
}

// countNoun writes n with the singular or plural noun: "1 Seite", "3 Seiten".
func countNoun(n int64, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.FormatInt(n, 10) + " " + many
}

// jobRows lists every job of the table with its last runs.
func (s *Server) jobRows(runs []store.JobRun) []pages.StatusJob {
	byName := map[string]store.JobRun{}
	for _, r := range runs {
		byName[r.Name] = r
	}
	var rows []pages.StatusJob
	for _, j := range s.jobs() {
		row := pages.StatusJob{Name: j.name, Every: "alle " + formatAge(j.every), LastStart: "noch nie", LastOK: "noch nie", Runs: "0", Failures: "0"}
		if r, ok := byName[j.name]; ok {
			row.LastStart = formatTime(r.LastStartedAt)
			if r.LastOKAt != nil {
				row.LastOK = formatTime(*r.LastOKAt)
			}
			row.Runs, row.Failures = strconv.FormatInt(r.Runs, 10), strconv.FormatInt(r.Failures, 10)
			row.LastError, row.Failing = clip(r.LastError, 200), r.LastError != ""
		}
		rows = append(rows, row)
	}
	return rows
}

// formatAge writes a duration for people: "3 Minuten", "2 Stunden", "5 Tage".
func formatAge(d time.Duration) string {
	switch {
	case d < 2*time.Minute:
		return strconv.Itoa(int(d.Seconds())) + " Sekunden"
	case d < 2*time.Hour:
		return strconv.Itoa(int(d.Minutes())) + " Minuten"
	case d < 48*time.Hour:
		return strconv.Itoa(int(d.Hours())) + " Stunden"
	}
	return strconv.Itoa(int(d.Hours()/24)) + " Tage"
}

// formatBytes writes a size in German notation: "12,3 MB".
func formatBytes(n int64) string {
	const mb = 1000 * 1000
	if n < mb {
		return strconv.FormatInt(n/1000, 10) + " kB"
	}
	return strings.Replace(strconv.FormatFloat(float64(n)/mb, 'f', 1, 64), ".", ",", 1) + " MB"
}
