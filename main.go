// Command ogarchive turns open-government records (meeting transcripts,
// commitment tables, consensus-camp outcomes) into a Hugo site with a
// prebuilt full-text index, deployable as plain static files.
package main

import (
	"embed"
	"io/fs"
	"os"

	"github.com/ogarchive/ogarchive/cli"
)

// theme is the Hugo project: configuration, templates, strings, assets and
// the hand-written pages.
//
//go:embed hugo.toml all:layouts i18n assets all:content static
var theme embed.FS

// records is the default archive built when no --records is given.
//
//go:embed all:records
var records embed.FS

func main() {
	recs, err := fs.Sub(records, "records")
	if err != nil {
		panic(err)
	}
	os.Exit(cli.Main(os.Args[1:], theme, recs, os.Stdout, os.Stderr))
}
