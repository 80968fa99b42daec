package mail

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"io"
	"math/big"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// testServer is a real SMTP server on 127.0.0.1 that keeps what it receives.
type testServer struct {
	Addr string
	srv  *smtp.Server
	// user and password, if set, must authenticate before MAIL.
	user, password string

	mu       sync.Mutex
	received []received
}

// received is one message as the server got it, headers decoded.
type received struct {
	From      string
	To        []string
	Header    mail.Header
	MessageID string
	Subject   string
	Body      string
}

// serverOptions shape a testServer.
type serverOptions struct {
	// tls offers STARTTLS with this configuration, or implicit TLS with implicit.
	tls      *tls.Config
	implicit bool
	// user and password turn on AUTH PLAIN.
	user, password string
}

// startServer serves SMTP on addr ("127.0.0.1:0" for any port) until the test ends.
func startServer(t *testing.T, addr string, opt serverOptions) *testServer {
	t.Helper()
	ts := &testServer{user: opt.user, password: opt.password}
	ts.srv = smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) {
		return &testSession{ts: ts}, nil
	}))
	ts.srv.Domain = "localhost"
	ts.srv.ReadTimeout, ts.srv.WriteTimeout = 10*time.Second, 10*time.Second
	ts.srv.TLSConfig = opt.tls
	var l net.Listener
	var err error
	if opt.implicit {
		l, err = tls.Listen("tcp", addr, opt.tls)
	} else {
		l, err = net.Listen("tcp", addr)
	}
	if err != nil {
		t.Fatalf("smtp test server: %v", err)
	}
	ts.Addr = l.Addr().String()
	go ts.srv.Serve(l)
	t.Cleanup(func() { ts.srv.Close() })
	return ts
}

// Received returns a copy of what arrived so far.
func (ts *testServer) Received() []received {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return append([]received(nil), ts.received...)
}

type testSession struct {
	ts     *testServer
	authed bool
	from   string
	to     []string
}

func (s *testSession) AuthMechanisms() []string {
	if s.ts.user == "" {
		return nil
	}
	return []string{sasl.Plain}
}

func (s *testSession) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, password string) error {
		if user != s.ts.user || password != s.ts.password {
			return smtp.ErrAuthFailed
		}
		s.authed = true
		return nil
	}), nil
}

func (s *testSession) Mail(from string, _ *smtp.MailOptions) error {
	if s.ts.user != "" && !s.authed {
		return smtp.ErrAuthRequired
	}
	s.from = from
	return nil
}

// Rcpt refuses addresses at unbekannt.example for good, as a server does
// with an address that does not exist.
func (s *testSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	if strings.HasSuffix(to, "@unbekannt.example") {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "Mailbox unavailable"}
	}
	s.to = append(s.to, to)
	return nil
}

func (s *testSession) Data(r io.Reader) error {
	msg, err := mail.ReadMessage(r)
	if err != nil {
		return err
	}
	var dec mime.WordDecoder
	subject, err := dec.DecodeHeader(msg.Header.Get("Subject"))
	if err != nil {
		return err
	}
	body := msg.Body
	if strings.EqualFold(msg.Header.Get("Content-Transfer-Encoding"), "quoted-printable") {
		body = quotedprintable.NewReader(body)
	}
	text, err := io.ReadAll(body)
	if err != nil {
		return err
	}
	s.ts.mu.Lock()
	defer s.ts.mu.Unlock()
	s.ts.received = append(s.ts.received, received{
		From: s.from, To: s.to, Header: msg.Header,
		MessageID: msg.Header.Get("Message-Id"), Subject: subject,
		Body: strings.ReplaceAll(string(text), "\r\n", "\n"),
	})
	return nil
}

func (s *testSession) Reset()        { s.from, s.to = "", nil }
func (s *testSession) Logout() error { return nil }

// unusedAddr returns a loopback address on which nothing listens (for now).
func unusedAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	return addr
}

// selfSigned returns a server configuration with a certificate for
// 127.0.0.1 and a client configuration that trusts it.
func selfSigned(t *testing.T) (server, client *tls.Config) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "127.0.0.1"},
		IPAddresses:  []net.IP{net.ParseIP("127.0.0.1")},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	server = &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}
	client = &tls.Config{RootCAs: pool, ServerName: "127.0.0.1", MinVersion: tls.VersionTLS12}
	return server, client
}
