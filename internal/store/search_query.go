package store

import (
	"strings"

	"rii/internal/search"
)

// wordMode is how one typed word becomes a full-text query.
type wordMode int

const (
	wordExact   wordMode = iota // the word, stemmed
	wordPrefix                  // the word as a word beginning
	wordSimilar                 // a word beginning or a similar word of the titles (termQuery)
)

// tsQueries are the full-text queries of a parsed search as SQL
// expressions over parameters. Excluded terms always match exactly
// (stemmed), so "-Chemie" never drops "Chemnitz".
type tsQueries struct {
	// Match is what a row must match: every group (a word as a beginning
	// or similar title word), none of the excluded terms.
	Match string
	// Find, Prefix and Exact are the groups alone, their words in each
	// mode: for ranking and for marking the matches in excerpts.
	Find, Prefix, Exact string
	// not are the excluded terms, each as "!!query".
	not []string
}

// exclude is Match with find, an expression of Find's value, in place of
// Find: Find's subqueries run once when find is its computed value.
func (ts tsQueries) exclude(find string) string {
	return strings.Join(append([]string{`(` + find + `)`}, ts.not...), ` && `)
}

// buildTSQueries turns q into full-text queries; arg adds a parameter and
// returns its placeholder. Without anything to find, Match excludes only
// (every row without the excluded terms) and the others are empty.
func buildTSQueries(q search.Query, arg func(any) string) tsQueries {
	params := map[string]string{}
	param := func(s string) string {
		if p, ok := params[s]; ok {
			return p
		}
		params[s] = arg(s)
		return params[s]
	}
	var ts tsQueries
	for _, m := range []struct {
		mode wordMode
		out  *string
	}{{wordSimilar, &ts.Find}, {wordPrefix, &ts.Prefix}, {wordExact, &ts.Exact}} {
		mode, out := m.mode, m.out
		var groups []string
		for _, g := range q.All {
			var alts []string
			for _, t := range g {
				alts = append(alts, termTSQuery(t, mode, param))
			}
			groups = append(groups, `(`+strings.Join(alts, ` || `)+`)`)
		}
		*out = strings.Join(groups, ` && `)
	}
	parts := []string{}
	if ts.Find != "" {
		parts = append(parts, `(`+ts.Find+`)`)
	}
	for _, t := range q.Not {
		ts.not = append(ts.not, `!!`+termTSQuery(t, wordExact, param))
	}
	ts.Match = strings.Join(append(parts, ts.not...), ` && `)
	return ts
}

// termTSQuery is the query of one term: a phrase as a phrase (stemmed),
// otherwise each of its words in the mode, all of them required.
func termTSQuery(t search.Term, mode wordMode, param func(string) string) string {
	if t.Phrase {
		return `phraseto_tsquery('german', rii_unaccent(` + param(strings.Join(t.Words, " ")) + `))`
	}
	var all []string
	for _, w := range t.Words {
		p := param(w)
		switch mode {
		case wordExact:
			all = append(all, `plainto_tsquery('german', rii_unaccent(`+p+`))`)
		case wordPrefix:
			all = append(all, prefix(p))
		default:
			all = append(all, termQuery(p))
		}
	}
	return `(` + strings.Join(all, ` && `) + `)`
}
