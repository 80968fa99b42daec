package server

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"rii/internal/account"
	"rii/internal/input"
	"rii/internal/store"
	"rii/web/components"
	"rii/web/pages"
)

// contactInput is a validated contact form: the person, and their role at
// the initiative of the form.
type contactInput struct {
	store.NewContact
	Role string
}

// consentMethods are the ways a consent is given, as offered in the form;
// the label is what the database keeps. "sonstige" takes a typed text.
var consentMethods = []struct{ Value, Label string }{
	{"schriftlich", "schriftlich"},
	{"email", "per E-Mail"},
	{"muendlich", "mündlich, mit Notiz"},
	{"selbst", "Veröffentlichung durch die Person selbst"},
}

// visibilityLabels are the German names of the visibilities, in the order
// the form offers them.
var visibilityLabels = []struct{ Value, Label string }{
	{store.VisibilityEditors, "nur Service-Stelle"},
	{store.VisibilityMembers, "nur Mitglieder der Initiative"},
	{store.VisibilityPublic, "öffentlich"},
}

func visibilityLabel(v string) string {
	for _, l := range visibilityLabels {
		if l.Value == v {
			return l.Label
		}
	}
	return v
}

// visibilityOptions are the visibilities to choose from; while none is
// chosen, a first entry asks for a choice (nothing is chosen silently).
func visibilityOptions(selected string) []components.Option {
	opts := make([]components.Option, 0, len(visibilityLabels)+1)
	if visibilityLabel(selected) == selected {
		opts = append(opts, components.Option{Value: "", Label: "– bitte wählen –", Selected: true})
	}
	for _, l := range visibilityLabels {
		opts = append(opts, components.Option{Value: l.Value, Label: l.Label, Selected: l.Value == selected})
	}
	return opts
}

func consentMethodOptions(selected string) []components.Option {
	opts := []components.Option{{Value: "", Label: "– keine Angabe –", Selected: selected == ""}}
	for _, m := range consentMethods {
		opts = append(opts, components.Option{Value: m.Value, Label: m.Label, Selected: m.Value == selected})
	}
	return append(opts, components.Option{Value: "sonstige", Label: "auf andere Weise (bitte beschreiben)", Selected: selected == "sonstige"})
}

// readContactForm reads and validates the posted contact form.
func readContactForm(r *http.Request, now time.Time) (contactInput, components.Form, error) {
	if err := r.ParseForm(); err != nil {
		return contactInput{}, components.Form{}, err
	}
	f := pages.ContactFormFields.Read(r.PostForm)
	f.Values["version"] = r.PostForm.Get("version")
	in, errs := validateContact(f.Values, now)
	failAll(&f, errs, pages.ContactFormFields.Names())
	return in, f, nil
}

// validateContact checks a contact form's raw values; now bounds the date
// of the consent. A visibility beyond the Service-Stelle needs the consent
// recorded: when, how, and for what (the database insists on the date).
func validateContact(v map[string]string, now time.Time) (contactInput, map[string]string) {
	e := map[string]string{}
	text := func(field, subject string, max int, lines bool) string {
		s, msg := input.Rule{Subject: subject, Max: max, Lines: lines}.Check(v[field])
		if msg != "" {
			e[field] = msg
		}
		return s
	}
	var in contactInput
	name, err := account.ValidateName(v["name"])
	if err != nil {
		e["name"] = err.Error()
	}
	in.Name = name
	in.Function = text("funktion", "Die Funktion", 300, false)
	in.Organisation = text("organisation", "Die Organisation", 300, false)
	in.Role = text("rolle", "Die Rolle", 200, false)
	if raw := strings.TrimSpace(v["email"]); raw != "" {
		if in.Email, err = account.NormalizeEmail(raw); err != nil {
			e["email"] = err.Error()
		}
	}
	if in.Phone = strings.TrimSpace(v["telefon"]); !validPhone(in.Phone) {
		e["telefon"] = "Bitte geben Sie die Telefonnummer mit Ziffern an; erlaubt sind auch Leerzeichen und + / - ( ), höchstens 50 Zeichen, zum Beispiel +49 30 1234567."
	}
	switch in.Visibility = v["sichtbarkeit"]; {
	case strings.TrimSpace(in.Visibility) == "":
		e["sichtbarkeit"] = "Bitte wählen Sie, wer die Angaben sehen darf: öffentlich, nur Mitglieder der Initiative oder nur die Service-Stelle."
	case visibilityLabel(in.Visibility) == in.Visibility:
		e["sichtbarkeit"] = "Bitte wählen Sie aus der Liste, wer die Ansprechperson sehen darf."
	}
	if raw := strings.TrimSpace(v["einwilligung_datum"]); raw != "" {
		in.ConsentAt, e["einwilligung_datum"] = parseConsentDate(raw, now)
	}
	switch m := v["einwilligung_art"]; m {
	case "":
	case "sonstige":
		if in.ConsentMethod = text("einwilligung_art_sonstige", "Die Beschreibung", 300, false); in.ConsentMethod == "" {
			e["einwilligung_art_sonstige"] = "Bitte beschreiben Sie, wie die Person eingewilligt hat."
		}
	default:
		if in.ConsentMethod = consentMethodLabel(m); in.ConsentMethod == "" {
			e["einwilligung_art"] = "Bitte wählen Sie aus der Liste, wie die Person eingewilligt hat."
		}
	}
	in.ConsentPurpose = text("einwilligung_zweck", "Der Zweck", 1000, true)
	if in.Visibility == store.VisibilityPublic || in.Visibility == store.VisibilityMembers {
		need := "Für die Sichtbarkeit „" + visibilityLabel(in.Visibility) + "“ braucht es die Einwilligung der Person: Bitte geben Sie an, "
		for _, req := range []struct{ field, missing string }{
			{"einwilligung_datum", "wann sie eingewilligt hat (Datum)."},
			{"einwilligung_art", "wie sie eingewilligt hat."},
			{"einwilligung_zweck", "wofür sie eingewilligt hat (Zweck)."},
		} {
			if strings.TrimSpace(v[req.field]) == "" && e[req.field] == "" {
				e[req.field] = need + req.missing
			}
		}
	}
	for k, msg := range e {
		if msg == "" {
			delete(e, k)
		}
	}
	return in, e
}

// parseConsentDate reads a German date (24.11.2026, leading zeros
// optional) or an ISO one; the consent starts at midnight in Berlin.
func parseConsentDate(raw string, now time.Time) (*time.Time, string) {
	var d time.Time
	var err error
	for _, layout := range []string{"2.1.2006", time.DateOnly} {
		if d, err = time.ParseInLocation(layout, raw, berlin); err == nil {
			break
		}
	}
	switch {
	case err != nil:
		return nil, "Bitte geben Sie das Datum der Einwilligung als Tag.Monat.Jahr an, zum Beispiel 24.11.2026."
	case d.Year() < 1990:
		return nil, "Bitte prüfen Sie das Jahr der Einwilligung; es muss nach 1990 liegen."
	case d.After(now):
		return nil, "Das Datum der Einwilligung darf nicht in der Zukunft liegen."
	}
	return &d, ""
}

// validPhone accepts digits, spaces and + / - ( ), at least one digit, at
// most 50 characters; empty is fine.
func validPhone(s string) bool {
	if s == "" {
		return true
	}
	if len(s) > 50 || !strings.ContainsAny(s, "0123456789") {
		return false
	}
	return strings.Trim(s, "0123456789 +/-()") == ""
}

func consentMethodLabel(value string) string {
	for _, m := range consentMethods {
		if m.Value == value {
			return m.Label
		}
	}
	return ""
}

// contactValues fills the form from a stored contact.
func contactValues(c *store.LinkedContact) map[string]string {
	v := map[string]string{"name": c.Name, "funktion": c.Function, "organisation": c.Organisation, "email": c.Email,
		"telefon": c.Phone, "rolle": c.Role, "sichtbarkeit": c.Visibility, "einwilligung_zweck": c.ConsentPurpose,
		"version": strconv.Itoa(c.Version), "einwilligung_datum": germanDate(c.ConsentAt)}
	if c.ConsentMethod != "" {
		v["einwilligung_art"], v["einwilligung_art_sonstige"] = "sonstige", c.ConsentMethod
		for _, m := range consentMethods {
			if m.Label == c.ConsentMethod {
				v["einwilligung_art"], v["einwilligung_art_sonstige"] = m.Value, ""
			}
		}
	}
	return v
}

func germanDate(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.In(berlin).Format("02.01.2006")
}

// consentSummary says in one line what consent is recorded.
func consentSummary(c store.NewContact) string {
	if c.ConsentAt == nil && c.ConsentMethod == "" && c.ConsentPurpose == "" {
		return "keine Einwilligung erfasst"
	}
	parts := []string{}
	for _, p := range []string{germanDate(c.ConsentAt), c.ConsentMethod} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	s := strings.Join(parts, ", ")
	if c.ConsentPurpose != "" {
		s = strings.TrimPrefix(s+"; Zweck: "+c.ConsentPurpose, "; ")
	}
	return s
}

// contactDisplay lists the contact's fields: the column name the audit log
// records (names only, never values), the German label and the display value.
func contactDisplay(c contactInput) []struct{ Column, Label, Value string } {
	return []struct{ Column, Label, Value string }{
		{"name", "Name", c.Name},
		{"function", "Funktion", c.Function},
		{"organisation", "Organisation", c.Organisation},
		{"email", "E-Mail-Adresse", c.Email},
		{"phone", "Telefon", c.Phone},
		{"role", "Rolle in der Initiative", c.Role},
		{"visibility", "Sichtbarkeit", visibilityLabel(c.Visibility)},
		{"consent_at", "Datum der Einwilligung", germanDate(c.ConsentAt)},
		{"consent_method", "Art der Einwilligung", c.ConsentMethod},
		{"consent_purpose", "Zweck der Einwilligung", c.ConsentPurpose},
	}
}

// changedContactFields names the fields that differ, for the audit log.
func changedContactFields(before, after contactInput) []string {
	a, b := contactDisplay(before), contactDisplay(after)
	var changed []string
	for i := range a {
		if a[i].Value != b[i].Value {
			changed = append(changed, a[i].Column)
		}
	}
	return changed
}

// contactConflictRows shows the saved and the typed contact side by side.
func contactConflictRows(saved, yours contactInput) []pages.ConflictField {
	a, b := contactDisplay(saved), contactDisplay(yours)
	rows := make([]pages.ConflictField, len(a))
	for i := range a {
		rows[i] = pages.ConflictField{Label: a[i].Label, Saved: a[i].Value, Yours: b[i].Value}
	}
	return rows
}
