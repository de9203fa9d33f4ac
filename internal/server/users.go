package server

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"pharos/internal/server/auth"
	"pharos/internal/store"
)

// KindUser is the kind of item a user's record is kept under in the store.
const KindUser = "user"

// userView is a user as the API shows them: no hashes.
type userView struct {
	Name   string      `json:"name"`
	Role   auth.Role   `json:"role"`
	Tokens []tokenView `json:"tokens"`
}

type tokenView struct {
	Name string    `json:"name"`
	Role auth.Role `json:"role"`
}

func viewOf(rec auth.Record) userView {
	v := userView{Name: rec.Name, Role: rec.Role, Tokens: []tokenView{}}
	for _, t := range rec.Tokens {
		v.Tokens = append(v.Tokens, tokenView{t.Name, t.Role})
	}
	return v
}

func (s *Server) users(w http.ResponseWriter, _ *http.Request, _ *auth.Principal) error {
	list := []userView{}
	for _, rec := range s.Users.Records() {
		list = append(list, viewOf(rec))
	}
	return writeJSON(w, http.StatusOK, list)
}

// addUser adds a user with a password of their own to change at first
// hand-over; the store keeps the hash.
func (s *Server) addUser(w http.ResponseWriter, r *http.Request, _ *auth.Principal) error {
	var req struct {
		Name     string    `json:"name"`
		Role     auth.Role `json:"role"`
		Password string    `json:"password"`
	}
	if err := readJSON(w, r, &req); err != nil {
		return err
	}
	if strings.Contains(req.Name, "/") {
		return fail(http.StatusBadRequest, "user name %q: no '/' (it separates a token's name)", req.Name)
	}
	if err := s.Users.Add(req.Name, req.Role, req.Password); err != nil {
		if errors.Is(err, auth.ErrUserExists) {
			return fail(http.StatusConflict, "%v", err)
		}
		return fail(http.StatusBadRequest, "%v", err)
	}
	return s.userChanged(w, r, req.Name, http.StatusCreated)
}

func (s *Server) removeUser(w http.ResponseWriter, r *http.Request, _ *auth.Principal) error {
	name := r.PathValue("id")
	if err := s.Users.Remove(name); err != nil {
		return fail(http.StatusNotFound, "%v", err)
	}
	if err := s.Store.DeleteItem(r.Context(), KindUser, name); err != nil && !errors.Is(err, store.ErrNotFound) {
		return err // a user of the configuration is not in the store
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// newToken makes an API token for the user of the session asking (not
// for a token: a program does not mint its own), with their role or
// auditor's; the secret is in the answer once.
func (s *Server) newToken(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	var req struct {
		Name string    `json:"name"`
		Role auth.Role `json:"role"`
	}
	if err := readJSON(w, r, &req); err != nil {
		return err
	}
	if p.CSRF == "" {
		return fail(http.StatusForbidden, "an API token cannot make tokens: log in")
	}
	if req.Role == "" {
		req.Role = p.Role
	}
	secret, err := s.Users.NewToken(p.User, req.Name, req.Role)
	if err != nil {
		return fail(http.StatusBadRequest, "%v", err)
	}
	if err := s.saveUser(r.Context(), p.User); err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, map[string]string{"user": p.User, "name": req.Name, "role": string(req.Role), "token": secret})
}

// revokeToken revokes one of the asking user's tokens.
func (s *Server) revokeToken(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	user, _, _ := strings.Cut(p.User, "/")
	if err := s.Users.RevokeToken(user, r.PathValue("id")); err != nil {
		return fail(http.StatusNotFound, "%v", err)
	}
	if err := s.saveUser(r.Context(), user); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// userChanged stores a user's record and answers with it.
func (s *Server) userChanged(w http.ResponseWriter, r *http.Request, name string, status int) error {
	if err := s.saveUser(r.Context(), name); err != nil {
		return err
	}
	rec, err := s.Users.Record(name)
	if err != nil {
		return err
	}
	return writeJSON(w, status, viewOf(rec))
}

func (s *Server) saveUser(ctx context.Context, name string) error {
	rec, err := s.Users.Record(name)
	if err != nil {
		return err
	}
	b, err := json.Marshal(rec)
	if err != nil {
		return err
	}
	return s.Store.SaveItem(ctx, store.Item{Kind: KindUser, ID: name, Updated: s.Now().UTC(), Value: b})
}
