package server

import (
	"testing"

	"rii/internal/browsertest"
)

func TestZZReportAxe(t *testing.T) {
	b := browsertest.Shared(t)
	w := newWorld(t)
	w.addEvent()
	ctx := b.Tab(t)
	for _, p := range []string{"/berichte", "/berichte/testdialog"} {
		browsertest.CheckPage(t, ctx, w.ts.URL+p)
	}
	ctx2 := b.Tab(t)
	browserSignIn(t, ctx2, w.ts.URL, w, "admin")
	for _, p := range []string{editorPath(w.event.ID), editorPath(w.event.ID) + "/verlauf"} {
		browsertest.CheckPage(t, ctx2, w.ts.URL+p)
	}
}
