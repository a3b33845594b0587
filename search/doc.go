// Package search indexes the archive's speaker turns (and any other
// document: commitments, camp outcomes) into a bleve index, exports a
// static, sharded copy of that index for the browser, and answers queries
// from the index with the same ranking as the browser client.
//
// # Flow
//
//	[]Doc ──Build/Update──► index directory (bleve, scorch) ──Export──► public/search/
//	                              │                                         │
//	                            Query (Go)                        client.js (browser, Node)
//
// Both query sides run one algorithm on the same statistics, so they return
// the same results in the same order (TestParity, TestBrowserClient):
//
//  1. Analyse the query (analysis.go; client.js carries a port): ASCII words
//     Porter-stemmed, other words as they are, CJK text as overlapping
//     bigrams. A lone CJK character is looked up as every indexed term that
//     begins with it; the index adds the last character of each CJK run as
//     a term so that these count every occurrence, which is how
//     one-character queries work. On queries of three or more tokens a
//     Latin word at either end is optional: a remembered fragment may start
//     or end mid-word.
//  2. Candidates are the documents holding every required term; when there
//     are none (a misremembered quote), those holding one of its three
//     rarest terms, each gaining a coverage bonus for the share of the
//     query's terms it holds. Filters (speaker, date range, kind, language,
//     record) narrow them.
//     A first look leaves out the query's common terms, those in more than
//     commonDocs (20,000) documents, when at least two of its required
//     terms are rarer: the common terms neither narrow the candidates nor
//     score them, and only the phrase check (4) reads them, in the texts.
//     Their postings are the longest a query would read and their idf the
//     smallest. If none of the texts checked holds the phrase, the query
//     is looked at again with every term, as described here without the
//     first look; if nothing holds the rarer terms, nothing holds them
//     all, and the near miss is looked for over every term. A results
//     page's summary always counts the documents holding every required
//     term.
//     Sorting by newest always reads every term.
//  3. Each candidate scores BM25 (k1 1.2, b 0.75, lengths below half the
//     mean counted as half the mean, so one-line echoes do not outrank the
//     turns on a topic) with impacts quantised to one byte per posting and
//     idf quantised to 1/4096, in integers, so the two implementations
//     cannot drift by rounding.
//  4. The best candidates are checked against their text: the query, folded
//     and with punctuation collapsed, found verbatim in the text (as whole
//     words, for a one-word query) adds a bonus larger than any BM25 score,
//     so a verbatim quote ranks its turn first; otherwise the tightest
//     window holding the query's terms adds a proximity bonus, and when it
//     holds most of a quote its words are the result's Quote. The 10 best
//     are checked, and the 30 best when none of the first 10 holds the
//     phrase (unless none can).
//  5. Ties go to document order: newest record first (undated last), then
//     source file, turn ordinal and id. Sorting by newest uses that order.
//  6. Snippets are HTML-escaped text around the best match with the matches
//     in <mark>; no markup from a record ever reaches them.
//  7. A query holding mainland vocabulary (phrases.go) runs again with the
//     Taiwan words, its scores weighted 7/8, and the two lists merge.
//
// Page adds a Summary of every document holding the query whole: counts
// per year, kind and language, and per record of the results.
//
// # Index directory
//
// A bleve (scorch) index of up to 60 segments of a size (one per batch of
// a first build; see storeConfig), which Export reads as one; one document per
// Doc, keyed by Doc.Key (source file and turn id: turn ids are unique within
// a record only). Fields:
//
//	text     ogarchive-text analyser (analysis.go); stored, for snippets
//	         and phrase checks; no term vectors
//	rec      keyword, doc values: the JSON of what the documents of a
//	         record share (source, title, date, kind, lang, URL base), one
//	         value per record, which doc values store almost for free
//	speaker  keyword, doc values: the speaker's display name
//	turn     keyword, doc values: the ordinal, zero-padded to 8 digits
//	source   keyword: the record file, for Keys
//	url      stored, only when a URL is not <base>#<id>
//
// There is no _all field, no term vector and no stored copy of per-record
// data. The internal key "ogarchive/stats" holds the format version, the
// document count and the summed text-field length (JSON, see indexStats);
// Build and Update keep it current.
//
// Beside bleve's files, ogarchive-export/ holds what Export needs, written
// in the same pass from the same analysis (units.go): per source file, its
// documents with their terms, frequencies and lengths (<hash>.bin) and
// texts (<hash>.bin.txt); terms.dict, numbering the terms; and
// blocks.cache, the last export's compressed text blocks. Export inverts
// these rather than reading every postings list back from bleve: a rebuild
// re-reads only what it re-indexed, and re-compresses only changed runs.
// It holds a bounded share of the export at a time: the postings lists of
// a range of dictionary buckets per pass over the documents' terms
// (invert.go), and the texts of a window of runs.
//
// # Static export (public/search/)
//
// Export writes a dozen files, which client.js reads with HTTP range
// requests, so a query fetches only the bytes it needs (any static host that
// honours Range works; a server that ignores it still works, more slowly).
// Every file but two is named by its content, under h/, so that a deploy
// uploads only what changed and a host may cache them for good
// (static/_headers says so to hosts that read it):
//
//	manifest.json  format, generation (a digest of the rest), live document
//	               count, BM25 statistics, the masked base documents, and per
//	               segment its files and the byte length of every dictionary
//	               bucket
//	client.js      the client (embedded from client/client.js), carrying the
//	               manifest and the variant tables, so that a fresh client's
//	               first request is for the dictionary
//	h/dict-*.bin   a segment's term dictionary in buckets, each
//	               zlib-compressed; a key (field byte t, c or s, then the
//	               term) is in bucket FNV-1a(key) mod the bucket count; an
//	               entry gives the key's document count and, for at most
//	               inlineDF documents, the postings themselves, or else where
//	               its postings are, with a skip table for lists longer than a
//	               chunk
//	h/post-*.bin   postings: per document the gap to the previous one and a
//	               one-byte impact, in chunks of 128 so that a few documents
//	               can be probed without reading a whole list
//	h/docs-*.bin   10 bytes per document: the block holding it
//	h/text-*.bin   blocks of up to 1 KB of text: consecutive documents of one
//	               record with the record's data, zlib-compressed JSON
//	h/filters-*.bin per run of documents of one record: first document,
//	               date, kind, language, as zlib-compressed JSON (read by a
//	               query with those filters and by a results page, for its
//	               counts)
//	h/variants-*.bin the character-variant fold (variants.go) and the
//	               mainland phrase table (phrases.go), zlib-compressed, for a
//	               client that does not carry them
//
// Segments: a cold build's export is one segment, the base. A rebuild's
// export keeps the base's files as they are (hard links) and writes a
// delta segment of the runs of documents the base lacks (a record added or
// corrected), whose documents are numbered after the base's; base
// documents that are gone or replaced are masked in the manifest. The
// client queries the segments side by side and merges them, so a delta
// costs no round trip. Once the delta holds more than 1/deltaShare of the
// documents, or the mean length moved, the next export writes a new base.
//
// A query's round trips, one after another: the dictionary buckets (every
// term, every segment, at once); the rarest required term's postings,
// unless its entry holds them; the other terms' postings for its documents,
// read all at once, with where the candidates' texts are; the texts. A
// client whose manifest names files that are gone (the page was loaded
// before a deploy) reads manifest.json again and starts over, or, when the
// format changed, says to reload the page.
//
// Files stay under 16 MiB, for hosts that cap file sizes. Within a segment
// documents are numbered in document order (step 5), so sorting by newest
// is numeric order and a record's documents are contiguous; a delta's
// documents are placed among the base's by the base document each run
// sorts before. The output is deterministic: the same documents give the
// same bytes, however they were indexed (TestDeterminism, TestUpdate).
package search

import (
	"github.com/ogarchive/ogarchive/generator/model"
	"github.com/ogarchive/ogarchive/internal/parallel"
)

// Doc is one searchable unit. It is the model's: every kind of record
// makes its documents in that one shape, and the alias keeps the index's
// own code short.
type Doc = model.SearchDoc

// DocsFromArchive returns one Doc per turn with text, in archive order.
// Narrative segments (Ordinal 0) are included so that every sentence of the
// archive can be found; they have no speaker.
func DocsFromArchive(a *model.Archive) []Doc {
	per := make([][]Doc, len(a.Records))
	parallel.Do(len(a.Records), func(i int) error {
		per[i] = a.SearchDocs(a.Records[i])
		return nil
	})
	n := 0
	for _, ds := range per {
		n += len(ds)
	}
	docs := make([]Doc, 0, n)
	for _, ds := range per {
		docs = append(docs, ds...)
	}
	return docs
}
