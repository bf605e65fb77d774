package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// manifests reads the deployment's manifests, by file name.
func manifests(t *testing.T) map[string]string {
	t.Helper()
	files, err := filepath.Glob("../k8s/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no manifests: %v", err)
	}
	m := map[string]string{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		m[filepath.Base(f)] = string(data)
	}
	return m
}

// checkAll decodes and checks the manifests as run does.
func checkAll(m map[string]string) error {
	var objs []object
	for name, text := range m {
		o, err := decode(name, []byte(text))
		if err != nil {
			return err
		}
		objs = append(objs, o...)
	}
	return check(objs)
}

func TestManifestsValid(t *testing.T) {
	m := manifests(t)
	for _, want := range []string{"deployment.yaml", "service.yaml", "pvc.yaml", "secret.yaml"} {
		if _, ok := m[want]; !ok {
			t.Errorf("missing %s", want)
		}
	}
	if err := checkAll(m); err != nil {
		t.Fatal(err)
	}
}

// TestBrokenManifests breaks the real manifests one way at a time and checks that
// each is refused with an error naming the problem.
func TestBrokenManifests(t *testing.T) {
	tests := []struct {
		name, file, old, new, want string
	}{
		{"unknown field", "deployment.yaml", "imagePullPolicy:", "imagePullPolicyy:", "unknown field"},
		{"wrong type", "deployment.yaml", "replicas: 1", "replicas: one", "replicas"},
		{"bad quantity", "pvc.yaml", "storage: 5Gi", "storage: 5 gigs", "quantities must match"},
		{"unknown kind", "service.yaml", "kind: Service", "kind: Servic", "unsupported kind"},
		{"no liveness probe", "deployment.yaml", "livenessProbe:", "startupProbe:", "livenessProbe is required"},
		{"probe port not named", "deployment.yaml", "path: /healthz\n              port: http", "path: /healthz\n              port: web", `no port named "web"`},
		{"root user", "deployment.yaml", "runAsNonRoot: true", "runAsNonRoot: false", "runAsNonRoot must be true"},
		{"privilege escalation", "deployment.yaml", "allowPrivilegeEscalation: false", "allowPrivilegeEscalation: true", "allowPrivilegeEscalation must be false"},
		{"no limits", "deployment.yaml", "limits:\n              cpu: \"4\"\n              memory: 8Gi", "", "requests and limits are required"},
		{"request above limit", "deployment.yaml", "memory: 1Gi", "memory: 16Gi", "above its limit"},
		{"selector mismatch", "deployment.yaml", "matchLabels:\n      app.kubernetes.io/name: livebook", "matchLabels:\n      app.kubernetes.io/name: other", "does not match"},
		{"missing claim", "pvc.yaml", "name: livebook-notebooks", "name: notebooks", `no PersistentVolumeClaim "livebook-notebooks"`},
		{"missing secret key", "secret.yaml", "token: change", "tok: change", `key "token"`},
		{"service selects nothing", "service.yaml", "selector:\n    app.kubernetes.io/name: livebook", "selector:\n    app.kubernetes.io/name: x", "matches no Deployment"},
		{"service target port", "service.yaml", "targetPort: http", "targetPort: web", `no port named "web"`},
		{"bad name", "service.yaml", "name: livebook\n  labels", "name: Livebook_1\n  labels", "metadata.name"},
		{"mount without volume", "deployment.yaml", "- name: notebooks\n          persistentVolumeClaim:\n            claimName: livebook-notebooks", "", `no volume "notebooks"`},
		{"no storage", "pvc.yaml", "requests:\n      storage: 5Gi", "requests: {}", "storage is required"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := manifests(t)
			if !strings.Contains(m[tc.file], tc.old) {
				t.Fatalf("%s does not contain %q", tc.file, tc.old)
			}
			m[tc.file] = strings.Replace(m[tc.file], tc.old, tc.new, 1)
			err := checkAll(m)
			if err == nil {
				t.Fatalf("accepted")
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %q does not mention %q", err, tc.want)
			}
		})
	}
}

func TestDecodeSplitsDocuments(t *testing.T) {
	m := manifests(t)
	all := "# several documents\n---\n" + m["service.yaml"] + "\n---\n" + m["pvc.yaml"] + "\n--- # end\n"
	objs, err := decode("all.yaml", []byte(all))
	if err != nil {
		t.Fatal(err)
	}
	if len(objs) != 2 || objs[0].kind != "Service" || objs[1].kind != "PersistentVolumeClaim" {
		t.Fatalf("got %v", objs)
	}
	if _, err := decode("x.yaml", []byte("kind: Service\n")); err == nil || !strings.Contains(err.Error(), "apiVersion and kind are required") {
		t.Fatalf("no apiVersion: %v", err)
	}
	if _, err := decode("x.yaml", []byte("a: [\n")); err == nil {
		t.Fatal("malformed YAML accepted")
	}
}
