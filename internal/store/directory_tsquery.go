package store

import (
	"math/bits"
	"slices"
	"strings"
)

// rowSet is a set of positions in dirIndex.rows, one bit each.
type rowSet []uint64

func newRowSet(n int) rowSet { return make(rowSet, (n+63)/64) }

func (r rowSet) add(p int32) { r[p/64] |= 1 << (p % 64) }

// tsEval evaluates the text of a tsquery (as PostgreSQL prints it) over
// the index's postings. It knows lexemes, prefixes (:*), &, |, ! and
// parentheses; a phrase (<->, <N>), a weight or an escaped quote make it
// give up (ok false), and the caller asks PostgreSQL.
type tsEval struct {
	idx *dirIndex
	s   string // what is left of the query text
	ok  bool
}

// match finds the positions in rows of the initiatives whose search
// vector matches the tsquery text q, exactly as `search @@ q` does, without
// reading a row. ok is false for a query it cannot evaluate.
func (idx *dirIndex) match(q string) (hits []int32, ok bool) {
	e := &tsEval{idx: idx, s: q, ok: true}
	set := e.or()
	if e.skipSpace(); !e.ok || e.s != "" || set == nil {
		return nil, false
	}
	hits = []int32{} // not nil: nil would be every initiative
	for w, word := range set {
		for word != 0 {
			b := bits.TrailingZeros64(word)
			if p := w*64 + b; p < len(idx.rows) {
				hits = append(hits, int32(p))
			}
			word &^= 1 << b
		}
	}
	return hits, true
}

func (e *tsEval) skipSpace() { e.s = strings.TrimLeft(e.s, " ") }

// next consumes op if the query continues with it.
func (e *tsEval) next(op string) bool {
	e.skipSpace()
	if rest, found := strings.CutPrefix(e.s, op); found {
		e.s = rest
		return true
	}
	return false
}

func (e *tsEval) or() rowSet {
	set := e.and()
	for e.ok && e.next("|") {
		other := e.and()
		for i := range set {
			if other != nil {
				set[i] |= other[i]
			}
		}
	}
	return set
}

func (e *tsEval) and() rowSet {
	set := e.unary()
	for e.ok && e.next("&") {
		other := e.unary()
		for i := range set {
			if other != nil {
				set[i] &= other[i]
			}
		}
	}
	if e.skipSpace(); strings.HasPrefix(e.s, "<") {
		e.ok = false // a phrase
	}
	return set
}

func (e *tsEval) unary() rowSet {
	switch {
	case !e.ok:
		return nil
	case e.next("!"):
		set := e.unary()
		for i := range set {
			set[i] = ^set[i]
		}
		return set
	case e.next("("):
		set := e.or()
		if !e.next(")") {
			e.ok = false
		}
		return set
	}
	return e.operand()
}

// operand is the rows with a lexeme: 'word' or, as a prefix, 'word':*.
func (e *tsEval) operand() rowSet {
	e.skipSpace()
	if !strings.HasPrefix(e.s, "'") {
		e.ok = false
		return nil
	}
	end := strings.IndexByte(e.s[1:], '\'') + 1
	if end == 0 || strings.HasPrefix(e.s[end+1:], "'") || strings.Contains(e.s[1:end], `\`) {
		e.ok = false // unterminated, or an escaped quote or backslash
		return nil
	}
	lexeme := e.s[1:end]
	e.s = e.s[end+1:]
	prefix := false
	if rest, found := strings.CutPrefix(e.s, ":*"); found {
		e.s, prefix = rest, true
	}
	if strings.HasPrefix(e.s, ":") || lexeme == "" {
		e.ok = false // a weight
		return nil
	}
	set := newRowSet(len(e.idx.rows))
	i, _ := slices.BinarySearch(e.idx.lexemes, lexeme)
	for ; i < len(e.idx.lexemes); i++ {
		l := e.idx.lexemes[i]
		if l != lexeme && !(prefix && strings.HasPrefix(l, lexeme)) {
			break
		}
		for _, p := range e.idx.postings[i] {
			set.add(p)
		}
	}
	return set
}
