package server

import (
	"encoding/json"
	"io"
	"net/http"

	"pharos/internal/picture"
	"pharos/internal/server/auth"
	"pharos/internal/store"
)

// layerKinds are the records of the operational and analysis layers the
// API serves: each kind's path and the permission to change it.
var layerKinds = []struct {
	kind, path string
	perm       auth.Permission
}{
	{picture.KindAsset, "/api/assets", auth.WriteOperational},
	{picture.KindOperation, "/api/operations", auth.WriteOperational},
	{picture.KindEnvironment, "/api/environment", auth.WriteOperational},
	{picture.KindArea, "/api/areas", auth.WriteAreas},
	{picture.KindRiskProduct, "/api/risk-products", auth.WriteAnalysis},
	{picture.KindWatchlist, "/api/watchlist", auth.WriteWatchlist},
	{picture.KindRFI, "/api/rfis", auth.WriteAnalysis},
	{picture.KindImagery, "/api/imagery", auth.WriteAnalysis},
}

// layerRoutes are the four routes of each kind of layer record.
func layerRoutes() []route {
	var list []route
	for _, k := range layerKinds {
		kind, layer := k.kind, picture.LayerOf(k.kind)
		list = append(list,
			route{"GET", k.path, auth.ReadPicture, "the " + string(layer) + " layer's " + kind + " records, by ID",
				func(s *Server, w http.ResponseWriter, _ *http.Request, _ *auth.Principal) error {
					list := s.Picture.Items(kind)
					if list == nil {
						list = []picture.Item{}
					}
					return writeJSON(w, http.StatusOK, list)
				}},
			route{"GET", k.path + "/{id}", auth.ReadPicture, "one " + kind + " record",
				func(s *Server, w http.ResponseWriter, r *http.Request, _ *auth.Principal) error {
					it, ok := s.Picture.Item(kind, r.PathValue("id"))
					if !ok {
						return fail(http.StatusNotFound, "%s %s: not found", kind, r.PathValue("id"))
					}
					return writeJSON(w, http.StatusOK, it)
				}},
			route{"PUT", k.path + "/{id}", k.perm, "put a " + kind + " record (the body's id is the path's)",
				func(s *Server, w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
					return s.putItem(w, r, p, kind)
				}},
			route{"DELETE", k.path + "/{id}", k.perm, "delete a " + kind + " record",
				func(s *Server, w http.ResponseWriter, r *http.Request, _ *auth.Principal) error {
					if err := s.Picture.Delete(kind, r.PathValue("id")); err != nil {
						return err
					}
					if err := s.Store.DeleteItem(r.Context(), kind, r.PathValue("id")); err != nil {
						return err
					}
					w.WriteHeader(http.StatusNoContent)
					return nil
				}},
		)
	}
	return list
}

// putItem puts a record into its layer and the store.
func (s *Server) putItem(w http.ResponseWriter, r *http.Request, p *auth.Principal, kind string) error {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 1<<20))
	if err != nil {
		return fail(http.StatusBadRequest, "request body: %v", err)
	}
	var named struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(body, &named); err != nil {
		return fail(http.StatusBadRequest, "request body: %v", err)
	}
	if named.ID != r.PathValue("id") {
		return fail(http.StatusBadRequest, "the body's id %q is not the path's %q", named.ID, r.PathValue("id"))
	}
	it, err := s.Picture.Put(kind, body, p.User, s.Now())
	if err != nil {
		return err
	}
	if err := s.Store.SaveItem(r.Context(), store.LayerItem(it)); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, it)
}
