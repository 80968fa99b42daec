// Package components holds small templ partials with explicit parameters:
// form fields with their errors, the error summary, the pager.
package components

import "strings"

// Form carries what a form shows again after a failed submission: the raw
// values typed, and one German message per field.
type Form struct {
	Values map[string]string
	Errors map[string]string
	// Order lists the fields in page order, so the error summary follows it.
	Order []string
	// Alert is a message about the whole form, not one field, e.g. that it
	// could not be saved because the database is away; the input is kept.
	Alert string
}

// NewForm returns an empty form.
func NewForm() Form {
	return Form{Values: map[string]string{}, Errors: map[string]string{}}
}

// Value is the raw value of a field.
func (f Form) Value(name string) string { return f.Values[name] }

// Error is the message of a field, empty if it is fine.
func (f Form) Error(name string) string { return f.Errors[name] }

// Fail records a message for a field (the first one stays).
func (f *Form) Fail(name, msg string) {
	if f.Errors == nil {
		f.Errors = map[string]string{}
	}
	if _, ok := f.Errors[name]; !ok {
		f.Errors[name] = msg
		f.Order = append(f.Order, name)
	}
}

// OK reports whether no field failed.
func (f Form) OK() bool { return len(f.Errors) == 0 }

// SummaryItem is one link of the error summary.
type SummaryItem struct {
	Field, Message string
}

// Summary lists the errors in the order they were recorded.
func (f Form) Summary() []SummaryItem {
	items := make([]SummaryItem, 0, len(f.Order))
	for _, name := range f.Order {
		items = append(items, SummaryItem{Field: name, Message: f.Errors[name]})
	}
	return items
}

// Field describes one input.
type Field struct {
	Name, Label, Hint string
	Type              string // text, email, password, … (default text)
	Autocomplete      string
	// Required sets the required attribute; Optional marks the label
	// "optional" (filters are neither).
	Required, Optional bool
	// InputMode and Pattern help mobile keyboards (e.g. numeric codes).
	InputMode, Pattern string
	MaxLength          int
	// Multi is a field with several values (checkboxes).
	Multi bool
}

// ID is the element id of a field's input.
func ID(name string) string { return "feld-" + name }

// textareaValue is a textarea's content as written into the page: HTML
// drops one newline right after <textarea>, so a value that starts with a
// newline gets one more, and comes back unchanged when the form is sent.
func textareaValue(v string) string {
	if strings.HasPrefix(v, "\n") || strings.HasPrefix(v, "\r\n") {
		return "\n" + v
	}
	return v
}
