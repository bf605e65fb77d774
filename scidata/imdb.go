package scidata

import (
	"context"
	"io"
	"strings"
	"unsafe"

	"github.com/gonx-dev/gonx/scidata/decode"
)

// imdbArchive is the file name of the Large Movie Review Dataset.
const imdbArchive = "aclImdb_v1.tar.gz"

// IMDBReviews loads the Large Movie Review Dataset (Maas et al., 2011): 25000
// training and 25000 test movie reviews, in archive order, labelled 1 for
// positive and 0 for negative (u8 {n}). The 50000 unlabelled training reviews
// are left out; IMDBUnlabeled loads them.
func IMDBReviews(ctx context.Context, opts ...Option) (train, test TextSplit, err error) {
	var trainT, testT []string
	var trainL, testL []byte
	err = loadIMDB(ctx, opts, func(split, class string, text string) {
		label := byte(0)
		if class == "pos" {
			label = 1
		}
		switch {
		case split == "train" && class != "unsup":
			trainT, trainL = append(trainT, text), append(trainL, label)
		case split == "test" && class != "unsup":
			testT, testL = append(testT, text), append(testL, label)
		}
	}, func(split, class string) bool { return class != "unsup" })
	if err != nil {
		return TextSplit{}, TextSplit{}, err
	}
	return newTextSplit(trainT, trainL), newTextSplit(testT, testL), nil
}

// IMDBUnlabeled loads the 50000 unlabelled reviews of the Large Movie Review
// Dataset's training part (its "unsup" folder), in archive order.
func IMDBUnlabeled(ctx context.Context, opts ...Option) ([]string, error) {
	var texts []string
	err := loadIMDB(ctx, opts, func(split, class string, text string) {
		texts = append(texts, text)
	}, func(split, class string) bool { return split == "train" && class == "unsup" })
	return texts, err
}

// loadIMDB downloads (if needed) the review archive and calls add for each
// review file aclImdb/SPLIT/CLASS/ID_RATING.txt for which keep is true.
func loadIMDB(ctx context.Context, opts []Option, add func(split, class, text string), keep func(split, class string) bool) error {
	const name = "imdb"
	c := newConfig(opts)
	ds, err := c.dataset(name)
	if err != nil {
		return err
	}
	f := ds.file(imdbArchive)
	p, err := c.ensure(ctx, ds, f)
	if err != nil {
		return wrapErr(name, err)
	}
	err = decodeGzip(p, f, func(r io.Reader) error {
		return decode.TarText(imdbArchive, r, 0, func(path string) bool {
			split, class, ok := reviewPath(path)
			return ok && keep(split, class)
		}, func(path string, text []byte) error {
			split, class, _ := reviewPath(path)
			add(split, class, bytesToString(text))
			return nil
		})
	})
	return wrapErr(name, err)
}

// reviewPath splits a review's archive path "aclImdb/train/pos/0_9.txt" into
// its split and class; ok is false for other members (vocabularies, URL
// lists, feature files).
func reviewPath(path string) (split, class string, ok bool) {
	parts := strings.Split(path, "/")
	if len(parts) != 4 || parts[0] != "aclImdb" || !strings.HasSuffix(parts[3], ".txt") {
		return "", "", false
	}
	split, class = parts[1], parts[2]
	if (split != "train" && split != "test") || (class != "pos" && class != "neg" && class != "unsup") {
		return "", "", false
	}
	return split, class, true
}

// bytesToString returns b as a string without copying it. b must not be changed
// afterwards: the decoder hands each review's bytes over and keeps none.
func bytesToString(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}
