package mail

import (
	"net/mail"
	"net/url"
	"strings"
	"testing"
	"time"

	gomail "github.com/wneessen/go-mail"

	"rii/internal/pgtest"
	"rii/internal/store"
)

func TestParseSMTPURL(t *testing.T) {
	for _, tc := range []struct {
		url  string
		want smtpSettings
		err  bool
	}{
		{url: "smtp://mail.example.de", want: smtpSettings{Host: "mail.example.de", Port: 587, Policy: gomail.TLSOpportunistic}},
		{url: "smtp://localhost:25", want: smtpSettings{Host: "localhost", Port: 25, Policy: gomail.TLSOpportunistic}},
		{url: "smtp://rii%40example.de:g%3Aheim@mail.example.de:587", want: smtpSettings{
			Host: "mail.example.de", Port: 587, Policy: gomail.TLSMandatory, Username: "rii@example.de", Password: "g:heim"}},
		{url: "smtps://u:p@mail.example.de", want: smtpSettings{
			Host: "mail.example.de", Port: 465, ImplicitTLS: true, Policy: gomail.TLSMandatory, Username: "u", Password: "p"}},
		{url: "smtps://mail.example.de:2465", want: smtpSettings{Host: "mail.example.de", Port: 2465, ImplicitTLS: true, Policy: gomail.TLSMandatory}},
		{url: "http://mail.example.de", err: true},
		{url: "smtp://:25", err: true},
		{url: "smtp://mail.example.de:0", err: true},
	} {
		u, err := url.Parse(tc.url)
		if err != nil {
			t.Fatal(err)
		}
		got, err := parseSMTPURL(u)
		if (err != nil) != tc.err {
			t.Errorf("parseSMTPURL(%s) error = %v, want error %v", tc.url, err, tc.err)
			continue
		}
		if !tc.err && got != tc.want {
			t.Errorf("parseSMTPURL(%s) = %+v, want %+v", tc.url, got, tc.want)
		}
	}
}

func TestAddressDomain(t *testing.T) {
	for in, want := range map[string]string{
		"RII-Portal <noreply@rii.example.de>": "rii.example.de",
		"noreply@localhost":                   "localhost",
		"kein Absender":                       "localhost",
	} {
		if got := addressDomain(in); got != want {
			t.Errorf("addressDomain(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSMTPSenderWritesAGermanPlainTextMessage(t *testing.T) {
	t.Parallel()
	srv := startServer(t, "127.0.0.1:0", serverOptions{})
	s, err := NewSMTPSender(&url.URL{Scheme: "smtp", Host: srv.Addr}, testFrom)
	if err != nil {
		t.Fatal(err)
	}
	date := time.Date(2026, 11, 24, 14, 5, 0, 0, time.UTC)
	body := "Guten Tag Frau Müller,\n\nbitte bestätigen Sie Ihre Anmeldung:\nhttps://rii.example/anmeldung/bestaetigen?token=äöü-ß\n\nMit freundlichen Grüßen\nIhre Service- und Beratungsstelle\n"
	err = s.Send(t.Context(), Message{
		ID: "outbox.7.123@rii.example", To: "mueller@example.de",
		Subject: "Bestätigung Ihrer Anmeldung – Industriedialog Süd", Body: body, Date: date,
	})
	if err != nil {
		t.Fatal(err)
	}
	got := srv.Received()
	if len(got) != 1 {
		t.Fatalf("server received %d messages, want 1", len(got))
	}
	r := got[0]
	if r.From != "noreply@rii.example" || len(r.To) != 1 || r.To[0] != "mueller@example.de" {
		t.Errorf("envelope from %q to %v", r.From, r.To)
	}
	if r.Subject != "Bestätigung Ihrer Anmeldung – Industriedialog Süd" {
		t.Errorf("Subject = %q", r.Subject)
	}
	if r.MessageID != "<outbox.7.123@rii.example>" {
		t.Errorf("Message-ID = %q", r.MessageID)
	}
	if d, err := mail.ParseDate(r.Header.Get("Date")); err != nil || !d.Equal(date) {
		t.Errorf("Date = %q (%v), want %v", r.Header.Get("Date"), err, date)
	}
	if from, err := mail.ParseAddress(r.Header.Get("From")); err != nil || from.Address != "noreply@rii.example" || from.Name != "RII-Portal" {
		t.Errorf("From = %q", r.Header.Get("From"))
	}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") || !strings.Contains(strings.ToLower(ct), "utf-8") {
		t.Errorf("Content-Type = %q, want UTF-8 plain text", ct)
	}
	if r.Header.Get("Auto-Submitted") != "auto-generated" {
		t.Errorf("Auto-Submitted = %q", r.Header.Get("Auto-Submitted"))
	}
	if strings.Contains(r.Header.Get("User-Agent")+r.Header.Get("X-Mailer"), "go-mail") {
		t.Errorf("the message names the library: %q", r.Header.Get("X-Mailer"))
	}
	if r.Body != body {
		t.Errorf("body = %q, want %q", r.Body, body)
	}
}

func TestSMTPSenderAuthenticatesOnlyOverTLS(t *testing.T) {
	t.Parallel()
	serverTLS, clientTLS := selfSigned(t)
	for _, tc := range []struct {
		name   string
		scheme string
		opt    serverOptions
		ok     bool
	}{
		{"STARTTLS", "smtp", serverOptions{tls: serverTLS, user: "rii", password: "geheim"}, true},
		{"implicit TLS", "smtps", serverOptions{tls: serverTLS, implicit: true, user: "rii", password: "geheim"}, true},
		{"no TLS: password kept back", "smtp", serverOptions{user: "rii", password: "geheim"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := startServer(t, "127.0.0.1:0", tc.opt)
			s, err := NewSMTPSender(&url.URL{Scheme: tc.scheme, Host: srv.Addr, User: url.UserPassword("rii", "geheim")}, testFrom)
			if err != nil {
				t.Fatal(err)
			}
			s.tlsConfig = clientTLS
			err = s.Send(t.Context(), Message{ID: "a@rii.example", To: "b@example.de", Subject: "Test", Body: "Text", Date: time.Now()})
			if tc.ok && (err != nil || len(srv.Received()) != 1) {
				t.Errorf("Send = %v, %d received; want delivered", err, len(srv.Received()))
			}
			if !tc.ok && (err == nil || len(srv.Received()) != 0) {
				t.Errorf("Send = %v, %d received; want refused", err, len(srv.Received()))
			}
		})
	}
}

func TestRefusedRecipientFailsAtOnce(t *testing.T) {
	t.Parallel()
	st := store.New(pgtest.NewPool(t))
	ctx := t.Context()
	srv := startServer(t, "127.0.0.1:0", serverOptions{})
	s, err := NewSMTPSender(&url.URL{Scheme: "smtp", Host: srv.Addr}, testFrom)
	if err != nil {
		t.Fatal(err)
	}
	gone, err := st.EnqueueMail(ctx, "niemand@unbekannt.example", "Einladung", "Text")
	if err != nil {
		t.Fatal(err)
	}
	broken, err := st.EnqueueMail(ctx, "kein Empfänger", "Einladung", "Text")
	if err != nil {
		t.Fatal(err)
	}
	fine, err := st.EnqueueMail(ctx, "jemand@example.de", "Einladung", "Text")
	if err != nil {
		t.Fatal(err)
	}
	w := NewWorker(st, s, testLogger())
	if n, err := w.SendDue(ctx); err != nil || n != 1 {
		t.Fatalf("SendDue = %d, %v; want 1", n, err)
	}
	for id, wantErr := range map[int64]string{gone: "550", broken: "recipient address"} {
		m, err := st.OutboxMessage(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if m.FailedAt == nil || m.Attempts != 1 || !strings.Contains(m.LastError, wantErr) {
			t.Errorf("message to %q: failed %v after %d attempts, error %q; want failed at once with %q",
				m.Recipient, m.FailedAt, m.Attempts, m.LastError, wantErr)
		}
	}
	if m, err := st.OutboxMessage(ctx, fine); err != nil || m.SentAt == nil {
		t.Errorf("good message: %+v, %v; want sent", m, err)
	}
}
