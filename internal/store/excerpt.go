package store

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// The excerpts of the search's hits are made here, not by ts_headline:
// ts_headline parses and stems every word of every text shown, which was
// most of PostgreSQL's time per search (90 µs a profile text). An
// excerpt is up to two fragments of up to excerptWords words around the
// words found, joined by " … ", those words marked; a text without them
// shows its beginning. A word is found when, lower case and without
// accents (as rii_unaccent), it begins with a lexeme of the query: the
// stem of a German word is the beginning of its forms. For a lexeme that
// must match whole (not a word beginning), at most excerptEnding letters
// may follow it: the endings the German stemmer takes off, so that
// "Industrie" is found for 'industri' and "Industrieinitiativen" is not.

// excerptWords is the most words of a fragment, excerptLead how many of
// them stand before its first word found.
const (
	excerptWords     = 30
	excerptLead      = 8
	excerptFragments = 2
	excerptEnding    = 4
)

// excerptTerm is a lexeme of the query, and whether it is a word beginning.
type excerptTerm struct {
	lexeme string
	prefix bool
}

// excerptTerms are the operands of a tsquery text (as PostgreSQL prints
// it).
func excerptTerms(q string) []excerptTerm {
	var terms []excerptTerm
	for {
		i := strings.IndexByte(q, '\'')
		if i < 0 {
			return terms
		}
		q = q[i+1:]
		j := strings.IndexByte(q, '\'')
		for j >= 0 && j+1 < len(q) && q[j+1] == '\'' { // a doubled quote
			k := strings.IndexByte(q[j+2:], '\'')
			if k < 0 {
				j = -1
				break
			}
			j += 2 + k
		}
		if j < 0 {
			return terms
		}
		t := excerptTerm{lexeme: strings.ReplaceAll(q[:j], "''", "'")}
		q = q[j+1:]
		if rest, ok := strings.CutPrefix(q, ":*"); ok {
			t.prefix, q = true, rest
		}
		if t.lexeme != "" {
			terms = append(terms, t)
		}
	}
}

// excerptWord is a word of a text: its bytes and whether it is found.
type excerptWord struct {
	start, end int
	found      bool
}

// excerpt cuts the excerpt of text for the query terms.
func excerpt(text string, terms []excerptTerm) []Span {
	words := splitWords(text)
	var found []int
	for i := range words {
		w := &words[i]
		if w.found = wordFound(text[w.start:w.end], terms); w.found {
			found = append(found, i)
		}
	}
	var spans []Span
	if len(found) == 0 {
		return appendFragment(spans, text, words, 0, min(len(words), excerptWords), true)
	}
	end, fragments := 0, 0
	for _, f := range found {
		if f < end {
			continue
		}
		if fragments == excerptFragments {
			break
		}
		from := max(end, f-excerptLead)
		to := min(len(words), from+excerptWords)
		if to-from < excerptWords { // the text ends: begin earlier
			from = max(end, to-excerptWords)
		}
		// A fragment that goes on where the last ended continues it.
		next := fragments > 0 && from == end
		if fragments > 0 && !next {
			spans = append(spans, Span{Text: excerptDelimiter})
		}
		spans = appendFragment(spans, text, words, from, to, next || from == 0)
		end, fragments = to, fragments+1
	}
	return spans
}

// excerptDelimiter joins the fragments of an excerpt.
const excerptDelimiter = " … "

// appendFragment appends the words [from, to) with the text between
// them (and, with lead, the text before them: at the start of the text,
// or going on where the last fragment ended), white space collapsed, the
// found words as marked spans.
func appendFragment(spans []Span, text string, words []excerptWord, from, to int, lead bool) []Span {
	plain := func(s string) {
		if s = squashSpaces(s); len(spans) == 0 {
			s = strings.TrimLeft(s, " ")
		}
		if s == "" {
			return
		}
		if n := len(spans); n > 0 && !spans[n-1].Mark && spans[n-1].Text != excerptDelimiter {
			spans[n-1].Text += s
			return
		}
		spans = append(spans, Span{Text: s})
	}
	for i := from; i < to; i++ {
		w := words[i]
		if i > from || lead {
			prev := 0
			if i > 0 {
				prev = words[i-1].end
			}
			gap := text[prev:w.start]
			if strings.TrimSpace(gap) == "" && i > 0 {
				gap = " "
			}
			plain(gap)
		}
		if w.found {
			spans = append(spans, Span{Text: text[w.start:w.end], Mark: true})
		} else {
			plain(text[w.start:w.end])
		}
	}
	if to == len(words) && to > from { // what ends the text: a full stop, a bracket
		plain(strings.TrimRightFunc(text[words[to-1].end:], unicode.IsSpace))
	}
	return spans
}

// squashSpaces turns each run of white space into one space.
func squashSpaces(s string) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) {
			if !space {
				b.WriteByte(' ')
			}
			space = true
			continue
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

// splitWords finds the words of text: runs of letters and digits.
func splitWords(text string) []excerptWord {
	var words []excerptWord
	start := -1
	for i, r := range text {
		in := unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
		switch {
		case in && start < 0:
			start = i
		case !in && start >= 0:
			words = append(words, excerptWord{start: start, end: i})
			start = -1
		}
	}
	if start >= 0 {
		words = append(words, excerptWord{start: start, end: len(text)})
	}
	return words
}

// wordFound reports whether the word, folded, is found by one of terms.
func wordFound(word string, terms []excerptTerm) bool {
	f := foldWord(word)
	for _, t := range terms {
		rest, ok := strings.CutPrefix(f, t.lexeme)
		if ok && (t.prefix || utf8.RuneCountInString(rest) <= excerptEnding) {
			return true
		}
	}
	return false
}

// foldWord is the word in lower case without accents, ß as ss: the
// letters rii_unaccent leaves.
func foldWord(word string) string {
	ascii := true
	for i := 0; i < len(word); i++ {
		if word[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return strings.ToLower(word)
	}
	var b strings.Builder
	for _, r := range norm.NFD.String(strings.ToLower(word)) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case r == 'ß':
			b.WriteString("ss")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// plainMarkdown blanks Markdown markup out of a text, as the search showed
// it before: a link's target, then runs of markup characters.
func plainMarkdown(md string) string {
	var b strings.Builder
	for i := 0; i < len(md); i++ {
		c := md[i]
		if c == ']' && i+1 < len(md) && md[i+1] == '(' {
			if j := strings.IndexByte(md[i+2:], ')'); j >= 0 {
				b.WriteByte(' ')
				i += 2 + j
				continue
			}
		}
		if strings.IndexByte("#*_>|[]`~", c) >= 0 {
			for i+1 < len(md) && strings.IndexByte("#*_>|[]`~", md[i+1]) >= 0 {
				i++
			}
			b.WriteByte(' ')
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}
