package config

import (
	"log/slog"
	"strings"
	"testing"
	"time"
)

func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestDefaults(t *testing.T) {
	c, err := Load(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.ListenAddr != ":8080" || c.BaseURL.String() != "http://localhost:8080" || c.SecureCookies ||
		c.ShutdownTimeout != 20*time.Second || c.MaxBodyBytes != 10<<20 || c.DataDir != ".data" || c.SMTPURL != nil ||
		c.CacheBytes != 64<<20 || c.CacheCheck != 5*time.Second {
		t.Errorf("unexpected defaults: %+v", c)
	}
}

func TestHTTPSBaseURLMakesCookiesSecure(t *testing.T) {
	c, err := Load(env(map[string]string{"RII_BASE_URL": "https://rii.example.de/"}))
	if err != nil {
		t.Fatal(err)
	}
	if !c.SecureCookies || c.BaseURL.String() != "https://rii.example.de" {
		t.Errorf("secure=%v base=%s", c.SecureCookies, c.BaseURL)
	}
	c, err = Load(env(map[string]string{"RII_BASE_URL": "https://rii.example.de", "RII_SECURE_COOKIES": "false"}))
	if err != nil || c.SecureCookies {
		t.Errorf("explicit false not honoured: %v %v", c, err)
	}
}

func TestBadValuesAreReportedTogether(t *testing.T) {
	bad := map[string]string{
		"RII_LISTEN":           "8080",
		"RII_BASE_URL":         "ftp://x",
		"RII_SECURE_COOKIES":   "vielleicht",
		"RII_LOG_LEVEL":        "laut",
		"RII_LOG_FORMAT":       "xml",
		"RII_SHUTDOWN_TIMEOUT": "ewig",
		"RII_MAX_BODY_BYTES":   "-1",
		"RII_CACHE_BYTES":      "1000",
		"RII_CACHE_CHECK":      "0s",
		"RII_SMTP_URL":         "http://user:geheim@mail",
		"RII_MAIL_FROM":        "kein-absender",
		"RII_REVIEW_NOTIFY":    "service-stelle",
		"DATABASE_URL":         "irgendwas",
	}
	_, err := Load(env(bad))
	if err == nil {
		t.Fatal("no error for bad values")
	}
	msg := err.Error()
	for name := range bad {
		if !strings.Contains(msg, name) {
			t.Errorf("error does not name %s:\n%s", name, msg)
		}
	}
	if strings.Contains(msg, "geheim") {
		t.Errorf("error message leaks a password:\n%s", msg)
	}
}

func TestCacheCanBeTurnedOff(t *testing.T) {
	c, err := Load(env(map[string]string{"RII_CACHE_BYTES": "0", "RII_CACHE_CHECK": "250ms"}))
	if err != nil {
		t.Fatal(err)
	}
	if c.CacheBytes != 0 || c.CacheCheck != 250*time.Millisecond {
		t.Errorf("cache bytes %d, check %s", c.CacheBytes, c.CacheCheck)
	}
}

func TestLogValueRedactsSecrets(t *testing.T) {
	c, err := Load(env(map[string]string{
		"DATABASE_URL": "postgres://rii:supergeheim@db:5432/rii",
		"RII_SMTP_URL": "smtp://mailer:auchgeheim@mail.example.de:587",
	}))
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	slog.New(slog.NewTextHandler(&b, nil)).Info("start", slog.Any("config", c))
	out := b.String()
	if strings.Contains(out, "supergeheim") || strings.Contains(out, "auchgeheim") {
		t.Errorf("secrets in log: %s", out)
	}
	if !strings.Contains(out, "db:5432") || !strings.Contains(out, "mail.example.de") {
		t.Errorf("log lacks the non-secret parts: %s", out)
	}
	if got := redactURL("host=db user=rii password=geheim dbname=rii"); strings.Contains(got, "geheim") {
		t.Errorf("key=value password not redacted: %s", got)
	}
}

func TestPprofListensOnlyOnLoopback(t *testing.T) {
	for addr, ok := range map[string]bool{"127.0.0.1:6060": true, "[::1]:6060": true, "localhost:6060": true,
		":6060": false, "0.0.0.0:6060": false, "10.0.0.5:6060": false, "6060": false} {
		c, err := Load(env(map[string]string{"RII_PPROF_LISTEN": addr}))
		if ok && (err != nil || c.PprofListen != addr) {
			t.Errorf("%s: %v", addr, err)
		}
		if !ok && (err == nil || !strings.Contains(err.Error(), "RII_PPROF_LISTEN")) {
			t.Errorf("%s accepted", addr)
		}
	}
	if c, err := Load(env(nil)); err != nil || c.PprofListen != "" {
		t.Errorf("profiling on by default: %q %v", c.PprofListen, err)
	}
}

func TestReviewNotifyTakesTheAddress(t *testing.T) {
	c, err := Load(env(map[string]string{"RII_REVIEW_NOTIFY": "Service-Stelle <service-rii@example.de>"}))
	if err != nil || c.ReviewNotify != "service-rii@example.de" {
		t.Errorf("review notify %q, %v", c.ReviewNotify, err)
	}
	if c, err := Load(env(nil)); err != nil || c.ReviewNotify != "" {
		t.Errorf("default review notify %q, %v", c.ReviewNotify, err)
	}
}
