package store

import (
	"slices"
	"strings"
)

// textIndex is an inverted index of the search vectors of a list of rows
// (the directory's initiatives, or one group of the search): their
// distinct lexemes, sorted bytewise as PostgreSQL compares them (so the
// lexemes of a prefix are one run), with the positions in the list of the
// rows that have each. With positions kept, docs holds every row's
// lexemes and word positions, for ranking as ts_rank does (text_rank.go).
type textIndex struct {
	n        int // rows
	lexemes  []string
	postings [][]int32
	docs     []textDoc
	memo     *setMemo // nil: none
}

// textDoc is one row's search vector: the indexes in lexemes of its
// lexemes, ascending (a tsvector's order), and their word positions as
// PostgreSQL stores them (14 bits position, 2 bits weight, A = 3):
// pos[ends[i-1]:ends[i]] are those of lex[i], none for a lexeme stored
// without positions.
type textDoc struct {
	lex  []int32
	ends []int32
	pos  []uint16
}

// textIndexBuilder reads rows' search vectors in their text form.
type textIndexBuilder struct {
	positions bool // keep docs
	byLexeme  map[string][]int32
	raw       []rawDoc
	n         int
}

// rawDoc is a textDoc before the lexemes are numbered.
type rawDoc struct {
	lexemes []string
	ends    []int32
	pos     []uint16
}

func newTextIndexBuilder(positions bool) *textIndexBuilder {
	return &textIndexBuilder{positions: positions, byLexeme: map[string][]int32{}}
}

// add reads the next row's search vector (as PostgreSQL prints it).
func (b *textIndexBuilder) add(search string) {
	row := int32(b.n)
	b.n++
	var d rawDoc
	tsvectorEntries(search, func(lexeme, positions string) {
		b.byLexeme[lexeme] = append(b.byLexeme[lexeme], row)
		if b.positions {
			d.lexemes = append(d.lexemes, lexeme)
			d.pos = appendPositions(d.pos, positions)
			d.ends = append(d.ends, int32(len(d.pos)))
		}
	})
	if b.positions {
		b.raw = append(b.raw, d)
	}
}

// build sorts the lexemes and numbers them in the docs.
func (b *textIndexBuilder) build() textIndex {
	ix := textIndex{n: b.n, lexemes: make([]string, 0, len(b.byLexeme)), memo: &setMemo{sets: map[string]rowSet{}}}
	for l := range b.byLexeme {
		ix.lexemes = append(ix.lexemes, l)
	}
	slices.Sort(ix.lexemes)
	ix.postings = make([][]int32, len(ix.lexemes))
	number := make(map[string]int32, len(ix.lexemes))
	for i, l := range ix.lexemes {
		ix.postings[i] = b.byLexeme[l]
		number[l] = int32(i)
	}
	if !b.positions {
		return ix
	}
	ix.docs = make([]textDoc, len(b.raw))
	for i, r := range b.raw {
		d := textDoc{lex: make([]int32, len(r.lexemes)), ends: r.ends, pos: r.pos}
		for j, l := range r.lexemes {
			d.lex[j] = number[l]
		}
		// A tsvector lists its lexemes in this order; should its text
		// form ever differ, the index keeps no docs, and the search asks
		// PostgreSQL.
		if !slices.IsSorted(d.lex) {
			ix.docs = nil
			return ix
		}
		ix.docs[i] = d
	}
	return ix
}

// run is the range [lo, hi) of lexemes that are lexeme or, as a prefix,
// begin with it.
func (ix *textIndex) run(lexeme string, prefix bool) (lo, hi int) {
	lo, _ = slices.BinarySearch(ix.lexemes, lexeme)
	hi = lo
	for hi < len(ix.lexemes) && (ix.lexemes[hi] == lexeme || prefix && strings.HasPrefix(ix.lexemes[hi], lexeme)) {
		hi++
	}
	return lo, hi
}

// tsvectorEntries calls fn with each lexeme of a tsvector in its text form
// ('lexeme':1A,5 'other':2) and the text of its positions ("1A,5"; "" for
// none): one string per row to read is far cheaper than an array.
func tsvectorEntries(s string, fn func(lexeme, positions string)) {
	for i := 0; i < len(s); i++ {
		if s[i] != '\'' {
			continue // the spaces between entries
		}
		var b []byte // only for a lexeme with an escaped character
		start, j := i+1, i+1
		for ; j < len(s); j++ {
			switch {
			case s[j] == '\\' && j+1 < len(s):
				b = append(append(b, s[start:j]...), s[j+1])
				j++
				start = j + 1
			case s[j] == '\'' && j+1 < len(s) && s[j+1] == '\'':
				b = append(append(b, s[start:j]...), '\'')
				j++
				start = j + 1
			case s[j] == '\'':
				goto end
			}
		}
	end:
		lexeme := s[start:min(j, len(s))]
		if b != nil {
			lexeme = string(append(b, lexeme...))
		}
		// The positions hold no quote and no space.
		i = j + 1
		for i < len(s) && s[i] != ' ' {
			i++
		}
		fn(lexeme, strings.TrimPrefix(s[min(j+1, len(s)):i], ":"))
	}
}

// appendPositions appends the positions of their text form ("3A,17,20C")
// as PostgreSQL stores them: the weight (D = 0 … A = 3) in the top two bits.
func appendPositions(pos []uint16, s string) []uint16 {
	for s != "" {
		var p uint16
		i := 0
		for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
			p = p*10 + uint16(s[i]-'0')
		}
		if i < len(s) && s[i] >= 'A' && s[i] <= 'D' {
			p |= uint16('D'-s[i]) << 14
			i++
		}
		pos = append(pos, p)
		s = strings.TrimPrefix(s[i:], ",")
	}
	return pos
}
