module github.com/gonx-dev/gonx/examples

go 1.26

require (
	github.com/gonx-dev/gonx/axon v0.0.0
	github.com/gonx-dev/gonx/nx v0.0.0
	github.com/gonx-dev/gonx/scidata v0.0.0
)

require (
	github.com/ebitengine/purego v0.11.3 // indirect
	github.com/klauspost/compress v1.20.4 // indirect
)

replace (
	github.com/gonx-dev/gonx/axon => ../axon
	github.com/gonx-dev/gonx/nx => ../nx
	github.com/gonx-dev/gonx/scidata => ../scidata
)
