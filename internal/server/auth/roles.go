package auth

import (
	"fmt"
	"slices"
)

// Role is what a user does in the centre.
type Role string

// The roles of a coordination centre.
const (
	Operator      Role = "operator"      // on watch: the live picture, alerts, incidents
	Analyst       Role = "analyst"       // history, risk, reports, watchlists
	Administrator Role = "administrator" // users, nodes, sharing agreements, areas
	Auditor       Role = "auditor"       // reads everything and the audit log, changes nothing
)

// Roles lists the roles.
var Roles = []Role{Operator, Analyst, Administrator, Auditor}

// Permission is an action on a kind of record.
type Permission string

// Permissions the API checks.
const (
	ReadPicture    Permission = "picture:read"    // tracks, history, detections, incidents, sections, assets, exports
	WriteIncidents Permission = "incidents:write" // open, link, validate, report, close
	WriteSections  Permission = "sections:write"  // impact levels of border sections
	WriteAreas     Permission = "areas:write"     // areas drawn by users
	WriteWatchlist Permission = "watchlist:write"
	// WriteOperational: own assets, operations, environmental information.
	WriteOperational Permission = "operational:write"
	// WriteAnalysis: risk products, requests for information, imagery.
	WriteAnalysis Permission = "analysis:write"
	ManageUsers   Permission = "users:manage" // users, roles, API tokens
	ReadAudit     Permission = "audit:read"
)

// grants is what each role may do. Section levels are set by operators
// (the centre on watch) and administrators; watchlists by analysts.
var grants = map[Role][]Permission{
	Operator:      {ReadPicture, WriteIncidents, WriteSections, WriteAreas, WriteOperational},
	Analyst:       {ReadPicture, WriteWatchlist, WriteAreas, WriteAnalysis},
	Administrator: {ReadPicture, WriteSections, WriteAreas, WriteWatchlist, WriteOperational, WriteAnalysis, ManageUsers, ReadAudit},
	Auditor:       {ReadPicture, ReadAudit},
}

// Can reports whether the role grants the permission.
func (r Role) Can(p Permission) bool { return slices.Contains(grants[r], p) }

// Check reports an unknown role.
func (r Role) Check() error {
	if _, ok := grants[r]; !ok {
		return fmt.Errorf("unknown role %q (want operator, analyst, administrator or auditor)", r)
	}
	return nil
}
