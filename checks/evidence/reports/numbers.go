package reports

import (
	"bytes"
	"math"
	"strconv"
)

// maxCount bounds the counts a report row may hold. Nothing real comes near
// it; it keeps a garbage cell from overflowing a sum.
const maxCount = 1e12

// parseCount reads a count (clicks, items) as parseNum does, rounded. Most
// cells are plain digits, and a million-row report must not pay for the
// tolerant path on each of them.
func parseCount(b []byte, decComma bool) (n int, na, ok bool) {
	if len(b) > 0 && len(b) <= 12 {
		for _, c := range b {
			if c < '0' || c > '9' {
				goto slow
			}
			n = n*10 + int(c-'0')
		}
		return n, false, true
	}
slow:
	v, na, ok := parseNumber(b, decComma, true)
	if !ok || na {
		return 0, na, ok
	}
	return int(math.Round(v)), false, true
}

// naWords are what reports put in a cell with no figure: "N/A" for the
// impressions of remote carts, a dash in saved pages, "n.d."/"n.v." in
// Italian and German.
var naWords = []string{"n/a", "na", "n.a.", "-", "--", "—", "–", "n.d.", "n.v.", "k.a.", "k. a.", "nd", "nv"}

// parseNum reads a number as Associates reports write it: "1,234", "1.234"
// in German or Italian, "12,34", "$1,234.56", "£3.20", "6.80%", "EUR 12,34",
// "(3.00)" for a negative. Empty cells and N/A are na (and ok). decComma
// says a lone separator before exactly three digits is a decimal comma
// (de, it) rather than a thousands separator; with both separators, or a
// separator before other than three digits, the number itself tells.
func parseNum(b []byte, decComma bool) (v float64, na, ok bool) {
	return parseNumber(b, decComma, false)
}

// parseNumber is parseNum; for a count (integer), a lone separator before
// exactly three digits is always a thousands separator, as a count has no
// fraction.
func parseNumber(b []byte, decComma, integer bool) (v float64, na, ok bool) {
	b = trimSpace(b)
	if len(b) == 0 {
		return 0, true, true
	}
	if len(b) <= 5 {
		for _, w := range naWords {
			if bytes.EqualFold(b, []byte(w)) {
				return 0, true, true
			}
		}
	}
	first, last := -1, -1
	for i, c := range b {
		if c >= '0' && c <= '9' {
			if first < 0 {
				first = i
			}
			last = i
		}
	}
	if first < 0 {
		return 0, false, false
	}
	// ".5" and ",5": the separator belongs to the number.
	if first > 0 && (b[first-1] == '.' || b[first-1] == ',') {
		first--
	}
	neg, okp := affix(b[:first])
	negs, oks := affix(b[last+1:])
	if !okp || !oks {
		return 0, false, false
	}

	var buf [64]byte
	n := 0
	dots, commas, lastSep := 0, 0, byte(0)
	var seps [8]sepAt
	nseps := 0
	lastSepAt, digitsAfter := -1, 0
	mid := b[first : last+1]
	for i := 0; i < len(mid); i++ {
		c := mid[i]
		switch {
		case c >= '0' && c <= '9':
			if n == len(buf) {
				return 0, false, false
			}
			buf[n] = c
			n++
			digitsAfter++
		case c == '.' || c == ',':
			if c == '.' {
				dots++
			} else {
				commas++
			}
			if nseps == len(seps) {
				return 0, false, false
			}
			seps[nseps] = sepAt{c, n}
			nseps++
			lastSep, lastSepAt, digitsAfter = c, n, 0
		case c == ' ' || c == '\'':
			// A space or apostrophe groups thousands (fr, ch).
		case c == 0xc2 && i+1 < len(mid) && mid[i+1] == 0xa0:
			i++ // no-break space, as a thousands separator
		case c == 0xe2 && i+2 < len(mid) && mid[i+1] == 0x80 && mid[i+2] == 0xaf:
			i += 2 // narrow no-break space
		default:
			return 0, false, false
		}
	}
	// Which separator, if any, is the decimal point.
	decimal := byte(0)
	switch {
	case dots > 0 && commas > 0:
		decimal = lastSep
	case dots+commas == 1:
		thousands := digitsAfter == 3 && lastSepAt > 0 && lastSepAt <= 3 &&
			(integer || lastSep == ',' && !decComma || lastSep == '.' && decComma)
		if !thousands {
			decimal = lastSep
		}
	}
	if decimal != 0 && (decimal == '.' && dots > 1 || decimal == ',' && commas > 1) {
		return 0, false, false // 1.234.56,7: no reading of it is safe
	}
	// Thousands separators group three digits: 1.234.56 is no number.
	for i, sp := range seps[:nseps] {
		if sp.c == decimal {
			continue
		}
		next := n
		if i+1 < nseps {
			next = seps[i+1].at
		}
		if next-sp.at != 3 || sp.at == 0 {
			return 0, false, false
		}
	}
	var out [68]byte
	m := 0
	if neg != negs { // "-3.00" or "(3.00)"; "(-3.00)" stays negative, "--3" is junk anyway
		out[m] = '-'
		m++
	}
	intDigits := n
	if decimal != 0 {
		intDigits = lastSepAt
	}
	if intDigits == 0 {
		out[m] = '0' // ".5"
		m++
	}
	m += copy(out[m:], buf[:intDigits])
	if decimal != 0 {
		out[m] = '.'
		m++
		m += copy(out[m:], buf[intDigits:n])
	}
	v, err := strconv.ParseFloat(string(out[:m]), 64)
	if err != nil || math.Abs(v) > maxCount {
		return 0, false, false
	}
	return v, false, true
}

// sepAt is a separator in a number and how many digits came before it.
type sepAt struct {
	c  byte
	at int
}

// affix checks what may stand before or after a number's digits: spaces, a
// sign, parentheses, "%", currency signs and codes ("$", "£", "CDN$",
// "EUR"), and bytes that are not ASCII (currency signs, or a sign saved in
// Latin-1 that is no longer valid UTF-8). neg is whether it makes the number
// negative.
func affix(b []byte) (neg, ok bool) {
	letters := 0
	for i := 0; i < len(b); i++ {
		c := b[i]
		switch {
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
			letters++
			if letters > 3 {
				return false, false
			}
			continue
		case c == '-' || c == '(' || c == ')':
			if c != ')' {
				neg = !neg
			}
		case c == 0xe2 && i+2 < len(b) && b[i+1] == 0x88 && b[i+2] == 0x92:
			neg = !neg // U+2212 minus sign
			i += 2
		case c == ' ' || c == '\t' || c == '$' || c == '%' || c == '+' || c == '*' || c >= 0x80:
		default:
			return false, false
		}
		letters = 0
	}
	return neg, true
}

// trimSpace trims ASCII spaces and no-break spaces, which saved pages and
// spreadsheets put around figures.
func trimSpace(b []byte) []byte {
	for len(b) > 0 {
		switch {
		case b[0] == ' ' || b[0] == '\t' || b[0] == '\r' || b[0] == '\n':
			b = b[1:]
		case len(b) >= 2 && b[0] == 0xc2 && b[1] == 0xa0:
			b = b[2:]
		default:
			goto right
		}
	}
right:
	for len(b) > 0 {
		n := len(b)
		switch {
		case b[n-1] == ' ' || b[n-1] == '\t' || b[n-1] == '\r' || b[n-1] == '\n':
			b = b[:n-1]
		case n >= 2 && b[n-2] == 0xc2 && b[n-1] == 0xa0:
			b = b[:n-2]
		default:
			return b
		}
	}
	return b
}
