// Package server is a node's HTTP API: the situational picture (live
// tracks and their history, incidents and their exports, border sections,
// a live stream of changes) for people and programs, behind
// authentication and the roles of package auth, every change and refusal
// in the audit log, with /healthz, /readyz, /metrics and an OpenAPI 3
// document at /api/openapi.json. It also serves the operator's web UI at /
// and under /ui/: the bundle web/build.sh makes from web/, embedded.
//
// Every route is one entry of a table that names its method, path,
// permission and summary: the mux, the permission check and the OpenAPI
// document are all made from it, so none can drift from the others.
//
// A request is authenticated by an API token (Authorization: Bearer …)
// or by a session cookie from POST /api/login; a request that changes
// something on a session must carry the session's CSRF token in the
// X-CSRF-Token header. Picture changes are stored before they are
// answered.
package server
