package search

import _ "embed"

// clientJS is the browser and Node client, written beside the shards by
// Export so that a site only has to import it.
//
//go:embed client/client.js
var clientJS []byte
