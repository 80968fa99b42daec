package pages

import (
	"strings"

	"rii/web/components"
	"rii/web/layout"
)

// ImportFormView is the upload page of the CSV import, with the columns
// and allowed values documented.
type ImportFormView struct {
	layout.Frame
	Form         components.Form
	Columns      []ImportColumn
	Vocabularies []ImportVocabulary
	TemplateHref string
}

// ImportColumn documents one column of the import file.
type ImportColumn struct {
	Key, Content, Example string
	Required              bool
}

// ImportVocabulary lists the values one column accepts.
type ImportVocabulary struct {
	ID, Label, Column string
	Terms             []ImportTerm
}

// ImportTerm is one accepted value: the key (slug or AGS) and its name.
type ImportTerm struct {
	Key, Name string
}

// ImportPreviewView shows every row of an upload with its problems; the
// confirm form only when all rows are valid.
type ImportPreviewView struct {
	layout.Frame
	Filename, Uploaded                  string
	Total, Valid, Invalid, Drafts, Live int
	Rows                                []ImportPreviewRow
	// Action is the confirm URL, empty when a row has errors.
	Action string
	// Problem explains a refused confirmation.
	Problem string
}

// ImportPreviewRow is one data row of the file.
type ImportPreviewRow struct {
	Line               string
	Anchor, Name, Path string
	Status             string
	Errors             []ImportRowError
}

// ImportRowError is one problem of a row: the column and a German message.
type ImportRowError struct {
	Column, Message string
}

// ImportReportView lists what an import created.
type ImportReportView struct {
	layout.Frame
	Filename, ImportedAt string
	Drafts, Live         int
	Rows                 []ImportReportRow
}

// ImportReportRow is one created initiative.
type ImportReportRow struct {
	Name, Href, EditHref, Status string
}

// LogoView is the logo page of an initiative.
type LogoView struct {
	layout.Frame
	Name, ProfileHref, EditHref, Action, RemoveAction string
	// Current is the logo now shown, nil if none.
	Current *LogoPicture
	Form    components.Form
}

// LogoPicture is a stored logo as the page shows it.
type LogoPicture struct {
	Src, Alt      string
	Width, Height int
}

// fileDescribedBy ties a file input to its hint and error.
func fileDescribedBy(f components.Form, fd components.Field) string {
	var ids []string
	if fd.Hint != "" {
		ids = append(ids, components.ID(fd.Name)+"-hinweis")
	}
	if f.Error(fd.Name) != "" {
		ids = append(ids, components.ID(fd.Name)+"-fehler")
	}
	return strings.Join(ids, " ")
}
