package search

import (
	"bytes"
	"encoding/json"
	"os/exec"
	"path/filepath"
	"testing"
)

// clientPath is the client's source, which Export embeds.
var clientPath, _ = filepath.Abs(filepath.Join("client", "client.js"))

// runNode sends req to testdata/node.mjs and decodes its answer into out.
func runNode(t testing.TB, req map[string]any, out any) {
	t.Helper()
	if _, ok := req["client"]; !ok {
		req["client"] = clientPath
	}
	in, err := json.Marshal(req)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("node", filepath.Join("testdata", "node.mjs"))
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	res, err := cmd.Output()
	if err != nil {
		t.Fatalf("node: %v\n%s", err, stderr.String())
	}
	if err := json.Unmarshal(res, out); err != nil {
		t.Fatalf("node answer: %v\n%s", err, res)
	}
}
