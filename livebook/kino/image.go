package kino

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"slices"
)

// Image returns an output that shows img, encoded as PNG. It panics if img cannot be
// encoded (an empty image).
func Image(img image.Image) Output {
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		panic(fmt.Sprintf("kino: Image: %v", err))
	}
	return Output{Type: TypeImage, MIME: "image/png", Data: b.Bytes()}
}

// imageTypes are the media types ImageData accepts: those browsers show in an img
// element, where SVG runs no scripts.
var imageTypes = []string{"image/png", "image/jpeg", "image/gif", "image/webp", "image/svg+xml"}

// ImageData returns an output that shows an image already encoded, of media type mime:
// image/png, image/jpeg, image/gif, image/webp or image/svg+xml. It panics on another
// media type; the data is not checked.
func ImageData(data []byte, mime string) Output {
	if !slices.Contains(imageTypes, mime) {
		panic(fmt.Sprintf("kino: ImageData: media type %q; want one of %v", mime, imageTypes))
	}
	return Output{Type: TypeImage, MIME: mime, Data: slices.Clone(data)}
}

// ImageFromTensor returns an output that shows a tensor of bytes as a PNG image. t is
// a tensor (such as an *nx.Tensor of dtype u8) with a Shape method returning a slice
// of ints and a Uint8s method returning its elements in row-major order. Its shape is
// {h, w} (grayscale), {h, w, c} (channels last) or {c, h, w} (channels first, as
// scidata's images are), with c channels: 1 (gray), 3 (RGB) or 4 (RGBA, not
// premultiplied); leading dimensions of size 1 (a batch of one image) are dropped.
// When both ends of a rank-3 shape could be the channels, the last is. ImageFromTensor
// panics on another shape, or on a value that is not such a tensor.
func ImageFromTensor(t any) Output {
	dims, ok := tensorShape("ImageFromTensor", t)
	bt, isBytes := t.(byteTensor)
	if !ok || !isBytes {
		panic(fmt.Sprintf("kino: ImageFromTensor: %T is not a tensor with Shape and Uint8s methods", t))
	}
	img, err := tensorImage(dims, bt.Uint8s())
	if err != nil {
		panic("kino: ImageFromTensor: " + err.Error())
	}
	return Image(img)
}

// tensorImage builds an image from a tensor's shape and bytes.
func tensorImage(dims []int, data []uint8) (image.Image, error) {
	shape := dims
	for len(shape) > 3 && shape[0] == 1 {
		shape = shape[1:]
	}
	if len(shape) == 3 && shape[0] == 1 && !isChannels(shape[2]) {
		shape = shape[1:] // {1, h, w}: one gray channel
	}
	var h, w, c int
	var chw bool
	switch {
	case len(shape) == 2:
		h, w, c = shape[0], shape[1], 1
	case len(shape) == 3 && isChannels(shape[2]):
		h, w, c = shape[0], shape[1], shape[2]
	case len(shape) == 3 && isChannels(shape[0]):
		c, h, w, chw = shape[0], shape[1], shape[2], true
	default:
		return nil, fmt.Errorf("a tensor of shape %v; want {h, w}, {h, w, c} or {c, h, w} with 1, 3 or 4 channels", dims)
	}
	if h <= 0 || w <= 0 {
		return nil, fmt.Errorf("an empty image (shape %v)", dims)
	}
	if len(data) != h*w*c {
		return nil, fmt.Errorf("a tensor of shape %v has %d elements", dims, len(data))
	}
	// at returns channel k of pixel (y, x).
	at := func(y, x, k int) uint8 {
		if chw {
			return data[(k*h+y)*w+x]
		}
		return data[(y*w+x)*c+k]
	}
	r := image.Rect(0, 0, w, h)
	if c == 1 {
		img := image.NewGray(r)
		for y := range h {
			for x := range w {
				img.Pix[y*img.Stride+x] = at(y, x, 0)
			}
		}
		return img, nil
	}
	img := image.NewNRGBA(r)
	for y := range h {
		for x := range w {
			p := img.Pix[y*img.Stride+4*x:]
			p[0], p[1], p[2], p[3] = at(y, x, 0), at(y, x, 1), at(y, x, 2), 255
			if c == 4 {
				p[3] = at(y, x, 3)
			}
		}
	}
	return img, nil
}

// isChannels reports whether n is a number of channels.
func isChannels(n int) bool { return n == 1 || n == 3 || n == 4 }
