package geo

import (
	"math"
	"strconv"
)

// ipoint is a point on the output grid: one unit is one SVG user unit.
type ipoint struct{ x, y int }

// bbox is a bounding box on the output grid.
type bbox struct{ minX, minY, maxX, maxY int }

func (b *bbox) add(p ipoint) {
	b.minX, b.minY = min(b.minX, p.x), min(b.minY, p.y)
	b.maxX, b.maxY = max(b.maxX, p.x), max(b.maxY, p.y)
}

func (b *bbox) union(o bbox) {
	b.add(ipoint{o.minX, o.minY})
	b.add(ipoint{o.maxX, o.maxY})
}

func emptyBBox() bbox { return bbox{math.MaxInt, math.MaxInt, math.MinInt, math.MinInt} }

// quantize rounds a ring to the grid and drops the points that fall onto
// their predecessor. Rounding after simplification keeps shared borders
// shared: equal points round equally.
func quantize(r ring, toGrid func(point) ipoint) []ipoint {
	out := make([]ipoint, 0, len(r))
	for _, p := range r {
		q := toGrid(p)
		if len(out) > 0 && out[len(out)-1] == q {
			continue
		}
		out = append(out, q)
	}
	for len(out) > 1 && out[len(out)-1] == out[0] {
		out = out[:len(out)-1]
	}
	return out
}

// area2 is twice the signed area of a ring.
func area2(r []ipoint) int {
	a := 0
	for i, p := range r {
		q := r[(i+1)%len(r)]
		a += p.x*q.y - q.x*p.y
	}
	return a
}

// pathData writes rings as SVG path data: an absolute moveto, then relative
// lineto coordinates, with h and v for axis-parallel steps, and a closepath.
// Numbers are separated by a space only where no minus sign separates them.
func pathData(buf []byte, rings [][]ipoint) []byte {
	num := func(buf []byte, n int, first bool) []byte {
		if !first && n >= 0 {
			buf = append(buf, ' ')
		}
		return strconv.AppendInt(buf, int64(n), 10)
	}
	for _, r := range rings {
		buf = append(buf, 'M')
		buf = num(buf, r[0].x, true)
		buf = num(buf, r[0].y, false)
		var cmd byte // the previous command: a repeated one is left out
		for i := 1; i < len(r); i++ {
			dx, dy := r[i].x-r[i-1].x, r[i].y-r[i-1].y
			c := byte('l')
			switch {
			case dy == 0:
				c = 'h'
			case dx == 0:
				c = 'v'
			}
			first := c != cmd
			if first {
				buf = append(buf, c)
			}
			switch c {
			case 'h':
				buf = num(buf, dx, first)
			case 'v':
				buf = num(buf, dy, first)
			default:
				buf = num(buf, dx, first)
				buf = num(buf, dy, false)
			}
			cmd = c
		}
		buf = append(buf, 'z')
	}
	return buf
}
