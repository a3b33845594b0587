package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestSequentialDepth(t *testing.T) {
	for _, c := range []struct {
		name string
		reqs []timedRequest
		want int
	}{
		{"none", nil, 0},
		{"one", []timedRequest{{0, 1}}, 1},
		{"parallel", []timedRequest{{0, 1}, {0, 2}, {0.5, 3}}, 1},
		{"chain", []timedRequest{{2, 3}, {0, 1}, {1, 2}}, 3},
		{"issued when the first completed", []timedRequest{{0, 1}, {1, 2}}, 2},
		// The third waits for the first only; the fourth for the second,
		// which waited for the first.
		{"fan-out", []timedRequest{{0, 1}, {1, 5}, {1, 2}, {5, 6}}, 3},
		{"one never completed", []timedRequest{{0, -1}, {1, 2}}, 1},
	} {
		if got := SequentialDepth(c.reqs); got != c.want {
			t.Errorf("%s: depth %d, want %d", c.name, got, c.want)
		}
	}
}

// stubClient is a client.js whose queries name the files it fetches: a
// query is groups separated by ";", run one after another, of requests
// separated by ",", run at once, each a file name with "@a-b" for a
// range. It answers a.md's turn 1 when every response had the status a
// static host gives (206 for a range, 404 for a file named missing…);
// from disk it fetches nothing.
const stubClient = `export class SearchIndex {
  constructor(base) { this.base = String(base); this.requests = 0; this.bytes = 0; }
  async get(spec) {
    const [name, range] = spec.split("@");
    const res = await fetch(this.base + name, range ? { headers: { Range: "bytes=" + range } } : undefined);
    const body = new Uint8Array(await res.arrayBuffer());
    this.requests++;
    this.bytes += body.length;
    return res.status === (name.startsWith("missing") ? 404 : range ? 206 : 200);
  }
  async search(query) {
    let ok = true;
    if (this.base.startsWith("http")) {
      for (const group of query.split(";")) {
        ok = (await Promise.all(group.split(",").map((s) => this.get(s)))).every(Boolean) && ok;
      }
    }
    return ok ? [{ source: "a.md", turn: 1 }] : [];
  }
}
`

// TestEvalLink runs client/eval.mjs's simulated link on a stub client:
// each response arrives RTT + bytes / bandwidth after its request.
func TestEvalLink(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not installed")
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "client.js"), []byte(stubClient), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "f1000"), make([]byte, 1000), 0o644); err != nil {
		t.Fatal(err)
	}
	link := Link{RTT: 100 * time.Millisecond, Bandwidth: 1000} // 1,000 bytes: 1.1 s
	for _, c := range []struct {
		query                  string
		ms                     time.Duration // simulated, without the client's computing
		requests, bytes, depth int64
	}{
		{"f1000", 1100 * time.Millisecond, 1, 1000, 1},
		{"f1000,f1000@0-99", 1100 * time.Millisecond, 2, 1100, 1}, // each at the full bandwidth
		{"f1000;f1000,f1000@0-99;f1000", 3300 * time.Millisecond, 4, 3100, 3},
		{"f1000@900-;missing", 309 * time.Millisecond, 2, 100 + int64(len("not found")), 2}, // an open range, then a 404
	} {
		qs := filepath.Join(dir, "queries.json")
		if err := os.WriteFile(qs, []byte(`[{"query": "`+c.query+`", "source": "a.md", "turn": 1}]`), 0o644); err != nil {
			t.Fatal(err)
		}
		args := append([]string{filepath.Join("..", "search", "client", "eval.mjs"), dir, qs}, link.evalArgs()...)
		out, err := exec.Command(node, args...).Output()
		if err != nil {
			t.Fatalf("%s: %v", c.query, err)
		}
		_, l, err := ParseEval(out) // fails unless every status was right
		if err != nil || l == nil {
			t.Fatalf("%s: %v, link %v\n%s", c.query, err, l, out)
		}
		for _, k := range []Cost{l.Cold, l.Warm} {
			if k.Requests != c.requests || k.Bytes != c.bytes || k.Depth != c.depth || k.DepthMax != c.depth ||
				k.Latency < c.ms || k.Latency > c.ms+100*time.Millisecond {
				t.Errorf("%s: %+v, want %v, %d requests, %d bytes, depth %d", c.query, k, c.ms, c.requests, c.bytes, c.depth)
			}
		}
	}
}

func TestLinkString(t *testing.T) {
	l := Link{RTT: 150 * time.Millisecond, Bandwidth: 200000}
	if got := l.String(); got != "150.0 ms RTT, 200 kB/s down" {
		t.Errorf("String: %q", got)
	}
	if got := strings.Join(l.evalArgs(), " "); got != "--rtt 150 --bw 200000" {
		t.Errorf("evalArgs: %q", got)
	}
}
