package main

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/apimachinery/pkg/util/validation"
	"sigs.k8s.io/yaml"
)

// object is one decoded manifest document.
type object struct {
	file string
	doc  int // 1-based index of the document in its file
	kind string
	name string
	obj  any
}

func (o object) String() string {
	return fmt.Sprintf("%s (document %d): %s %q", o.file, o.doc, o.kind, o.name)
}

// kinds maps apiVersion/kind to a new value of the Go type the API server decodes it
// into. Only the kinds the gonx manifests use are known; others are refused.
var kinds = map[string]func() any{
	"apps/v1/Deployment":       func() any { return new(appsv1.Deployment) },
	"v1/Service":               func() any { return new(corev1.Service) },
	"v1/PersistentVolumeClaim": func() any { return new(corev1.PersistentVolumeClaim) },
	"v1/Secret":                func() any { return new(corev1.Secret) },
}

// docSep splits a YAML stream into documents.
var docSep = regexp.MustCompile(`(?m)^---[ \t]*(#.*)?$`)

// decode splits data, the contents of file, into documents and decodes each strictly
// into its Kubernetes type: unknown or duplicate fields, wrong types and malformed
// quantities are errors.
func decode(file string, data []byte) ([]object, error) {
	var out []object
	var errs []error
	for i, doc := range docSep.Split(string(data), -1) {
		if isBlank(doc) {
			continue
		}
		var tm metav1.TypeMeta
		if err := yaml.Unmarshal([]byte(doc), &tm); err != nil {
			errs = append(errs, fmt.Errorf("%s (document %d): %w", file, i+1, err))
			continue
		}
		if tm.APIVersion == "" || tm.Kind == "" {
			errs = append(errs, fmt.Errorf("%s (document %d): apiVersion and kind are required", file, i+1))
			continue
		}
		mk, ok := kinds[tm.APIVersion+"/"+tm.Kind]
		if !ok {
			errs = append(errs, fmt.Errorf("%s (document %d): unsupported kind %s %s", file, i+1, tm.APIVersion, tm.Kind))
			continue
		}
		obj := mk()
		if err := yaml.UnmarshalStrict([]byte(doc), obj); err != nil {
			errs = append(errs, fmt.Errorf("%s (document %d): %s: %w", file, i+1, tm.Kind, err))
			continue
		}
		o := object{file: file, doc: i + 1, kind: tm.Kind, obj: obj}
		o.name = meta(obj).Name
		out = append(out, o)
	}
	return out, errors.Join(errs...)
}

// isBlank reports whether a YAML document holds only blanks and comments.
func isBlank(doc string) bool {
	for _, line := range strings.Split(doc, "\n") {
		line = strings.TrimSpace(line)
		if line != "" && !strings.HasPrefix(line, "#") {
			return false
		}
	}
	return true
}

// meta returns the object metadata of a decoded object.
func meta(obj any) *metav1.ObjectMeta {
	switch o := obj.(type) {
	case *appsv1.Deployment:
		return &o.ObjectMeta
	case *corev1.Service:
		return &o.ObjectMeta
	case *corev1.PersistentVolumeClaim:
		return &o.ObjectMeta
	case *corev1.Secret:
		return &o.ObjectMeta
	}
	panic(fmt.Sprintf("check: unknown object %T", obj))
}

// checker collects the problems of a set of manifests.
type checker struct {
	objs []object
	errs []error
}

func (c *checker) errorf(o object, format string, args ...any) {
	c.errs = append(c.errs, fmt.Errorf("%s: %s", o, fmt.Sprintf(format, args...)))
}

// check validates the objects one by one and against each other: the fields the API
// server requires, the references between them (claims, secrets, selectors, ports),
// and the policy of the gonx deployment (probes, resources, a non-root user).
func check(objs []object) error {
	c := &checker{objs: objs}
	seen := map[string]object{}
	for _, o := range objs {
		key := o.kind + "/" + o.name
		if prev, dup := seen[key]; dup {
			c.errorf(o, "declared twice (also %s)", prev)
		}
		seen[key] = o
		c.metadata(o)
		switch obj := o.obj.(type) {
		case *appsv1.Deployment:
			c.deployment(o, obj)
		case *corev1.Service:
			c.service(o, obj)
		case *corev1.PersistentVolumeClaim:
			c.claim(o, obj)
		case *corev1.Secret:
			c.secret(o, obj)
		}
	}
	return errors.Join(c.errs...)
}

func (c *checker) metadata(o object) {
	m := meta(o.obj)
	if m.Name == "" {
		c.errorf(o, "metadata.name is required")
	} else {
		for _, msg := range validation.IsDNS1123Subdomain(m.Name) {
			c.errorf(o, "metadata.name: %s", msg)
		}
	}
	if m.Namespace != "" {
		for _, msg := range validation.IsDNS1123Label(m.Namespace) {
			c.errorf(o, "metadata.namespace: %s", msg)
		}
	}
	c.labels(o, "metadata.labels", m.Labels)
}

func (c *checker) labels(o object, field string, l map[string]string) {
	for k, v := range l {
		for _, msg := range validation.IsQualifiedName(k) {
			c.errorf(o, "%s: key %q: %s", field, k, msg)
		}
		for _, msg := range validation.IsValidLabelValue(v) {
			c.errorf(o, "%s[%s]: %s", field, k, msg)
		}
	}
}

func (c *checker) deployment(o object, d *appsv1.Deployment) {
	if d.Spec.Selector == nil || len(d.Spec.Selector.MatchLabels)+len(d.Spec.Selector.MatchExpressions) == 0 {
		c.errorf(o, "spec.selector is required")
	} else if sel, err := metav1.LabelSelectorAsSelector(d.Spec.Selector); err != nil {
		c.errorf(o, "spec.selector: %v", err)
	} else if !sel.Matches(labels.Set(d.Spec.Template.Labels)) {
		c.errorf(o, "spec.selector does not match spec.template.metadata.labels")
	}
	if d.Spec.Replicas != nil && *d.Spec.Replicas < 0 {
		c.errorf(o, "spec.replicas must not be negative")
	}
	c.labels(o, "spec.template.metadata.labels", d.Spec.Template.Labels)
	c.pod(o, &d.Spec.Template.Spec)
}

// pod checks a pod template.
func (c *checker) pod(o object, p *corev1.PodSpec) {
	if len(p.Containers) == 0 {
		c.errorf(o, "spec.template.spec.containers: at least one container is required")
	}
	volumes := map[string]bool{}
	for i, v := range p.Volumes {
		f := fmt.Sprintf("spec.template.spec.volumes[%d]", i)
		if v.Name == "" {
			c.errorf(o, "%s.name is required", f)
		}
		volumes[v.Name] = true
		n := 0
		if v.PersistentVolumeClaim != nil {
			n++
			if !c.has("PersistentVolumeClaim", v.PersistentVolumeClaim.ClaimName) {
				c.errorf(o, "%s: no PersistentVolumeClaim %q in the manifests", f, v.PersistentVolumeClaim.ClaimName)
			}
		}
		if v.Secret != nil {
			n++
			if !c.has("Secret", v.Secret.SecretName) {
				c.errorf(o, "%s: no Secret %q in the manifests", f, v.Secret.SecretName)
			}
		}
		if v.EmptyDir != nil {
			n++
		}
		if v.ConfigMap != nil {
			n++
		}
		if n != 1 {
			c.errorf(o, "%s: exactly one source (persistentVolumeClaim, secret, emptyDir, configMap) is required", f)
		}
	}
	podNonRoot := p.SecurityContext != nil && p.SecurityContext.RunAsNonRoot != nil && *p.SecurityContext.RunAsNonRoot
	for i := range p.Containers {
		c.container(o, fmt.Sprintf("spec.template.spec.containers[%d]", i), &p.Containers[i], volumes, podNonRoot)
	}
}

func (c *checker) container(o object, f string, ct *corev1.Container, volumes map[string]bool, podNonRoot bool) {
	if ct.Name == "" {
		c.errorf(o, "%s.name is required", f)
	} else {
		for _, msg := range validation.IsDNS1123Label(ct.Name) {
			c.errorf(o, "%s.name: %s", f, msg)
		}
	}
	if ct.Image == "" {
		c.errorf(o, "%s.image is required", f)
	}
	ports := map[string]int32{}
	for j, p := range ct.Ports {
		if p.ContainerPort < 1 || p.ContainerPort > 65535 {
			c.errorf(o, "%s.ports[%d].containerPort %d is not a port number", f, j, p.ContainerPort)
		}
		if p.Name != "" {
			for _, msg := range validation.IsValidPortName(p.Name) {
				c.errorf(o, "%s.ports[%d].name: %s", f, j, msg)
			}
			ports[p.Name] = p.ContainerPort
		}
	}
	for j, m := range ct.VolumeMounts {
		if !volumes[m.Name] {
			c.errorf(o, "%s.volumeMounts[%d]: no volume %q", f, j, m.Name)
		}
		if !strings.HasPrefix(m.MountPath, "/") {
			c.errorf(o, "%s.volumeMounts[%d].mountPath must be absolute", f, j)
		}
	}
	for j, e := range ct.Env {
		if e.Name == "" {
			c.errorf(o, "%s.env[%d].name is required", f, j)
		}
		if e.ValueFrom != nil && e.ValueFrom.SecretKeyRef != nil {
			ref := e.ValueFrom.SecretKeyRef
			if !c.secretHasKey(ref.Name, ref.Key) && (ref.Optional == nil || !*ref.Optional) {
				c.errorf(o, "%s.env[%d]: no Secret %q with key %q in the manifests", f, j, ref.Name, ref.Key)
			}
		}
	}
	// Policy: both probes, resources with limits no lower than requests, and a
	// non-root user that cannot gain privileges.
	c.probe(o, f+".livenessProbe", ct.LivenessProbe, ports)
	c.probe(o, f+".readinessProbe", ct.ReadinessProbe, ports)
	if len(ct.Resources.Requests) == 0 || len(ct.Resources.Limits) == 0 {
		c.errorf(o, "%s.resources: requests and limits are required", f)
	}
	for name, req := range ct.Resources.Requests {
		if lim, ok := ct.Resources.Limits[name]; ok && req.Cmp(lim) > 0 {
			c.errorf(o, "%s.resources: the %s request %s is above its limit %s", f, name, req.String(), lim.String())
		}
	}
	sc := ct.SecurityContext
	nonRoot := podNonRoot || sc != nil && sc.RunAsNonRoot != nil && *sc.RunAsNonRoot
	if !nonRoot {
		c.errorf(o, "%s: securityContext.runAsNonRoot must be true (here or for the pod)", f)
	}
	if sc == nil || sc.AllowPrivilegeEscalation == nil || *sc.AllowPrivilegeEscalation {
		c.errorf(o, "%s.securityContext.allowPrivilegeEscalation must be false", f)
	}
	if sc != nil && sc.Privileged != nil && *sc.Privileged {
		c.errorf(o, "%s.securityContext.privileged must not be true", f)
	}
}

func (c *checker) probe(o object, f string, p *corev1.Probe, ports map[string]int32) {
	if p == nil {
		c.errorf(o, "%s is required", f)
		return
	}
	n := 0
	if h := p.HTTPGet; h != nil {
		n++
		if !strings.HasPrefix(h.Path, "/") {
			c.errorf(o, "%s.httpGet.path must start with /", f)
		}
		c.port(o, f+".httpGet.port", h.Port, ports)
	}
	if t := p.TCPSocket; t != nil {
		n++
		c.port(o, f+".tcpSocket.port", t.Port, ports)
	}
	if p.Exec != nil {
		n++
		if len(p.Exec.Command) == 0 {
			c.errorf(o, "%s.exec.command is required", f)
		}
	}
	if p.GRPC != nil {
		n++
	}
	if n != 1 {
		c.errorf(o, "%s: exactly one handler (httpGet, tcpSocket, exec, grpc) is required", f)
	}
	if p.PeriodSeconds < 0 || p.TimeoutSeconds < 0 || p.FailureThreshold < 0 || p.InitialDelaySeconds < 0 {
		c.errorf(o, "%s: durations and thresholds must not be negative", f)
	}
}

// port checks a probe's port: a number, or the name of a container port.
func (c *checker) port(o object, f string, p intstr.IntOrString, ports map[string]int32) {
	if p.Type == intstr.String {
		if _, ok := ports[p.StrVal]; !ok {
			c.errorf(o, "%s: the container has no port named %q", f, p.StrVal)
		}
		return
	}
	if p.IntVal < 1 || p.IntVal > 65535 {
		c.errorf(o, "%s: %d is not a port number", f, p.IntVal)
	}
}

func (c *checker) service(o object, s *corev1.Service) {
	if len(s.Spec.Ports) == 0 {
		c.errorf(o, "spec.ports: at least one port is required")
	}
	if len(s.Spec.Selector) == 0 {
		c.errorf(o, "spec.selector is required (the Service would route nowhere)")
	}
	c.labels(o, "spec.selector", s.Spec.Selector)
	// The pods the selector picks, and the ports they name.
	var pods []*corev1.PodTemplateSpec
	for _, d := range c.objs {
		if dep, ok := d.obj.(*appsv1.Deployment); ok && len(s.Spec.Selector) > 0 &&
			labels.SelectorFromSet(s.Spec.Selector).Matches(labels.Set(dep.Spec.Template.Labels)) {
			pods = append(pods, &dep.Spec.Template)
		}
	}
	if len(s.Spec.Selector) > 0 && len(pods) == 0 {
		c.errorf(o, "spec.selector matches no Deployment's pods in the manifests")
	}
	for i, p := range s.Spec.Ports {
		f := fmt.Sprintf("spec.ports[%d]", i)
		if p.Port < 1 || p.Port > 65535 {
			c.errorf(o, "%s.port %d is not a port number", f, p.Port)
		}
		if len(s.Spec.Ports) > 1 && p.Name == "" {
			c.errorf(o, "%s.name is required when there are several ports", f)
		}
		if p.TargetPort.Type == intstr.String {
			for _, pod := range pods {
				if !namesPort(pod, p.TargetPort.StrVal) {
					c.errorf(o, "%s.targetPort: the pods have no port named %q", f, p.TargetPort.StrVal)
				}
			}
		}
	}
}

// namesPort reports whether a container of the pod has a port called name.
func namesPort(pod *corev1.PodTemplateSpec, name string) bool {
	for _, ct := range pod.Spec.Containers {
		for _, p := range ct.Ports {
			if p.Name == name {
				return true
			}
		}
	}
	return false
}

func (c *checker) claim(o object, p *corev1.PersistentVolumeClaim) {
	if len(p.Spec.AccessModes) == 0 {
		c.errorf(o, "spec.accessModes: at least one mode is required")
	}
	valid := []corev1.PersistentVolumeAccessMode{corev1.ReadWriteOnce, corev1.ReadOnlyMany, corev1.ReadWriteMany, corev1.ReadWriteOncePod}
	for _, m := range p.Spec.AccessModes {
		if !slices.Contains(valid, m) {
			c.errorf(o, "spec.accessModes: unknown mode %q", m)
		}
	}
	if q, ok := p.Spec.Resources.Requests[corev1.ResourceStorage]; !ok || q.Sign() <= 0 {
		c.errorf(o, "spec.resources.requests.storage is required and must be positive")
	}
}

func (c *checker) secret(o object, s *corev1.Secret) {
	if len(s.Data)+len(s.StringData) == 0 {
		c.errorf(o, "data or stringData is required")
	}
	for k := range s.Data {
		c.secretKey(o, "data", k)
	}
	for k := range s.StringData {
		c.secretKey(o, "stringData", k)
	}
}

func (c *checker) secretKey(o object, field, k string) {
	for _, msg := range validation.IsConfigMapKey(k) {
		c.errorf(o, "%s key %q: %s", field, k, msg)
	}
}

// has reports whether the manifests declare an object of kind called name.
func (c *checker) has(kind, name string) bool {
	for _, o := range c.objs {
		if o.kind == kind && o.name == name {
			return true
		}
	}
	return false
}

// secretHasKey reports whether the manifests declare Secret name with key.
func (c *checker) secretHasKey(name, key string) bool {
	for _, o := range c.objs {
		if s, ok := o.obj.(*corev1.Secret); ok && o.name == name {
			_, inData := s.Data[key]
			_, inString := s.StringData[key]
			return inData || inString
		}
	}
	return false
}
