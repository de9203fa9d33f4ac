package server

import (
	"net/http"
	"time"

	"pharos/internal/server/auth"
	"pharos/internal/share"
)

// shareNode says whether this node shares with peers.
func (s *Server) shareNode() error {
	if s.Share == nil || s.SharePayload == nil {
		return fail(http.StatusNotFound, "this node shares with no peers (no sharing: in its configuration)")
	}
	return nil
}

// sharePeers answers the peers and the state of the link to each.
func (s *Server) sharePeers(w http.ResponseWriter, r *http.Request, _ *auth.Principal) error {
	if err := s.shareNode(); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, s.Share.Peers(r.Context()))
}

// explainShare answers what each peer would receive of an incident, and
// why, before anyone pushes it.
func (s *Server) explainShare(w http.ResponseWriter, r *http.Request, _ *auth.Principal) error {
	if err := s.shareNode(); err != nil {
		return err
	}
	in, ok := s.Picture.Incident(r.PathValue("id"))
	if !ok {
		return fail(http.StatusNotFound, "incident %s: not found", r.PathValue("id"))
	}
	p := s.SharePayload(in)
	decisions := []share.Decision{}
	for _, peer := range s.Share.Peers(r.Context()) {
		decisions = append(decisions, s.Share.Explain(p, peer.Name))
	}
	return writeJSON(w, http.StatusOK, decisions)
}

// pushShare pushes an incident to the named peers, or to every peer whose
// agreement lets something of it through; each receives what its
// agreement allows.
func (s *Server) pushShare(w http.ResponseWriter, r *http.Request, _ *auth.Principal) error {
	if err := s.shareNode(); err != nil {
		return err
	}
	var req struct {
		Peers []string `json:"peers"`
	}
	if err := readJSON(w, r, &req); err != nil {
		return err
	}
	in, ok := s.Picture.Incident(r.PathValue("id"))
	if !ok {
		return fail(http.StatusNotFound, "incident %s: not found", r.PathValue("id"))
	}
	sent, err := s.Share.Push(r.Context(), s.SharePayload(in), req.Peers...)
	if err != nil {
		return fail(http.StatusConflict, "share incident %s: %v", in.ID, err)
	}
	return writeJSON(w, http.StatusOK, sent)
}

// sharePull asks a peer for what matches a query by example and waits
// for the answer until the deadline (default 10 s).
func (s *Server) sharePull(w http.ResponseWriter, r *http.Request, _ *auth.Principal) error {
	if err := s.shareNode(); err != nil {
		return err
	}
	var req struct {
		Peer    string      `json:"peer"`
		Query   share.Query `json:"query"`
		Timeout string      `json:"timeout"` // Go duration; default 10s
	}
	if err := readJSON(w, r, &req); err != nil {
		return err
	}
	timeout, err := parseTimeout(req.Timeout)
	if err != nil {
		return err
	}
	p, err := s.Share.Pull(r.Context(), req.Peer, req.Query, timeout)
	if err != nil {
		return fail(http.StatusBadGateway, "pull from %s: %v", req.Peer, err)
	}
	return writeJSON(w, http.StatusOK, p)
}

// shareSubscribe asks a peer to push what matches a query as it comes.
func (s *Server) shareSubscribe(w http.ResponseWriter, r *http.Request, _ *auth.Principal) error {
	if err := s.shareNode(); err != nil {
		return err
	}
	var req struct {
		Peer  string      `json:"peer"`
		Query share.Query `json:"query"`
	}
	if err := readJSON(w, r, &req); err != nil {
		return err
	}
	id, err := s.Share.Subscribe(r.Context(), req.Peer, req.Query)
	if err != nil {
		return fail(http.StatusBadGateway, "subscribe at %s: %v", req.Peer, err)
	}
	return writeJSON(w, http.StatusCreated, map[string]string{"peer": req.Peer, "id": id})
}

// shareUnsubscribe ends a subscription this node holds at a peer
// (?peer=NAME).
func (s *Server) shareUnsubscribe(w http.ResponseWriter, r *http.Request, _ *auth.Principal) error {
	if err := s.shareNode(); err != nil {
		return err
	}
	peer := r.URL.Query().Get("peer")
	if err := s.Share.Unsubscribe(r.Context(), peer, r.PathValue("id")); err != nil {
		return fail(http.StatusBadGateway, "unsubscribe at %s: %v", peer, err)
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// shareSubscriptions answers the subscriptions peers hold at this node.
func (s *Server) shareSubscriptions(w http.ResponseWriter, _ *http.Request, _ *auth.Principal) error {
	if err := s.shareNode(); err != nil {
		return err
	}
	list := s.Share.Subscriptions()
	if list == nil {
		list = []share.Subscription{}
	}
	return writeJSON(w, http.StatusOK, list)
}

func parseTimeout(v string) (time.Duration, error) {
	if v == "" {
		return 10 * time.Second, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 || d > 5*time.Minute {
		return 0, fail(http.StatusBadRequest, "timeout %q: want a duration up to 5m", v)
	}
	return d, nil
}
