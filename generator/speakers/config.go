package speakers

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/BurntSushi/toml"
	"github.com/ogarchive/ogarchive/generator/diag"
)

// Config is the maintainers' speakers.toml:
//
//	roles = ["問", "Question", "Audience Member"]  # labels that are roles, not people
//
//	[[person]]
//	name = "唐鳳"                                  # the name speaker pages use
//	aliases = ["Audrey Tang", "唐鳳政委"]           # other spellings of the same person
type Config struct {
	Roles  []string `toml:"roles"`
	People []Person `toml:"person"`

	entries []Entry // every alias and role with its line, for unused-alias findings
}

// Person merges the labels of one person.
type Person struct {
	Name    string   `toml:"name"`
	Aliases []string `toml:"aliases"`
}

// Entry is one configured alias or role and where it is written.
type Entry struct {
	Value string
	Line  int
}

// LoadConfig reads speakers.toml at path; a missing file yields an empty
// config. Problems are reported to diags under the name file.
func LoadConfig(path, file string, diags *diag.List) *Config {
	data, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return &Config{}
	}
	if err != nil {
		diags.Errorf(file, 0, "cannot read: %v", err)
		return &Config{}
	}
	return ParseConfig(data, file, diags)
}

// ParseConfig parses speakers.toml content.
func ParseConfig(data []byte, file string, diags *diag.List) *Config {
	var c Config
	md, err := toml.Decode(string(data), &c)
	if err != nil {
		line := 0
		if pe, ok := err.(toml.ParseError); ok {
			line = pe.Position.Line
		}
		diags.Errorf(file, line, "invalid TOML: %v; fix the syntax (see README, \"speakers.toml\")", firstLine(err.Error()))
		return &Config{}
	}
	for _, k := range md.Undecoded() {
		diags.Errorf(file, keyLine(data, k.String()), "unknown key %q; allowed: roles, [[person]] name, aliases", k.String())
	}
	seen := map[string]int{}
	for i, p := range c.People {
		if strings.TrimSpace(p.Name) == "" {
			diags.Errorf(file, 0, "[[person]] #%d has no name; add name = \"…\"", i+1)
		}
	}
	c.entries = entries(data, &c)
	line := map[string]int{}
	for _, e := range c.entries {
		line[e.Value] = e.Line
	}
	var all []string
	all = append(all, c.Roles...)
	for _, p := range c.People {
		all = append(all, p.Aliases...)
	}
	for _, v := range all {
		k := strings.ToLower(Normalize(v))
		if _, dup := seen[k]; dup {
			diags.Errorf(file, line[v], "%q is listed twice; keep one", v)
			continue
		}
		seen[k] = line[v]
	}
	return &c
}

// entries finds each alias and role string's line by scanning the source:
// the TOML decoder keeps no positions for array elements.
func entries(data []byte, c *Config) []Entry {
	want := map[string]bool{}
	for _, r := range c.Roles {
		want[r] = true
	}
	for _, p := range c.People {
		for _, a := range p.Aliases {
			want[a] = true
		}
	}
	var out []Entry
	found := map[string]bool{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		for v := range want {
			if !found[v] && strings.Contains(line, fmt.Sprintf("%q", v)) {
				found[v] = true
				out = append(out, Entry{Value: v, Line: n})
			}
		}
	}
	for v := range want {
		if !found[v] {
			out = append(out, Entry{Value: v})
		}
	}
	sortEntries(out)
	return out
}

func sortEntries(e []Entry) {
	sort.Slice(e, func(i, j int) bool {
		if e[i].Line != e[j].Line {
			return e[i].Line < e[j].Line
		}
		return e[i].Value < e[j].Value
	})
}

func keyLine(data []byte, key string) int {
	last := key
	if i := strings.LastIndex(key, "."); i >= 0 {
		last = key[i+1:]
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		if strings.HasPrefix(strings.TrimSpace(sc.Text()), last) {
			return n
		}
	}
	return 0
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}
