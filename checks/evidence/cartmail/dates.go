package cartmail

import (
	"net/mail"
	"regexp"
	"strings"
	"time"

	"github.com/aomdoctor/aomdoctor/checks/store"
)

// dateLayouts are the dates mail programs write where net/mail gives up:
// in the header block of a forwarded message (Gmail, Outlook, Apple Mail),
// and in a report's own "Date:" line, whose format AOM does not document.
// "at" and weekdays are removed before these are tried.
var dateLayouts = []struct {
	layout  string
	hasTime bool
}{
	{"Jan 2, 2006 3:04 PM", true},            // Gmail: Mon, Oct 12, 2009 at 3:42 PM
	{"Jan 2, 2006 3:04:05 PM", true},         //
	{"Jan 2, 2006 15:04", true},              //
	{"January 2, 2006 3:04 PM", true},        // Outlook: Monday, October 12, 2009 3:42 PM
	{"January 2, 2006 3:04:05 PM", true},     //
	{"January 2, 2006 3:04:05 PM MST", true}, // Apple Mail: October 12, 2009 at 3:42:07 PM EDT
	{"January 2, 2006 3:04 PM MST", true},    //
	{"2 January 2006 15:04:05", true},        //
	{"2 January 2006 15:04", true},           //
	{"2 Jan 2006 15:04:05 MST", true},        //
	{"2 Jan 2006 15:04:05 -0700", true},      //
	{"2 Jan 2006 15:04:05", true},            // AOM-like: 12 Oct 2009 15:42:07
	{"2 Jan 2006 15:04", true},               //
	{"2006-01-02T15:04:05Z07:00", true},      //
	{"2006-01-02 15:04:05 -0700", true},      //
	{"2006-01-02 15:04:05", true},            //
	{"2006-01-02 15:04", true},               //
	{"Jan 2, 2006", false},                   //
	{"January 2, 2006", false},               //
	{"2 Jan 2006", false},                    //
	{"2 January 2006", false},                //
	{"2006-01-02", false},                    //
}

var (
	weekdayRE = regexp.MustCompile(`(?i)^(mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s*`)
	commentRE = regexp.MustCompile(`\s*\([^()]*\)\s*$`)
	atRE      = regexp.MustCompile(`(?i)\s+at\s+`)
	spacesRE  = regexp.MustCompile(`\s+`)
)

// parseDate reads a date as mail programs write it. ok is false when it is
// no date this reader knows; hasTime is false for a bare day.
func parseDate(s string) (d store.Date, hasTime, ok bool) {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 100 {
		return d, false, false
	}
	if t, err := mail.ParseDate(s); err == nil {
		// The day in the header's own zone: that is the day the sender's
		// clock showed, which is what a person compares with.
		return store.DateOf(t), true, true
	}
	s = commentRE.ReplaceAllString(s, "")
	s = weekdayRE.ReplaceAllString(s, "")
	s = atRE.ReplaceAllString(s, " ")
	s = spacesRE.ReplaceAllString(strings.TrimSpace(s), " ")
	if t, err := mail.ParseDate(s); err == nil {
		return store.DateOf(t), true, true
	}
	for _, l := range dateLayouts {
		if t, err := time.Parse(l.layout, s); err == nil {
			return store.DateOf(t), l.hasTime, true
		}
	}
	return d, false, false
}
