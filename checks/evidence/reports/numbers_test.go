package reports

import "testing"

func TestParseNum(t *testing.T) {
	for _, tc := range []struct {
		in       string
		dec      bool // a German or Italian header
		want     float64
		na, fail bool
	}{
		{in: "1,234", want: 1234},
		{in: "1,234", dec: true, want: 1.234},
		{in: "1.234", dec: true, want: 1234},
		{in: "1.234", want: 1.234},
		{in: "12,34", want: 12.34}, // a decimal comma, whatever the header
		{in: "1,234,567", want: 1234567},
		{in: "1.234.567", dec: true, want: 1234567},
		{in: "1,234.56", dec: true, want: 1234.56}, // both: the last is the decimal point
		{in: "1.234,56", want: 1234.56},
		{in: "$1,106.42", want: 1106.42},
		{in: "£3.20", want: 3.2},
		{in: "\xa33.20", want: 3.2}, // £ saved in Latin-1
		{in: "1.106,42 €", dec: true, want: 1106.42},
		{in: "EUR 12,34", dec: true, want: 12.34},
		{in: "CDN$ 5.00", want: 5},
		{in: "6.80%", want: 6.8},
		{in: "2,88 %", dec: true, want: 2.88},
		{in: "-3.00", want: -3},
		{in: "(3.00)", want: -3},
		{in: "$-3.00", want: -3},
		{in: ".5", want: 0.5},
		{in: "1 234", want: 1234},
		{in: "1\u00a0234,5", dec: true, want: 1234.5},
		{in: "  42 ", want: 42},
		{in: "N/A", na: true},
		{in: "n/a", na: true},
		{in: "", na: true},
		{in: "-", na: true},
		{in: "n.d.", na: true},
		{in: "12x4", fail: true},
		{in: "1,2O4", fail: true},
		{in: "B000BQMHD2", fail: true},
		{in: "lots", fail: true},
		{in: "1.234.56", fail: true},
		{in: "99999999999999999999", fail: true},
	} {
		v, na, ok := parseNum([]byte(tc.in), tc.dec)
		switch {
		case tc.fail:
			if ok {
				t.Errorf("parseNum(%q) = %v, want a failure", tc.in, v)
			}
		case !ok || na != tc.na || v != tc.want:
			t.Errorf("parseNum(%q, %v) = %v, na %v, ok %v; want %v, na %v", tc.in, tc.dec, v, na, ok, tc.want, tc.na)
		}
	}
}

func TestParseCount(t *testing.T) {
	for _, tc := range []struct {
		in   string
		dec  bool
		want int
	}{
		{"412", false, 412},
		{"1,284", false, 1284},
		{"1.284", false, 1284}, // a count has no fraction: thousands in any language
		{"1.284", true, 1284},
		{"1,284", true, 1284},
		{"N/A", false, 0},
		{"007", false, 7},
	} {
		n, _, ok := parseCount([]byte(tc.in), tc.dec)
		if !ok || n != tc.want {
			t.Errorf("parseCount(%q, %v) = %d, %v; want %d", tc.in, tc.dec, n, ok, tc.want)
		}
	}
}
