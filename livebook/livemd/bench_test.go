package livemd

import "testing"

func BenchmarkParse(b *testing.B) {
	var data []byte
	for _, d := range fixtures(b) {
		if len(d) > len(data) {
			data = d
		}
	}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := Parse(data); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkFormat(b *testing.B) {
	var data []byte
	for _, d := range fixtures(b) {
		if len(d) > len(data) {
			data = d
		}
	}
	n, _ := Parse(data)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		Format(n)
	}
}
