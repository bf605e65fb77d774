// Package scidata downloads, verifies, caches and decodes classic machine
// learning data sets into nx tensors, in the shapes Elixir's Scidata uses.
//
// One function loads each data set:
//
//	train, test, err := scidata.MNIST(ctx)
//	// train.Images: u8 {60000, 1, 28, 28}; train.Labels: u8 {60000}
//
// Images are u8 tensors {n, channels, height, width}; labels are u8 tensors {n}
// ({n, 2} for CIFAR-100: coarse, then fine). Text sets (IMDB reviews) come as Go
// string slices with label tensors, and small tables (Iris, Wine) as f32 feature
// tensors with label tensors.
//
// # Files, checksums and the cache
//
// Every file comes from its publisher's URL, falling back to known mirrors, with
// retries and exponential back-off; an interrupted download resumes where it
// stopped (HTTP Range). A file enters the cache only after its SHA-256 matches
// the published value, and it is checked again each time it is loaded (in
// parallel with decoding); a file that does not match is deleted and the error
// wraps [ErrChecksum]. Two processes fetching the same file at once end with one
// good copy: downloads take a lock file and land by rename.
//
// The cache is $SCIDATA_CACHE_DIR, else the "gonx-scidata" folder of the user's
// cache directory ([os.UserCacheDir]), and the [CacheDir] option overrides both.
// [BaseURL] (or $SCIDATA_BASE_URL) fetches everything from a mirror laid out as
// BASE/DATASET/FILE instead. [Offline] (or SCIDATA_OFFLINE=1) reads the cache
// only and reports a missing file, where it was looked for and where it would
// come from, with an error wrapping [ErrNotCached].
//
// A progress bar is drawn on standard error when it is a terminal; [Quiet] turns
// it off and [Progress] sends it elsewhere.
//
// The decoders, in package [github.com/gonx-dev/gonx/scidata/decode], reject
// truncated or corrupt input with an error naming the file and byte offset.
package scidata
