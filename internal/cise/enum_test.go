package cise

import (
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// schemaEnums reads every xs:simpleType enumeration under dir, by type name.
func schemaEnums(t *testing.T, dir string) map[string][]string {
	t.Helper()
	enums := map[string][]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".xsd") {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		doc, err := parseTree(b)
		if err != nil {
			return err
		}
		walk(doc.root, func(n *node) {
			if n.local != "simpleType" || attrValue(n, "name") == "" {
				return
			}
			var vals []string
			walk(n, func(e *node) {
				if e.local == "enumeration" {
					vals = append(vals, attrValue(e, "value"))
				}
			})
			enums[attrValue(n, "name")] = vals
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return enums
}

// TestEnumerations checks the service model's enumerations Validate uses
// against the schemas, and every data-model value the mapping writes
// against its enumeration.
func TestEnumerations(t *testing.T) {
	sm := schemaEnums(t, ciseData(t, "xsd", "servicemodel"))
	for name, got := range map[string][]string{
		"PriorityType": enumPriority, "InformationSecurityLevelType": enumSecurityLevel,
		"InformationSensitivityType": enumSensitivity, "PurposeType": enumPurpose, "RetryStrategyType": enumRetryStrategy,
		"AcknowledgementType": enumAckCode, "ResponseCodeType": enumResponseCode, "PullType": enumPullType,
		"ConditionOperatorType": enumConditionOperator, "FeedbackType": enumFeedbackType,
		"DataFreshnessType": enumDataFreshness, "ServiceOperationType": enumServiceOperation,
		"ServiceRoleType": enumServiceRole, "ServiceStatusType": enumServiceStatus, "ServiceType": enumServiceType,
		"QueryByExampleType": enumQueryByExample, "SeaBasinType": enumSeaBasin, "CommunityType": enumCommunity,
		"FunctionType": enumFunction,
	} {
		if want := sm[name]; !slices.Equal(got, want) {
			t.Errorf("%s: %v, schema %v", name, got, want)
		}
	}
	for _, c := range []AckCode{AckSuccess, AckAuthenticationError, AckBadRequest, AckInvalidRequestObject, AckServerError} {
		if !slices.Contains(enumAckCode, string(c)) {
			t.Errorf("ack code %s", c)
		}
	}

	dm := schemaEnums(t, ciseData(t, "xsd", "datamodel"))
	check := func(typ string, vals ...string) {
		t.Helper()
		for _, v := range vals {
			if v != "" && !slices.Contains(dm[typ], v) {
				t.Errorf("%s %q is not in the schema's enumeration", typ, v)
			}
		}
	}
	for _, v := range anomalyTypes {
		check("AnomalyType", v)
	}
	for _, v := range riskTypes {
		check("RiskType", v)
	}
	for _, v := range sensorTypes {
		check("SensorType", v)
	}
	for _, v := range reliabilityGrades {
		check("InformationReliabilityLevelType", v)
	}
	for v := range reliabilityScores {
		check("InformationReliabilityLevelType", v)
	}
	for v := range riskScores {
		check("RiskLevelType", v)
	}
	check("RiskLevelType", riskLevel(0.9), riskLevel(0.5), riskLevel(0))
	check("InformationReliabilityLevelType", reliabilityLevel(1), reliabilityLevel(0.75), reliabilityLevel(0.5), reliabilityLevel(0.35), reliabilityLevel(0.1))
	check("SeverityType", severities[:]...)
	check("RiskSeverityType", riskSeverities[:]...)
	check("CertaintyType", certainties[:]...)
	check("NatureType", "Observed", "Estimated")
	check("UrgencyType", "Past", "Immediate", "Expected")
	check("EventRoleInEventType", "Causes")
	check("ObjectRoleInEventType", "Participant")
	check("AgentRoleInEventType", "Reporter", "Coordinator")
	check("SourceType", "Observation")
	for _, cat := range categories {
		for _, th := range append(slices.Collect(func(yield func(string) bool) {
			for k := range riskTypes {
				if !yield(k) {
					return
				}
			}
		}), "") {
			kind, typ := IncidentKind(cat, th)
			if typ != "" {
				check(string(kind)+"Type", typ)
			}
		}
	}
}
