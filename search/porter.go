package search

// stem is the Porter (1980) stemming algorithm for a lower-case ASCII word.
// client/client.js carries a line-for-line port; keep them in step. Where a
// step lists several suffixes, only the longest one the word ends with is
// considered, as in the original paper.
func stem(w string) string { return string(stemBytes([]byte(w))) }

// stemBytes stems b in place (Porter never lengthens a word).
func stemBytes(b []byte) []byte {
	if len(b) <= 2 {
		return b
	}
	b = step1a(b)
	b = step1b(b)
	b = step1c(b)
	b = replaceSuffix(b, step2, func(s []byte) bool { return measure(s) > 0 })
	b = replaceSuffix(b, step3, func(s []byte) bool { return measure(s) > 0 })
	b = step4(b)
	return step5(b)
}

// isCons reports whether b[i] is a consonant: not a vowel, and y only
// after a vowel (or at the start).
func isCons(b []byte, i int) bool {
	switch b[i] {
	case 'a', 'e', 'i', 'o', 'u':
		return false
	case 'y':
		return i == 0 || !isCons(b, i-1)
	}
	return true
}

// measure is m, the number of vowel–consonant sequences in s.
func measure(s []byte) int {
	n, i := 0, 0
	for i < len(s) && isCons(s, i) {
		i++
	}
	for {
		for i < len(s) && !isCons(s, i) {
			i++
		}
		if i >= len(s) {
			return n
		}
		for i < len(s) && isCons(s, i) {
			i++
		}
		n++
	}
}

func hasVowel(s []byte) bool {
	for i := range s {
		if !isCons(s, i) {
			return true
		}
	}
	return false
}

// doubleCons reports whether s ends in two equal consonants.
func doubleCons(s []byte) bool {
	n := len(s)
	return n >= 2 && s[n-1] == s[n-2] && isCons(s, n-1)
}

// cvc reports whether s ends consonant–vowel–consonant, the last not w, x
// or y (the *o condition).
func cvc(s []byte) bool {
	n := len(s)
	if n < 3 || !isCons(s, n-3) || isCons(s, n-2) || !isCons(s, n-1) {
		return false
	}
	c := s[n-1]
	return c != 'w' && c != 'x' && c != 'y'
}

func hasSuffix(b []byte, suf string) bool {
	return len(b) >= len(suf) && string(b[len(b)-len(suf):]) == suf
}

// rule is one suffix replacement.
type rule struct{ from, to string }

// replaceSuffix applies the rule with the longest suffix of b, if cond
// holds for the stem left when that suffix is removed.
func replaceSuffix(b []byte, rules []rule, cond func([]byte) bool) []byte {
	best := -1
	for i, r := range rules {
		if hasSuffix(b, r.from) && (best < 0 || len(r.from) > len(rules[best].from)) {
			best = i
		}
	}
	if best < 0 {
		return b
	}
	s := b[:len(b)-len(rules[best].from)]
	if !cond(s) {
		return b
	}
	return append(s, rules[best].to...)
}

func step1a(b []byte) []byte {
	switch {
	case hasSuffix(b, "sses"), hasSuffix(b, "ies"):
		return b[:len(b)-2]
	case hasSuffix(b, "ss"):
		return b
	case hasSuffix(b, "s"):
		return b[:len(b)-1]
	}
	return b
}

func step1b(b []byte) []byte {
	if hasSuffix(b, "eed") {
		if measure(b[:len(b)-3]) > 0 {
			return b[:len(b)-1]
		}
		return b
	}
	var s []byte
	switch {
	case hasSuffix(b, "ed") && hasVowel(b[:len(b)-2]):
		s = b[:len(b)-2]
	case hasSuffix(b, "ing") && hasVowel(b[:len(b)-3]):
		s = b[:len(b)-3]
	default:
		return b
	}
	switch {
	case hasSuffix(s, "at"), hasSuffix(s, "bl"), hasSuffix(s, "iz"):
		return append(s, 'e')
	case doubleCons(s):
		if c := s[len(s)-1]; c != 'l' && c != 's' && c != 'z' {
			return s[:len(s)-1]
		}
		return s
	case measure(s) == 1 && cvc(s):
		return append(s, 'e')
	}
	return s
}

func step1c(b []byte) []byte {
	if hasSuffix(b, "y") && hasVowel(b[:len(b)-1]) {
		b[len(b)-1] = 'i'
	}
	return b
}

var step2 = []rule{
	{"ational", "ate"}, {"tional", "tion"}, {"enci", "ence"}, {"anci", "ance"},
	{"izer", "ize"}, {"abli", "able"}, {"alli", "al"}, {"entli", "ent"},
	{"eli", "e"}, {"ousli", "ous"}, {"ization", "ize"}, {"ation", "ate"},
	{"ator", "ate"}, {"alism", "al"}, {"iveness", "ive"}, {"fulness", "ful"},
	{"ousness", "ous"}, {"aliti", "al"}, {"iviti", "ive"}, {"biliti", "ble"},
}

var step3 = []rule{
	{"icate", "ic"}, {"ative", ""}, {"alize", "al"}, {"iciti", "ic"},
	{"ical", "ic"}, {"ful", ""}, {"ness", ""},
}

var step4Rules = []rule{
	{"al", ""}, {"ance", ""}, {"ence", ""}, {"er", ""}, {"ic", ""}, {"able", ""},
	{"ible", ""}, {"ant", ""}, {"ement", ""}, {"ment", ""}, {"ent", ""},
	{"ion", ""}, {"ou", ""}, {"ism", ""}, {"ate", ""}, {"iti", ""}, {"ous", ""},
	{"ive", ""}, {"ize", ""},
}

func step4(b []byte) []byte {
	return replaceSuffix(b, step4Rules, func(s []byte) bool {
		if measure(s) <= 1 {
			return false
		}
		// -ion goes only after s or t
		if hasSuffix(b, "ion") {
			return hasSuffix(s, "s") || hasSuffix(s, "t")
		}
		return true
	})
}

func step5(b []byte) []byte {
	if hasSuffix(b, "e") {
		s := b[:len(b)-1]
		if m := measure(s); m > 1 || (m == 1 && !cvc(s)) {
			b = s
		}
	}
	if hasSuffix(b, "ll") && measure(b) > 1 {
		b = b[:len(b)-1]
	}
	return b
}
