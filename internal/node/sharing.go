package node

import (
	"context"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"pharos/internal/cise"
	"pharos/internal/geo"
	"pharos/internal/model"
	"pharos/internal/picture"
	"pharos/internal/share"
	"pharos/internal/store"
)

// sharing joins a node's picture to its peers: its own incidents go to
// the peers subscribed to them, an operator may push one to peers, and
// the incidents peers push come into the picture as theirs.
type sharing struct {
	node  *share.Node
	pic   *picture.Picture
	st    store.Store
	areas *geo.Areas
	self  string
}

// openSharing opens the node's sharing side when the configuration has a
// sharing: section; nil otherwise.
func openSharing(cfg *Config, dataDir string, areas *geo.Areas, pic *picture.Picture, st store.Store) (*sharing, error) {
	if cfg.Sharing == nil {
		return nil, nil
	}
	sc, err := cfg.Sharing.Config(cfg.NodeName(), filepath.Join(dataDir, "share"), cfg.dir)
	if err != nil {
		return nil, fmt.Errorf("sharing: %w", err)
	}
	s := &sharing{pic: pic, st: st, areas: areas, self: cfg.NodeName()}
	sc.Audit = st
	sc.Handlers.Push = s.received
	sc.Handlers.Pull = s.answer
	if s.node, err = share.Open(sc); err != nil {
		return nil, fmt.Errorf("sharing: %w", err)
	}
	return s, nil
}

// Payload is what the node shares of an incident: the incident, where it
// is and in which border section, and the vessels its detections name.
func (s *sharing) Payload(in picture.Incident) share.Payload {
	e := share.Entity{Type: incidentType(in.Category), ID: s.self + "/incident/" + in.ID, Time: in.Detected,
		Where: &share.Point{Lat: in.Lat, Lon: in.Lon}, Section: s.section(in.Lat, in.Lon),
		Fields: map[string]string{"Description": in.Title, "ImpactLevel": in.Impact.String(), "Status": in.Status.String(),
			"Category": in.Category, "Owner": in.Owner}}
	personal := false
	seen := map[uint32]bool{}
	for _, id := range in.Events {
		ev, ok := s.pic.Detection(id)
		if !ok {
			continue
		}
		for _, m := range ev.MMSI {
			if m == 0 || seen[m] {
				continue
			}
			seen[m] = true
			personal = true
			e.Involved = append(e.Involved, share.Entity{Type: "Vessel", ID: fmt.Sprintf("%s/vessel/%d", s.self, m),
				Fields: map[string]string{"MMSI": strconv.FormatUint(uint64(m), 10)}})
		}
	}
	return share.Payload{Classification: share.ClassNonClassified, Sensitivity: share.SensGreen,
		Purpose: "BorderMonitoring", Personal: personal, Entities: []share.Entity{e}}
}

// section is the border section at a place, or "".
func (s *sharing) section(lat, lon float64) string {
	if i, ok := s.areas.InKind(lat, lon, geo.KindBorderSection); ok {
		return s.areas.Area(i).ID
	}
	return ""
}

// incidentType is the CISE incident type of a EUROSUR category.
func incidentType(category string) string {
	kind, _ := cise.IncidentKind(category, "")
	return string(kind)
}

// category is the EUROSUR category of a shared incident: the one the
// originator wrote, else its CISE type's.
func category(typ string, fields map[string]string) string {
	if c := fields["Category"]; c != "" {
		return c
	}
	return cise.CategoryOf(cise.EventKind(typ), "")
}

// received takes a push from a peer: each incident in it comes into the
// picture as the peer's (it owns and closes it), once; a later push of the
// same incident brings its changes (validated, closed, impact).
func (s *sharing) received(ctx context.Context, r share.Received) error {
	if r.Message.Payload == nil {
		return nil
	}
	for _, e := range r.Message.Payload.Entities {
		if !strings.HasSuffix(e.Type, "Incident") {
			continue
		}
		var impact model.ImpactLevel
		impact.UnmarshalText([]byte(e.Fields["ImpactLevel"])) // absent or unknown: low
		var lat, lon float64
		if e.Where != nil {
			lat, lon = e.Where.Lat, e.Where.Lon
		}
		// Had it already (a repeat, a redelivery after a crash, or the
		// originator's update of it): mirror what the originator says.
		var status picture.Status
		if status.UnmarshalText([]byte(e.Fields["Status"])) != nil {
			status = picture.StatusOpen
		}
		if in, ok := s.pic.Mirror(e.ID, e.Fields["Description"], impact, status, lat, lon, time.Now()); ok {
			if err := s.st.SaveIncident(ctx, in); err != nil {
				return err
			}
			continue
		}
		spec := picture.Incident{Category: category(e.Type, e.Fields), Title: e.Fields["Description"], Impact: impact,
			Originator: r.From, Owner: r.From, Ref: e.ID, Detected: e.Time, Lat: lat, Lon: lon}
		in, err := s.pic.Open(spec, time.Now())
		if err != nil {
			return nil // not an incident the picture can hold: nothing to retry
		}
		if err := s.st.SaveIncident(ctx, in); err != nil {
			return err // handed over again later
		}
	}
	return nil
}

// answer answers a peer's pull from the picture: this node's own
// incidents whose entities match the query (the sharing node then applies
// the agreement with the peer).
func (s *sharing) answer(_ context.Context, _ string, q share.Query) (share.Payload, error) {
	var out share.Payload
	for _, in := range s.pic.Incidents(func(in *picture.Incident) bool { return in.Ref == "" }) {
		p := s.Payload(in)
		e := p.Entities[0]
		if q.Match(e) { // the incident, or a vessel it involves
			out.Entities = append(out.Entities, e)
			out.Personal = out.Personal || p.Personal
			out.Classification, out.Sensitivity, out.Purpose = p.Classification, p.Sensitivity, p.Purpose
		}
	}
	if len(out.Entities) == 0 {
		out.Classification, out.Sensitivity, out.Purpose = share.ClassNonClassified, share.SensGreen, "BorderMonitoring"
	}
	return out, nil
}

// follow publishes this node's incidents as they change, until ctx ends.
func (s *sharing) follow(ctx context.Context) {
	changes, stop := s.pic.WatchOnly(1024, func(c *picture.Change) bool { return c.Incident != nil && c.Incident.Ref == "" })
	defer stop()
	for {
		select {
		case <-ctx.Done():
			return
		case c := <-changes:
			// This node's own incidents (a shared one has its Ref); what
			// fails is audited by the sharing node.
			if c.Incident != nil && c.Incident.Ref == "" {
				s.node.Publish(ctx, s.Payload(*c.Incident))
			}
		}
	}
}
