// Package kinds lists the kinds of record an archive has. It is the one
// place that names them: the pipeline runs whatever kinds it is given, and
// a new kind of record is added here.
package kinds

import (
	"github.com/ogarchive/ogarchive/generator/camp"
	"github.com/ogarchive/ogarchive/generator/kind"
	"github.com/ogarchive/ogarchive/generator/plan"
	"github.com/ogarchive/ogarchive/generator/transcripts"
)

// Default is the kinds of record of an archive, in the order a build loads
// them: transcripts first, whose turns the others cite. The order is also
// that of their search documents and of the "cited by" links on a record
// page, so a kind added later goes at the end.
func Default() []kind.Kind {
	return []kind.Kind{transcripts.Kind, plan.Kind, camp.Kind}
}
