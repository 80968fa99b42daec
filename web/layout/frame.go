// Package layout holds the page frame every screen of the portal is drawn in:
// the KERN Kopfzeile, header, main navigation, skip link, flash message and
// footer.
package layout

// Frame is what the page frame needs to know about the request. Handlers fill
// it once per request; pages embed it in their view model.
type Frame struct {
	// Title is the page's own title; the frame appends the portal's name.
	Title string
	// Description is the meta description; empty leaves it out.
	Description string
	// Path is the request path, to mark the current navigation entry.
	Path string
	// Assets holds the hashed URLs of the stylesheets and icons.
	Assets Assets
	// Flash is a one-time message after a redirect, empty if none.
	Flash string
	// Warning is a one-time warning after a redirect, empty if none.
	Warning string
	// User is the signed-in user, nil for a visitor.
	User *User
	// Alternates are other formats of the page (a calendar feed, say),
	// linked from the head.
	Alternates []Alternate
	// NoIndex asks search engines to leave the page out (a preview).
	NoIndex bool
}

// Alternate is a <link rel="alternate"> to another format of the page.
type Alternate struct {
	Type, Title, Href string
}

// User is what the frame shows of the signed-in user.
type User struct {
	Name string
	// Administration links to /verwaltung (editors, officials to read, admins).
	Administration bool
	// Users links to the user management (admins).
	Users bool
}

// Assets are the hashed URLs of the files every page links to.
type Assets struct {
	FontsCSS, KernCSS, PortalCSS, Icon string
	// PickerJS enhances the pickers and the region choice (filter as you
	// type); pages with one link it themselves.
	PickerJS string
}

// NavItem is one entry of the main navigation.
type NavItem struct {
	Label, Href string
}

// MainNav is the portal's main navigation, in display order.
var MainNav = []NavItem{
	{"Initiativen", "/initiativen"},
	{"Veranstaltungen", "/veranstaltungen"},
	{"Berichte", "/berichte"},
	{"Themen", "/themen"},
	{"Suche", "/suche"},
}

// FooterNav lists the legal and service pages linked from every page.
var FooterNav = []NavItem{
	{"Impressum", "/impressum"},
	{"Datenschutz", "/datenschutz"},
	{"Barrierefreiheit", "/barrierefreiheit"},
	{"Leichte Sprache", "/leichte-sprache"},
	{"Kontakt", "/kontakt"},
}

// PortalName is the name shown in the header and appended to every title.
const PortalName = "RII-Portal"

// FullTitle is the document title: the page's title, then the portal's name.
func (f Frame) FullTitle() string {
	if f.Title == "" || f.Title == PortalName {
		return PortalName + " – Service- und Beratungsstelle für regionale Industrieinitiativen"
	}
	return f.Title + " – " + PortalName
}

// Current reports whether href is the current section, so the navigation can
// mark it with aria-current.
func (f Frame) Current(href string) bool {
	if href == "/" {
		return f.Path == "/"
	}
	return f.Path == href || len(f.Path) > len(href) && f.Path[:len(href)] == href && f.Path[len(href)] == '/'
}
