package redirect

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"github.com/ogarchive/ogarchive/generator/atomicfile"
	"os"
	"path/filepath"
	"strings"
)

// ShortLinkScript is the script of the /t/ page: it reads /t/#<key>.<id>,
// fetches the lookup shard of the key (WriteShortLinks) and replaces the
// location with the record's path and #<id>. It sets text only through
// textContent and navigates only to a same-origin path from the lookup.
// Its header comment lists the attributes a page can set.
//
//go:embed assets/t.js
var ShortLinkScript []byte

// shardChars are the characters a short-link key starts with (lower-case
// base32), one shard each.
const shardChars = "abcdefghijklmnopqrstuvwxyz234567"

// WriteShortLinks writes the short-link lookup into dir as one JSON object
// per first character of the key, dir/<c>.json, mapping keys to site paths
// (turnid.Ledger.Lookup). All 32 shards are written, empty ones as {}, so
// no stale shard survives a build and a well-formed link never meets a 404.
// About 2,000 records make shards of 3 to 6 KB.
func WriteShortLinks(dir string, lookup map[string]string) error {
	shards := map[byte]map[string]string{}
	for i := 0; i < len(shardChars); i++ {
		shards[shardChars[i]] = map[string]string{}
	}
	for key, path := range lookup {
		if key == "" || shards[key[0]] == nil {
			return fmt.Errorf("short-link key %q does not start with a base32 character", key)
		}
		if !strings.HasPrefix(path, "/") || strings.HasPrefix(path, "//") || strings.ContainsAny(path, "\\?#") {
			return fmt.Errorf("short-link key %q: %q is not a site path", key, path)
		}
		shards[key[0]][key] = path
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for c, table := range shards {
		data, err := json.Marshal(table) // keys sorted: deterministic output
		if err != nil {
			return err
		}
		if err := atomicfile.Write(filepath.Join(dir, string(c)+".json"), data); err != nil {
			return err
		}
	}
	return nil
}
