package pages

import "rii/web/layout"

// StatusView is the admins' operations overview: what runs, the database,
// the outbox and the background jobs.
type StatusView struct {
	layout.Frame
	// Sections are groups of facts: Programm, Datenbank, Postausgang, …
	Sections []StatusSection
	Jobs     []StatusJob
	// Generated is when the figures were read.
	Generated string
}

// StatusSection is one group of facts under its heading; ID anchors it.
type StatusSection struct {
	ID, Heading string
	Facts       []StatusFact
}

// StatusFact is one term and its value; Warn marks a value that needs care.
type StatusFact struct {
	Term, Value string
	Warn        bool
}

// StatusJob is one background job's last runs, display-ready.
type StatusJob struct {
	Name, Every, LastStart, LastOK, Runs, Failures, LastError string
	Failing                                                   bool
}
