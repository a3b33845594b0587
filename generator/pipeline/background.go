package pipeline

import (
	"io/fs"
	"os"
	"path/filepath"
)

// background is a part of the site written while other stages run: the
// static search export, which needs the index alone, and on a cold build
// the open-data export, which needs the records alone. It goes into a
// directory of its own beside the site, whose name CleanStale recognises,
// and is moved into the rendered site when Hugo has finished.
type background struct {
	dir  string
	done chan struct{}
	err  error
}

// startBackground runs write on a new directory beside the site at out.
func startBackground(out string, write func(dir string) error) *background {
	b := &background{done: make(chan struct{})}
	abs, err := filepath.Abs(out)
	if err == nil {
		err = os.MkdirAll(filepath.Dir(abs), 0o755)
	}
	if err == nil {
		b.dir, err = os.MkdirTemp(filepath.Dir(abs), "."+filepath.Base(abs)+".new-part-")
	}
	if err != nil {
		b.err = err
		close(b.done)
		return b
	}
	go func() {
		defer close(b.done)
		b.err = write(b.dir)
	}()
	return b
}

// install waits for the work and moves every file it wrote to the same
// path under site, replacing what is there.
func (b *background) install(site string) error {
	<-b.done
	if b.err != nil {
		return b.err
	}
	return filepath.WalkDir(b.dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(b.dir, path)
		if err != nil {
			return err
		}
		to := filepath.Join(site, rel)
		if d.IsDir() {
			return os.MkdirAll(to, 0o755)
		}
		return os.Rename(path, to)
	})
}

// discard waits for the work, if any was started, and removes what is
// left of it.
func (b *background) discard() {
	if b == nil {
		return
	}
	<-b.done
	if b.dir != "" {
		os.RemoveAll(b.dir)
	}
}
