package auth

import (
	"cmp"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
)

// Record is a user as a store keeps them: the password's hash and the
// hashes of the API tokens, never a secret.
type Record struct {
	Name   string        `json:"name"`
	Role   Role          `json:"role"`
	Hash   string        `json:"password_hash"`
	Tokens []TokenRecord `json:"tokens,omitempty"`
}

// TokenRecord is an API token as a store keeps it.
type TokenRecord struct {
	Name   string `json:"name"`
	Role   Role   `json:"role"`
	SHA256 string `json:"sha256"` // of the secret, hex
}

// Record returns a user's record.
func (u *Users) Record(name string) (Record, error) {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.init()
	usr, ok := u.users[name]
	if !ok {
		return Record{}, fmt.Errorf("%w: %s", ErrNoUser, name)
	}
	rec := Record{Name: name, Role: usr.role, Hash: usr.hash}
	for key, t := range u.tokens {
		if t.user == name {
			rec.Tokens = append(rec.Tokens, TokenRecord{Name: t.name, Role: t.role, SHA256: hex.EncodeToString(key[:])})
		}
	}
	slices.SortFunc(rec.Tokens, func(a, b TokenRecord) int { return cmp.Compare(a.Name, b.Name) })
	return rec, nil
}

// Records returns every user's record, by name.
func (u *Users) Records() []Record {
	u.mu.Lock()
	names := make([]string, 0, len(u.users))
	for n := range u.users {
		names = append(names, n)
	}
	u.mu.Unlock()
	slices.Sort(names)
	var list []Record
	for _, n := range names {
		if rec, err := u.Record(n); err == nil {
			list = append(list, rec)
		}
	}
	return list
}

// Restore adds a user from their record, with their API tokens; a
// record that does not check adds nothing. A user the node knows already
// (from its configuration) keeps their password and role and gets the
// record's tokens back, but for those that outrank them now.
func (u *Users) Restore(rec Record) error {
	keys := make([][32]byte, len(rec.Tokens))
	for i, t := range rec.Tokens {
		b, err := hex.DecodeString(t.SHA256)
		if err != nil || len(b) != 32 {
			return fmt.Errorf("user %s: token %s: bad hash", rec.Name, t.Name)
		}
		if err := t.Role.Check(); err != nil {
			return fmt.Errorf("user %s: token %s: %w", rec.Name, t.Name, err)
		}
		keys[i] = [32]byte(b)
	}
	err := u.AddHashed(rec.Name, rec.Role, rec.Hash)
	if err != nil && !errors.Is(err, ErrUserExists) {
		return err
	}
	u.mu.Lock()
	defer u.mu.Unlock()
	role := u.users[rec.Name].role
	for i, t := range rec.Tokens {
		if t.Role == role || t.Role == Auditor {
			u.tokens[keys[i]] = &apiToken{user: rec.Name, name: t.Name, role: t.Role}
		}
	}
	return nil
}

// RevokeToken removes a user's API token by its name.
func (u *Users) RevokeToken(name, tokenName string) error {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.init()
	for key, t := range u.tokens {
		if t.user == name && t.name == tokenName {
			delete(u.tokens, key)
			return nil
		}
	}
	return fmt.Errorf("%w: token %s of %s", ErrNoToken, tokenName, name)
}
