package export

import (
	"embed"
	"io/fs"
	"sort"
)

// Schemas holds the JSON Schemas (draft 2020-12) of the JSON exports, as
// schema/<name>; WriteAll publishes them under data/schema/. They carry no
// $id: each is identified by the URL it is published at, which the records
// index lists.
//
//go:embed schema/*.schema.json
var Schemas embed.FS

// Schema file names in Schemas and under data/schema/.
const (
	RecordSchema   = "record.schema.json"   // RecordDoc
	IndexSchema    = "records.schema.json"  // IndexDoc
	SpeakersSchema = "speakers.schema.json" // SpeakersDoc
)

// SchemaNames lists the schema files, sorted.
func SchemaNames() ([]string, error) {
	names, err := fs.Glob(Schemas, "schema/*.schema.json")
	if err != nil {
		return nil, err
	}
	for i, n := range names {
		names[i] = n[len("schema/"):]
	}
	sort.Strings(names)
	return names, nil
}
