// Command codecount measures what issue 12 asks to keep down in the
// hand-written code (no tests, no generated *_templ.go): how often a form
// field's name is spelled, conflict panels, pgx.ErrNoRows checks, portal
// addresses glued by hand, KERN alerts written out, and handlers over 60
// lines.
//
//	go run ./cmd/codecount [-root DIR] [-field plaetze -field dachzeile …]
package main

import (
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

type fieldList []string

func (l *fieldList) String() string     { return strings.Join(*l, ",") }
func (l *fieldList) Set(v string) error { *l = append(*l, v); return nil }

func main() {
	root := flag.String("root", ".", "repository root")
	var fields fieldList
	flag.Var(&fields, "field", "a form field name to count (repeatable)")
	flag.Parse()
	if len(fields) == 0 {
		fields = fieldList{"plaetze", "dachzeile", "funktion", "gruendungsjahr"}
	}
	files, err := sources(*root)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	c, err := count(files, fields)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	c.print(os.Stdout)
}

// source is one hand-written file: its path and text.
type source struct {
	path, text string
}

// sources reads the hand-written .go and .templ files below root.
func sources(root string) ([]source, error) {
	var out []source
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			// codecount names the fields it counts: it does not count itself.
			if n := d.Name(); p != root && (strings.HasPrefix(n, ".") || n == "node_modules" || n == "testdata" || n == "codecount") {
				return filepath.SkipDir
			}
			return nil
		}
		n := d.Name()
		if strings.HasSuffix(n, "_test.go") || strings.HasSuffix(n, "_templ.go") ||
			!(strings.HasSuffix(n, ".go") || strings.HasSuffix(n, ".templ")) {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		out = append(out, source{path: rel, text: string(b)})
		return nil
	})
	return out, err
}

// counts are the figures of one tree.
type counts struct {
	fieldUses, fieldFiles map[string]int
	conflictPanels        int
	errNoRows             int
	handBuiltPaths        []string
	kernAlerts            int
	longHandlers          []string
}

var (
	conflictPanel = regexp.MustCompile(`(?m)^templ \w*[Cc]onflict\w*\(`)
	kernAlert     = regexp.MustCompile(`class="kern-alert[ "]`)
	// In templ files: a path literal glued to something, e.g. "/x/" + v.Slug.
	templPath = regexp.MustCompile(`"/[^"\s]*/"\s*\+|\+\s*"/"\s*\+`)
)

func count(files []source, fields []string) (counts, error) {
	c := counts{fieldUses: map[string]int{}, fieldFiles: map[string]int{}}
	consts, err := fieldConstants(files, fields)
	if err != nil {
		return c, err
	}
	for _, f := range files {
		for _, name := range fields {
			n := strings.Count(f.text, strconv.Quote(name))
			for _, k := range consts[name] { // uses of a constant spelling the name
				n += len(regexp.MustCompile(`\b`+k+`\b`).FindAllString(f.text, -1))
			}
			if n > 0 {
				c.fieldUses[name] += n
				c.fieldFiles[name]++
			}
		}
		if strings.HasSuffix(f.path, ".templ") {
			c.conflictPanels += len(conflictPanel.FindAllString(f.text, -1))
			if !strings.HasSuffix(f.path, "components/alert.templ") {
				c.kernAlerts += len(kernAlert.FindAllString(f.text, -1))
			}
			for _, m := range templPath.FindAllStringIndex(f.text, -1) {
				c.handBuiltPaths = append(c.handBuiltPaths, fmt.Sprintf("%s:%d", f.path, 1+strings.Count(f.text[:m[0]], "\n")))
			}
			continue
		}
		fset := token.NewFileSet()
		file, err := parser.ParseFile(fset, f.path, f.text, 0)
		if err != nil {
			return c, err
		}
		c.errNoRows += strings.Count(f.text, "pgx.ErrNoRows)")
		for _, pos := range handBuiltPaths(file) {
			c.handBuiltPaths = append(c.handBuiltPaths, fmt.Sprintf("%s:%d", f.path, fset.Position(pos).Line))
		}
		for _, h := range longHandlers(fset, file, 60) {
			c.longHandlers = append(c.longHandlers, f.path+": "+h)
		}
	}
	return c, nil
}

// fieldConstants finds the Go constants whose value is a field's name
// (const FieldKicker = "dachzeile"): each use of one names the field too.
func fieldConstants(files []source, fields []string) (map[string][]string, error) {
	out := map[string][]string{}
	for _, f := range files {
		if !strings.HasSuffix(f.path, ".go") {
			continue
		}
		file, err := parser.ParseFile(token.NewFileSet(), f.path, f.text, 0)
		if err != nil {
			return nil, err
		}
		ast.Inspect(file, func(n ast.Node) bool {
			g, ok := n.(*ast.GenDecl)
			if !ok || g.Tok != token.CONST {
				return true
			}
			for _, sp := range g.Specs {
				vs := sp.(*ast.ValueSpec)
				for i, v := range vs.Values {
					for _, name := range fields {
						if stringLit(v) == name {
							out[name] = append(out[name], vs.Names[i].Name)
						}
					}
				}
			}
			return false
		})
	}
	return out, nil
}

// handBuiltPaths finds portal addresses glued by hand: a string literal
// that starts with "/" and ends with "/" ("/initiativen/" + slug), or a
// lone "/" between two values (base + "/" + id), as an operand of +.
func handBuiltPaths(file *ast.File) []token.Pos {
	var out []token.Pos
	ast.Inspect(file, func(n ast.Node) bool {
		b, ok := n.(*ast.BinaryExpr)
		if !ok || b.Op != token.ADD {
			return true
		}
		// a + "/" + b parses as (a + "/") + b.
		if inner, ok := b.X.(*ast.BinaryExpr); ok && inner.Op == token.ADD && stringLit(inner.Y) == "/" {
			out = append(out, inner.Y.Pos())
			return true
		}
		for _, e := range []ast.Expr{b.X, b.Y} {
			if s := stringLit(e); len(s) > 1 && strings.HasPrefix(s, "/") && strings.HasSuffix(s, "/") && !strings.Contains(s, " ") {
				out = append(out, e.Pos())
			}
		}
		return true
	})
	return out
}

// stringLit is the value of a string literal, "" for anything else.
func stringLit(e ast.Expr) string {
	lit, ok := e.(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		return ""
	}
	s, _ := strconv.Unquote(lit.Value)
	return s
}

// longHandlers lists the HTTP handlers (a ResponseWriter and a *Request
// as parameters) whose body is longer than max lines.
func longHandlers(fset *token.FileSet, file *ast.File, max int) []string {
	var out []string
	for _, d := range file.Decls {
		fn, ok := d.(*ast.FuncDecl)
		if !ok || fn.Body == nil || !isHandler(fn.Type) {
			continue
		}
		lines := fset.Position(fn.Body.Rbrace).Line - fset.Position(fn.Body.Lbrace).Line - 1
		if lines > max {
			out = append(out, fmt.Sprintf("%s %d lines", fn.Name.Name, lines))
		}
	}
	return out
}

func isHandler(t *ast.FuncType) bool {
	var w, r bool
	for _, p := range t.Params.List {
		switch x := p.Type.(type) {
		case *ast.SelectorExpr:
			w = w || x.Sel.Name == "ResponseWriter"
		case *ast.StarExpr:
			if sel, ok := x.X.(*ast.SelectorExpr); ok {
				r = r || sel.Sel.Name == "Request"
			}
		}
	}
	return w && r
}

func (c counts) print(w *os.File) {
	names := make([]string, 0, len(c.fieldUses))
	for n := range c.fieldUses {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "field %q: %d occurrences in %d files\n", n, c.fieldUses[n], c.fieldFiles[n])
	}
	fmt.Fprintf(w, "conflict panels (templ components): %d\n", c.conflictPanels)
	fmt.Fprintf(w, "pgx.ErrNoRows checks: %d\n", c.errNoRows)
	fmt.Fprintf(w, "KERN alerts written out (outside components/alert.templ): %d\n", c.kernAlerts)
	fmt.Fprintf(w, "hand-built paths: %d\n", len(c.handBuiltPaths))
	for _, p := range c.handBuiltPaths {
		fmt.Fprintf(w, "  %s\n", p)
	}
	fmt.Fprintf(w, "handlers over 60 lines: %d\n", len(c.longHandlers))
	for _, h := range c.longHandlers {
		fmt.Fprintf(w, "  %s\n", h)
	}
}
