package components

import (
	"bytes"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// TestTextareaKeepsLeadingNewlines renders a textarea and parses it as a
// browser would: the value comes back exactly, leading newline included.
func TestTextareaKeepsLeadingNewlines(t *testing.T) {
	for _, v := range []string{"", "Text", "\nZweite Zeile", "\n\nzwei Leerzeilen", "\r\nCRLF", "<b>kein HTML</b>"} {
		f := NewForm()
		f.Values["text"] = v
		var buf bytes.Buffer
		if err := Textarea(f, Field{Name: "text", Label: "Text"}, 3).Render(t.Context(), &buf); err != nil {
			t.Fatal(err)
		}
		doc, err := goquery.NewDocumentFromReader(&buf)
		if err != nil {
			t.Fatal(err)
		}
		want := v
		if want == "\r\nCRLF" {
			want = "\nCRLF" // the HTML parser normalises line breaks, as browsers do
		}
		if got := doc.Find("textarea").Text(); got != want {
			t.Errorf("value %q came back as %q", v, got)
		}
	}
}

func TestDecodeEncodeRoundTrip(t *testing.T) {
	t.Parallel()
	type input struct {
		Title  string   `form:"titel"`
		Topics []string `form:"themen"`
		Skip   string
	}
	fs := Fields{{Name: "titel"}, {Name: "themen", Multi: true}}
	f := fs.Read(url.Values{"titel": {"Dialog"}, "themen": {"energie", "klima"}, "Skip": {"x"}})
	var in input
	Decode(f, &in)
	if in.Title != "Dialog" || strings.Join(in.Topics, ",") != "energie,klima" || in.Skip != "" {
		t.Fatalf("decoded %+v", in)
	}
	back := Encode(in)
	if back.Values["titel"] != "Dialog" || back.Values["themen"] != "energie\nklima" || len(back.Values) != 2 {
		t.Errorf("encoded %v", back.Values)
	}
	if got := strings.Join(fs.Names(), ","); got != "titel,themen" {
		t.Errorf("names %s", got)
	}
}
