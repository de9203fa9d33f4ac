package server

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"pharos/internal/picture"
	"pharos/internal/server/auth"
)

// metrics are what /metrics exposes: requests by route and status, their
// latency, audit entries the store refused, the incidents by status, and
// the Go runtime's and the process's own figures.
type metrics struct {
	reg           *prometheus.Registry
	requests      *prometheus.CounterVec
	latency       *prometheus.HistogramVec
	auditFailures prometheus.Counter
	page          http.Handler // the exposition of reg
}

func newMetrics(pic *picture.Picture, now func() time.Time) *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "pharos_http_requests_total",
			Help: "API requests by route and status code."}, []string{"route", "code"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "pharos_http_request_duration_seconds",
			Help: "API request latency by route.", Buckets: prometheus.ExponentialBuckets(0.0005, 4, 8)}, []string{"route"}),
		auditFailures: prometheus.NewCounter(prometheus.CounterOpts{Name: "pharos_audit_write_failures_total",
			Help: "Audit entries the store refused."}),
	}
	m.reg.MustRegister(m.requests, m.latency, m.auditFailures,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	m.page = promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
	for _, st := range []picture.Status{picture.StatusOpen, picture.StatusValidated, picture.StatusClosed} {
		m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "pharos_incidents",
			Help: "Incidents in the picture by status.", ConstLabels: prometheus.Labels{"status": st.String()}},
			func() float64 {
				return float64(len(pic.Incidents(func(in *picture.Incident) bool { return in.Status == st })))
			}))
	}
	m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "pharos_incidents_overdue",
		Help: "Incidents whose first report is late (24-hour rule)."},
		func() float64 { return float64(len(pic.Overdue(now()))) }))
	return m
}

// observe counts a request.
func (m *metrics) observe(rt route, status int, took time.Duration) {
	if status == 0 {
		status = http.StatusOK
	}
	m.requests.WithLabelValues(rt.method+" "+rt.path, strconv.Itoa(status)).Inc()
	m.latency.WithLabelValues(rt.method + " " + rt.path).Observe(took.Seconds())
}

func (s *Server) metricsPage(w http.ResponseWriter, r *http.Request, _ *auth.Principal) error {
	s.metrics.page.ServeHTTP(w, r)
	return nil
}
