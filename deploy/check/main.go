// Command check validates the deployment files of gonx without a cluster, without
// Docker and without network.
//
// With -dockerfile it checks that the image's Dockerfile has what the deployment
// relies on (a build stage that runs make build, a final stage with the Go toolchain
// and gcc, a non-root user, a HEALTHCHECK on /healthz, a notebooks VOLUME, port 8080).
//
// Its arguments are the Kubernetes manifests: it decodes every document strictly into the
// k8s.io/api Go types (unknown or duplicate fields, wrong types and malformed
// quantities are errors), checks the fields the API server requires, the references
// between the objects (claims, secrets, selectors, named ports), and the deployment's
// policy: liveness and readiness probes, resource requests and limits, a non-root user
// without privilege escalation.
//
//	go run . -dockerfile ../docker/Dockerfile ../k8s/*.yaml
//
// It prints one line per problem and exits with status 1 when there is any.
//
// Why not a JSON-schema checker such as kubeconform: the schemas are downloaded at run
// time, and vendoring them for every kind would add megabytes to the repository; the
// Go types are the source the schemas are generated from, pinned in go.mod.
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
)

func main() {
	dockerfile := flag.String("dockerfile", "", "also check this Dockerfile")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: check [-dockerfile FILE] MANIFEST.yaml...")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() == 0 {
		flag.Usage()
		os.Exit(2)
	}
	err := run(flag.Args())
	if *dockerfile != "" {
		data, rerr := os.ReadFile(*dockerfile)
		if rerr == nil {
			rerr = checkDockerfile(string(data))
		}
		if rerr != nil {
			err = errors.Join(err, fmt.Errorf("%s: %w", *dockerfile, rerr))
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("check: %d manifests valid\n", flag.NArg())
	if *dockerfile != "" {
		fmt.Printf("check: %s has what the deployment needs\n", *dockerfile)
	}
}

// run decodes and checks the files together.
func run(files []string) error {
	var objs []object
	var errs []error
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		o, err := decode(f, data)
		objs = append(objs, o...)
		if err != nil {
			errs = append(errs, err)
		}
	}
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	if len(objs) == 0 {
		return errors.New("check: no Kubernetes objects in the files")
	}
	return check(objs)
}
