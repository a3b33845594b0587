package plan

import (
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"

	"github.com/ogarchive/ogarchive/generator/diag"
)

// ImportOptions say what a spreadsheet does not: the plan's id, when the
// CSV file's name is not one, and, for a new plan, its title and period.
type ImportOptions struct {
	ID       string // plan id; default: the CSV file name without its extension
	Title    string // a new plan's title
	From, To string // a new plan's period, YYYY, YYYY-MM or YYYY-MM-DD
}

// ErrFindings is returned when findings stop an import; they are in the
// diag.List passed in.
var ErrFindings = errors.New("the import was stopped by the errors above; nothing was written")

// ImportFile imports csvPath into <records>/commitments/<id>.toml, the
// `ogarchive import-commitments` command. When the plan's file exists, the
// spreadsheet replaces its areas and commitments and the rest stays: the
// title, period, summary and citations of the plan, the citations of areas
// the spreadsheet keeps, and the resolutions. The result is checked as
// Load would check it before anything is written, and written through a
// temporary file, so a failed import leaves the old file as it was. It
// returns the path written.
func ImportFile(csvPath, records string, opts ImportOptions, diags *diag.List) (string, error) {
	f, err := os.Open(csvPath)
	if err != nil {
		return "", err
	}
	imported, findings := ImportCSV(f, csvPath)
	f.Close()
	for _, fd := range findings {
		diags.Add(fd)
	}
	if imported == nil {
		return "", ErrFindings
	}
	if opts.ID != "" {
		imported.ID = opts.ID
	}
	if !idRe.MatchString(imported.ID) {
		diags.Errorf(csvPath, 0, "the plan id %q (from the file name) is not lower-case ASCII letters, digits and hyphens: give one with --id, e.g. --id 2021-2024", imported.ID)
		return "", ErrFindings
	}
	imported.File = path.Join(Dir, imported.ID+".toml")
	target := filepath.Join(records, filepath.FromSlash(imported.File))

	p := imported
	if src, err := os.ReadFile(target); err == nil {
		old := Parse(imported.File, src, diags)
		if old == nil {
			return "", fmt.Errorf("%s has errors: fix them before importing into it: %w", target, ErrFindings)
		}
		p = Merge(old, imported)
	} else if !errors.Is(err, os.ErrNotExist) {
		return "", err
	} else {
		p.Title = opts.Title
		for _, d := range []struct {
			s   string
			dst *Date
		}{{opts.From, &p.From}, {opts.To, &p.To}} {
			if d.s == "" {
				continue
			}
			if *d.dst, err = ParseDate(d.s); err != nil {
				return "", err
			}
		}
		if p.Title == "" || p.From.IsZero() || p.To.IsZero() {
			return "", fmt.Errorf("%s is a new plan: give its title and period with --title, --from and --to", imported.ID)
		}
	}
	for k, v := range map[string]string{"title": opts.Title, "from": opts.From, "to": opts.To} {
		if v != "" && p != imported {
			diags.Warnf(csvPath, 0, "--%s is ignored: %s exists and keeps its own; edit it there", k, target)
		}
	}

	out, err := p.MarshalTOML()
	if err != nil {
		return "", err
	}
	check := &diag.List{}
	if Parse(p.File, out, check) == nil {
		diags.Merge(check)
		return "", ErrFindings
	}
	diags.Merge(check)
	if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
		return "", err
	}
	tmp, err := os.CreateTemp(filepath.Dir(target), ".import-*.toml")
	if err != nil {
		return "", err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(out); err != nil {
		tmp.Close()
		return "", err
	}
	if err := tmp.Close(); err != nil {
		return "", err
	}
	return target, os.Rename(tmp.Name(), target)
}

// Merge returns old with the areas and commitments of imported: the plan's
// own fields and resolutions stay, and an area keeps its citations, and
// its name where the spreadsheet gives none.
func Merge(old, imported *Plan) *Plan {
	p := *old
	p.Commitments = imported.Commitments
	p.Areas = nil
	for _, a := range imported.Areas {
		na := *a
		if oa := old.Area(a.ID); oa != nil {
			if na.Name == "" {
				na.Name = oa.Name
			}
			if len(na.Cites) == 0 {
				na.Cites = oa.Cites
			}
		}
		p.Areas = append(p.Areas, &na)
	}
	return &p
}
