package turnid

import (
	"math/rand/v2"
	"testing"
)

// lcsLen is the textbook dynamic programme, the reference for lcs.
func lcsLen(a, b []sketch) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for i := range a {
		for j := range b {
			switch {
			case a[i] == b[j]:
				cur[j+1] = prev[j] + 1
			case prev[j+1] > cur[j]:
				cur[j+1] = prev[j+1]
			default:
				cur[j+1] = cur[j]
			}
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

func TestLCSIsLongestAndValid(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for n := 0; n < 3000; n++ {
		alpha := 1 + r.IntN(6)
		a := make([]sketch, r.IntN(40))
		b := make([]sketch, r.IntN(40))
		for i := range a {
			a[i] = sketch(r.IntN(alpha))
		}
		for i := range b {
			b[i] = sketch(r.IntN(alpha))
		}
		if n%3 == 0 && len(a) > 0 { // related sequences: b is a after edits
			b = append([]sketch(nil), a...)
			for e := r.IntN(5); e > 0 && len(b) > 0; e-- {
				k := r.IntN(len(b))
				switch r.IntN(3) {
				case 0:
					b = append(b[:k], b[k+1:]...)
				case 1:
					b = append(b[:k], append([]sketch{sketch(r.IntN(alpha + 3))}, b[k:]...)...)
				default:
					b[k] = sketch(r.IntN(alpha + 3))
				}
			}
		}
		got, li, lj := 0, -1, -1
		lcs(a, b, func(i, j int) {
			if i <= li || j <= lj || a[i] != b[j] {
				t.Fatalf("a=%v b=%v: bad match (%d,%d) after (%d,%d)", a, b, i, j, li, lj)
			}
			li, lj = i, j
			got++
		})
		if want := lcsLen(a, b); got != want {
			t.Fatalf("a=%v b=%v: lcs length %d, want %d", a, b, got, want)
		}
	}
}

func TestLCSLargeRewrite(t *testing.T) {
	// Two unrelated 3,000-turn records: the worst case must stay cheap.
	a := make([]sketch, 3000)
	b := make([]sketch, 3000)
	for i := range a {
		a[i], b[i] = sketch(i), sketch(i+1_000_000)
	}
	b[1500] = a[10]
	got := 0
	lcs(a, b, func(i, j int) { got++ })
	if got != 1 {
		t.Fatalf("lcs length %d, want 1", got)
	}
}
