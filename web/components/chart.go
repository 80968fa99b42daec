package components

import (
	"strconv"
	"strings"
)

// Chart is a one-series bar chart drawn as SVG on the server: columns
// (categories along the bottom, for time) or bars (categories down the
// left, for names). Each bar carries its value as a direct label, so the
// chart needs no colour legend and reads the same in black and white.
// ChartTable renders the same numbers as a table; Summary is the text
// alternative. Build it with NewColumnChart or NewBarChart.
type Chart struct {
	ID      string // unique on the page; prefixes the element ids
	Title   string // caption of the chart and its table
	Summary string // text alternative: what the chart shows, its extremes
	// CategoryLabel and ValueLabel head the table's columns.
	CategoryLabel, ValueLabel string
	Horizontal                bool
	Width, Height             int
	Bars                      []ChartBar
	// Baseline is the axis line: x1, y1, x2, y2.
	Baseline [4]int
}

// ChartBar is one bar with its geometry and labels.
type ChartBar struct {
	Label   string
	Value   int
	X, Y    int // top left of the bar
	W, H    int
	ValueX  int // anchor of the value label
	ValueY  int
	LabelX  int // anchor of the category label
	LabelY  int
	ShowCat bool // false: the category label is left out for space (the table has it)
}

// Chart geometry, in SVG user units.
const (
	columnSlot   = 44 // width per column
	columnHeight = 180
	chartTop     = 22 // room for the value labels above the tallest column
	chartBottom  = 28 // room for the category labels
	barHeight    = 22 // height per bar, horizontal charts
	barLabelW    = 230
	barAreaW     = 300
	barValueW    = 60
)

// NewColumnChart lays out vertical columns, one per label, scaled to the
// largest value. Category labels are thinned to every k-th when there are
// more than 16, the last always shown.
func NewColumnChart(id, title, categoryLabel, valueLabel string, labels []string, values []int) Chart {
	c := Chart{ID: id, Title: title, CategoryLabel: categoryLabel, ValueLabel: valueLabel}
	top := maxOf(values)
	c.Width = max(len(labels)*columnSlot, 2*columnSlot)
	c.Height = chartTop + columnHeight + chartBottom
	base := chartTop + columnHeight
	step := (len(labels) + 15) / 16
	for i, l := range labels {
		h := scale(values[i], top, columnHeight)
		x := i*columnSlot + 6
		c.Bars = append(c.Bars, ChartBar{Label: l, Value: values[i], X: x, Y: base - h, W: columnSlot - 12, H: h,
			ValueX: x + (columnSlot-12)/2, ValueY: base - h - 6, LabelX: x + (columnSlot-12)/2, LabelY: base + 18,
			ShowCat: i%step == 0 || i == len(labels)-1})
	}
	c.Baseline = [4]int{0, base, c.Width, base}
	c.Summary = summarise(title, categoryLabel, valueLabel, labels, values)
	return c
}

// NewBarChart lays out horizontal bars, one per label, names on the left.
func NewBarChart(id, title, categoryLabel, valueLabel string, labels []string, values []int) Chart {
	c := Chart{ID: id, Title: title, CategoryLabel: categoryLabel, ValueLabel: valueLabel, Horizontal: true}
	top := maxOf(values)
	c.Width = barLabelW + barAreaW + barValueW
	c.Height = max(len(labels), 1)*barHeight + 8
	for i, l := range labels {
		w := scale(values[i], top, barAreaW)
		y := 4 + i*barHeight
		c.Bars = append(c.Bars, ChartBar{Label: l, Value: values[i], X: barLabelW, Y: y + 3, W: w, H: barHeight - 6,
			ValueX: barLabelW + w + 6, ValueY: y + barHeight/2 + 5, LabelX: barLabelW - 8, LabelY: y + barHeight/2 + 5, ShowCat: true})
	}
	c.Baseline = [4]int{barLabelW, 0, barLabelW, c.Height}
	c.Summary = summarise(title, categoryLabel, valueLabel, labels, values)
	return c
}

// scale maps v in [0, top] to [0, size], at least 1 for a positive v so
// that a small value stays visible.
func scale(v, top, size int) int {
	if v <= 0 || top <= 0 {
		return 0
	}
	return max(1, v*size/top)
}

func maxOf(values []int) int {
	m := 0
	for _, v := range values {
		m = max(m, v)
	}
	return m
}

// summarise is the chart's text alternative: what it shows, over which
// categories, the largest value and the total.
func summarise(title, categoryLabel, valueLabel string, labels []string, values []int) string {
	if len(labels) == 0 {
		return title + ": keine Daten."
	}
	top, at, sum := -1, 0, 0
	for i, v := range values {
		sum += v
		if v > top {
			top, at = v, i
		}
	}
	var b strings.Builder
	b.WriteString("Balkendiagramm „" + title + "“: " + valueLabel + " je " + categoryLabel)
	if len(labels) > 1 {
		b.WriteString(", " + strconv.Itoa(len(labels)) + " Werte von " + labels[0] + " bis " + labels[len(labels)-1])
	}
	b.WriteString(". Höchster Wert: " + formatCount(top) + " (" + labels[at] + "); zusammen " + formatCount(sum) +
		". Alle Zahlen stehen in der Tabelle zum Diagramm.")
	return b.String()
}

func (c Chart) id(suffix string) string { return c.ID + "-" + suffix }

func itoa(n int) string { return strconv.Itoa(n) }
