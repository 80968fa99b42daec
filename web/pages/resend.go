package pages

// ResendForm is a form post the portal could not handle because its
// database was away: what was typed, to check and send again.
type ResendForm struct {
	Action string
	Fields []ResendField
	// Omitted says that passwords, codes or files were not kept.
	Omitted bool
}

// ResendField is one sent value under its field name.
type ResendField struct {
	ID, Name, Value string
}
