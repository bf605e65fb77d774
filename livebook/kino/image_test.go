package kino

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"strings"
	"testing"
)

// decode decodes an image output's PNG.
func decode(t *testing.T, o Output) image.Image {
	t.Helper()
	if o.Type != TypeImage || o.MIME != "image/png" {
		t.Fatalf("output %s %s, want a PNG image", o.Type, o.MIME)
	}
	img, err := png.Decode(bytes.NewReader(o.Data))
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// samePixels compares two images pixel by pixel, as non-premultiplied RGBA.
func samePixels(t *testing.T, got, want image.Image) {
	t.Helper()
	if got.Bounds().Size() != want.Bounds().Size() {
		t.Fatalf("size %v, want %v", got.Bounds().Size(), want.Bounds().Size())
	}
	gb, wb := got.Bounds(), want.Bounds()
	for y := range wb.Dy() {
		for x := range wb.Dx() {
			g := color.NRGBAModel.Convert(got.At(gb.Min.X+x, gb.Min.Y+y))
			w := color.NRGBAModel.Convert(want.At(wb.Min.X+x, wb.Min.Y+y))
			if g != w {
				t.Fatalf("pixel (%d, %d) is %v, want %v", x, y, g, w)
			}
		}
	}
}

func TestImage(t *testing.T) {
	gray := image.NewGray(image.Rect(0, 0, 3, 2))
	rgba := image.NewNRGBA(image.Rect(5, 5, 9, 8)) // not at the origin
	for i := range gray.Pix {
		gray.Pix[i] = uint8(40 * i)
	}
	for i := range rgba.Pix {
		rgba.Pix[i] = uint8(7*i + 1)
	}
	for _, img := range []image.Image{gray, rgba} {
		samePixels(t, decode(t, Image(img)), img)
	}
}

func TestImageFromTensor(t *testing.T) {
	// A 2×5 image (5 wide, as 3 would be read as channels): pixel (y, x) has red 10y+x, green 100+, blue 200+, alpha 50+.
	const h, w = 2, 5
	px := func(y, x, k int) float64 { return float64([]int{0, 100, 200, 50}[k] + 10*y + x) }
	want := func(c int) image.Image {
		if c == 1 {
			img := image.NewGray(image.Rect(0, 0, w, h))
			for y := range h {
				for x := range w {
					img.SetGray(x, y, color.Gray{Y: uint8(px(y, x, 0))})
				}
			}
			return img
		}
		img := image.NewNRGBA(image.Rect(0, 0, w, h))
		for y := range h {
			for x := range w {
				a := uint8(255)
				if c == 4 {
					a = uint8(px(y, x, 3))
				}
				img.SetNRGBA(x, y, color.NRGBA{uint8(px(y, x, 0)), uint8(px(y, x, 1)), uint8(px(y, x, 2)), a})
			}
		}
		return img
	}
	hwc := func(c int) []float64 {
		var d []float64
		for y := range h {
			for x := range w {
				for k := range c {
					d = append(d, px(y, x, k))
				}
			}
		}
		return d
	}
	chw := func(c int) []float64 {
		var d []float64
		for k := range c {
			for y := range h {
				for x := range w {
					d = append(d, px(y, x, k))
				}
			}
		}
		return d
	}
	for _, tc := range []struct {
		name  string
		t     *fakeTensor
		chans int
	}{
		{"hw", tensor(hwc(1), h, w), 1},
		{"hw1", tensor(hwc(1), h, w, 1), 1},
		{"hw3", tensor(hwc(3), h, w, 3), 3},
		{"hw4", tensor(hwc(4), h, w, 4), 4},
		{"1hw", tensor(chw(1), 1, h, w), 1},
		{"3hw", tensor(chw(3), 3, h, w), 3},
		{"4hw", tensor(chw(4), 4, h, w), 4},
		{"11hw batch", tensor(chw(1), 1, 1, h, w), 1},
		{"13hw batch", tensor(chw(3), 1, 3, h, w), 3},
		{"1hw3 batch", tensor(hwc(3), 1, h, w, 3), 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			samePixels(t, decode(t, ImageFromTensor(tc.t)), want(tc.chans))
		})
	}
}

func TestImageFromTensorPanics(t *testing.T) {
	for _, x := range []any{
		nil,
		[]uint8{1, 2},
		tensor(nil, 4),                         // rank 1
		tensor(make([]float64, 6), 2, 3, 2),    // 2 channels
		tensor(make([]float64, 8), 2, 2, 2, 1), // rank 4, not a batch of one
		tensor(nil, 0, 3),                      // empty
		tensor(make([]float64, 5), 2, 3),       // wrong length
		(*fakeTensor)(nil),
	} {
		func() {
			defer func() {
				if r := recover(); r == nil || !strings.HasPrefix(r.(string), "kino: ImageFromTensor: ") {
					t.Errorf("ImageFromTensor(%#v) panicked with %v, want a kino: ImageFromTensor: message", x, r)
				}
			}()
			ImageFromTensor(x)
		}()
	}
}

func TestImageData(t *testing.T) {
	data := []byte("<svg/>")
	o := ImageData(data, "image/svg+xml")
	data[0] = 'X'
	if o.Type != TypeImage || o.MIME != "image/svg+xml" || string(o.Data) != "<svg/>" {
		t.Errorf("ImageData gave %+v", o)
	}
	defer func() {
		if r := recover(); r == nil {
			t.Error("ImageData accepted text/html")
		}
	}()
	ImageData([]byte("<script>"), "text/html")
}
