package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net/mail"
	"net/url"
	"strconv"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"

	"rii/internal/store"
)

// smtpTimeout bounds connecting and each SMTP command.
const smtpTimeout = 15 * time.Second

// SMTPSender sends messages through one SMTP server, one connection per
// message: the portal sends few e-mails, and a broken connection then costs
// only the message on it.
type SMTPSender struct {
	from     string
	settings smtpSettings
	// tlsConfig replaces the default (system roots, TLS 1.2+); tests use it
	// to trust their own certificate.
	tlsConfig *tls.Config
}

// smtpSettings is what an RII_SMTP_URL says.
type smtpSettings struct {
	Host string
	Port int
	// ImplicitTLS is smtps://: TLS from the first byte (port 465).
	ImplicitTLS bool
	// Policy is the STARTTLS policy of smtp:// URLs.
	Policy             gomail.TLSPolicy
	Username, Password string
}

// parseSMTPURL reads smtp://[user:password@]host[:port] and
// smtps://[user:password@]host[:port].
//
// smtp:// uses STARTTLS whenever the server offers it, and insists on it
// when a password is to be sent: a local relay without TLS still works, but
// credentials never cross the network in clear (go-mail would also refuse
// PLAIN and LOGIN without TLS, but this way the log says why).
func parseSMTPURL(u *url.URL) (smtpSettings, error) {
	s := smtpSettings{Host: u.Hostname()}
	if s.Host == "" {
		return s, errors.New("mail: SMTP URL has no host")
	}
	switch u.Scheme {
	case "smtp":
		s.Port, s.Policy = 587, gomail.TLSOpportunistic
	case "smtps":
		s.Port, s.ImplicitTLS, s.Policy = 465, true, gomail.TLSMandatory
	default:
		return s, fmt.Errorf("mail: SMTP URL scheme %q: want smtp or smtps", u.Scheme)
	}
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return s, fmt.Errorf("mail: SMTP URL port %q: want 1 to 65535", p)
		}
		s.Port = n
	}
	if u.User != nil {
		s.Username = u.User.Username()
		s.Password, _ = u.User.Password()
		if s.Username != "" {
			s.Policy = gomail.TLSMandatory
		}
	}
	return s, nil
}

// NewSMTPSender returns a sender through the server at u (see parseSMTPURL)
// with from as the sender address.
func NewSMTPSender(u *url.URL, from string) (*SMTPSender, error) {
	s, err := parseSMTPURL(u)
	if err != nil {
		return nil, err
	}
	if _, err := mail.ParseAddress(from); err != nil {
		return nil, fmt.Errorf("mail: sender address %q: %w", from, err)
	}
	return &SMTPSender{from: from, settings: s}, nil
}

// client returns a go-mail client for one send; a fresh one each time keeps
// sends independent of each other's connection state.
func (s *SMTPSender) client() (*gomail.Client, error) {
	set := s.settings
	opts := []gomail.Option{
		gomail.WithTimeout(smtpTimeout),
		gomail.WithTLSPolicy(set.Policy),
	}
	if set.ImplicitTLS {
		opts = append(opts, gomail.WithSSL())
	}
	// After WithSSL, which would otherwise pick 465 itself.
	opts = append(opts, gomail.WithPort(set.Port))
	if s.tlsConfig != nil {
		opts = append(opts, gomail.WithTLSConfig(s.tlsConfig))
	}
	if set.Username != "" {
		// Autodiscovery picks the strongest mechanism the server offers and
		// never PLAIN or LOGIN on an unencrypted connection.
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(set.Username), gomail.WithPassword(set.Password))
	}
	c, err := gomail.NewClient(set.Host, opts...)
	if err != nil {
		return nil, fmt.Errorf("mail: SMTP client: %w", err)
	}
	return c, nil
}

// Send delivers m to the SMTP server.
func (s *SMTPSender) Send(ctx context.Context, m Message) error {
	msg, err := s.compose(m)
	if err != nil {
		return err
	}
	c, err := s.client()
	if err != nil {
		return err
	}
	err = c.DialAndSendWithContext(ctx, msg)
	if err != nil && msg.IsDelivered() {
		// The server accepted the message; only the RSET or QUIT after it
		// failed. Reporting an error would send it again.
		return nil
	}
	if err != nil {
		var se *gomail.SendError
		if errors.As(err, &se) && se.Reason == gomail.ErrSMTPRcptTo && se.ErrorCode()/100 == 5 {
			return &PermanentError{Err: fmt.Errorf("mail: recipient refused: %w", err)}
		}
		return fmt.Errorf("mail: smtp %s:%d: %w", s.settings.Host, s.settings.Port, err)
	}
	return nil
}

// compose builds the MIME message: UTF-8 plain text, quoted-printable.
func (s *SMTPSender) compose(m Message) (*gomail.Msg, error) {
	msg := gomail.NewMsg(gomail.WithNoDefaultUserAgent())
	if err := msg.From(s.from); err != nil {
		return nil, fmt.Errorf("mail: sender address: %w", err)
	}
	if err := msg.To(m.To); err != nil {
		return nil, &PermanentError{Err: fmt.Errorf("mail: recipient address %q: %w", m.To, err)}
	}
	msg.Subject(m.Subject)
	msg.SetMessageIDWithValue(m.ID)
	msg.SetDateWithValue(m.Date)
	msg.SetUserAgent("RII-Portal")
	// RFC 3834: an automatic message; out-of-office replies stay away.
	msg.SetGenHeader(gomail.Header("Auto-Submitted"), "auto-generated")
	msg.SetBodyString(gomail.TypeTextPlain, m.Body)
	if a := m.Attachment; a != nil {
		if err := msg.AttachReader(a.Name, strings.NewReader(a.Content), gomail.WithFileContentType(gomail.ContentType(a.Type))); err != nil {
			return nil, &PermanentError{Err: err}
		}
	}
	return msg, nil
}

// Via reports store.ViaSMTP.
func (s *SMTPSender) Via() string { return store.ViaSMTP }

// addressDomain returns the domain of an address like "Name <a@b.de>", or
// "localhost" if it has none.
func addressDomain(addr string) string {
	a, err := mail.ParseAddress(addr)
	if err != nil {
		return "localhost"
	}
	i := strings.LastIndexByte(a.Address, '@')
	if i < 0 || i == len(a.Address)-1 {
		return "localhost"
	}
	return a.Address[i+1:]
}
