module github.com/gonx-dev/gonx/axon

go 1.26

require github.com/gonx-dev/gonx/nx v0.0.0

replace github.com/gonx-dev/gonx/nx => ../nx
