package store

import (
	"math/bits"
	"slices"
	"strings"
	"sync"
)

// rowSet is a set of positions in a textIndex's rows, one bit each.
type rowSet []uint64

func newRowSet(n int) rowSet { return make(rowSet, (n+63)/64) }

func (r rowSet) add(p int32) { r[p/64] |= 1 << (p % 64) }

func (r rowSet) has(p int32) bool { return r[p/64]&(1<<(p%64)) != 0 }

// tsEval evaluates the text of a tsquery (as PostgreSQL prints it) over
// the index's postings. It knows lexemes, prefixes (:*), &, |, ! and
// parentheses; a phrase (<->, <N>), a weight or an escaped quote make it
// give up (ok false), and the caller asks PostgreSQL.
type tsEval struct {
	idx *textIndex
	s   string // what is left of the query text
	ok  bool
}

// match finds the positions of the rows whose search vector matches the
// tsquery text q, exactly as `search @@ q` does, without reading a row. ok
// is false for a query it cannot evaluate.
func (idx *textIndex) match(q string) (hits []int32, ok bool) {
	set, ok := idx.matchSet(q)
	if !ok {
		return nil, false
	}
	hits = []int32{} // not nil: nil would be every initiative
	for w, word := range set {
		for word != 0 {
			b := bits.TrailingZeros64(word)
			if p := w*64 + b; p < idx.n {
				hits = append(hits, int32(p))
			}
			word &^= 1 << b
		}
	}
	return hits, true
}

// matchSet is match as a set.
func (idx *textIndex) matchSet(q string) (rowSet, bool) {
	e := &tsEval{idx: idx, s: q, ok: true}
	set := e.or()
	if e.skipSpace(); !e.ok || e.s != "" || set == nil {
		return nil, false
	}
	return set, true
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
	return e.chain("|", e.and, func(a, b uint64) uint64 { return a | b })
}

func (e *tsEval) and() rowSet {
	set := e.chain("&", e.unary, func(a, b uint64) uint64 { return a & b })
	if e.skipSpace(); strings.HasPrefix(e.s, "<") {
		e.ok = false // a phrase
	}
	return set
}

// chain reads operands joined by op and combines their sets word by word.
func (e *tsEval) chain(op string, operand func() rowSet, combine func(a, b uint64) uint64) rowSet {
	set := operand()
	for e.ok && e.next(op) {
		other := operand()
		for i := range set {
			if other != nil {
				set[i] = combine(set[i], other[i])
			}
		}
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
	return e.idx.operandSet(lexeme, prefix)
}

// memoSets bounds the operands whose row sets a textIndex keeps.
const memoSets = 4096

// setMemo keeps the row sets of the operands searched for: the sets of
// a frequent word's beginning (thousands of rows) are made once per index.
type setMemo struct {
	mu   sync.Mutex
	sets map[string]rowSet
}

// operandSet is the set of rows with the lexeme or, as a prefix, a lexeme
// beginning with it; the caller may change it.
func (idx *textIndex) operandSet(lexeme string, prefix bool) rowSet {
	key := lexeme
	if prefix {
		key += ":*"
	}
	if idx.memo != nil {
		idx.memo.mu.Lock()
		set, ok := idx.memo.sets[key]
		idx.memo.mu.Unlock()
		if ok {
			return slices.Clone(set)
		}
	}
	set := newRowSet(idx.n)
	lo, hi := idx.run(lexeme, prefix)
	for _, posting := range idx.postings[lo:hi] {
		for _, p := range posting {
			set.add(p)
		}
	}
	if idx.memo != nil {
		idx.memo.mu.Lock()
		if len(idx.memo.sets) < memoSets {
			idx.memo.sets[key] = slices.Clone(set)
		}
		idx.memo.mu.Unlock()
	}
	return set
}
