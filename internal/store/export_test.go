package store

// ConstraintNames lists the constraints the error mapping knows, for the
// test that checks them against the schema.
func ConstraintNames() []string {
	names := make([]string, 0, len(constraintErrors))
	for n := range constraintErrors {
		names = append(names, n)
	}
	return names
}
