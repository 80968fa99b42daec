package store

import (
	"math"
	"slices"
	"strings"
)

// ts_rank in memory. The search orders every hit by ts_rank of its
// search vector; for a frequent word that meant PostgreSQL reading and
// ranking thousands of rows per request. rank computes the same float4,
// bit for bit, from a textIndex's docs: PostgreSQL's calc_rank without
// normalisation (src/backend/utils/adt/tsrank.c), the same operations in
// the same order and precision (TestRankEqualsPostgreSQL).

// rankWeights are ts_rank's default weights of D, C, B and A.
var rankWeights = [4]float32{0.1, 0.2, 0.4, 1.0}

const (
	maxEntryPos = 1 << 14 // MAXENTRYPOS: positions are below it
	posMask     = maxEntryPos - 1
)

// wordDistances are ts_rank's weights of two words' distance, 1 to 100
// (further apart weigh 1e-30).
var wordDistances = func() (d [101]float32) {
	for w := 1; w <= 100; w++ {
		d[w] = float32(1.0 / float64(1.005+float64(0.05*math.Exp(float64(float32(w))/1.5-2))))
	}
	return d
}()

func wordDistance(w int) float32 {
	if w > 100 {
		return 1e-30
	}
	return wordDistances[w]
}

// rankQuery is a tsquery prepared for ranking: whether its root is & (or
// a phrase), and its operands, sorted and without repeats as ts_rank takes
// them, each as its run of lexemes in the index.
type rankQuery struct {
	and  bool
	runs [][2]int
}

// rankQuery reads the text of a tsquery (as PostgreSQL prints it). ok is
// false for one it cannot rank as PostgreSQL would: a weight, an escaped
// quote, or one word both as itself and as a prefix.
func (ix *textIndex) rankQuery(q string) (rq rankQuery, ok bool) {
	type operand struct {
		lexeme string
		prefix bool
	}
	var ops []operand
	depth, or, and := 0, false, false
	for i := 0; i < len(q); i++ {
		switch c := q[i]; c {
		case '(':
			depth++
		case ')':
			depth--
		case '|':
			or = or || depth == 0
		case '&', '<':
			and = and || depth == 0
			if c == '<' {
				i += strings.IndexByte(q[i:], '>')
			}
		case '\'':
			end := strings.IndexByte(q[i+1:], '\'') + i + 1
			if end == i || strings.HasPrefix(q[end+1:], "'") || strings.Contains(q[i+1:end], `\`) {
				return rq, false
			}
			op := operand{lexeme: q[i+1 : end]}
			i = end
			if strings.HasPrefix(q[i+1:], ":*") {
				op.prefix = true
				i += 2
			}
			if strings.HasPrefix(q[i+1:], ":") || op.prefix && i+1 < len(q) && q[i+1] >= 'A' && q[i+1] <= 'D' {
				return rq, false // a weight
			}
			ops = append(ops, op)
		}
	}
	if len(ops) == 0 || depth != 0 {
		return rq, false
	}
	slices.SortFunc(ops, func(a, b operand) int { return strings.Compare(a.lexeme, b.lexeme) })
	for i, op := range ops {
		if i > 0 && ops[i-1].lexeme == op.lexeme {
			if ops[i-1].prefix != op.prefix {
				return rq, false // which of the two ts_rank keeps is up to its sort
			}
			continue
		}
		lo, hi := ix.run(op.lexeme, op.prefix)
		rq.runs = append(rq.runs, [2]int{lo, hi})
	}
	rq.and = and && !or
	return rq, true
}

// rank is ts_rank(search, q) of row r (calc_rank, no normalisation).
func (ix *textIndex) rank(r int32, q rankQuery, scratch *rankScratch) float32 {
	d := &ix.docs[r]
	if len(d.lex) == 0 {
		return 0
	}
	var res float32
	if q.and && len(q.runs) >= 2 {
		res = d.rankAnd(q, scratch)
	} else {
		res = d.rankOr(q)
	}
	if res < 0 {
		res = 1e-20
	}
	return res
}

// posNull stands for the positions of a lexeme stored without any.
var posNull = []uint16{posMask}

// span is the range [i, j) of the doc's lexemes in the run.
func (d *textDoc) span(run [2]int) (i, j int) {
	i, _ = slices.BinarySearch(d.lex, int32(run[0]))
	for j = i; j < len(d.lex) && int(d.lex[j]) < run[1]; j++ {
	}
	return i, j
}

// positions are those of the doc's i-th lexeme, or posNull (null) for
// one stored without any.
func (d *textDoc) positions(i int) (pos []uint16, null bool) {
	start := int32(0)
	if i > 0 {
		start = d.ends[i-1]
	}
	if start == d.ends[i] {
		return posNull, true
	}
	return d.pos[start:d.ends[i]], false
}

// rankScratch is rankAnd's memory, reused across the rows of one search.
type rankScratch struct {
	pos  [][]uint16
	null []bool
}

// rankAnd is calc_rank_and: every pair of positions of two different
// operands adds the closeness of the two words.
func (d *textDoc) rankAnd(q rankQuery, s *rankScratch) float32 {
	res := float32(-1.0)
	if cap(s.pos) < len(q.runs) {
		s.pos, s.null = make([][]uint16, len(q.runs)), make([]bool, len(q.runs))
	}
	s.pos, s.null = s.pos[:len(q.runs)], s.null[:len(q.runs)]
	clear(s.pos)
	for i, run := range q.runs {
		from, to := d.span(run)
		for e := from; e < to; e++ {
			post, null := d.positions(e)
			s.pos[i], s.null[i] = post, null
			for k := range i {
				ct := s.pos[k]
				if ct == nil {
					continue
				}
				for _, l := range post {
					for _, p := range ct {
						dist := int(l&posMask) - int(p&posMask)
						if dist < 0 {
							dist = -dist
						}
						if dist == 0 && !null && !s.null[k] {
							continue
						}
						if dist == 0 {
							dist = maxEntryPos
						}
						w := float32(float32(rankWeights[l>>14]*rankWeights[p>>14]) * wordDistance(dist))
						curw := float32(math.Sqrt(float64(w)))
						if res < 0 {
							res = curw
						} else {
							res = float32(1.0 - float64((1.0-float64(res))*(1.0-float64(curw))))
						}
					}
				}
			}
		}
	}
	return res
}

// rankOr is calc_rank_or: each operand's occurrences, the heaviest first
// and the others ever less, averaged over the operands.
func (d *textDoc) rankOr(q rankQuery) float32 {
	res := float32(0.0)
	for _, run := range q.runs {
		from, to := d.span(run)
		for e := from; e < to; e++ {
			post, _ := d.positions(e)
			resj, wjm, jm := float32(0.0), float32(-1.0), 0
			for j, p := range post {
				w := rankWeights[p>>14]
				resj = resj + w/float32((j+1)*(j+1))
				if w > wjm {
					wjm, jm = w, j
				}
			}
			res = float32(float64(res) + float64(float32(wjm+resj)-wjm/float32((jm+1)*(jm+1)))/1.64493406685)
		}
	}
	return res / float32(len(q.runs))
}
