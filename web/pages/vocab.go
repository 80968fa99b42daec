package pages

import (
	"strconv"

	"rii/web/components"
	"rii/web/layout"
)

// VocabListView is the page of all vocabularies with an add form each.
type VocabListView struct {
	layout.Frame
	// Form is the add form that failed, shown in the error summary.
	Form  components.Form
	Lists []VocabSection
}

// VocabSection is one vocabulary: its terms and its add form.
type VocabSection struct {
	Key, Title, Action string
	// NameField and DescriptionField are the add form's field names, unique
	// on the page; DescriptionField is empty for lists without descriptions.
	NameField, DescriptionField string
	Form                        components.Form
	Rows                        []VocabRow
}

// VocabRow is one term in the list.
type VocabRow struct {
	Name, Description, Href string
	Uses                    int
}

// VocabEditView renames or deletes one term.
type VocabEditView struct {
	layout.Frame
	ListTitle, Slug, Action string
	Uses                    int
	Description             bool
	Form                    components.Form
	// DeleteForm carries the delete form's confirmation and its error.
	DeleteForm components.Form
	// DeleteError says why the term cannot be deleted.
	DeleteError string
}

// usesLabel is "1 Initiative" or "N Initiativen".
func usesLabel(n int) string {
	if n == 1 {
		return "1 Initiative"
	}
	return strconv.Itoa(n) + " Initiativen"
}
