package pages

// ConflictView is what the conflict panel shows: who saved what when, and
// the fields that differ.
type ConflictView struct {
	What             string // "das Profil", "den Bericht": what the other person changed
	SavedAt, SavedBy string
	Fields           []ConflictField
}

// ConflictField is one field that differs between the two versions.
type ConflictField struct {
	Label, Saved, Yours string
}
