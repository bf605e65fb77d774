package scidata

import (
	"fmt"
	"slices"
	"strings"
)

// Dataset describes a published data set and the files it is made of.
type Dataset struct {
	Name     string // short name used by the cache and the command ("mnist")
	Title    string // human-readable name
	Homepage string // where the publisher describes it
	Files    []File // the published files
}

// File is one published file and what it must hash to.
type File struct {
	// Name is the file name, at the source and in the cache.
	Name string
	// URLs are tried in order: the publisher first, then known mirrors.
	URLs []string
	// Size is the length in bytes.
	Size int64
	// SHA256 is the hex SHA-256 of the file, which downloads and loads are
	// checked against.
	SHA256 string
	// MD5 is the hex MD5 the publisher (or the data set's long-standing
	// loaders) give, empty when none is published. It is checked only when
	// SHA256 is empty, and by the scidata command's verify.
	MD5 string
}

// Size returns the total size in bytes of the data set's files.
func (d Dataset) Size() int64 {
	var n int64
	for _, f := range d.Files {
		n += f.Size
	}
	return n
}

// file returns the file named name.
func (d Dataset) file(name string) File {
	for _, f := range d.Files {
		if f.Name == name {
			return f
		}
	}
	panic("scidata: " + d.Name + " has no file " + name)
}

// mirrored returns the URLs of file name under each base URL, in order.
func mirrored(name string, bases ...string) []string {
	urls := make([]string, len(bases))
	for i, b := range bases {
		urls[i] = b + name
	}
	return urls
}

// Where the checksums come from:
//
//   - MNIST: the publisher gives none. The MD5s are those torchvision has
//     checked since its first release; the SHA-256s were computed from the
//     project's copy of the files (../shared/data/mnist, whose MD5s match) and
//     agree with torchvision's prototype datasets.
//   - Fashion-MNIST: MD5s from Zalando's README and torchvision; SHA-256s
//     computed from the project's copy (MD5s match) and equal to torchvision's.
//   - Kuzushiji-MNIST: MD5s from torchvision; SHA-256s from torchvision's
//     prototype datasets. Not checked against the files here (none in
//     ../shared/data).
//   - CIFAR-10 and CIFAR-100 (binary versions): MD5s from the publisher's page
//     (cs.toronto.edu/~kriz/cifar.html); SHA-256s as TensorFlow Datasets,
//     MLDatasets.jl and GoMLX give them. Not checked against the files here.
//   - IMDB (aclImdb_v1.tar.gz): the publisher gives none; MD5 from torchtext,
//     SHA-256 from TensorFlow Datasets. Not checked against the file here.
//   - Iris (UCI iris.data): UCI gives none; the SHA-256 that several loaders
//     use was confirmed by rebuilding the file byte for byte from scikit-learn's
//     copy in ../shared/data (its two documented differences restored); the
//     MD5 was computed from that rebuilt file.
//   - Wine (UCI wine.data): UCI gives none; the SHA-256 is the one several
//     independent loaders use. Not checked against the file here; no MD5 known.
var registry = []Dataset{
	{
		Name: "mnist", Title: "MNIST handwritten digits", Homepage: "http://yann.lecun.com/exdb/mnist/",
		Files: idxFiles([4]int64{9912422, 28881, 1648877, 4542},
			[4]string{"440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
				"3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
				"8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
				"f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6"},
			[4]string{"f68b3c2dcbeaaa9fbdd348bbdeb94873", "d53e105ee54ea40749a09fcbcd1e9432",
				"9fb629c4189551a2d022fa330f9573f3", "ec29112dd5afa0611ce80d1b7f02629c"},
			"http://yann.lecun.com/exdb/mnist/",
			"https://ossci-datasets.s3.amazonaws.com/mnist/",
			"https://storage.googleapis.com/cvdf-datasets/mnist/"),
	},
	{
		Name: "fashion-mnist", Title: "Fashion-MNIST (Zalando article images)", Homepage: "https://github.com/zalandoresearch/fashion-mnist",
		Files: idxFiles([4]int64{26421880, 29515, 4422102, 5148},
			[4]string{"3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84",
				"a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845",
				"346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073",
				"67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5"},
			[4]string{"8d4fb7e6c68d591d4c3dfef9ec88bf0d", "25c81989df183df01b3e8a0aad5dffbe",
				"bef4ecab320f06d8554ea6380940ec79", "bb300cfdad3c16e7a12a480ee83cd310"},
			"http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
			"https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/"),
	},
	{
		Name: "kmnist", Title: "Kuzushiji-MNIST (cursive Japanese characters)", Homepage: "https://github.com/rois-codh/kmnist",
		Files: idxFiles([4]int64{18165135, 29497, 3041136, 5120},
			[4]string{"51467d22d8cc72929e2a028a0428f2086b092bb31cfb79c69cc0a90ce135fde4",
				"e38f9ebcd0f3ebcdec7fc8eabdcdaef93bb0df8ea12bee65224341c8183d8e17",
				"edd7a857845ad6bb1d0ba43fe7e794d164fe2dce499a1694695a792adfac43c5",
				"20bb9a0ef54c7db3efc55a92eef5582c109615df22683c380526788f98e42a1c"},
			[4]string{"bdb82020997e1d708af4cf47b453dcf7", "e144d726b3acfaa3e44228e80efcd344",
				"5c965bf0a639b31b8f53240b1b52f4d7", "7320c461ea6c1c855c0b718fb2a4b134"},
			"https://codh.rois.ac.jp/kmnist/dataset/kmnist/",
			"http://codh.rois.ac.jp/kmnist/dataset/kmnist/"),
	},
	{
		Name: "cifar10", Title: "CIFAR-10 (binary version)", Homepage: "https://www.cs.toronto.edu/~kriz/cifar.html",
		Files: []File{{Name: cifar10Archive, Size: 170052171,
			URLs:   []string{"https://www.cs.toronto.edu/~kriz/" + cifar10Archive},
			SHA256: "c4a38c50a1bc5f3a1c5537f2155ab9d68f9f25eb1ed8d9ddda3db29a59bca1dd",
			MD5:    "c32a1d4ab5d03f1284b67883e8d87530"}},
	},
	{
		Name: "cifar100", Title: "CIFAR-100 (binary version)", Homepage: "https://www.cs.toronto.edu/~kriz/cifar.html",
		Files: []File{{Name: cifar100Archive, Size: 168513733,
			URLs:   []string{"https://www.cs.toronto.edu/~kriz/" + cifar100Archive},
			SHA256: "58a81ae192c23a4be8b1804d68e518ed807d710a4eb253b1f2a199162a40d8ec",
			MD5:    "03b5dce01913d631647c71ecec9e9cb8"}},
	},
	{
		Name: "imdb", Title: "IMDB movie reviews (Large Movie Review Dataset v1.0)", Homepage: "https://ai.stanford.edu/~amaas/data/sentiment/",
		Files: []File{{Name: imdbArchive, Size: 84125825,
			URLs: []string{"https://ai.stanford.edu/~amaas/data/sentiment/" + imdbArchive,
				"https://bj.bcebos.com/dataset/imdb%2F" + imdbArchive},
			SHA256: "c40f74a18d3b61f90feba1e17730e0d38e8b97c05fde7008942e91923d1658fe",
			MD5:    "7c2ac02c03563afcf9b574c7e56c153a"}},
	},
	{
		Name: "iris", Title: "Iris (UCI)", Homepage: "https://archive.ics.uci.edu/dataset/53/iris",
		Files: []File{{Name: "iris.data", Size: 4551,
			URLs:   []string{"https://archive.ics.uci.edu/ml/machine-learning-databases/iris/iris.data"},
			SHA256: "6f608b71a7317216319b4d27b4d9bc84e6abd734eda7872b71a458569e2656c0",
			MD5:    "42615765a885ddf54427f12c34a0a070"}},
	},
	{
		Name: "wine", Title: "Wine recognition (UCI)", Homepage: "https://archive.ics.uci.edu/dataset/109/wine",
		Files: []File{{Name: "wine.data", Size: 10782,
			URLs:   []string{"https://archive.ics.uci.edu/ml/machine-learning-databases/wine/wine.data"},
			SHA256: "6be6b1203f3d51df0b553a70e57b8a723cd405683958204f96d23d7cd6aea659"}},
	},
}

// IDX file names shared by MNIST and the data sets modelled on it.
const (
	trainImages = "train-images-idx3-ubyte.gz"
	trainLabels = "train-labels-idx1-ubyte.gz"
	testImages  = "t10k-images-idx3-ubyte.gz"
	testLabels  = "t10k-labels-idx1-ubyte.gz"
)

// idxFiles lists the four files of an MNIST-like data set (train images, train
// labels, test images, test labels) served under each of bases.
func idxFiles(sizes [4]int64, sha256s, md5s [4]string, bases ...string) []File {
	names := [4]string{trainImages, trainLabels, testImages, testLabels}
	files := make([]File, 4)
	for i, n := range names {
		files[i] = File{Name: n, URLs: mirrored(n, bases...), Size: sizes[i], SHA256: sha256s[i], MD5: md5s[i]}
	}
	return files
}

// clone returns a copy of d that shares no slices with it.
func (d Dataset) clone() Dataset {
	d.Files = slices.Clone(d.Files)
	for i := range d.Files {
		d.Files[i].URLs = slices.Clone(d.Files[i].URLs)
	}
	return d
}

// Datasets returns every data set scidata knows, sorted by name.
func Datasets() []Dataset {
	ds := make([]Dataset, len(registry))
	for i, d := range registry {
		ds[i] = d.clone()
	}
	slices.SortFunc(ds, func(a, b Dataset) int { return strings.Compare(a.Name, b.Name) })
	return ds
}

// Lookup returns the data set called name ("mnist", "fashion-mnist", "kmnist",
// "cifar10", "cifar100", "imdb", "iris", "wine"), or an error wrapping
// ErrUnknownDataset.
func Lookup(name string) (Dataset, error) {
	for _, d := range registry {
		if d.Name == name {
			return d.clone(), nil
		}
	}
	names := make([]string, len(registry))
	for i, d := range registry {
		names[i] = d.Name
	}
	slices.Sort(names)
	return Dataset{}, fmt.Errorf("scidata: %w %q (known: %s)", ErrUnknownDataset, name, strings.Join(names, ", "))
}
