module github.com/gonx-dev/gonx/nx

go 1.26
