// Package config reads the portal's configuration from environment variables
// and validates it once at start, with one German-independent, clear message
// per bad value (operators read these in logs).
package config

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/mail"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"

	"rii/internal/secret"
)

// Config is the validated configuration of one portal process.
type Config struct {
	// DatabaseURL is the PostgreSQL connection string; empty means "use the
	// local development cluster" (only the dev command accepts that).
	DatabaseURL string
	// ListenAddr is the HTTP listen address, e.g. ":8080".
	ListenAddr string
	// BaseURL is the public URL of the portal, used in links in e-mails and feeds.
	BaseURL *url.URL
	// SecureCookies marks the session cookie Secure; defaults to BaseURL being https.
	SecureCookies bool
	// DataDir holds the local development cluster (dev command only).
	DataDir string
	// LogLevel and LogFormat ("text" or "json") shape the structured log.
	LogLevel  slog.Level
	LogFormat string
	// ShutdownTimeout bounds how long running requests may take to finish on SIGTERM.
	ShutdownTimeout time.Duration
	// MaxBodyBytes limits request bodies.
	MaxBodyBytes int64
	// RegistrationRetentionDays: registrations lose their personal data this
	// many days after their event.
	RegistrationRetentionDays int
	// SMTPURL is smtp[s]://user:password@host:port; empty means the outbox
	// only logs messages and shows them to admins.
	SMTPURL *url.URL
	// MailFrom is the sender address of every e-mail.
	MailFrom string
	// ReviewNotify is the Service-Stelle's address for new and resubmitted
	// proposals; empty means every active editor is told.
	ReviewNotify string
	// TrustedProxies are the reverse proxies whose X-Forwarded-For names the
	// client address (for sign-in throttling and the audit log).
	TrustedProxies []netip.Prefix
	// SecretKeys are the master keys for TOTP secrets, recovery codes and
	// pending e-mail links, current first (see package secret); empty means
	// unset (serve refuses to start, dev makes one under DataDir).
	SecretKeys [][]byte
	// MetricsAddr is the listen address of the Prometheus metrics; empty
	// means no metrics listener.
	MetricsAddr string
	// CacheBytes caps the memory of the page cache of anonymous responses;
	// 0 turns it off.
	CacheBytes int64
	// CacheCheck is how often an instance reads the content version itself,
	// besides being told by LISTEN/NOTIFY.
	CacheCheck time.Duration
	// PprofListen is the loopback address of the profiling listener
	// (net/http/pprof); empty: no profiling.
	PprofListen string
	// HashMemoryMiB is the memory budget for concurrent password hashes;
	// it bounds how many sign-ins hash at once.
	HashMemoryMiB int
}

// Var documents one environment variable for the README and --help.
type Var struct {
	// Name of the environment variable.
	Name string
	// Default is the value used when the variable is unset or empty.
	Default string
	// Meaning says what the variable does; Note says what an empty default means.
	Meaning, Note string
}

// Vars lists every variable the portal reads.
var Vars = []Var{
	{"DATABASE_URL", "", "PostgreSQL connection string (secret: logged redacted)", "unset: `make run` starts a local cluster under RII_DATA_DIR"},
	{"RII_LISTEN", ":8080", "HTTP listen address", ""},
	{"RII_BASE_URL", "http://localhost:8080", "public URL of the portal (links in e-mails and feeds)", ""},
	{"RII_SECURE_COOKIES", "", "mark the session cookie Secure (true/false)", "unset: true when RII_BASE_URL is https"},
	{"RII_DATA_DIR", ".data", "folder of the local development cluster", ""},
	{"RII_LOG_LEVEL", "info", "debug, info, warn or error", ""},
	{"RII_LOG_FORMAT", "text", "text or json", ""},
	{"RII_SHUTDOWN_TIMEOUT", "20s", "time running requests get to finish on SIGTERM", ""},
	{"RII_MAX_BODY_BYTES", "10485760", "largest accepted request body in bytes", ""},
	{"RII_SMTP_URL", "", "smtp://user:password@host:587, or smtps://… for port 465 (secret: logged redacted)", "unset: e-mails are only logged and shown to admins"},
	{"RII_MAIL_FROM", "RII-Portal <noreply@localhost>", "sender of every e-mail", ""},
	{"RII_REVIEW_NOTIFY", "", "address told of every new or resubmitted initiative proposal, e.g. service-rii@example.de", "unset: every active editor"},
	{"RII_SECRET_KEYS", "", "comma-separated base64 keys of 32 bytes (openssl rand -base64 32), current first, older ones still decrypt (secret)", "unset: `rii dev` makes one under RII_DATA_DIR; `rii serve` refuses to start"},
	{"RII_PPROF_LISTEN", "", "loopback address of a separate listener with CPU and memory profiles (net/http/pprof), e.g. 127.0.0.1:6060", "unset: no profiling"},
	{"RII_REGISTRATION_RETENTION_DAYS", "180", "days after an event until its registrations are anonymised", ""},
	{"RII_HASH_MEMORY_MIB", "256", "memory budget in MiB for concurrent password hashes (46 MiB each); further sign-ins wait, then get 503", ""},
	{"RII_TRUSTED_PROXIES", "", "comma-separated addresses or CIDR ranges of reverse proxies whose X-Forwarded-For is believed", "unset: the TCP peer is the client"},
	{"RII_METRICS_LISTEN", "", "listen address of the Prometheus metrics (/metrics), e.g. 127.0.0.1:9090; keep it off the public network", "unset: no metrics listener"},
	{"RII_CACHE_BYTES", "67108864", "memory cap in bytes of the cache of anonymous pages; 0 turns it off", ""},
	{"RII_CACHE_CHECK", "5s", "how often an instance checks the content version besides LISTEN/NOTIFY", ""},
}

// Load reads and validates the configuration from getenv. All problems are
// reported together, one line each.
func Load(getenv func(string) string) (*Config, error) {
	get := func(name string) string {
		v := strings.TrimSpace(getenv(name))
		if v == "" {
			for _, d := range Vars {
				if d.Name == name {
					return d.Default
				}
			}
		}
		return v
	}
	var errs []error
	bad := func(name, value, why string) {
		errs = append(errs, fmt.Errorf("%s=%q: %s", name, value, why))
	}
	c := &Config{DatabaseURL: get("DATABASE_URL"), DataDir: get("RII_DATA_DIR"), MailFrom: get("RII_MAIL_FROM")}

	c.ListenAddr = get("RII_LISTEN")
	if _, port, err := net.SplitHostPort(c.ListenAddr); err != nil {
		bad("RII_LISTEN", c.ListenAddr, "must be host:port, e.g. :8080 or 127.0.0.1:8080")
	} else if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		bad("RII_LISTEN", c.ListenAddr, "port must be a number from 0 to 65535")
	}

	base := get("RII_BASE_URL")
	if u, err := url.Parse(base); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		bad("RII_BASE_URL", base, "must be an absolute http or https URL, e.g. https://rii.example.de")
	} else {
		u.Path = strings.TrimSuffix(u.Path, "/")
		c.BaseURL = u
		c.SecureCookies = u.Scheme == "https"
	}
	if v := get("RII_SECURE_COOKIES"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			bad("RII_SECURE_COOKIES", v, "must be true or false")
		}
		c.SecureCookies = b
	}

	if c.DatabaseURL != "" {
		if _, err := parseDatabaseURL(c.DatabaseURL); err != nil {
			errs = append(errs, fmt.Errorf("DATABASE_URL: %v", err))
		}
	}

	switch lvl := strings.ToLower(get("RII_LOG_LEVEL")); lvl {
	case "debug":
		c.LogLevel = slog.LevelDebug
	case "info":
		c.LogLevel = slog.LevelInfo
	case "warn":
		c.LogLevel = slog.LevelWarn
	case "error":
		c.LogLevel = slog.LevelError
	default:
		bad("RII_LOG_LEVEL", lvl, "must be debug, info, warn or error")
	}
	c.LogFormat = strings.ToLower(get("RII_LOG_FORMAT"))
	if c.LogFormat != "text" && c.LogFormat != "json" {
		bad("RII_LOG_FORMAT", c.LogFormat, "must be text or json")
	}

	if v := get("RII_SHUTDOWN_TIMEOUT"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 || d > 10*time.Minute {
			bad("RII_SHUTDOWN_TIMEOUT", v, "must be a duration between 1s and 10m, e.g. 20s")
		}
		c.ShutdownTimeout = d
	}
	if v := get("RII_MAX_BODY_BYTES"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 1024 || n > 1<<30 {
			bad("RII_MAX_BODY_BYTES", v, "must be a number of bytes between 1024 and 1073741824")
		}
		c.MaxBodyBytes = n
	}
	c.RegistrationRetentionDays = 180
	if v := get("RII_REGISTRATION_RETENTION_DAYS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 3650 {
			bad("RII_REGISTRATION_RETENTION_DAYS", v, "must be a number of days between 1 and 3650")
		}
		c.RegistrationRetentionDays = n
	}

	if v := get("RII_SECRET_KEYS"); v != "" {
		keys, err := secret.Parse(v)
		if err != nil {
			errs = append(errs, fmt.Errorf("RII_SECRET_KEYS: %v", err)) // never the value: it is secret
		}
		c.SecretKeys = keys
	}

	if v := get("RII_CACHE_BYTES"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 || (n > 0 && n < 1<<20) || n > 1<<36 {
			bad("RII_CACHE_BYTES", v, "must be 0 (off) or a number of bytes between 1048576 and 68719476736")
		}
		c.CacheBytes = n
	}
	if v := get("RII_CACHE_CHECK"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < 100*time.Millisecond || d > time.Minute {
			bad("RII_CACHE_CHECK", v, "must be a duration between 100ms and 1m, e.g. 5s")
		}
		c.CacheCheck = d
	}
	if v := get("RII_HASH_MEMORY_MIB"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 46 || n > 1<<20 {
			bad("RII_HASH_MEMORY_MIB", v, "must be a number of MiB of at least 46 (one hash)")
		}
		c.HashMemoryMiB = n
	}

	if v := get("RII_SMTP_URL"); v != "" {
		u, err := url.Parse(v)
		if err != nil || (u.Scheme != "smtp" && u.Scheme != "smtps") || u.Hostname() == "" {
			bad("RII_SMTP_URL", redactURL(v), "must look like smtp://user:password@host:587 or smtps://user:password@host:465")
		} else {
			c.SMTPURL = u
		}
	}
	if v := get("RII_REVIEW_NOTIFY"); v != "" {
		if a, err := mail.ParseAddress(v); err != nil {
			bad("RII_REVIEW_NOTIFY", v, "must be an e-mail address, e.g. service-rii@example.de")
		} else {
			c.ReviewNotify = a.Address
		}
	}
	if _, err := mail.ParseAddress(c.MailFrom); err != nil {
		bad("RII_MAIL_FROM", c.MailFrom, "must be an e-mail address, e.g. RII-Portal <noreply@example.de>")
	}

	if v := get("RII_TRUSTED_PROXIES"); v != "" {
		for _, part := range strings.Split(v, ",") {
			part = strings.TrimSpace(part)
			p, err := netip.ParsePrefix(part)
			if err != nil {
				a, aerr := netip.ParseAddr(part)
				if aerr != nil {
					bad("RII_TRUSTED_PROXIES", part, "must be an IP address or CIDR range, e.g. 10.0.0.0/8")
					continue
				}
				p = netip.PrefixFrom(a, a.BitLen())
			}
			c.TrustedProxies = append(c.TrustedProxies, p.Masked())
		}
	}

	if v := get("RII_METRICS_LISTEN"); v != "" {
		if _, port, err := net.SplitHostPort(v); err != nil || port == "" {
			bad("RII_METRICS_LISTEN", v, "must be host:port, e.g. 127.0.0.1:9090")
		}
		c.MetricsAddr = v
	}
	if v := get("RII_PPROF_LISTEN"); v != "" {
		host, _, err := net.SplitHostPort(v)
		if ip, perr := netip.ParseAddr(host); err != nil || (host != "localhost" && (perr != nil || !ip.IsLoopback())) {
			bad("RII_PPROF_LISTEN", v, "must be a loopback host:port, e.g. 127.0.0.1:6060 (profiles are never public)")
		}
		c.PprofListen = v
	}

	if len(errs) > 0 {
		return nil, fmt.Errorf("invalid configuration:\n  %w", joinLines(errs))
	}
	return c, nil
}

// LogValue lists the configuration for the start-up log, secrets redacted.
func (c *Config) LogValue() slog.Value {
	db := "(local development cluster)"
	if c.DatabaseURL != "" {
		db = redactURL(c.DatabaseURL)
	}
	smtp := "(none: e-mails are logged)"
	if c.SMTPURL != nil {
		smtp = c.SMTPURL.Redacted()
	}
	return slog.GroupValue(
		slog.String("database_url", db),
		slog.String("listen", c.ListenAddr),
		slog.String("base_url", c.BaseURL.String()),
		slog.Bool("secure_cookies", c.SecureCookies),
		slog.String("log_level", c.LogLevel.String()),
		slog.String("log_format", c.LogFormat),
		slog.Duration("shutdown_timeout", c.ShutdownTimeout),
		slog.Int64("max_body_bytes", c.MaxBodyBytes),
		slog.Int("registration_retention_days", c.RegistrationRetentionDays),
		slog.String("smtp_url", smtp),
		slog.String("mail_from", c.MailFrom),
		slog.Any("trusted_proxies", c.TrustedProxies),
		slog.String("metrics_listen", c.MetricsAddr),
		slog.Int64("cache_bytes", c.CacheBytes),
		slog.Duration("cache_check", c.CacheCheck),
		slog.Int("hash_memory_mib", c.HashMemoryMiB),
		slog.Int("secret_keys", len(c.SecretKeys)),
	)
}

// parseDatabaseURL accepts the URL and key=value forms that pgx accepts.
func parseDatabaseURL(s string) (string, error) {
	if strings.HasPrefix(s, "postgres://") || strings.HasPrefix(s, "postgresql://") {
		if _, err := url.Parse(s); err != nil {
			return "", errors.New("not a valid postgres:// URL")
		}
		return s, nil
	}
	if strings.Contains(s, "=") {
		return s, nil
	}
	return "", errors.New("must be a postgres:// URL or key=value connection string")
}

// redactURL hides the password of a URL-form connection string and of a
// key=value one.
func redactURL(s string) string {
	if u, err := url.Parse(s); err == nil && u.Scheme != "" {
		return u.Redacted()
	}
	fields := strings.Fields(s)
	for i, f := range fields {
		if k, _, ok := strings.Cut(f, "="); ok && strings.EqualFold(k, "password") {
			fields[i] = k + "=xxxxx"
		}
	}
	return strings.Join(fields, " ")
}

func joinLines(errs []error) error {
	msgs := make([]string, len(errs))
	for i, e := range errs {
		msgs[i] = e.Error()
	}
	return errors.New(strings.Join(msgs, "\n  "))
}
