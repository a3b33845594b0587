// Package tomldecode decodes a record file (a camp, a plan) into typed Go
// structs with BurntSushi/toml and reports what is wrong with it as
// findings at the lines of package tomlpos: TOML syntax, unknown keys
// (from toml.MetaData.Undecoded, with a "did you mean"), missing keys and
// values of the wrong type.
//
// BurntSushi/toml stops at the first value of the wrong type and names it
// only in its error text, so the structs it decodes into never let it fail:
// a leaf field is one of the types here (String, Strings, Array, Value),
// which take any TOML value and keep one of the wrong type for the caller
// to report with its key path, and an array of tables is a toml.Primitive,
// decoded by Tables once its shape is checked.
package tomldecode

import (
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/ogarchive/ogarchive/generator/diag"
	"github.com/ogarchive/ogarchive/generator/tomlpos"
)

// Options say how strict a Doc is about keys and where its findings go.
type Options struct {
	// ExactCase reports a key that names a field only when case is
	// ignored, as BurntSushi/toml falls back to, as unknown, and leaves the
	// field as if the key were not there.
	ExactCase bool
	// RootLine is the line of findings about the root table that no key
	// places, such as a missing key; 0 is no line.
	RootLine int
}

// Doc is one file being decoded: where findings go, and the key lines.
type Doc struct {
	File  string
	Lines *tomlpos.Lines
	Diags *diag.List

	opts   Options
	md     toml.MetaData
	src    []byte
	tables []table         // every table decoded, in file order of arrays
	folded map[string]bool // indexed paths of keys that match a field by case only
	raw    map[string]any  // the file as plain maps, for ExactCase; decoded when needed
}

// table is one decoded table: what keys it has and what keys it may have.
type table struct {
	path   string   // indexed path; "" for the root
	key    toml.Key // path without indexes, as Undecoded names keys
	keys   []string // the keys given
	fields []string // the keys allowed, in declaration order
}

// Decode parses src into v, a pointer to a struct whose fields are of the
// types of this package or toml.Primitive. A syntax error is a finding and
// Decode returns nil.
func Decode(file string, src []byte, v any, diags *diag.List, opts Options) *Doc {
	md, err := toml.Decode(string(src), v)
	if err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			diags.Errorf(file, pe.Position.Line, "TOML syntax: %s; fix the file so that it parses", pe.Message)
		} else {
			diags.Errorf(file, 0, "%v", err)
		}
		return nil
	}
	d := &Doc{File: file, Lines: tomlpos.Scan(src), Diags: diags, opts: opts, md: md, src: src, folded: map[string]bool{}}
	// The root's keys: the first segment of every key, as a dotted key
	// (a.b = 1) does not list the table it makes.
	var keys []string
	for _, k := range md.Keys() {
		if !contains(keys, k[0]) {
			keys = append(keys, k[0])
		}
	}
	d.register("", keys, reflect.ValueOf(v).Elem(), func() map[string]any {
		if d.raw == nil {
			// Cannot fail: the same text decoded above.
			_, _ = toml.Decode(string(src), &d.raw)
		}
		return d.raw
	})
	return d
}

// Line returns the line of path, or of its nearest enclosing path, or
// Options.RootLine when the file has neither.
func (d *Doc) Line(path string) int {
	if n := d.Lines.Line(path); n > 0 {
		return n
	}
	return d.opts.RootLine
}

// Errorf records an error at the line of path.
func (d *Doc) Errorf(path, format string, args ...any) {
	d.Diags.Errorf(d.File, d.Line(path), format, args...)
}

// Warnf records a warning at the line of path.
func (d *Doc) Warnf(path, format string, args ...any) {
	d.Diags.Warnf(d.File, d.Line(path), format, args...)
}

// Missing reports that the key at path is missing (or blank) in the table
// findings call where, and that add fixes it.
func (d *Doc) Missing(path, where, add string) {
	d.Errorf(path, "missing `%s` in %s: add %s", path[strings.LastIndexByte(path, '.')+1:], where, add)
}

// Given reports whether the key of an array-of-tables field is in the file.
func Given(p toml.Primitive) bool { return !reflect.ValueOf(p).IsZero() }

// Mismatch is a value of the wrong type.
type Mismatch struct {
	Path string // indexed path of the key
	Item int    // the index of the wrong item in the key's array, or -1 for the value itself
	Want string // "string", "slice" (an array), or "table"
	Dest string // for Want "table": the Go type of the table, e.g. "camp.rawTheme"
	Got  any    // the value as TOML decodes it
}

// At is the path of the wrong value: the key's, or its item's.
func (m Mismatch) At() string {
	if m.Item < 0 {
		return m.Path
	}
	return tomlpos.Index(m.Path, m.Item)
}

// Tables decodes p, the array of tables at path (an indexed key path),
// into []T, and registers each table for Unknown. A value that is not an
// array of tables is returned as a Mismatch, with no tables, and nothing
// under it is reported as unknown.
func Tables[T any](d *Doc, p toml.Primitive, path string) ([]T, *Mismatch) {
	if !Given(p) {
		return nil, nil
	}
	var raw any
	if err := d.md.PrimitiveDecode(p, &raw); err != nil {
		d.Errorf(path, "%v", err)
		return nil, nil
	}
	var maps []map[string]any
	switch v := raw.(type) {
	case []map[string]any:
		maps = v
	case []any:
		for i, e := range v {
			m, ok := e.(map[string]any)
			if !ok {
				return nil, &Mismatch{Path: path, Item: i, Want: "table", Dest: reflect.TypeFor[T]().String(), Got: e}
			}
			maps = append(maps, m)
		}
	default:
		return nil, &Mismatch{Path: path, Item: -1, Want: "slice", Got: raw}
	}
	var out []T
	if err := d.md.PrimitiveDecode(p, &out); err != nil {
		// Cannot happen with fields of this package's types: they take any value.
		d.Errorf(path, "%v", err)
		return nil, nil
	}
	for i, m := range maps {
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		d.register(tomlpos.Index(path, i), keys, reflect.ValueOf(&out[i]).Elem(), func() map[string]any { return m })
	}
	return out, nil
}

// register records a decoded table and, with ExactCase, undoes what a key
// matching a field by case only put there.
func (d *Doc) register(path string, keys []string, v reflect.Value, raw func() map[string]any) {
	t := table{path: path, keys: keys, fields: fieldNames(v.Type())}
	if p := tomlpos.PlainPath(path); p != "" {
		t.key = toml.Key(strings.Split(p, "."))
	}
	sort.Slice(t.keys, func(i, j int) bool {
		a, b := d.Line(join(path, t.keys[i])), d.Line(join(path, t.keys[j]))
		return a < b || a == b && t.keys[i] < t.keys[j]
	})
	d.tables = append(d.tables, t)
	if !d.opts.ExactCase {
		return
	}
	for _, k := range keys {
		if contains(t.fields, k) {
			continue
		}
		for i, f := range t.fields {
			if !strings.EqualFold(f, k) {
				continue
			}
			d.folded[join(path, k)] = true
			field := v.Field(fieldIndex(v.Type(), i))
			u, isU := field.Addr().Interface().(toml.Unmarshaler)
			switch {
			case !contains(keys, f):
				field.SetZero()
			case isU:
				// The value may have come from either key: take the exact one's.
				field.SetZero()
				_ = u.UnmarshalTOML(raw()[f])
			}
			// A toml.Primitive given under both spellings keeps whichever
			// BurntSushi/toml put there: one cannot be made from a value.
		}
	}
}

// Unknown is a key that is not one of its table's fields.
type Unknown struct {
	Table   string   // indexed path of the table; "" for the root
	Key     string   // the key as written
	Path    string   // indexed path of the key
	Allowed []string // the table's keys, in declaration order
	// Implicit is set for a table only a dotted key makes (a in a.b = 1),
	// which MetaData.Undecoded does not list: only its keys (a.b).
	Implicit bool
}

// Unknown returns the unknown keys of every table decoded so far, from
// toml.MetaData.Undecoded: a key of a table that no field took. Keys
// inside an unknown key, or inside a value decoded whole (Array, Value),
// are not tables of their own and are not listed.
func (d *Doc) Unknown() []Unknown {
	undecoded, listed := map[string]bool{}, map[string]bool{}
	for _, k := range d.md.Undecoded() {
		undecoded[k.String()] = true
	}
	for _, k := range d.md.Keys() {
		listed[k.String()] = true
	}
	var out []Unknown
	for _, t := range d.tables {
		for _, k := range t.keys {
			full := append(append(toml.Key{}, t.key...), k).String()
			unknown, implicit := undecoded[full], !listed[full]
			if implicit {
				// The table a dotted key makes (a.b = 1 makes a) is not
				// among MetaData.Keys: it is known if a field takes it.
				unknown = !d.takes(t.fields, k)
			}
			if unknown || d.folded[join(t.path, k)] {
				out = append(out, Unknown{Table: t.path, Key: k, Path: join(t.path, k), Allowed: t.fields, Implicit: implicit})
			}
		}
	}
	return out
}

// takes reports whether one of fields takes key, as BurntSushi/toml
// matches them: exactly, or else ignoring case.
func (d *Doc) takes(fields []string, key string) bool {
	for _, f := range fields {
		if f == key || strings.EqualFold(f, key) {
			return true
		}
	}
	return false
}

// DidYouMean names the allowed key closest to a misspelt one, as
// " (did you mean `key`?)", or is "" when none is close.
func DidYouMean(key string, allowed []string) string {
	best, bestD := "", 3
	for _, a := range allowed {
		if d := distance(strings.ToLower(key), a); d < bestD {
			best, bestD = a, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean `%s`?)", best)
}

// distance is the Levenshtein distance of a and b, in runes.
func distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	row := make([]int, len(rb)+1)
	for j := range row {
		row[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		diag := row[0]
		row[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			next := min(row[j]+1, row[j-1]+1, diag+cost)
			diag, row[j] = row[j], next
		}
	}
	return row[len(rb)]
}

// Check lists the values of the wrong type in the leaf fields of the
// struct v points to, the table at path, in declaration order.
func Check(v any, path string) []Mismatch {
	rv := reflect.ValueOf(v).Elem()
	var out []Mismatch
	for i, name := range fieldNames(rv.Type()) {
		at := join(path, name)
		switch f := rv.Field(fieldIndex(rv.Type(), i)).Interface().(type) {
		case String:
			if f.Got != nil {
				out = append(out, Mismatch{Path: at, Item: -1, Want: "string", Got: f.Got})
			}
		case Strings:
			if f.Got != nil {
				out = append(out, Mismatch{Path: at, Item: -1, Want: "slice", Got: f.Got})
			}
			for j := range f.V {
				if e, bad := f.Wrong[j]; bad {
					out = append(out, Mismatch{Path: at, Item: j, Want: "string", Got: e})
				}
			}
		case Array:
			if f.Got != nil {
				out = append(out, Mismatch{Path: at, Item: -1, Want: "slice", Got: f.Got})
			}
		}
	}
	return out
}

// Describe names the TOML type of a decoded value for findings, with its
// article: "a string", "an integer", "an array".
func Describe(v any) string {
	switch v.(type) {
	case string:
		return "a string"
	case int64:
		return "an integer"
	case float64:
		return "a number"
	case bool:
		return "a boolean"
	case time.Time:
		return "a date"
	case []any, []map[string]any:
		return "an array"
	case map[string]any:
		return "a table"
	}
	return fmt.Sprintf("%T", v)
}

// GoType names the Go type of a decoded value as BurntSushi/toml's own
// type errors do ("int64", "[]any", "map[string]any"), for findings that
// have always shown those words.
func GoType(v any) string { return strings.ReplaceAll(fmt.Sprintf("%T", v), "interface {}", "any") }

// fieldNames lists the TOML keys of a struct's fields, in order.
func fieldNames(t reflect.Type) []string {
	var out []string
	for i := range t.NumField() {
		if name := tagName(t.Field(i)); name != "" {
			out = append(out, name)
		}
	}
	return out
}

// fieldIndex is the struct field index of the i-th name fieldNames lists.
func fieldIndex(t reflect.Type, i int) int {
	for j := range t.NumField() {
		if tagName(t.Field(j)) != "" {
			if i == 0 {
				return j
			}
			i--
		}
	}
	return -1
}

func tagName(f reflect.StructField) string {
	name, _, _ := strings.Cut(f.Tag.Get("toml"), ",")
	if name == "-" || !f.IsExported() {
		return ""
	}
	return name
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func contains(list []string, s string) bool {
	for _, e := range list {
		if e == s {
			return true
		}
	}
	return false
}
