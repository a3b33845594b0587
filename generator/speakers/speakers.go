// Package speakers turns speaker labels as written in transcripts into
// merged speaker identities: it normalises the label, splits off roles and
// titles, and applies the maintainers' speakers.toml (aliases and labels
// that name a role rather than a person).
package speakers

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/ogarchive/ogarchive/generator/model"
	"github.com/ogarchive/ogarchive/generator/slug"
	"golang.org/x/text/unicode/norm"
)

// Label is a speaker label split into its parts.
type Label struct {
	Raw  string // normalised label as written, without the trailing colon
	Name string // the person (or role) the label names
	Role string // the role or title split off, "" if none
}

// titles are role and title suffixes found on labels in the archive
// (唐鳳召集人, 張富林處長, 國發會報告), longest first so 共同召集人 wins
// over 召集人.
var titles = sortByLength([]string{
	"共同召集人", "召集人", "副主任委員", "主任委員", "委員", "專門委員", "處長", "副處長",
	"司長", "副司長", "署長", "副署長", "局長", "副局長", "部長", "次長", "政務次長",
	"常務次長", "院長", "副院長", "政委", "主委", "副主委", "主任秘書", "秘書長",
	"主任", "副主任", "組長", "副組長", "科長", "參事", "高級分析師", "分析師",
	"執行長", "董事長", "總經理", "理事長", "秘書", "技正", "專員", "科員",
	"教授", "副教授", "助理教授", "研究員", "主席", "市長", "副市長", "議員",
	"立委", "律師", "報告", "代表", "老師",
})

func sortByLength(s []string) []string {
	sort.SliceStable(s, func(i, j int) bool {
		return utf8.RuneCountInString(s[i]) > utf8.RuneCountInString(s[j])
	})
	return s
}

// Normalize cleans a label: NFC, every kind of space collapsed to one ASCII
// space, trimmed, trailing full- or half-width colon removed.
func Normalize(s string) string {
	s = norm.NFC.String(s)
	s = strings.Join(strings.FieldsFunc(s, unicode.IsSpace), " ")
	s = strings.TrimRight(s, ":： ")
	return strings.TrimSpace(s)
}

// Parse normalises a label and splits it into name and role:
//
//	唐鳳召集人              → 唐鳳, 召集人
//	外交部報告(蕭伊芳副司長) → 蕭伊芳, 外交部報告 副司長
//	科長：邱俊雄            → 邱俊雄, 科長
//	Audrey Tang            → Audrey Tang
func Parse(label string) Label {
	raw := Normalize(label)
	l := Label{Raw: raw, Name: raw}
	// "role：name" inside the label.
	if i := strings.IndexAny(raw, ":："); i > 0 {
		role := strings.TrimSpace(raw[:i])
		_, w := utf8.DecodeRuneInString(raw[i:])
		name := strings.TrimSpace(raw[i+w:])
		if name != "" {
			n := splitTitle(name)
			l.Name, l.Role = n.Name, joinRole(role, n.Role)
			return l
		}
	}
	// "outer(name title)" or "outer（name title）".
	if open := strings.IndexAny(raw, "(（"); open > 0 && (strings.HasSuffix(raw, ")") || strings.HasSuffix(raw, "）")) {
		_, w := utf8.DecodeRuneInString(raw[open:])
		inner := strings.TrimSpace(strings.TrimRight(raw[open+w:], ")）"))
		outer := strings.TrimSpace(raw[:open])
		if inner != "" && hasHan(inner) {
			n := splitTitle(inner)
			l.Name, l.Role = n.Name, joinRole(outer, n.Role)
			return l
		}
		// "Name (Role)" in English: the parenthesis is the role.
		l.Name, l.Role = outer, inner
		return l
	}
	n := splitTitle(raw)
	l.Name, l.Role = n.Name, n.Role
	return l
}

// splitTitle splits a known title suffix off a Chinese name, keeping at least
// two characters of name (林先生 stays whole: 林 alone names nobody).
func splitTitle(s string) Label {
	if !hasHan(s) {
		return Label{Name: s}
	}
	for _, t := range titles {
		if strings.HasSuffix(s, t) {
			name := strings.TrimSpace(strings.TrimSuffix(s, t))
			if utf8.RuneCountInString(name) >= 2 {
				return Label{Name: name, Role: t}
			}
		}
	}
	return Label{Name: s}
}

func joinRole(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + " " + b
}

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

// Resolver maps labels to merged identities using a Config.
type Resolver struct {
	cfg     *Config
	byAlias map[string]string // lower-cased name or alias → canonical name
	roles   map[string]bool   // lower-cased labels that name roles
	used    map[string]bool   // aliases seen in the archive
}

// NewResolver prepares a resolver; cfg may be nil.
func NewResolver(cfg *Config) *Resolver {
	if cfg == nil {
		cfg = &Config{}
	}
	r := &Resolver{cfg: cfg, byAlias: map[string]string{}, roles: map[string]bool{}, used: map[string]bool{}}
	for _, p := range cfg.People {
		name := Normalize(p.Name)
		r.byAlias[strings.ToLower(name)] = name
		for _, a := range p.Aliases {
			r.byAlias[strings.ToLower(Normalize(a))] = name
		}
	}
	for _, role := range cfg.Roles {
		r.roles[strings.ToLower(Normalize(role))] = true
	}
	return r
}

// Resolve returns the split label (names as written) and the merged speaker
// it names. It records
// which configured aliases were used, for UnusedAliases. Not safe for
// concurrent use.
func (r *Resolver) Resolve(label string) (Label, model.Speaker) {
	l := Parse(label)
	if l.Name == "" {
		return l, model.Speaker{}
	}
	for _, cand := range []string{l.Raw, l.Name} {
		key := strings.ToLower(cand)
		if r.roles[key] {
			r.used[key] = true
			return l, model.Speaker{Key: slug.Make(cand), Name: cand, IsRole: true}
		}
		if name, ok := r.byAlias[key]; ok {
			r.used[key] = true
			return l, model.Speaker{Key: slug.Make(name), Name: name}
		}
	}
	return l, model.Speaker{Key: slug.Make(l.Name), Name: l.Name}
}

// UnusedAliases returns configured aliases and roles that matched no label,
// with their speakers.toml lines, so `check` can flag typos.
func (r *Resolver) UnusedAliases() []Entry {
	var out []Entry
	for _, e := range r.cfg.entries {
		if !r.used[strings.ToLower(Normalize(e.Value))] {
			out = append(out, e)
		}
	}
	return out
}
