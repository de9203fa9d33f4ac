package auth

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// cheap keeps the tests fast; DefaultParams is tested on its own.
var cheap = Params{Memory: 64, Time: 1, Threads: 1}

var t0 = time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)

func TestPasswordDefaultParams(t *testing.T) {
	h, err := HashPassword("correct horse battery", DefaultParams)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("hash %q", h)
	}
	for pw, want := range map[string]bool{"correct horse battery": true, "correct horse batterY": false, "": false} {
		if ok, err := CheckPassword(h, pw); err != nil || ok != want {
			t.Errorf("CheckPassword(%q) = %v, %v; want %v", pw, ok, err, want)
		}
	}
	if h2, _ := HashPassword("correct horse battery", DefaultParams); h2 == h {
		t.Error("two hashes of one password are equal: no fresh salt")
	}
}

func TestPasswordRejects(t *testing.T) {
	if _, err := HashPassword("short", cheap); err == nil {
		t.Error("accepted a 5-character password")
	}
	good, _ := HashPassword("a long enough one", cheap)
	f := strings.Split(good, "$")
	for _, bad := range []string{
		"",
		"plain text",
		"$argon2i$v=19$m=64,t=1,p=1$" + f[4] + "$" + f[5],
		"$argon2id$v=16$" + f[3] + "$" + f[4] + "$" + f[5],
		"$argon2id$v=19$m=64,t=0,p=1$" + f[4] + "$" + f[5],
		"$argon2id$v=19$m=999999999,t=1,p=1$" + f[4] + "$" + f[5],
		"$argon2id$v=19$" + f[3] + "$!!$" + f[5],
		"$argon2id$v=19$" + f[3] + "$" + f[4] + "$abc",
	} {
		if ok, err := CheckPassword(bad, "a long enough one"); ok || !errors.Is(err, ErrBadHash) {
			t.Errorf("CheckPassword(%q) = %v, %v; want ErrBadHash", bad, ok, err)
		}
	}
}

func TestRoles(t *testing.T) {
	for _, tc := range []struct {
		role Role
		can  []Permission
	}{
		{Operator, []Permission{ReadPicture, WriteIncidents, WriteSections, WriteAreas, WriteOperational}},
		{Analyst, []Permission{ReadPicture, WriteWatchlist, WriteAreas, WriteAnalysis}},
		{Administrator, []Permission{ReadPicture, WriteSections, WriteAreas, WriteWatchlist, WriteOperational, WriteAnalysis, ManageUsers, ReadAudit}},
		{Auditor, []Permission{ReadPicture, ReadAudit}},
	} {
		for _, p := range []Permission{ReadPicture, WriteIncidents, WriteSections, WriteAreas, WriteWatchlist, WriteOperational, WriteAnalysis, ManageUsers, ReadAudit} {
			want := false
			for _, c := range tc.can {
				want = want || c == p
			}
			if got := tc.role.Can(p); got != want {
				t.Errorf("%s can %s: %v, want %v", tc.role, p, got, want)
			}
		}
	}
	if Role("root").Check() == nil || Role("root").Can(ReadPicture) {
		t.Error("an unknown role passed")
	}
}

func newUsers(t *testing.T) *Users {
	u := &Users{Params: cheap}
	for name, role := range map[string]Role{"ana": Analyst, "olga": Operator, "adam": Administrator} {
		if err := u.Add(name, role, name+" password 123"); err != nil {
			t.Fatal(err)
		}
	}
	return u
}

func TestLoginAndSession(t *testing.T) {
	u := newUsers(t)
	for _, tc := range []struct{ name, password string }{
		{"olga", "wrong password 123"},
		{"nobody", "olga password 123"},
		{"", ""},
	} {
		if _, _, err := u.Login(tc.name, tc.password, t0); !errors.Is(err, ErrLogin) {
			t.Errorf("login %q/%q: %v, want ErrLogin", tc.name, tc.password, err)
		}
	}
	secret, p, err := u.Login("olga", "olga password 123", t0)
	if err != nil {
		t.Fatal(err)
	}
	if p.User != "olga" || p.Role != Operator || p.CSRF == "" || secret == "" {
		t.Fatalf("principal %+v", p)
	}
	if !p.CheckCSRF(p.CSRF) || p.CheckCSRF("") || p.CheckCSRF(p.CSRF+"x") {
		t.Error("CSRF check")
	}
	// Used every 29 minutes, the session lives on, up to MaxAge.
	at := t0
	for range 24 {
		at = at.Add(29 * time.Minute)
		if got, err := u.Session(secret, at); err != nil || got != p {
			t.Fatalf("session at %v: %+v, %v", at, got, err)
		}
	}
	if _, err := u.Session(secret, t0.Add(12*time.Hour+time.Second)); !errors.Is(err, ErrUnauthorised) {
		t.Errorf("session past MaxAge: %v", err)
	}
	secret, _, _ = u.Login("olga", "olga password 123", t0)
	if _, err := u.Session(secret, t0.Add(30*time.Minute+time.Second)); !errors.Is(err, ErrUnauthorised) {
		t.Errorf("session idle past 30 min: %v", err)
	}
	secret, _, _ = u.Login("olga", "olga password 123", t0)
	u.Logout(secret)
	if _, err := u.Session(secret, t0); !errors.Is(err, ErrUnauthorised) {
		t.Errorf("session after logout: %v", err)
	}
	if _, err := u.Session("made up", t0); !errors.Is(err, ErrUnauthorised) {
		t.Errorf("made-up session: %v", err)
	}
}

func TestTokens(t *testing.T) {
	u := newUsers(t)
	if _, err := u.NewToken("ana", "etl", Operator); err == nil {
		t.Error("an analyst made an operator token")
	}
	if _, err := u.NewToken("nobody", "etl", Auditor); !errors.Is(err, ErrNoUser) {
		t.Errorf("token for an unknown user: %v", err)
	}
	read, err := u.NewToken("ana", "dashboard", Auditor)
	if err != nil {
		t.Fatal(err)
	}
	full, _ := u.NewToken("ana", "etl", Analyst)
	if p, err := u.Token(read); err != nil || p.Role != Auditor || p.User != "ana/dashboard" || !p.CheckCSRF("") {
		t.Errorf("read-only token: %+v, %v", p, err)
	}
	secret, _, _ := u.Login("ana", "ana password 123", t0)
	if err := u.Remove("ana"); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{read, full} {
		if _, err := u.Token(s); !errors.Is(err, ErrUnauthorised) {
			t.Errorf("token of a removed user: %v", err)
		}
	}
	if _, err := u.Session(secret, t0); !errors.Is(err, ErrUnauthorised) {
		t.Errorf("session of a removed user: %v", err)
	}
}

func TestAddRejects(t *testing.T) {
	u := newUsers(t)
	for _, tc := range []struct {
		name     string
		role     Role
		password string
	}{
		{"olga", Operator, "another password"},
		{"", Operator, "a long enough one"},
		{"zed", "root", "a long enough one"},
		{"zed", Operator, "short"},
	} {
		if err := u.Add(tc.name, tc.role, tc.password); err == nil {
			t.Errorf("Add(%q, %q, %q) accepted", tc.name, tc.role, tc.password)
		}
	}
}

func TestAddHashed(t *testing.T) {
	u := &Users{Params: cheap}
	h, _ := HashPassword("from the config file", cheap)
	if err := u.AddHashed("olga", Operator, h); err != nil {
		t.Fatal(err)
	}
	if _, p, err := u.Login("olga", "from the config file", t0); err != nil || p.Role != Operator {
		t.Errorf("login with a configured hash: %+v, %v", p, err)
	}
	for _, tc := range []struct {
		name string
		role Role
		hash string
	}{
		{"olga", Operator, h},
		{"zed", Operator, "plain text"},
		{"zed", "root", h},
		{"", Operator, h},
	} {
		if err := u.AddHashed(tc.name, tc.role, tc.hash); err == nil {
			t.Errorf("AddHashed(%q, %q, %q) accepted", tc.name, tc.role, tc.hash)
		}
	}
}

// BenchmarkHashPassword measures a login's cost with DefaultParams.
func BenchmarkHashPassword(b *testing.B) {
	for b.Loop() {
		HashPassword("correct horse battery", DefaultParams)
	}
}

// TestRecordsRoundTrip keeps users and tokens as records and brings them
// back: passwords and tokens still work, no secret is in a record.
func TestRecordsRoundTrip(t *testing.T) {
	u := &Users{Params: cheap}
	if err := u.Add("ana", Analyst, "analyst's long password"); err != nil {
		t.Fatal(err)
	}
	secret, err := u.NewToken("ana", "gis", Auditor)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := u.NewToken("ana", "gis", Auditor); err == nil {
		t.Error("two tokens of one name")
	}
	if _, err := u.NewToken("ana", "", Auditor); err == nil {
		t.Error("a token without a name")
	}
	recs := u.Records()
	if len(recs) != 1 || len(recs[0].Tokens) != 1 || recs[0].Tokens[0].SHA256 == secret {
		t.Fatalf("records %+v", recs)
	}
	v := &Users{Params: cheap}
	if err := v.Restore(recs[0]); err != nil {
		t.Fatal(err)
	}
	if p, err := v.Token(secret); err != nil || p.User != "ana/gis" || p.Role != Auditor {
		t.Errorf("restored token: %+v, %v", p, err)
	}
	if _, _, err := v.Login("ana", "analyst's long password", time.Now()); err != nil {
		t.Errorf("restored password: %v", err)
	}
	if err := v.RevokeToken("ana", "gis"); err != nil {
		t.Fatal(err)
	}
	if _, err := v.Token(secret); err == nil {
		t.Error("a revoked token still works")
	}
	if err := v.RevokeToken("ana", "gis"); !errors.Is(err, ErrNoToken) {
		t.Errorf("revoking twice: %v", err)
	}
	bad := recs[0]
	bad.Name, bad.Tokens = "bob", []TokenRecord{{Name: "x", Role: Auditor, SHA256: "zz"}}
	if err := v.Restore(bad); err == nil {
		t.Error("restored a token with a bad hash")
	}
	if _, err := v.Record("bob"); err == nil {
		t.Error("a record that failed to restore added its user")
	}
}
