package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/ogarchive/ogarchive/generator/legacy"
	"github.com/ogarchive/ogarchive/generator/pipeline"
	"github.com/ogarchive/ogarchive/generator/redirect"
)

// importLegacy matches the previous site's published lists to the records
// and writes legacy/speeches.tsv and legacy/speakers.tsv beside them.
func (c *cmd) importLegacy(args []string) error {
	fs := c.flags("import-legacy")
	recs := fs.String("records", "records", "records directory; the mappings are written to its legacy/")
	speeches := fs.String("speeches", "", "the previous site's speech index (speech_index.json)")
	speakersList := fs.String("speakers", "", "the previous site's speaker index (speakers.json)")
	sectionsDir := fs.String("sections", "", "a directory of speeches as the previous site's /api/speech/<key> returns them (*.json)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *speeches == "" && *speakersList == "" && *sectionsDir == "" {
		return fmt.Errorf("give --speeches speech_index.json, --speakers speakers.json, --sections DIR, or several, as downloaded from the previous site's /api/")
	}
	l, err := pipeline.Load(*recs, "", nil)
	if err != nil {
		return err
	}
	if l.Archive == nil {
		c.printFindings(l.Findings)
		return fmt.Errorf("the records have errors; fix them first (ogarchive check)")
	}
	slugs, err := redirect.LegacySlugs(os.DirFS(*recs), l.Archive.Records)
	if err != nil {
		return err
	}
	find := legacy.NewFinder(l.Archive, slugs)
	if *speeches != "" {
		ss, err := legacy.ReadJSON[legacy.Speech](*speeches)
		if err != nil {
			return err
		}
		rows, unmatched, already := legacy.MatchSpeeches(find, ss)
		path := filepath.Join(*recs, filepath.FromSlash(legacy.SpeechesFile))
		header := "The previous site's speech keys that no record answers to by itself:\n" +
			"old key<TAB>record file name (no .md). Written by ogarchive import-legacy from " + filepath.Base(*speeches) + "."
		if err := legacy.WriteRows(path, header, rows); err != nil {
			return err
		}
		fmt.Fprintf(c.stdout, "speeches: %d of %d already lead to their record, %d mapped in %s, %d not matched\n",
			already, len(ss), len(rows), path, len(unmatched))
		for _, s := range unmatched[:min(len(unmatched), 20)] {
			fmt.Fprintf(c.stdout, "  not matched: %s (%s)\n", s.Key, strings.TrimSpace(s.Display))
		}
	}
	if *speakersList != "" {
		ps, err := legacy.ReadJSON[legacy.Speaker](*speakersList)
		if err != nil {
			return err
		}
		rows, unmatched := legacy.MatchSpeakers(l.Archive, ps)
		path := filepath.Join(*recs, filepath.FromSlash(legacy.SpeakersFile))
		header := "The previous site's speaker routes (/speaker/<route>, decoded):\n" +
			"route<TAB>speaker key. Written by ogarchive import-legacy from " + filepath.Base(*speakersList) + "."
		if err := legacy.WriteRows(path, header, rows); err != nil {
			return err
		}
		fmt.Fprintf(c.stdout, "speakers: %d of %d routes mapped in %s, %d not matched\n", len(rows), len(ps), path, len(unmatched))
	}
	if *sectionsDir != "" {
		if err := c.importSections(find, *recs, *sectionsDir); err != nil {
			return err
		}
	}
	fmt.Fprintln(c.stdout, "review the files, commit them with the records, then run `ogarchive build`")
	return nil
}

// importSections matches every speech of dir (each an /api/speech/<key>
// answer) to its record's turns and writes legacy/sections.tsv.
func (c *cmd) importSections(find *legacy.Finder, recs, dir string) error {
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return err
	}
	var rows []legacy.Row
	sections, byContent, speeches, missing := 0, 0, 0, 0
	for _, f := range files {
		secs, err := legacy.ReadJSON[legacy.Section](f)
		if err != nil {
			return err
		}
		if len(secs) == 0 || secs[0].ID == "" {
			continue // not a speech: the other lists may share the directory
		}
		speeches++
		sections += len(secs)
		rec, _ := find.Find(secs[0].Key, "")
		if rec == nil {
			missing++
			fmt.Fprintf(c.stdout, "  no record for speech %s (%s)\n", secs[0].Key, filepath.Base(f))
			continue
		}
		r, n := legacy.MatchSections(rec, secs)
		rows = append(rows, r...)
		byContent += n
	}
	path := filepath.Join(recs, filepath.FromSlash(legacy.SectionsFile))
	header := "The previous site's section ids (/speech/<id>): id<TAB>file#turn id.\n" +
		"Written by ogarchive import-legacy from " + filepath.Base(dir) + "/."
	if err := legacy.WriteRows(path, header, rows); err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "sections: %d of %d speeches matched to a record; %d of their %d sections mapped in %s (%d by their text, the rest to the turn beside them)\n",
		speeches-missing, speeches, len(rows), sections, path, byContent)
	return nil
}
