package content

import (
	"maps"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"sync"

	"github.com/ogarchive/ogarchive/generator/model"
	"github.com/ogarchive/ogarchive/generator/speakers"
	"github.com/ogarchive/ogarchive/internal/parallel"
)

// MeetingLink is a meeting in a list (a speaker's, a year's, the home
// page's): the record, and the other language's version when the meeting
// is a bilingual pair, so the pair is one item with both languages.
type MeetingLink struct {
	Title string   `toml:"title"`
	URL   string   `toml:"url"`
	Date  string   `toml:"date,omitempty"`
	Turns int      `toml:"turns"`
	Lang  string   `toml:"lang,omitempty"`
	Alt   *AltLink `toml:"alt,omitempty"`
}

// AltLink is the other language's version of a meeting.
type AltLink struct {
	Title string `toml:"title"`
	URL   string `toml:"url"`
	Lang  string `toml:"lang"`
}

// meeting is one meeting of the archive: a record, and its English
// version when it has one, which is not a meeting of its own.
type meeting struct {
	main, alt *model.Record
}

// meetings lists the archive's meetings in the records' order (newest
// first): a bilingual pair (model.Record.Alternate) is one meeting, at the
// place of its Chinese record.
func meetings(a *model.Archive) []meeting {
	byFile := make(map[string]*model.Record, len(a.Records))
	for _, r := range a.Records {
		byFile[r.File] = r
	}
	var out []meeting
	for _, r := range a.Records {
		alt := byFile[r.Alternate]
		if alt != nil && alt.Lang != "en" && r.Lang == "en" {
			continue // listed with its Chinese version
		}
		if alt != nil && alt.Lang == r.Lang {
			alt = nil // not a translation: two meetings
		}
		out = append(out, meeting{r, alt})
	}
	return out
}

// link is the list item of record r with turns turns, and other as its
// other-language version.
func link(r *model.Record, turns int, other *model.Record) MeetingLink {
	l := MeetingLink{Title: r.Title, URL: r.URL(), Date: r.DateString(), Turns: turns, Lang: r.Lang}
	if other != nil {
		l.Alt = &AltLink{Title: other.Title, URL: other.URL(), Lang: other.Lang}
	}
	return l
}

// SpeakerFront is a speaker page's front matter: the speaker's record in
// the archive. Meetings are grouped by year, newest first; the oldest
// years of the busiest speakers are pages of their own (SpeakerYearFront),
// so the page stays small.
type SpeakerFront struct {
	Title    string          `toml:"title"`
	URL      string          `toml:"url"`
	Type     string          `toml:"type"`
	Key      string          `toml:"key"`
	Aliases  []string        `toml:"other_names,omitempty"`
	Turns    int             `toml:"turn_count"`
	Meetings int             `toml:"meeting_count"`
	First    string          `toml:"first,omitempty"` // date of the first dated meeting
	Last     string          `toml:"last,omitempty"`  // date of the last
	Outputs  []string        `toml:"outputs"`
	Activity []YearCount     `toml:"activity,omitempty"` // meetings a year, oldest first, every year from First to Last
	Years    []SpeakerYear   `toml:"years"`
	Peers    []Peer          `toml:"peers,omitempty"`
	Words    []speakers.Term `toml:"words,omitempty"`
}

// SpeakerYear is one year of a speaker's meetings ("undated" last).
type SpeakerYear struct {
	Year     string        `toml:"year"`
	Meetings int           `toml:"meetings"`
	Turns    int           `toml:"turns"`
	List     []MeetingLink `toml:"list,omitempty"` // the meetings shown on the speaker's page
	Page     string        `toml:"page,omitempty"` // the year's own page, when List is not all of them
}

// YearCount is a figure for one year, for charts.
type YearCount struct {
	Year string `toml:"year"`
	N    int    `toml:"n"`
}

// Peer is a person who spoke at the same meetings as another, or one of
// the archive's busiest speakers.
type Peer struct {
	Name string `toml:"name"`
	URL  string `toml:"url"`
	N    int    `toml:"n"` // meetings shared, or turns
}

// SpeakerYearFront is the page of one year of a busy speaker's meetings.
type SpeakerYearFront struct {
	Title    string        `toml:"title"`
	URL      string        `toml:"url"`
	Type     string        `toml:"type"`
	Name     string        `toml:"name"`
	Speaker  string        `toml:"speaker"` // the speaker's page
	Year     string        `toml:"year"`
	Turns    int           `toml:"turns"`
	Meetings []MeetingLink `toml:"meetings"`
}

// Limits of a speaker page.
const (
	// pageMeetings is how many meetings a speaker page lists: about 300
	// bytes of HTML each. Years beyond it get a page of their own, which
	// only the few busiest speakers need; every other speaker's years are
	// on their page, the older ones collapsed.
	pageMeetings = 100
	// maxPeers and maxWords are how many co-speakers and distinctive words
	// a page shows.
	maxPeers = 12
	maxWords = 20
	// wordsMinBytes is how much a speaker must have said (UTF-8 bytes of
	// speech) to be worth counting words for: it spares the memory of a
	// bag for the thousands who spoke a few lines (speakers.Distinctive
	// would find nothing in so little).
	wordsMinBytes = 3000
)

// feedMinMeetings is how many meetings a speaker needs for a feed of their
// own: most speakers appear once, and a feed each would cost thousands of
// files of the host's 20,000.
const feedMinMeetings = 2

// profile is what the archive says of one speaker.
type profile struct {
	sp       *model.Speaker
	meetings []MeetingLink // newest first
	turns    int
	en       int            // meetings whose counted record is English
	peers    map[string]int // other person → meetings shared
	bytes    int            // speech, for wordsMinBytes
}

// counting is one meeting as speakers are counted in it: the record each
// speaker's turns are counted in (the Chinese record of a bilingual pair,
// or the English one when they do not appear in the Chinese), and each
// speaker's turns in the meeting's records.
type counting struct {
	meeting
	counted       map[string]*model.Record
	inMain, inAlt map[string]int
}

// eachMeeting calls f for every meeting of the archive, newest first.
func eachMeeting(a *model.Archive, f func(c *counting)) {
	for _, m := range meetings(a) {
		c := &counting{meeting: m, counted: map[string]*model.Record{}, inMain: turnCounts(m.main)}
		for k := range c.inMain {
			c.counted[k] = m.main
		}
		if m.alt != nil {
			c.inAlt = turnCounts(m.alt)
			for k := range c.inAlt {
				if c.counted[k] == nil {
					c.counted[k] = m.alt
				}
			}
		}
		f(c)
	}
}

// profiles gathers every person's meetings, turns and co-speakers.
func profiles(a *model.Archive) map[string]*profile {
	by := map[string]*profile{}
	eachMeeting(a, func(c *counting) {
		var people []string
		for k, r := range c.counted {
			sp := a.Speakers[k]
			if sp == nil || sp.IsRole {
				continue
			}
			people = append(people, k)
			p := by[k]
			if p == nil {
				p = &profile{sp: sp, peers: map[string]int{}}
				by[k] = p
			}
			n, other := c.inMain[k], c.alt
			if r != c.main {
				n, other = c.inAlt[k], c.main
			}
			p.meetings = append(p.meetings, link(r, n, other))
			p.turns += n
			if r.Lang == "en" {
				p.en++
			}
			for i := range r.Turns {
				if t := &r.Turns[i]; t.Speaker == k {
					p.bytes += textBytes(t)
				}
			}
		}
		for _, k := range people {
			for _, o := range people {
				if o != k {
					by[k].peers[o]++
				}
			}
		}
	})
	return by
}

// turnCounts counts each speaker's turns in a record.
func turnCounts(r *model.Record) map[string]int {
	n := map[string]int{}
	for i := range r.Turns {
		if k := r.Turns[i].Speaker; k != "" {
			n[k]++
		}
	}
	return n
}

// SpeakerPages builds one page per person (roles get none), and a page for
// each year of the busiest speakers that their page has no room for. A
// speaker's page is in the language most of their meetings are in.
func SpeakerPages(a *model.Archive) []Page {
	by := profiles(a)
	words := distinctiveWords(a, by)
	var pages []Page
	for _, k := range slices.Sorted(maps.Keys(by)) {
		p := by[k]
		lang := DirZH
		if p.en*2 > len(p.meetings) {
			lang = DirEN
		}
		f := SpeakerFront{Title: p.sp.Name, URL: SpeakerURL(k), Type: "speakers", Key: k,
			Aliases: p.sp.Aliases, Turns: p.turns, Meetings: len(p.meetings),
			Outputs: speakerOutputs(len(p.meetings)), Peers: peers(a, p.peers, maxPeers), Words: words[k]}
		for _, m := range p.meetings {
			if m.Date != "" {
				if f.Last == "" {
					f.Last = m.Date
				}
				f.First = m.Date
			}
		}
		f.Years = years(p.meetings, f.URL)
		f.Activity = activity(f.Years)
		for i := range f.Years {
			y := &f.Years[i]
			if y.Page == "" {
				continue
			}
			var list []MeetingLink
			for _, m := range p.meetings {
				if yearOf(m.Date) == y.Year {
					list = append(list, m)
				}
			}
			pages = append(pages, Page{
				Path: lang + "/speakers/" + k + "/" + y.Year + ".md",
				Front: SpeakerYearFront{Title: p.sp.Name + " · " + y.Year, URL: y.Page, Type: "speakeryear",
					Name: p.sp.Name, Speaker: f.URL, Year: y.Year, Turns: y.Turns, Meetings: list},
			})
		}
		pages = append(pages, Page{Path: lang + "/speakers/" + k + ".md", Front: f})
	}
	return pages
}

// yearOf is the year of a YYYY-MM-DD date, or "undated".
func yearOf(date string) string {
	if len(date) < 4 {
		return "undated"
	}
	return date[:4]
}

// years groups meetings (newest first, undated last) by year and lists
// them on the page while pageMeetings allows: the newest year always (up
// to pageMeetings of it), then each older year that fits whole. A year not
// listed whole gets a page of its own.
// base is the speaker page's URL, under which a year's page is.
func years(ms []MeetingLink, base string) []SpeakerYear {
	var ys []SpeakerYear
	var all [][]MeetingLink
	for _, m := range ms {
		y := yearOf(m.Date)
		if len(ys) == 0 || ys[len(ys)-1].Year != y {
			ys = append(ys, SpeakerYear{Year: y})
			all = append(all, nil)
		}
		ys[len(ys)-1].Meetings++
		ys[len(ys)-1].Turns += m.Turns
		all[len(all)-1] = append(all[len(all)-1], m)
	}
	room := pageMeetings
	for i := range ys {
		switch {
		case len(all[i]) <= room:
			ys[i].List = all[i]
			room -= len(all[i])
		case i == 0:
			ys[i].List = all[i][:room]
			room = 0
		default:
			room = 0 // older years would be out of order
		}
		if len(ys[i].List) < len(all[i]) {
			ys[i].Page = base + ys[i].Year + "/"
		}
	}
	return ys
}

// activity is the meetings of each year from the first dated year to the
// last, oldest first, with the years of none as 0: the chart's bars.
func activity(ys []SpeakerYear) []YearCount {
	n := map[int]int{}
	lo, hi := 0, 0
	for _, y := range ys {
		v, err := strconv.Atoi(y.Year)
		if err != nil {
			continue
		}
		n[v] = y.Meetings
		if lo == 0 || v < lo {
			lo = v
		}
		if v > hi {
			hi = v
		}
	}
	if lo == 0 {
		return nil
	}
	out := make([]YearCount, 0, hi-lo+1)
	for v := lo; v <= hi; v++ {
		out = append(out, YearCount{Year: strconv.Itoa(v), N: n[v]})
	}
	return out
}

// peers are the n people of counts (key → meetings shared) with the most
// meetings, ties by name.
func peers(a *model.Archive, counts map[string]int, n int) []Peer {
	out := make([]Peer, 0, len(counts))
	for k, c := range counts {
		out = append(out, Peer{Name: a.Speakers[k].Name, URL: SpeakerURL(k), N: c})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].N != out[j].N {
			return out[i].N > out[j].N
		}
		if out[i].Name != out[j].Name {
			return out[i].Name < out[j].Name
		}
		return out[i].URL < out[j].URL
	})
	if len(out) > n {
		out = out[:n]
	}
	return out
}

// distinctiveWords finds, for every person of by who said enough, the
// words that set them apart from the rest of the archive
// (speakers.Distinctive). Every speaker turn counts towards the archive,
// roles' too, each in the record it is counted in for its speaker.
//
// The speech is counted in pieces on every core: each person's meetings in
// runs of about the same size, and everyone else's turns. A piece's bag is
// merged into its person's, and every bag into the archive's counts; all
// are sums, so the order pieces finish in does not matter.
func distinctiveWords(a *model.Archive, by map[string]*profile) map[string][]speakers.Term {
	var (
		spoken = map[string]*speech{} // people whose words are wanted
		rest   = &speech{}
	)
	eachMeeting(a, func(c *counting) {
		rest.meeting()
		for k := range c.counted {
			if p := by[k]; p != nil && p.bytes >= wordsMinBytes {
				if spoken[k] == nil {
					spoken[k] = &speech{}
				}
				spoken[k].meeting()
			}
		}
		// Records in a fixed order: of the spellings of an English word a
		// person wrote equally often, the first is shown.
		for _, r := range []*model.Record{c.main, c.alt} {
			if r == nil {
				continue
			}
			for i := range r.Turns {
				t := &r.Turns[i]
				if t.Speaker == "" || t.Ordinal == 0 || c.counted[t.Speaker] != r {
					continue
				}
				if sp := spoken[t.Speaker]; sp != nil {
					sp.add(t)
				} else {
					rest.add(t)
				}
			}
		}
	})
	keys := slices.Sorted(maps.Keys(spoken))
	total := rest.bytes()
	for _, sp := range spoken {
		total += sp.bytes()
	}
	size := max(wordsPieceBytes, total/(4*runtime.GOMAXPROCS(0)))
	type piece struct {
		speaker  string // "" for the rest
		meetings [][]*model.Turn
	}
	var pieces []piece
	for _, k := range keys {
		for _, ms := range spoken[k].split(size) {
			pieces = append(pieces, piece{k, ms})
		}
	}
	for _, ms := range rest.split(size) {
		pieces = append(pieces, piece{"", ms})
	}
	var (
		mu     sync.Mutex
		corpus = speakers.NewCorpus()
		bags   = map[string]*speakers.Bag{}
	)
	parallel.Do(len(pieces), func(i int) error {
		p := pieces[i]
		b := speakers.NewBag()
		for _, m := range p.meetings {
			b.Meeting()
			for _, t := range m {
				b.Add(t.SpeechText())
			}
		}
		mu.Lock()
		defer mu.Unlock()
		switch {
		case p.speaker == "":
			corpus.Add(b)
		case bags[p.speaker] == nil:
			bags[p.speaker] = b
		default:
			bags[p.speaker].Merge(b)
		}
		return nil
	})
	for _, k := range keys {
		corpus.Add(bags[k])
	}
	out := make([][]speakers.Term, len(keys))
	parallel.Do(len(keys), func(i int) error {
		ms := spoken[keys[i]].meetings
		out[i] = corpus.Distinctive(bags[keys[i]], maxWords, func(yield func(string) bool) {
			for _, m := range ms {
				for _, t := range m {
					if !yield(t.SpeechText()) {
						return
					}
				}
			}
		})
		return nil
	})
	words := map[string][]speakers.Term{}
	for i, k := range keys {
		if len(out[i]) > 0 {
			words[k] = out[i]
		}
	}
	return words
}

// wordsPieceBytes is the least speech distinctiveWords counts as one
// piece: in smaller pieces, merging their bags would cost more than the
// counting saves. A variable only so that tests can cut a small archive up.
var wordsPieceBytes = 1 << 20

// speech is the counted turns of one person, or of everyone whose words
// are not wanted, meeting by meeting.
type speech struct {
	meetings [][]*model.Turn
	sizes    []int // each meeting's bytes of text (textBytes)
}

func (s *speech) meeting() {
	s.meetings = append(s.meetings, nil)
	s.sizes = append(s.sizes, 0)
}

func (s *speech) add(t *model.Turn) {
	last := len(s.meetings) - 1
	s.meetings[last] = append(s.meetings[last], t)
	s.sizes[last] += textBytes(t)
}

func (s *speech) bytes() (n int) {
	for _, b := range s.sizes {
		n += b
	}
	return n
}

// split cuts the meetings into runs of at least size bytes of speech (the
// last run less), never inside a meeting: one split in two would count
// twice towards its terms' spread.
func (s *speech) split(size int) [][][]*model.Turn {
	var (
		out [][][]*model.Turn
		cur [][]*model.Turn
		n   int
	)
	for i, m := range s.meetings {
		cur = append(cur, m)
		if n += s.sizes[i]; n >= size {
			out, cur, n = append(out, cur), nil, 0
		}
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out
}

// textBytes is how much a turn says: the UTF-8 bytes of its blocks' text.
func textBytes(t *model.Turn) (n int) {
	for _, b := range t.Blocks {
		n += len(b.Text)
	}
	return n
}

func speakerOutputs(meetings int) []string {
	if meetings >= feedMinMeetings {
		return []string{"html", "atom"}
	}
	return []string{"html"}
}

// SpeakerURL is the site path of a speaker's page.
func SpeakerURL(key string) string { return "/speakers/" + key + "/" }
