package main

import (
	"go/parser"
	"go/token"
	"strings"
	"testing"
)

func TestCount(t *testing.T) {
	t.Parallel()
	src := `package x

import "net/http"

const fieldTitle = "titel"

func show(w http.ResponseWriter, r *http.Request) error {
	a := "/initiativen/" + slug + "/verlauf" // glued
	b := base + "/" + id                   // glued
	c := base + "/"                          // a trailing slash, not glued
	d := "/verwaltung" + "/neu"              // literals only
	_ = errors.Is(err, pgx.ErrNoRows)
	f.Values[fieldTitle] = "x"
` + strings.Repeat("\t_ = 1\n", 60) + `	return nil
}
`
	c, err := count([]source{{path: "x.go", text: src},
		{path: "p.templ", text: "templ fooConflictPanel() {\n<div class=\"kern-alert kern-alert--info\"></div><a href={ \"/x/\" + v.Slug }></a>\n}"}},
		[]string{"titel"})
	if err != nil {
		t.Fatal(err)
	}
	if c.fieldUses["titel"] != 3 || c.fieldFiles["titel"] != 1 { // the literal, the constant, its use
		t.Errorf("field uses %d in %d files, want 3 in 1", c.fieldUses["titel"], c.fieldFiles["titel"])
	}
	if strings.Join(c.handBuiltPaths, " ") != "x.go:8 x.go:9 p.templ:2" {
		t.Errorf("hand-built paths %v, want x.go:8 x.go:9 p.templ:2", c.handBuiltPaths)
	}
	if c.errNoRows != 1 || c.conflictPanels != 1 || c.kernAlerts != 1 || len(c.longHandlers) != 1 {
		t.Errorf("counts %+v", c)
	}
	fset := token.NewFileSet()
	file, err := parser.ParseFile(fset, "x.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	var lines []int
	for _, p := range handBuiltPaths(file) {
		lines = append(lines, fset.Position(p).Line)
	}
	if len(lines) != 2 || lines[0] != 8 || lines[1] != 9 {
		t.Errorf("glued at lines %v, want [8 9]", lines)
	}
}
