package server

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/go-chi/chi/v5"

	"rii/internal/initiative"
	"rii/internal/input"
	"rii/internal/store"
	"rii/web/components"
	"rii/web/pages"
	"rii/web/paths"
)

// vocabList is one vocabulary as the URL names it ({liste}).
type vocabList struct {
	Key, Title  string
	Vocab       store.Vocab
	Description bool
}

// vocabLists are the vocabularies in page order; {liste} must be one of
// their keys, anything else is 404.
var vocabLists = []vocabList{
	{"themen", "Themen", store.VocabTopics, true},
	{"branchen", "Branchen", store.VocabSectors, false},
	{"zielgruppen", "Zielgruppen", store.VocabTargetGroups, false},
	{"formate", "Formate", store.VocabFormats, false},
	{"rechtsformen", "Rechtsformen", store.VocabLegalForms, false},
}

const (
	vocabNameMin        = 2
	vocabNameMax        = 100
	vocabDescriptionMax = 1000
)

func init() {
	auditLabels["vocabulary.added"] = "Begriff angelegt"
	auditLabels["vocabulary.renamed"] = "Begriff umbenannt"
	auditLabels["vocabulary.deleted"] = "Begriff gelöscht"
}

// vocabListParam is the vocabulary named in the URL.
func vocabListParam(r *http.Request) (vocabList, error) {
	key := chi.URLParam(r, "liste")
	for _, l := range vocabLists {
		if l.Key == key {
			return l, nil
		}
	}
	return vocabList{}, errNotFound
}

// vocabTermParam loads the vocabulary and term named in the URL.
func (s *Server) vocabTermParam(r *http.Request) (vocabList, *store.VocabTerm, error) {
	l, err := vocabListParam(r)
	if err != nil {
		return l, nil, err
	}
	t, err := s.store.VocabTermBySlug(r.Context(), l.Vocab, chi.URLParam(r, "slug"))
	return l, t, err
}

func vocabTermPath(l vocabList, slug string) string {
	return paths.AdminTerms(l.Key, slug)
}

// validTermName checks a term's name and returns it trimmed, with the
// slug it gets, or a German message.
func validTermName(raw string) (name, slug, msg string) {
	if !utf8.ValidString(raw) {
		return "", "", "Der Name enthält ungültige Zeichen."
	}
	name = strings.TrimSpace(raw)
	n := utf8.RuneCountInString(name)
	switch {
	case n == 0:
		return "", "", "Bitte geben Sie einen Namen ein."
	case input.HasControl(name, false):
		return "", "", "Der Name darf keine Steuerzeichen oder Zeilenumbrüche enthalten."
	case n < vocabNameMin:
		return "", "", "Der Name muss mindestens 2 Zeichen lang sein."
	case n > vocabNameMax:
		return "", "", "Der Name darf höchstens 100 Zeichen lang sein."
	}
	slug = initiative.Slugify(name)
	// Slugify falls back to "initiative" for names without letters it can spell.
	if slug == "initiative" && !strings.EqualFold(name, "initiative") {
		return "", "", "Der Name braucht mindestens einen Buchstaben von A bis Z oder eine Ziffer."
	}
	return name, slug, ""
}

// validTermDescription checks a topic's description; line breaks and tabs
// are fine, other control characters are not.
func validTermDescription(raw string) (string, string) {
	if !utf8.ValidString(raw) {
		return "", "Die Beschreibung enthält ungültige Zeichen."
	}
	d := strings.TrimSpace(strings.ReplaceAll(raw, "\r\n", "\n"))
	if input.HasControl(d, true) {
		return "", "Die Beschreibung darf keine Steuerzeichen enthalten."
	}
	if utf8.RuneCountInString(d) > vocabDescriptionMax {
		return "", "Die Beschreibung darf höchstens 1000 Zeichen lang sein."
	}
	return d, ""
}

const termTakenMsg = "Diesen Begriff gibt es in der Liste schon (gleicher Name oder gleiche Kennung). Bitte wählen Sie einen anderen Namen."

// vocabListView builds the page of all vocabularies; failed is the list
// whose add form f failed ("" for none).
func (s *Server) vocabListView(r *http.Request, failed string, f components.Form) (pages.VocabListView, error) {
	v := pages.VocabListView{Frame: s.frame(r, "Begriffe"), Form: components.NewForm()}
	for _, l := range vocabLists {
		terms, err := s.store.VocabTerms(r.Context(), l.Vocab)
		if err != nil {
			return v, err
		}
		sec := pages.VocabSection{Key: l.Key, Title: l.Title, Action: paths.AdminTerms(l.Key),
			NameField: l.Key + "-name", Form: components.NewForm()}
		if l.Description {
			sec.DescriptionField = l.Key + "-beschreibung"
		}
		if l.Key == failed {
			sec.Form, v.Form = f, f
		}
		for _, t := range terms {
			sec.Rows = append(sec.Rows, pages.VocabRow{Name: t.Name, Description: t.Description, Uses: t.Uses, Href: vocabTermPath(l, t.Slug)})
		}
		v.Lists = append(v.Lists, sec)
	}
	return v, nil
}

func (s *Server) listVocab(w http.ResponseWriter, r *http.Request) error {
	v, err := s.vocabListView(r, "", components.NewForm())
	if err != nil {
		return err
	}
	return s.render(w, r, pages.VocabList(v))
}

// createVocabTerm appends a term; a taken name or slug is found by the
// database's unique constraints, not by a check beforehand.
func (s *Server) createVocabTerm(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	l, err := vocabListParam(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	nameField, descField := l.Key+"-name", l.Key+"-beschreibung"
	f := components.NewForm()
	f.Values[nameField] = r.PostForm.Get(nameField)
	name, slug, msg := validTermName(f.Values[nameField])
	if msg != "" {
		f.Fail(nameField, msg)
	}
	var desc string
	if l.Description {
		f.Values[descField] = r.PostForm.Get(descField)
		if desc, msg = validTermDescription(f.Values[descField]); msg != "" {
			f.Fail(descField, msg)
		}
	}
	if f.OK() {
		err = s.store.InTx(ctx, func(tx *store.Store) error {
			if err := tx.AddVocabTerm(ctx, l.Vocab, slug, name, desc); err != nil {
				return err
			}
			return s.audit(r, tx, nil, "vocabulary.added", "vocabulary", string(l.Vocab)+"/"+slug, map[string]any{"name": name})
		})
		if errors.Is(err, store.ErrTermTaken) {
			f.Fail(nameField, termTakenMsg)
		} else if err != nil {
			return err
		}
	}
	if !f.OK() {
		v, err := s.vocabListView(r, l.Key, sanitizedForm(f))
		if err != nil {
			return err
		}
		return s.renderStatus(w, r, http.StatusUnprocessableEntity, pages.VocabList(v))
	}
	s.flash(r, "„"+name+"“ ist zu den "+l.Title+" hinzugefügt.")
	http.Redirect(w, r, "/verwaltung/begriffe#liste-"+l.Key, http.StatusSeeOther)
	return nil
}

// sanitizedForm drops values that are not valid UTF-8, so the re-rendered
// form never echoes broken bytes.
func sanitizedForm(f components.Form) components.Form {
	for k, v := range f.Values {
		if !utf8.ValidString(v) {
			f.Values[k] = strings.ToValidUTF8(v, "")
		}
	}
	return f
}

func (s *Server) vocabEditView(r *http.Request, l vocabList, t *store.VocabTerm, f components.Form) pages.VocabEditView {
	if len(f.Values) == 0 {
		f.Values = map[string]string{"name": t.Name, "beschreibung": t.Description}
	}
	return pages.VocabEditView{Frame: s.frame(r, t.Name), ListTitle: l.Title, Slug: t.Slug, Uses: t.Uses,
		Description: l.Description, Form: f, DeleteForm: components.NewForm(), Action: vocabTermPath(l, t.Slug)}
}

func (s *Server) editVocabTerm(w http.ResponseWriter, r *http.Request) error {
	l, t, err := s.vocabTermParam(r)
	if err != nil {
		return err
	}
	return s.render(w, r, pages.VocabEdit(s.vocabEditView(r, l, t, components.NewForm())))
}

// updateVocabTerm renames a term; its slug stays, so addresses, filters
// and the initiatives' links keep working.
func (s *Server) updateVocabTerm(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	l, t, err := s.vocabTermParam(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	f := components.NewForm()
	f.Values["name"] = r.PostForm.Get("name")
	name, _, msg := validTermName(f.Values["name"])
	if msg != "" {
		f.Fail("name", msg)
	}
	desc := t.Description
	if l.Description {
		f.Values["beschreibung"] = r.PostForm.Get("beschreibung")
		if desc, msg = validTermDescription(f.Values["beschreibung"]); msg != "" {
			f.Fail("beschreibung", msg)
		}
	}
	if f.OK() && (name != t.Name || desc != t.Description) {
		err = s.store.InTx(ctx, func(tx *store.Store) error {
			if err := tx.RenameVocabTerm(ctx, l.Vocab, t.Slug, name, desc); err != nil {
				return err
			}
			return s.audit(r, tx, nil, "vocabulary.renamed", "vocabulary", string(l.Vocab)+"/"+t.Slug,
				map[string]any{"from": t.Name, "to": name, "description_changed": desc != t.Description})
		})
		if errors.Is(err, store.ErrTermTaken) {
			f.Fail("name", termTakenMsg)
		} else if err != nil {
			return err
		}
	}
	if !f.OK() {
		return s.renderStatus(w, r, http.StatusUnprocessableEntity, pages.VocabEdit(s.vocabEditView(r, l, t, sanitizedForm(f))))
	}
	s.flash(r, "„"+name+"“ ist gespeichert.")
	http.Redirect(w, r, vocabTermPath(l, t.Slug), http.StatusSeeOther)
	return nil
}

// deleteVocabTerm deletes a term no initiative uses, once confirmed; a
// used term stays and the page says why. The database's foreign keys have
// the last word if the term was linked meanwhile.
func (s *Server) deleteVocabTerm(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	l, t, err := s.vocabTermParam(r)
	if err != nil {
		return err
	}
	if t.Uses > 0 {
		v := s.vocabEditView(r, l, t, components.NewForm())
		v.DeleteError = termInUseMessage(t.Name, t.Uses)
		return s.renderStatus(w, r, http.StatusUnprocessableEntity, pages.VocabEdit(v))
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	if r.PostForm.Get("bestaetigt") != "ja" {
		v := s.vocabEditView(r, l, t, components.NewForm())
		v.DeleteForm.Fail("bestaetigt", "Bitte bestätigen Sie, dass Sie den Begriff löschen möchten.")
		return s.renderStatus(w, r, http.StatusUnprocessableEntity, pages.VocabEdit(v))
	}
	err = s.store.InTx(ctx, func(tx *store.Store) error {
		if err := tx.DeleteVocabTerm(ctx, l.Vocab, t.Slug); err != nil {
			return err
		}
		return s.audit(r, tx, nil, "vocabulary.deleted", "vocabulary", string(l.Vocab)+"/"+t.Slug, map[string]any{"name": t.Name})
	})
	var inUse *store.TermInUseError
	if errors.As(err, &inUse) {
		if fresh, err := s.store.VocabTermBySlug(ctx, l.Vocab, t.Slug); err == nil {
			t = fresh
		}
		v := s.vocabEditView(r, l, t, components.NewForm())
		v.DeleteError = termInUseMessage(t.Name, max(t.Uses, inUse.Uses))
		return s.renderStatus(w, r, http.StatusUnprocessableEntity, pages.VocabEdit(v))
	}
	if err != nil {
		return err
	}
	s.flash(r, "„"+t.Name+"“ ist gelöscht.")
	http.Redirect(w, r, "/verwaltung/begriffe#liste-"+l.Key, http.StatusSeeOther)
	return nil
}

func termInUseMessage(name string, n int) string {
	who := strconv.Itoa(n) + " Initiativen"
	if n == 1 {
		who = "1 Initiative"
	}
	return "„" + name + "“ wird von " + who + " verwendet und kann nicht gelöscht werden."
}
