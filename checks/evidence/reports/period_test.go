package reports

import (
	"testing"

	"github.com/aomdoctor/aomdoctor/checks/store"
)

func TestFindPeriod(t *testing.T) {
	for _, tc := range []struct {
		text     string
		l        lang
		from, to store.Date
	}{
		{"Fee-LinkType reports from 10-01-2009 to 10-14-2009", langEN, date(2009, 10, 1), date(2009, 10, 14)},
		// Ambiguous: English reads month first, the other languages day first.
		{"Fee-Orders reports from 03-04-2009 to 05-04-2009", langEN, date(2009, 3, 4), date(2009, 5, 4)},
		{"Fee-Orders reports from 03-04-2009 to 05-04-2009", langIT, date(2009, 4, 3), date(2009, 4, 5)},
		{"Fee-Orders reports from 03-04-2009 to 05-04-2009", langUK, date(2009, 4, 3), date(2009, 4, 5)},
		// The values decide over the language.
		{"Fee-Orders reports from 01-10-2009 to 14-10-2009", langEN, date(2009, 10, 1), date(2009, 10, 14)},
		{"Fee-Orders reports from 10-01-2009 to 10-14-2009", langDE, date(2009, 10, 1), date(2009, 10, 14)},
		// A reading that ends before it starts gives way.
		{"from 12-01-2009 to 02-01-2009", langEN, date(2009, 1, 12), date(2009, 1, 2 /* invalid either way? */)},
		{"Fee-Orders reports from 2020-12-01 to 2020-12-31", langIT, date(2020, 12, 1), date(2020, 12, 31)},
		{"Period: Oct 1, 2009 - Oct 14, 2009 (updated daily)", langEN, date(2009, 10, 1), date(2009, 10, 14)},
		{"October 1st, 2009 through October 14th, 2009", langEN, date(2009, 10, 1), date(2009, 10, 14)},
		{"01/10/2009 to 14/10/2009", langEN, date(2009, 10, 1), date(2009, 10, 14)},
		{"dal 01/10/2009 al 14/10/2009", langIT, date(2009, 10, 1), date(2009, 10, 14)},
		{"dal 1 ottobre 2009 al 14 ottobre 2009", langIT, date(2009, 10, 1), date(2009, 10, 14)},
		{"vom 01.10.2009 bis 14.10.2009", langDE, date(2009, 10, 1), date(2009, 10, 14)},
		{"vom 1. Oktober 2009 bis 14. Oktober 2009", langDE, date(2009, 10, 1), date(2009, 10, 14)},
		{"01.03.2009 - 04.03.2009", langEN, date(2009, 3, 1), date(2009, 3, 4)}, // dots: day first
		{"from 02-29-2020 to 03-01-2020", langEN, date(2020, 2, 29), date(2020, 3, 1)},
	} {
		p, ok := findPeriod(tc.text)
		if !ok {
			t.Errorf("findPeriod(%q): none", tc.text)
			continue
		}
		got, _ := p.resolve(tc.l)
		if tc.text == "from 12-01-2009 to 02-01-2009" {
			// Month first it ends before it starts; day first it is 12 to 2 January, also backwards: unknown.
			if got.Known() {
				t.Errorf("%q: %v to %v, want unknown", tc.text, got.From, got.To)
			}
			continue
		}
		if got.From != tc.from || got.To != tc.to {
			t.Errorf("%q (%v): %v to %v, want %v to %v", tc.text, tc.l, got.From, got.To, tc.from, tc.to)
		}
	}
	for _, text := range []string{"Fee-Orders reports", "from 10-01-2009", "10-01-2009 and then 10-14-2009", "from 02-30-2020 to 03-01-2020"} {
		if p, ok := findPeriod(text); ok {
			if got, _ := p.resolve(langEN); got.Known() {
				t.Errorf("findPeriod(%q) = %+v, want none", text, got)
			}
		}
	}
}

func TestRowDates(t *testing.T) {
	for _, tc := range []struct {
		in       string
		dayFirst bool
		want     store.Date
		ok       bool
	}{
		{"2020-12-04 08:10:48", false, date(2020, 12, 4), true},
		{"2020-12-04T08:10:48Z", false, date(2020, 12, 4), true},
		{"2020-12-04", true, date(2020, 12, 4), true},
		{"12/04/2020", false, date(2020, 12, 4), true},
		{"12/04/2020", true, date(2020, 4, 12), true},
		{"13/04/2020", false, date(2020, 4, 13), true}, // only one reading
		{"04.12.2020 10:00", false, date(2020, 12, 4), true},
		{"Dec 4, 2020", true, date(2020, 12, 4), true},
		{"4 dicembre 2020", false, date(2020, 12, 4), true},
		{"2020-02-30", false, store.Date{}, false},
		{"yesterday", false, store.Date{}, false},
		{"", false, store.Date{}, false},
	} {
		rd := rowDates{dayFirst: tc.dayFirst}
		got, ok := rd.parse([]byte(tc.in))
		if ok != tc.ok || got != tc.want {
			t.Errorf("parse(%q, dayFirst %v) = %v, %v; want %v, %v", tc.in, tc.dayFirst, got, ok, tc.want, tc.ok)
		}
		// The remembered last date answers the same.
		if again, ok2 := rd.parse([]byte(tc.in)); again != got || ok2 != ok {
			t.Errorf("parse(%q) again = %v", tc.in, again)
		}
	}
}
