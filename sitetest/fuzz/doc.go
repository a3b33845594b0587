// Package fuzz holds fuzz targets for the archive's handling of what
// maintainers and contributors write: sanitised markup that stays safe and
// inside its turn, Hugo front matter that keeps every title and turn as
// written, URL slugs, speakers.toml, camp and action-plan records, and the
// turn-id ledger. Each target states a property, not only "no panic".
//
// `make test` runs every target for a bounded number of inputs with
// `go test -fuzz` (coverage-guided, so it explores beyond the seeds);
// `make fuzz` runs each longer. A failing input is saved under
// testdata/fuzz/ and stays a regression test.
//
// The targets live apart from sitetest because fuzzing instruments every
// package of the test binary, and sitetest links Hugo.
package fuzz
