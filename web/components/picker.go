package components

import "strconv"

// Picker chooses some of hundreds of items (initiatives, contact persons)
// by search instead of listing them all. It works without JavaScript: the
// chosen items are ticked checkboxes (untick to remove), the search button
// sends the whole form back to the server, which shows it again with every
// input kept and the matching items as checkboxes to tick. The names of
// its inputs derive from Name (see the methods); the fieldset has the id
// ID(Name), so the error summary links to it.
type Picker struct {
	// Name is the field of the chosen values, e.g. "initiativen".
	Name, Label, Hint string
	// SearchLabel labels the search field, e.g. "Initiative suchen".
	SearchLabel string
	// Query is what was typed into the search field.
	Query string
	// Chosen are the items chosen so far, Results the ones the query
	// found that are not chosen yet.
	Chosen, Results []PickerItem
	// Suggestion is the closest result when none bears the searched name:
	// "Meinten Sie …?".
	Suggestion *PickerItem
	// Searched is set when Query was searched, so no results says so.
	Searched bool
	// More is set when the query found more than Results shows.
	More bool
	// Error is the field's message.
	Error string
	// ExtraLabel, if set, gives every chosen item a text input labelled
	// ExtraLabel plus the item's name: the function of a person on stage.
	ExtraLabel string
}

// PickerItem is one item of a picker.
type PickerItem struct {
	Value, Label string
	// Detail tells items of the same name apart, e.g. the organisation.
	Detail string
	// Notice is a short remark shown with the item, e.g. "erscheint nicht
	// öffentlich" for a contact person whose name no public page shows.
	Notice string
	// Extra is the value of a chosen item's text input (see ExtraLabel).
	Extra string
}

// Picker actions and field names: each picker's inputs are named after
// its Name, and one submit button name says "search again".
const (
	// PickerSearchButton is the name of every picker's search button; its
	// value is the picker's Name.
	PickerSearchButton = "suchen"
)

// QueryName is the name of the search field.
func (p Picker) QueryName() string { return p.Name + "_suche" }

// ShownName is the name of the hidden inputs listing the results shown,
// so the server knows the query was answered when one of them is ticked.
func (p Picker) ShownName() string { return p.Name + "_angezeigt" }

// TakeName is the name of the "Meinten Sie …?" button.
func (p Picker) TakeName() string { return p.Name + "_waehlen" }

// ExtraName is the name of the chosen item value's text input.
func (p Picker) ExtraName(value string) string { return PickerExtraName(p.Name, value) }

// PickerExtraName is the name of the text input of the item value chosen
// in the picker name.
func PickerExtraName(name, value string) string { return name + "_zusatz_" + value }

func (p Picker) itemID(kind, value string) string { return ID(p.Name) + "-" + kind + "-" + value }

// countText says how many results a search found.
func (p Picker) countText() string {
	switch n := len(p.Results); {
	case n == 0:
		return "Keine Treffer. Prüfen Sie die Schreibweise oder suchen Sie nach einem Teil des Namens."
	case p.More:
		return "Die ersten " + strconv.Itoa(n) + " Treffer – für weitere genauer suchen:"
	case n == 1:
		return "1 Treffer:"
	default:
		return strconv.Itoa(n) + " Treffer:"
	}
}

func (it PickerItem) text() string {
	if it.Detail != "" {
		return it.Label + " (" + it.Detail + ")"
	}
	return it.Label
}
