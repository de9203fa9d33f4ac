package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"sync"
	"time"
)

// Errors of logins and credentials. A failed login says no more than
// ErrLogin, whether the user exists or not.
var (
	ErrLogin        = errors.New("wrong user name or password")
	ErrUnauthorised = errors.New("no valid session or token")
	ErrUserExists   = errors.New("user exists")
	ErrNoUser       = errors.New("no such user")
	ErrNoToken      = errors.New("no such token")
)

// Principal is who a request comes from.
type Principal struct {
	User string
	Role Role
	// CSRF is the session's anti-forgery token, which a browser sends
	// back in a header with every change; empty for an API token, which a
	// browser never sends on its own.
	CSRF string
}

// CheckCSRF reports whether a request's anti-forgery header matches its
// session's token; requests authenticated by API token need none.
func (p Principal) CheckCSRF(header string) bool {
	if p.CSRF == "" {
		return true
	}
	return subtle.ConstantTimeCompare([]byte(p.CSRF), []byte(header)) == 1
}

// Users holds the users, their sessions and the API tokens.
type Users struct {
	Params      Params        // argon2id costs for new passwords; zero: DefaultParams
	IdleTimeout time.Duration // zero: 30 min
	MaxAge      time.Duration // zero: 12 h, a watch and its hand-over

	mu       sync.Mutex
	users    map[string]*user
	sessions map[[32]byte]*session
	tokens   map[[32]byte]*apiToken
	dummy    string // a hash to check when the user is unknown, to take the same time
}

type user struct {
	role Role
	hash string
}

type session struct {
	user           string
	csrf           string
	created, since time.Time // since: last use
}

type apiToken struct {
	user, name string
	role       Role
}

func (u *Users) init() {
	if u.users == nil {
		u.users = map[string]*user{}
		u.sessions = map[[32]byte]*session{}
		u.tokens = map[[32]byte]*apiToken{}
	}
	if u.Params == (Params{}) {
		u.Params = DefaultParams
	}
	if u.IdleTimeout == 0 {
		u.IdleTimeout = 30 * time.Minute
	}
	if u.MaxAge == 0 {
		u.MaxAge = 12 * time.Hour
	}
}

// Add adds a user.
func (u *Users) Add(name string, role Role, password string) error {
	if name == "" {
		return errors.New("user name is empty")
	}
	if err := role.Check(); err != nil {
		return err
	}
	u.mu.Lock()
	u.init()
	_, exists := u.users[name]
	params := u.Params
	u.mu.Unlock()
	if exists {
		return fmt.Errorf("%w: %s", ErrUserExists, name)
	}
	hash, err := HashPassword(password, params) // slow: not under the lock
	if err != nil {
		return err
	}
	u.mu.Lock()
	defer u.mu.Unlock()
	if _, exists := u.users[name]; exists {
		return fmt.Errorf("%w: %s", ErrUserExists, name)
	}
	u.users[name] = &user{role: role, hash: hash}
	return nil
}

// AddHashed adds a user whose password hash was made elsewhere (by
// pharos passwd, for a configuration file).
func (u *Users) AddHashed(name string, role Role, hash string) error {
	if name == "" {
		return errors.New("user name is empty")
	}
	if err := role.Check(); err != nil {
		return err
	}
	if err := CheckHash(hash); err != nil {
		return fmt.Errorf("user %s: %w", name, err)
	}
	u.mu.Lock()
	defer u.mu.Unlock()
	u.init()
	if _, exists := u.users[name]; exists {
		return fmt.Errorf("%w: %s", ErrUserExists, name)
	}
	u.users[name] = &user{role: role, hash: hash}
	return nil
}

// Remove removes a user, with their sessions and API tokens.
func (u *Users) Remove(name string) error {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.init()
	if _, ok := u.users[name]; !ok {
		return fmt.Errorf("%w: %s", ErrNoUser, name)
	}
	delete(u.users, name)
	for k, s := range u.sessions {
		if s.user == name {
			delete(u.sessions, k)
		}
	}
	for k, t := range u.tokens {
		if t.user == name {
			delete(u.tokens, k)
		}
	}
	return nil
}

// Login checks a user's password and opens a session at time at. It
// returns the session's secret, to hand to the browser once (as a
// cookie), and the principal with its CSRF token.
func (u *Users) Login(name, password string, at time.Time) (secret string, p Principal, err error) {
	u.mu.Lock()
	u.init()
	usr := u.users[name]
	hash := ""
	if usr != nil {
		hash = usr.hash
	} else {
		if u.dummy == "" {
			u.dummy, _ = HashPassword("not a password of anyone", u.Params)
		}
		hash = u.dummy
	}
	u.mu.Unlock()
	ok, err := CheckPassword(hash, password)
	if err != nil || !ok || usr == nil {
		return "", Principal{}, ErrLogin
	}
	secret, key := newSecret()
	s := &session{user: name, csrf: randomString(), created: at, since: at}
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.users[name] != usr { // removed or replaced while we hashed
		return "", Principal{}, ErrLogin
	}
	u.sessions[key] = s
	return secret, Principal{User: name, Role: usr.role, CSRF: s.csrf}, nil
}

// Session finds the session of a secret at time at and renews its idle
// timeout.
func (u *Users) Session(secret string, at time.Time) (Principal, error) {
	key := hashSecret(secret)
	u.mu.Lock()
	defer u.mu.Unlock()
	u.init()
	s, ok := u.sessions[key]
	if !ok {
		return Principal{}, ErrUnauthorised
	}
	if at.Sub(s.since) > u.IdleTimeout || at.Sub(s.created) > u.MaxAge {
		delete(u.sessions, key)
		return Principal{}, ErrUnauthorised
	}
	s.since = at
	return Principal{User: s.user, Role: u.users[s.user].role, CSRF: s.csrf}, nil
}

// Logout ends the session of a secret.
func (u *Users) Logout(secret string) {
	u.mu.Lock()
	defer u.mu.Unlock()
	delete(u.sessions, hashSecret(secret))
}

// NewToken makes an API token for a user's programs, named for the
// audit log, with the user's role or a lesser one: role must be the
// user's or auditor (read-only). The secret is shown once.
func (u *Users) NewToken(name, tokenName string, role Role) (string, error) {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.init()
	usr, ok := u.users[name]
	if !ok {
		return "", fmt.Errorf("%w: %s", ErrNoUser, name)
	}
	if role != usr.role && role != Auditor {
		return "", fmt.Errorf("a token of %s may have role %s or auditor, not %s", name, usr.role, role)
	}
	if tokenName == "" {
		return "", errors.New("a token needs a name, for the audit log")
	}
	for _, t := range u.tokens {
		if t.user == name && t.name == tokenName {
			return "", fmt.Errorf("%s has a token named %s already", name, tokenName)
		}
	}
	secret, key := newSecret()
	u.tokens[key] = &apiToken{user: name, name: tokenName, role: role}
	return secret, nil
}

// Token finds the principal of an API token's secret.
func (u *Users) Token(secret string) (Principal, error) {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.init()
	t, ok := u.tokens[hashSecret(secret)]
	if !ok {
		return Principal{}, ErrUnauthorised
	}
	return Principal{User: t.user + "/" + t.name, Role: t.role}, nil
}

// newSecret returns a random secret and the key it is kept under.
func newSecret() (string, [32]byte) {
	s := randomString()
	return s, hashSecret(s)
}

func randomString() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func hashSecret(s string) [32]byte { return sha256.Sum256([]byte(s)) }
