// Package search reads what a visitor types into a search field: German
// query syntax, the same in the directory and in the portal-wide search.
//
//	Energie Wasserstoff        both words (each also as a word beginning)
//	Energie oder Wasserstoff   either word ("oder", "OR" and "|" alike)
//	"Zukunft der Industrie"    the words as a phrase („…“ and “…” too)
//	Industrie -Chemie          without the word Chemie (-"…" excludes a phrase)
//
// Everything else (markup, operators of other syntaxes, invalid UTF-8)
// only separates words. Parsing never fails.
package search

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Bounds of one query: words in all, runes of one word.
const (
	MaxWords   = 8
	MaxWordLen = 40
)

// Term is one thing to find: a word (as typed, lower case), or several
// words that must all occur, or with Phrase set the words in this order.
type Term struct {
	Words  []string
	Phrase bool
}

// Query is a parsed search: every group must match (a group matches when
// one of its terms does), and none of the excluded terms may.
type Query struct {
	All [][]Term
	Not []Term
}

// Empty reports whether nothing is asked for: no term to find.
func (q Query) Empty() bool { return len(q.All) == 0 }

// Word is the query's only word when it consists of exactly one word and
// nothing else, unquoted ("" otherwise): the case in which a typo is corrected.
func (q Query) Word() string {
	if len(q.All) != 1 || len(q.All[0]) != 1 || len(q.Not) > 0 || len(q.All[0][0].Words) != 1 || q.All[0][0].Phrase {
		return ""
	}
	return q.All[0][0].Words[0]
}

// stopWords are frequent German words that carry no meaning in a search;
// the german text search configuration drops them, so a word of them
// would never match. "oder" and "und" are operators.
var stopWords = map[string]bool{"der": true, "die": true, "das": true, "des": true, "dem": true, "den": true,
	"ein": true, "eine": true, "am": true, "an": true, "im": true, "in": true, "für": true, "von": true, "vom": true,
	"zu": true, "zum": true, "zur": true, "mit": true, "auf": true, "aus": true, "bei": true, "ev": true}

// token is a piece of the query: an operator, or a term possibly negated.
type token struct {
	or, and bool
	not     bool
	term    Term
}

// Parse reads a query. Within a phrase stop words stay (they keep the
// distance of the words); elsewhere they and single characters are left
// out. At most MaxWords words are kept, each cut to MaxWordLen runes.
func Parse(text string) Query {
	var q Query
	n := 0
	pendingOr := false
	seen := map[string]bool{}
	for _, t := range tokenize(strings.ToValidUTF8(text, " ")) {
		switch {
		case t.or:
			pendingOr = len(q.All) > 0
			continue
		case t.and:
			pendingOr = false
			continue
		}
		t.term.Words = t.term.Words[:min(len(t.term.Words), MaxWords-n)]
		key := fmt.Sprint(t.not, t.term)
		if len(t.term.Words) == 0 || seen[key] {
			continue
		}
		seen[key] = true
		n += len(t.term.Words)
		switch {
		case t.not:
			q.Not = append(q.Not, t.term)
		case pendingOr:
			last := len(q.All) - 1
			q.All[last] = append(q.All[last], t.term)
		default:
			q.All = append(q.All, []Term{t.term})
		}
		pendingOr = false
	}
	return q
}

// tokenize splits the text at white space and quotes into tokens.
func tokenize(text string) []token {
	var out []token
	for text != "" {
		text = strings.TrimLeftFunc(text, unicode.IsSpace)
		not := false
		if rest, ok := strings.CutPrefix(text, "-"); ok && rest != "" && !unicode.IsSpace(firstRune(rest)) {
			not, text = true, rest
		}
		if r := firstRune(text); isOpenQuote(r) {
			body, rest := cutQuoted(text[utf8.RuneLen(r):])
			out = append(out, token{not: not, term: Term{Words: words(body, false), Phrase: true}})
			text = rest
			continue
		}
		end := strings.IndexFunc(text, func(r rune) bool { return unicode.IsSpace(r) || isOpenQuote(r) })
		if end < 0 {
			end = len(text)
		}
		field := text[:end]
		text = text[end:]
		switch strings.ToLower(field) {
		case "oder", "or", "|":
			out = append(out, token{or: !not})
		case "und", "and", "&":
			out = append(out, token{and: true})
		case "":
		default:
			out = append(out, token{not: not, term: Term{Words: words(field, true)}})
		}
	}
	return out
}

// cutQuoted returns the text up to the closing quote and what follows it;
// an unclosed quote runs to the end.
func cutQuoted(s string) (body, rest string) {
	i := strings.IndexFunc(s, isCloseQuote)
	if i < 0 {
		return s, ""
	}
	return s[:i], s[i+utf8.RuneLen(firstRune(s[i:])):]
}

func isOpenQuote(r rune) bool  { return r == '"' || r == '„' || r == '“' || r == '»' }
func isCloseQuote(r rune) bool { return r == '"' || r == '“' || r == '”' || r == '«' }

func firstRune(s string) rune {
	r, _ := utf8.DecodeRuneInString(s)
	return r
}

// words are the lower-case words of letters and digits in s, cut to
// MaxWordLen runes; dropStop leaves out stop words and single characters.
func words(s string, dropStop bool) []string {
	var out []string
	for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}) {
		if utf8.RuneCountInString(w) > MaxWordLen {
			w = string([]rune(w)[:MaxWordLen])
		}
		if dropStop && (utf8.RuneCountInString(w) < 2 || stopWords[w]) {
			continue
		}
		out = append(out, w)
	}
	return out
}
