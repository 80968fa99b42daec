// Package webtest drives the real router over HTTP in tests: a client with a
// cookie jar that does not follow redirects, and responses parsed into
// goquery documents so tests assert on HTML structure, not substrings.
package webtest

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// Client is a browser-like HTTP client bound to one test server.
type Client struct {
	t    testing.TB
	base *url.URL
	// HTTP is the underlying client, with a cookie jar.
	HTTP *http.Client
	// Header is added to every request (e.g. Origin for CSRF tests).
	Header http.Header
}

// NewClient returns a client for the server at baseURL.
func NewClient(t testing.TB, baseURL string) *Client {
	t.Helper()
	u, err := url.Parse(baseURL)
	if err != nil {
		t.Fatalf("webtest: base URL: %v", err)
	}
	jar, _ := cookiejar.New(nil)
	return &Client{
		t:      t,
		base:   u,
		Header: http.Header{},
		HTTP: &http.Client{
			Jar: jar,
			// Tests look at redirects themselves.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
	}
}

// Response is a fully read response.
type Response struct {
	*http.Response
	Body []byte
	doc  *goquery.Document
	t    testing.TB
}

// Get requests path.
func (c *Client) Get(path string) *Response {
	c.t.Helper()
	return c.Do(http.MethodGet, path, nil, "")
}

// PostForm posts form values to path as a browser form would.
func (c *Client) PostForm(path string, form url.Values) *Response {
	c.t.Helper()
	return c.Do(http.MethodPost, path, strings.NewReader(form.Encode()), "application/x-www-form-urlencoded")
}

// Do sends a request with the client's cookies and headers.
func (c *Client) Do(method, path string, body io.Reader, contentType string) *Response {
	c.t.Helper()
	req := c.NewRequest(method, path, body)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	return c.Send(req)
}

// NewRequest prepares a request to path (which may carry a query) on the
// client's server, with the client's extra headers.
func (c *Client) NewRequest(method, path string, body io.Reader) *http.Request {
	c.t.Helper()
	ref, err := url.Parse(path)
	if err != nil {
		c.t.Fatalf("webtest: path %q: %v", path, err)
	}
	req, err := http.NewRequest(method, c.base.ResolveReference(ref).String(), body)
	if err != nil {
		c.t.Fatalf("webtest: %s %s: %v", method, path, err)
	}
	for k, vs := range c.Header {
		req.Header[k] = vs
	}
	return req
}

// Send sends a prepared request through the client.
func (c *Client) Send(req *http.Request) *Response {
	c.t.Helper()
	resp, err := c.HTTP.Do(req)
	if err != nil {
		c.t.Fatalf("webtest: %s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		c.t.Fatalf("webtest: reading %s %s: %v", req.Method, req.URL, err)
	}
	return &Response{Response: resp, Body: b, t: c.t}
}

// Doc parses the body as HTML.
func (r *Response) Doc() *goquery.Document {
	r.t.Helper()
	if r.doc == nil {
		d, err := goquery.NewDocumentFromReader(strings.NewReader(string(r.Body)))
		if err != nil {
			r.t.Fatalf("webtest: parsing HTML of %s: %v", r.Request.URL, err)
		}
		r.doc = d
	}
	return r.doc
}

// Find selects in the parsed body.
func (r *Response) Find(selector string) *goquery.Selection {
	r.t.Helper()
	return r.Doc().Find(selector)
}

// Text returns the trimmed, whitespace-collapsed text of the selection.
func (r *Response) Text(selector string) string {
	r.t.Helper()
	return strings.Join(strings.Fields(r.Find(selector).Text()), " ")
}

// WantStatus fails the test unless the status is want.
func (r *Response) WantStatus(want int) *Response {
	r.t.Helper()
	if r.StatusCode != want {
		snippet := string(r.Body)
		if len(snippet) > 400 {
			snippet = snippet[:400] + "…"
		}
		r.t.Fatalf("%s %s: status %d, want %d\n%s", r.Request.Method, r.Request.URL, r.StatusCode, want, snippet)
	}
	return r
}
