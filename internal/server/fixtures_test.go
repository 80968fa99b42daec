package server

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"rii/internal/account"
	"rii/internal/config"
	"rii/internal/pgtest"
	"rii/internal/store"
	"rii/internal/totp"
	"rii/internal/webtest"
	"rii/migrations"
)

// testClock is a clock tests move by hand.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func newTestClock() *testClock {
	return &testClock{t: time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)}
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// testPassword is every fixture account's password; hashing it once keeps
// the fixtures fast.
const testPassword = "Kaffee-Kanne-Fahrrad-7"

var testHash = sync.OnceValue(func() string {
	h, err := account.HashPassword(testPassword)
	if err != nil {
		panic(err)
	}
	return h
})

// world is a portal on its own database with one account per role.
type world struct {
	t     *testing.T
	srv   *Server
	pool  *pgxpool.Pool
	st    *store.Store
	clock *testClock
	// secondFactor serialises the second factor of sign-ins (withSecondFactor).
	secondFactor sync.Mutex
	ts           *httptest.Server
	users        map[string]*fixtureUser // by key: member-a, member-b, editor, official, admin, target
	initA        int64
	initB        int64
	mailID       int64
	// contactID is a contact of Initiative A, visible to its members.
	contactID int64
	// imageID is Initiative B's logo; importID a checked CSV upload.
	imageID, importID int64
	// event is the published event with programme, workshop and report,
	// once addEvent made it.
	event eventFixture
}

type fixtureUser struct {
	ID     int64
	Email  string
	Secret string // TOTP secret, "" without
}

// newWorld builds the world; configure may change the configuration.
func newWorld(t *testing.T, configure ...func(*config.Config)) *world {
	t.Helper()
	return newWorldOn(t, pgtest.NewPool(t), configure...)
}

// newWorldOn builds the world on pool's database (a dedicated cluster's,
// for tests that stop it).
func newWorldOn(t *testing.T, pool *pgxpool.Pool, configure ...func(*config.Config)) *world {
	t.Helper()
	cfg := testConfig(t)
	for _, f := range configure {
		f(cfg)
	}
	clock := newTestClock()
	srv, err := New(pool, Options{Config: cfg, Logger: testLogger(), SchemaVersion: migrations.Latest(), Clock: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	w := &world{t: t, srv: srv, pool: pool, st: store.New(pool), clock: clock, users: map[string]*fixtureUser{}}
	ctx := context.Background()
	by := store.Actor{Label: "Testdaten"}
	if w.initA, err = w.st.CreateInitiative(ctx, "initiative-a", "published", store.InitiativeProfile{Name: "Initiative A"}, by, clock.Now()); err != nil {
		t.Fatal(err)
	}
	if w.initB, err = w.st.CreateInitiative(ctx, "initiative-b", "published", store.InitiativeProfile{Name: "Initiative B"}, by, clock.Now()); err != nil {
		t.Fatal(err)
	}
	w.addUser("member-a", account.RoleMember, w.initA)
	w.addUser("member-b", account.RoleMember, w.initB)
	w.addUser("editor", account.RoleEditor, 0)
	w.addUser("official", account.RoleOfficial, 0)
	w.addUser("admin", account.RoleAdmin, 0)
	w.addUser("target", account.RoleMember, w.initA)
	if w.mailID, err = w.st.EnqueueMail(ctx, "jemand@beispiel.example", "Testnachricht", "Hallo"); err != nil {
		t.Fatal(err)
	}
	w.ts = httptest.NewServer(srv.Handler())
	t.Cleanup(w.ts.Close)
	return w
}

// addContact gives Initiative A a contact visible to its members (for the
// route and page tables, which need a {id} of a contact).
func (w *world) addContact() {
	w.t.Helper()
	consent := w.clock.Now().AddDate(0, -1, 0)
	var err error
	w.contactID, err = w.st.AddInitiativeContact(context.Background(), w.initA, store.NewContact{Name: "Kontakt A",
		Email: "kontakt-a@beispiel.example", Visibility: store.VisibilityMembers, ConsentAt: &consent,
		ConsentMethod: "per E-Mail", ConsentPurpose: "Nennung für Mitglieder"}, "Ansprechperson", w.clock.Now())
	if err != nil {
		w.t.Fatal(err)
	}
}

// addUser creates an active account; roles that require TOTP get it.
func (w *world) addUser(key string, role account.Role, initiative int64) *fixtureUser {
	w.t.Helper()
	ctx := context.Background()
	email := key + "@beispiel.example"
	id, err := w.st.CreateUser(ctx, store.NewUser{Email: email, Name: "Person " + key, Role: role,
		State: account.StateActive, PasswordHash: testHash(), Now: w.clock.Now()})
	if err != nil {
		w.t.Fatal(err)
	}
	u := &fixtureUser{ID: id, Email: email}
	if initiative != 0 {
		if err := w.st.SetUserInitiatives(ctx, id, []int64{initiative}); err != nil {
			w.t.Fatal(err)
		}
	}
	if role.RequiresTOTP() {
		k, err := totp.Generate("RII-Portal", email)
		if err != nil {
			w.t.Fatal(err)
		}
		if err := w.st.SetTOTP(ctx, id, w.srv.sealTOTP(id, k.Secret), w.clock.Now()); err != nil {
			w.t.Fatal(err)
		}
		u.Secret = k.Secret
	}
	w.users[key] = u
	return u
}

// client returns a new browser-like client of the world's server.
func (w *world) client() *webtest.Client { return webtest.NewClient(w.t, w.ts.URL) }

// signIn signs in through the real forms, with the second factor if the
// account has one, and fails the test unless it ends signed in.
func (w *world) signIn(c *webtest.Client, key string) {
	w.t.Helper()
	w.signInNext(c, key, "")
	if c.Get("/konto").StatusCode != http.StatusOK {
		w.t.Fatalf("%s is not signed in after the sign-in", key)
	}
}

// signInNext signs in through the real forms with weiter=next ("" for
// none) and returns where the last step sends the user.
func (w *world) signInNext(c *webtest.Client, key, next string) string {
	w.t.Helper()
	u := w.users[key]
	res := c.PostForm("/anmelden", url.Values{"email": {u.Email}, "passwort": {testPassword}, "weiter": {next}})
	if res.StatusCode != http.StatusSeeOther {
		w.t.Fatalf("sign-in of %s: status %d\n%s", key, res.StatusCode, res.Text("main"))
	}
	if u.Secret != "" {
		if loc := res.Header.Get("Location"); !regexp.MustCompile(`^/anmelden/zweiter-faktor`).MatchString(loc) {
			w.t.Fatalf("sign-in of %s: redirected to %q, want the second factor", key, loc)
		}
		// Each code works once: step the clock past the previous one.
		w.withSecondFactor(func(code string) {
			res = c.PostForm("/anmelden/zweiter-faktor", url.Values{"code": {code}, "weiter": {next}})
		}, u.Secret)
		if res.StatusCode != http.StatusSeeOther {
			w.t.Fatalf("second factor of %s: status %d\n%s", key, res.StatusCode, res.Text("main"))
		}
	}
	return res.Header.Get("Location")
}

// withSecondFactor steps the clock past the last code (each works once)
// and calls send with the code of the secret for the new time, alone among
// the world's sign-ins: parallel ones would step the clock past each
// other's codes before the server checks them. Unlocked however send ends
// (t.Fatal included).
func (w *world) withSecondFactor(send func(code string), secret string) {
	w.secondFactor.Lock()
	defer w.secondFactor.Unlock()
	w.clock.Advance(30 * time.Second)
	code, err := totp.Code(secret, w.clock.Now())
	if err != nil {
		w.t.Fatal(err)
	}
	send(code)
}

// auditCount counts audit entries of an action on a user.
func (w *world) auditCount(action string, userID int64) int {
	w.t.Helper()
	var n int
	err := w.pool.QueryRow(context.Background(),
		`SELECT count(*) FROM audit_log WHERE action = $1 AND object_type = 'user' AND object_id = $2`,
		action, itoa(userID)).Scan(&n)
	if err != nil {
		w.t.Fatal(err)
	}
	return n
}

// auditCountObject counts audit entries of an action on any object.
func (w *world) auditCountObject(action, objectType string, id int64) int {
	w.t.Helper()
	var n int
	err := w.pool.QueryRow(context.Background(),
		`SELECT count(*) FROM audit_log WHERE action = $1 AND object_type = $2 AND object_id = $3`,
		action, objectType, itoa(id)).Scan(&n)
	if err != nil {
		w.t.Fatal(err)
	}
	return n
}

func mustRegexp(s string) *regexp.Regexp { return regexp.MustCompile(s) }
