package server

import (
	"net/http"

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
