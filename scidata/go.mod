module github.com/gonx-dev/gonx/scidata

go 1.26

require (
	github.com/gonx-dev/gonx/nx v0.0.0
	github.com/klauspost/compress v1.20.4
	github.com/spf13/cobra v1.10.2
)

require (
	github.com/inconshreveable/mousetrap v1.1.0 // indirect
	github.com/spf13/pflag v1.0.9 // indirect
)

// Inside the gonx workspace go.work supplies nx; this replacement (for the
// unreleased placeholder version only) lets the module build on its own too.
replace github.com/gonx-dev/gonx/nx v0.0.0 => ../nx
