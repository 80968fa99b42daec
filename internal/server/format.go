package server

import (
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // Europe/Berlin without depending on the host's zoneinfo
	"unicode/utf8"

	"net/url"
)

// berlin is the portal's time zone: every time a person reads is local time.
var berlin = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		panic(err) // embedded tzdata: cannot happen
	}
	return loc
}()

// formatTime shows a time as "24.11.2026, 14:05 Uhr" in Berlin time.
func formatTime(t time.Time) string {
	return t.In(berlin).Format("02.01.2006, 15:04") + " Uhr"
}

// pagedTitle is the title of page n of a list: "Berichte – Seite 2", so
// that every page of a list has its own title.
func pagedTitle(title string, n int) string {
	if n > 1 {
		return title + " – Seite " + strconv.Itoa(n)
	}
	return title
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func urlQueryEscape(s string) string { return url.QueryEscape(s) }

// describeUserAgent turns a user agent into a short device description for
// the list of sessions; it need not be exact, only recognisable.
func describeUserAgent(ua string) string {
	browser := "Unbekannter Browser"
	for _, b := range []struct{ key, name string }{
		{"Edg/", "Microsoft Edge"}, {"Firefox/", "Firefox"}, {"Chrome/", "Chrome"}, {"Chromium/", "Chromium"}, {"Safari/", "Safari"},
	} {
		if strings.Contains(ua, b.key) {
			browser = b.name
			break
		}
	}
	system := ""
	for _, o := range []struct{ key, name string }{
		{"Windows", "Windows"}, {"Android", "Android"}, {"iPhone", "iPhone"}, {"iPad", "iPad"}, {"Mac OS", "macOS"}, {"Linux", "Linux"},
	} {
		if strings.Contains(ua, o.key) {
			system = o.name
			break
		}
	}
	if system == "" {
		return browser
	}
	return browser + " unter " + system
}

// cleanQuery makes a search term safe to pass on: valid UTF-8, no control
// characters, at most n runes.
func cleanQuery(s string, n int) string {
	s = strings.ToValidUTF8(s, "")
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, s)
	return truncate(strings.TrimSpace(s), n)
}

func validUTF8(s string) bool { return utf8.ValidString(s) }
