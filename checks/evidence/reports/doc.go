// Package reports reads Amazon Associates reports into store.Reports: the
// Orders, Link-Type, Tracking ID Summary, Earnings and Daily Trends reports,
// downloaded as CSV or tab-separated text (UTF-8, or UTF-16 as spreadsheet
// programs save "Unicode text") or saved from the browser as a page.
//
// Sniff tells a report and its kind from a file's first bytes; Read reads one
// report in a single pass and keeps only the aggregates the rules need, so a
// Fee-Orders download of a million rows costs memory in proportion to its
// distinct items, not its rows. Headers are matched tolerantly: case,
// spacing, currency suffixes, the older and newer English wordings, and
// German and Italian ones. Readers only read: what the figures mean is for
// the rules in package checks.
package reports
