package server

import (
	"net/http"
	"regexp"
	"strings"

	"pharos/internal/server/auth"
)

var pathParam = regexp.MustCompile(`\{([a-z]+)\}`)

// openAPIDoc builds the OpenAPI 3.1 document from the route table.
func openAPIDoc() map[string]any {
	paths := map[string]map[string]any{}
	for _, rt := range routes {
		op := map[string]any{
			"summary":     rt.summary,
			"operationId": strings.ToLower(rt.method) + strings.NewReplacer("/", "_", "{", "", "}", "", ".", "_").Replace(rt.path),
			"responses": map[string]any{
				"default": map[string]any{"description": "JSON; errors as {\"error\": …}"},
			},
		}
		if rt.perm != "" {
			op["security"] = []map[string][]string{{"bearer": {}}, {"session": {}}}
			op["x-permission"] = string(rt.perm)
		}
		var params []map[string]any
		for _, m := range pathParam.FindAllStringSubmatch(rt.path, -1) {
			params = append(params, map[string]any{"name": m[1], "in": "path", "required": true,
				"schema": map[string]string{"type": "string"}})
		}
		if params != nil {
			op["parameters"] = params
		}
		if paths[rt.path] == nil {
			paths[rt.path] = map[string]any{}
		}
		paths[rt.path][strings.ToLower(rt.method)] = op
	}
	return map[string]any{
		"openapi": "3.1.0",
		"info":    map[string]any{"title": "Pharos node API", "version": "1"},
		"paths":   paths,
		"components": map[string]any{"securitySchemes": map[string]any{
			"bearer":  map[string]string{"type": "http", "scheme": "bearer", "description": "API token"},
			"session": map[string]string{"type": "apiKey", "in": "cookie", "name": SessionCookie, "description": "from POST /api/login; changes need X-CSRF-Token"},
		}},
	}
}

func (s *Server) openAPI(w http.ResponseWriter, _ *http.Request, _ *auth.Principal) error {
	return writeJSON(w, http.StatusOK, s.doc)
}
