package content

import (
	"bytes"
	_ "embed"
	"html/template"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"unicode"

	"github.com/BurntSushi/toml"
)

// Turns files: a record's turns are rendered here, not by Hugo. In front
// matter they made Hugo keep every turn of the archive in memory for the
// whole build (1.3 GB of the 2 GB a full-size build took) and parse them
// all again on every rebuild; as a file the record page reads with
// readFile, each is read once, when its page renders. Hugo skips the files
// (hugo.toml: ignoreFiles), so they are neither pages nor published.

// TurnsSuffix ends the name of a record's turns file, beside its page in
// the content tree.
const TurnsSuffix = ".turns.html"

//go:embed turns.html
var turnsSource string

// parallelSource renders the rows of a side-by-side page (ParallelRow),
// with the turn markup turns.html defines.
//
//go:embed parallel.html
var parallelSource string

var turnsTemplate = func() *template.Template {
	t := template.Must(template.New("turns").Funcs(template.FuncMap{
		"T":        func(string) string { return "" }, // replaced per language at execution
		"nameLang": func(string) string { return "" }, // replaced per language at execution
		"default":  defaultValue,
		"blocks":   blocksHTML,
	}).Parse(strings.TrimSuffix(turnsSource, "\n")))
	template.Must(t.New("parallel").Parse(strings.TrimSuffix(parallelSource, "\n")))
	return t
}()

// defaultValue is Hugo's default: given when it is set, else def.
func defaultValue(def any, given ...any) any {
	if len(given) == 0 {
		return def
	}
	v := reflect.ValueOf(given[0])
	if !v.IsValid() || v.IsZero() {
		return def
	}
	return given[0]
}

// blocksHTML renders a turn's blocks, directions and section headings in a
// wrapper that styles them. Their HTML was sanitised by the parser, so it
// is inserted as it is.
func blocksHTML(blocks []BlockFront) template.HTML {
	n := 1
	for _, b := range blocks {
		n += len(b.HTML) + 48
	}
	var s strings.Builder
	s.Grow(n)
	for _, b := range blocks {
		switch b.Kind {
		case "direction":
			s.WriteString(`<div class="direction" role="note">`)
			s.WriteString(b.HTML)
			s.WriteString(`</div>`)
		case "heading":
			s.WriteString(`<div class="section-heading">`)
			s.WriteString(b.HTML)
			s.WriteString(`</div>`)
		default:
			s.WriteString(b.HTML)
		}
	}
	s.WriteByte('\n')
	return template.HTML(s.String())
}

// templateExec runs the turns template in one language.
type templateExec struct{ t *template.Template }

func newTemplateExec(strs map[string]map[string]string, lang string) (*templateExec, error) {
	t, err := turnsTemplate.Clone()
	if err != nil {
		return nil, err
	}
	t.Funcs(template.FuncMap{
		"T": func(key string) string {
			if s, ok := strs[lang][key]; ok {
				return s
			}
			return strs[defaultLang][key]
		},
		// The lang of a Chinese name on an English page, so screen readers
		// switch voice (as layouts/_partials/namelang.html does in Hugo).
		"nameLang": func(name string) string {
			if lang == "en" && strings.ContainsFunc(name, func(r rune) bool { return unicode.Is(unicode.Han, r) }) {
				return "zh-TW"
			}
			return ""
		},
	})
	return &templateExec{t}, nil
}

func (e *templateExec) run(turns []TurnFront) ([]byte, error) {
	var buf bytes.Buffer
	buf.Grow(turnsSize(turns))
	if err := e.t.Execute(&buf, turns); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// runParallel renders the rows of a side-by-side page.
func (e *templateExec) runParallel(rows []ParallelRow) ([]byte, error) {
	var buf bytes.Buffer
	if err := e.t.ExecuteTemplate(&buf, "parallel", rows); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// defaultLang is the site's default language; Hugo falls back to its
// strings.
const defaultLang = "zh-tw"

// HugoLang is the Hugo language of a content directory.
func HugoLang(dir string) string {
	if dir == DirEN {
		return "en"
	}
	return defaultLang
}

// i18n reads the project's i18n/<lang>.toml files: `key = "text"`, or a
// table whose `other` is the text, as Hugo reads them.
func i18n(project string) map[string]map[string]string {
	out := map[string]map[string]string{}
	for _, lang := range []string{defaultLang, "en"} {
		raw := map[string]any{}
		if b, err := os.ReadFile(filepath.Join(project, "i18n", lang+".toml")); err == nil {
			toml.Unmarshal(b, &raw)
		}
		strs := map[string]string{}
		for k, v := range raw {
			switch v := v.(type) {
			case string:
				strs[k] = v
			case map[string]any:
				if s, ok := v["other"].(string); ok {
					strs[k] = s
				}
			}
		}
		out[lang] = strs
	}
	return out
}

// turnsSize estimates the rendered size, to allocate once.
func turnsSize(turns []TurnFront) int {
	n := 64
	for i := range turns {
		n += 256
		for _, b := range turns[i].Blocks {
			n += len(b.HTML)
		}
	}
	return n
}
