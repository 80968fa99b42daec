// Package input holds the one rule for text people type into the portal's
// forms: trimmed, valid UTF-8, no control characters (line breaks only
// where lines are allowed), at most so many characters, with German
// messages. Every package that checks typed text uses it, so a field
// behaves the same in every form.
package input

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Rule says what one text field may hold.
type Rule struct {
	Subject  string // starts the German messages: "Der Titel"
	Max      int    // characters after trimming; 0 for no limit
	Lines    bool   // a multi-line field: line breaks and tabs are fine
	Required string // the message for an empty field; "" if optional
}

// Check trims raw (and in a multi-line field turns CR LF and lone CR into
// LF) and checks it against the rule. It returns the clean text and a
// German message, "" when the text is fine.
func (r Rule) Check(raw string) (clean, msg string) {
	s := raw
	if r.Lines {
		s = strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
	}
	s = strings.TrimSpace(s)
	switch n := utf8.RuneCountInString(s); {
	case !utf8.ValidString(s) || HasControl(s, r.Lines):
		return s, r.Subject + " enthält ungültige Zeichen."
	case r.Max > 0 && n > r.Max:
		return s, r.Subject + " darf höchstens " + strconv.Itoa(r.Max) + " Zeichen lang sein (jetzt " + strconv.Itoa(n) + ")."
	case s == "" && r.Required != "":
		return s, r.Required
	}
	return s, ""
}

// HasControl reports whether s holds a character no typed text may hold:
// a control character (C0, DEL, C1) other than, where lines are allowed,
// LF, CR and tab; or a bidirectional embedding, override or isolate, which
// would let a text show itself in another order than it is stored.
// Invisible but harmless characters such as U+200B (zero-width space) pass:
// they come with pasted text, and nobody could find them to remove them.
func HasControl(s string, lines bool) bool {
	for _, r := range s {
		switch {
		case lines && (r == '\n' || r == '\r' || r == '\t'):
		case unicode.IsControl(r), r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
			return true
		}
	}
	return false
}
