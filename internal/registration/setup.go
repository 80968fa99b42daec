package registration

import (
	"strconv"
	"strings"

	"rii/internal/input"
)

// Errors maps a form field to its German message.
type Errors map[string]string

func (e Errors) add(field, msg string) {
	if _, ok := e[field]; !ok {
		e[field] = msg
	}
}

// Bounds of the editors' settings (the database CHECKs the hours).
const (
	MaxHours    = 720
	MaxCapacity = 1000000
	MaxLabel    = 300
	MaxOptions  = 20
	MaxOption   = 200
)

// Hours reads a whole number of hours between 1 and MaxHours; what names
// it in the message ("Die Haltezeit").
func Hours(e Errors, field, raw, what string) int {
	n, err := strconv.Atoi(strings.TrimSpace(raw))
	if err != nil || n < 1 || n > MaxHours {
		e.add(field, what+" muss eine ganze Zahl von Stunden zwischen 1 und 720 sein, zum Beispiel 24.")
		return 0
	}
	return n
}

// Capacity reads an optional number of places: empty is no limit.
func Capacity(e Errors, field, raw, what string) *int {
	s := strings.TrimSpace(raw)
	if s == "" {
		return nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || n > MaxCapacity {
		e.add(field, what+" muss eine ganze Zahl ab 0 sein, zum Beispiel 120, oder leer bleiben (ohne Grenze).")
		return nil
	}
	return &n
}

// QuestionInput is a question as typed: the kind, the label, the options
// of a choice one per line, and whether an answer is required.
type QuestionInput struct {
	Kind, Label, Options string
	Required             bool
}

// Question is a checked question.
type Question struct {
	Kind     string
	Label    string
	Options  []string
	Required bool
}

// ValidateQuestion checks a new registration question; the fields are
// art, frage and optionen.
func ValidateQuestion(in QuestionInput) (Question, Errors) {
	e := Errors{}
	q := Question{Kind: in.Kind, Required: in.Required}
	if in.Kind != QuestionText && in.Kind != QuestionChoice && in.Kind != QuestionYesNo {
		e.add("art", "Bitte wählen Sie die Art der Frage: Freitext, Auswahl oder Ja/Nein.")
	}
	label, msg := input.Rule{Subject: "Die Frage", Max: MaxLabel, Required: "Bitte geben Sie die Frage ein."}.Check(in.Label)
	if msg != "" {
		e.add("frage", msg)
	}
	q.Label = label
	if in.Kind != QuestionChoice {
		q.Options = []string{}
		return q, e
	}
	seen := map[string]bool{}
	for _, line := range strings.Split(strings.ReplaceAll(in.Options, "\r", "\n"), "\n") {
		o, msg := input.Rule{Subject: "Eine Antwortmöglichkeit", Max: MaxOption}.Check(line)
		if msg != "" {
			e.add("optionen", msg)
		}
		if o != "" && !seen[strings.ToLower(o)] {
			seen[strings.ToLower(o)] = true
			q.Options = append(q.Options, o)
		}
	}
	switch {
	case len(q.Options) < 2:
		e.add("optionen", "Eine Auswahlfrage braucht mindestens zwei verschiedene Antwortmöglichkeiten, eine je Zeile.")
	case len(q.Options) > MaxOptions:
		e.add("optionen", "Eine Auswahlfrage darf höchstens 20 Antwortmöglichkeiten haben (jetzt "+strconv.Itoa(len(q.Options))+").")
	}
	return q, e
}

// KindLabel is the German name of a question kind.
func KindLabel(kind string) string {
	switch kind {
	case QuestionText:
		return "Freitext"
	case QuestionChoice:
		return "Auswahl"
	case QuestionYesNo:
		return "Ja/Nein"
	}
	return kind
}
