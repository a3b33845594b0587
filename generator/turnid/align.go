package turnid

// alignment says, for a ledger's old turns and a record's current turns,
// which current turn continues which old one.
type alignment struct {
	from []int // from[j]: index of the old turn current turn j continues, -1 if new
	to   []int // to[i]: index of the current turn old turn i now resolves to (its own continuation, or for a retired turn the nearest survivor), -1 if none
}

// maxGapCells bounds the similarity alignment of one gap between matches
// (old turns × current turns); a bigger gap, such as a wholesale rewrite of
// a long record, pairs by position instead.
const maxGapCells = 1 << 20

// align aligns old with cur: exact sketch matches by longest common
// subsequence, then moved turns (equal sketches out of order), then the
// turns left between consecutive matches by likeness, preferring position.
func align(old, cur []sketch) alignment {
	a := alignment{from: make([]int, len(cur)), to: make([]int, len(old))}
	for j := range a.from {
		a.from[j] = -1
	}
	for i := range a.to {
		a.to[i] = -1
	}
	type match struct{ i, j int }
	var anchors []match // the LCS, in order
	lcs(old, cur, func(i, j int) {
		a.from[j], a.to[i] = i, j
		anchors = append(anchors, match{i, j})
	})

	// Moved turns: the same sketch, out of order. Queues keep the pairing
	// in source order when a sketch repeats.
	queue := map[sketch][]int{}
	for i, s := range old {
		if a.to[i] < 0 {
			queue[s] = append(queue[s], i)
		}
	}
	if len(queue) > 0 {
		for j, s := range cur {
			if q := queue[s]; a.from[j] < 0 && len(q) > 0 {
				a.from[j], a.to[q[0]] = q[0], j
				queue[s] = q[1:]
			}
		}
	}

	// Gaps between consecutive anchors (and before the first, after the
	// last): pair what is left, then send retired turns to a survivor.
	anchors = append(anchors, match{len(old), len(cur)})
	pi, pj := -1, -1
	for _, m := range anchors {
		var oi, cj []int
		for i := pi + 1; i < m.i; i++ {
			if a.to[i] < 0 {
				oi = append(oi, i)
			}
		}
		for j := pj + 1; j < m.j; j++ {
			if a.from[j] < 0 {
				cj = append(cj, j)
			}
		}
		if len(oi) > 0 && len(cj) > 0 {
			for _, p := range pairGap(old, cur, oi, cj) {
				a.from[p.j], a.to[p.i] = p.i, p.j
			}
		}
		for _, i := range oi {
			if a.to[i] < 0 {
				a.to[i] = survivor(old, cur, i, pi, pj, m.i, m.j, a.to)
			}
		}
		pi, pj = m.i, m.j
	}
	return a
}

// survivor picks the current turn that retired old turn i, lying between
// anchors (pi, pj) and (ni, nj), should resolve to: the most alike current
// turn in the same gap (the turn it was merged into or replaced by), else
// the nearer anchor, the previous one on a tie.
func survivor(old, cur []sketch, i, pi, pj, ni, nj int, to []int) int {
	best, bestScore := -1, -1
	for j := pj + 1; j < nj; j++ {
		if s := score(old[i], cur[j]); s > bestScore {
			best, bestScore = j, s
		}
	}
	if best >= 0 {
		return best
	}
	hasPrev, hasNext := pi >= 0, nj < len(cur)
	switch {
	case hasPrev && (!hasNext || i-pi <= ni-i):
		return pj
	case hasNext:
		return nj
	}
	// No anchor at all: the gap is the whole record and holds no current
	// turn, or every current turn was paired elsewhere; fall back to any
	// survivor, the nearest by old position.
	for d := 1; d < len(old); d++ {
		for _, k := range [2]int{i - d, i + d} {
			if k >= 0 && k < len(old) && k != i && to[k] >= 0 {
				return to[k]
			}
		}
	}
	if len(cur) > 0 {
		return 0
	}
	return -1
}

// score is how much pairing an old and a current turn is worth: something
// for any pair (so that, failing better evidence, turns pair by position),
// more for the same speaker, and most for alike texts. Unrelated texts share
// simBits/2 ± 3 SimHash bits, corrected ones 25 or more: only likeness above
// alikeFrom counts, so that chance likeness never outweighs position.
func score(o, c sketch) int {
	s := 2
	if o.sameLabel(c) {
		s += 4
	}
	if l := o.likeness(c) - alikeFrom; l > 0 {
		s += 3 * l
	}
	return s
}

const alikeFrom = 23

type pair struct{ i, j int }

// pairGap aligns the unpaired old turns oi with the unpaired current turns
// cj of one gap, keeping order and maximising the total score. Among equal
// totals it pairs earlier turns first, so that with no evidence at all the
// pairing is by position.
func pairGap(old, cur []sketch, oi, cj []int) []pair {
	n, m := len(oi), len(cj)
	if n*m > maxGapCells {
		var ps []pair
		for k := 0; k < n && k < m; k++ {
			ps = append(ps, pair{oi[k], cj[k]})
		}
		return ps
	}
	// best[x*(m+1)+y] is the best total for oi[x:] and cj[y:].
	w := m + 1
	best := make([]int32, (n+1)*w)
	for x := n - 1; x >= 0; x-- {
		for y := m - 1; y >= 0; y-- {
			v := int32(score(old[oi[x]], cur[cj[y]])) + best[(x+1)*w+y+1]
			if s := best[(x+1)*w+y]; s > v {
				v = s
			}
			if s := best[x*w+y+1]; s > v {
				v = s
			}
			best[x*w+y] = v
		}
	}
	var ps []pair
	for x, y := 0, 0; x < n && y < m; {
		here := best[x*w+y]
		switch {
		case here == int32(score(old[oi[x]], cur[cj[y]]))+best[(x+1)*w+y+1]:
			ps = append(ps, pair{oi[x], cj[y]})
			x, y = x+1, y+1
		case here == best[x*w+y+1]:
			y++ // the current turn is new
		default:
			x++ // the old turn is gone
		}
	}
	return ps
}

// lcs calls match(i, j) for every pair of a longest common subsequence of
// a and b, in increasing order. It is Myers' O((N+M)·D) algorithm in linear
// space: strip the common prefix and suffix, find a point on an optimal path
// by searching from both ends at once, and recurse on both halves.
func lcs(a, b []sketch, match func(i, j int)) {
	var v []int
	var rec func(a0, a1, b0, b1 int)
	rec = func(a0, a1, b0, b1 int) {
		for a0 < a1 && b0 < b1 && a[a0] == b[b0] {
			match(a0, b0)
			a0, b0 = a0+1, b0+1
		}
		s := 0
		for a1-s > a0 && b1-s > b0 && a[a1-1-s] == b[b1-1-s] {
			s++
		}
		if a0 < a1-s && b0 < b1-s {
			var x, y int
			var ok bool
			x, y, ok, v = split(a[a0:a1-s], b[b0:b1-s], v)
			// A split at either corner would recurse forever; it cannot
			// happen for inputs that differ at both ends, but a wrong LCS
			// is better than a hung build.
			if ok && x+y > 0 && x+y < a1-s-a0+b1-s-b0 {
				rec(a0, a0+x, b0, b0+y)
				rec(a0+x, a1-s, b0+y, b1-s)
			}
		}
		for k := s; k > 0; k-- {
			match(a1-k, b1-k)
		}
	}
	rec(0, len(a), 0, len(b))
}

// split finds a point (x, y) on a shortest edit path from (0, 0) to
// (len(a), len(b)) strictly between the two, for a and b that are not empty
// and differ at both ends. ok is false when a and b have nothing in common.
// v is scratch space, returned for reuse.
func split(a, b []sketch, v []int) (x, y int, ok bool, scratch []int) {
	n, m := len(a), len(b)
	maxD := (n + m + 1) / 2
	off, size := maxD+1, 2*maxD+3
	if cap(v) < 2*size {
		v = make([]int, 2*size)
	}
	v = v[:2*size]
	fw, bw := v[:size], v[size:] // furthest x reached on each diagonal, from the start and from the end
	for k := range v {
		v[k] = -1
	}
	fw[off+1], bw[off+1] = 0, 0
	delta := n - m
	odd := delta&1 != 0
	// Diagonals that left the grid are not extended again.
	fLo, fHi, bLo, bHi := 0, 0, 0, 0
	for d := 0; d < maxD; d++ {
		for k := -d + fLo; k <= d-fHi; k += 2 {
			var x int
			if k == -d || (k != d && fw[off+k-1] < fw[off+k+1]) {
				x = fw[off+k+1]
			} else {
				x = fw[off+k-1] + 1
			}
			y := x - k
			for x < n && y < m && a[x] == b[y] {
				x, y = x+1, y+1
			}
			fw[off+k] = x
			switch {
			case x > n:
				fHi += 2
			case y > m:
				fLo += 2
			case odd:
				if c := delta - k; c >= -maxD && c <= maxD && inside(bw[off+c], c, n, m) && x >= n-bw[off+c] {
					return x, y, true, v
				}
			}
		}
		for c := -d + bLo; c <= d-bHi; c += 2 {
			var x int
			if c == -d || (c != d && bw[off+c-1] < bw[off+c+1]) {
				x = bw[off+c+1]
			} else {
				x = bw[off+c-1] + 1
			}
			y := x - c
			for x < n && y < m && a[n-1-x] == b[m-1-y] {
				x, y = x+1, y+1
			}
			bw[off+c] = x
			switch {
			case x > n:
				bHi += 2
			case y > m:
				bLo += 2
			case !odd:
				if k := delta - c; k >= -maxD && k <= maxD && inside(fw[off+k], k, n, m) && fw[off+k] >= n-x {
					return fw[off+k], fw[off+k] - k, true, v
				}
			}
		}
	}
	return 0, 0, false, v
}

// inside reports whether x on diagonal k (y = x-k) is a point of the n×m
// grid that a search has reached; unreached diagonals hold -1, and those
// that ran off the grid hold points outside it.
func inside(x, k, n, m int) bool {
	y := x - k
	return x >= 0 && y >= 0 && x <= n && y <= m
}
