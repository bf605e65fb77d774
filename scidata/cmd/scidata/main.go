// Command scidata lists, downloads, verifies and locates the data sets of the
// gonx scidata package.
//
// Usage:
//
//	scidata list                 data sets, sizes and what the cache holds
//	scidata download NAME...     fetch and verify data sets into the cache
//	scidata verify [NAME...]     re-check cached files (all data sets by default)
//	scidata path [NAME]          print the cache folder of a data set (or the root)
//
// Flags for every command: --cache-dir, --base-url, --offline and --quiet,
// which default to $SCIDATA_CACHE_DIR, $SCIDATA_BASE_URL and $SCIDATA_OFFLINE.
package main

import (
	"context"
	"os"
	"os/signal"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	err := newRootCmd(os.Stdout, os.Stderr).ExecuteContext(ctx)
	stop()
	if err != nil {
		os.Exit(1)
	}
}
