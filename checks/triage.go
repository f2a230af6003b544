package checks

import (
	"fmt"
	"sort"
	"strings"

	"github.com/aomdoctor/aomdoctor/checks/store"
)

// trackingIDShared is the one cross-store rule: no single store's evidence
// can show it, so its Check finds nothing and `aomdoctor triage` adds its
// findings with SharedTrackingIDs once every store of the run is checked.
var trackingIDShared = &Rule{
	ID:       "AOM501",
	Name:     "tracking-id-shared",
	Title:    "Several stores share one tracking ID",
	Severity: Warning,
	Needs:    NeedSettings,
	Explain: "Amazon's reports break clicks, orders and earnings down by tracking ID, never by store. " +
		"When two or more stores send the same Associate ID, their figures are added together and cannot be told apart, " +
		"so a store that earns nothing hides behind one that earns well. " +
		"This rule judges several stores at once: `aomdoctor check` of one store never reports it; " +
		"`aomdoctor triage` does, after every store of the run is checked, naming the other stores on each store's finding. " +
		"In JSON Lines output the findings are not in the streamed lines (each line is written before the others are known); " +
		"each line carries the store's normalised ID as triage.tracking_id, and --merge and --baseline derive the findings from it. " +
		"A live store triaged by URL has no settings: its ID is taken to be the one most of its pages' Amazon links carry.",
	Fix:   "Create a tracking ID for each store in " + whereTrackingIDs + " and enter each store's own in " + whereAssociateID + ".",
	Check: func(*store.Store) []Finding { return nil },
}

// TrackingIDShared is the cross-store rule, for triage to attribute its
// findings to.
func TrackingIDShared() *Rule { return trackingIDShared }

// TrackingIDOf is a store's own Associate ID, normalised (trimmed, lower
// case) so that stores can be compared; "" when it has none or only AOM's
// default, which the associate-id rules report on their own. A store known
// only by its pages (a live store checked by URL) is taken to use the ID
// most of its pages' Amazon links carry.
func TrackingIDOf(s *store.Store) string {
	if v, ok := associateID(s.Settings); ok {
		return normTrackingID(v.Text)
	}
	if s.Settings.Len() > 0 || s.Pages == nil || s.Pages.Links == nil {
		return ""
	}
	best, most := "", 0
	for id, n := range s.Pages.Links.IDs() {
		id = normTrackingID(id)
		if id == "" || isDefaultID(id) {
			continue
		}
		if n > most || (n == most && id < best) {
			best, most = id, n
		}
	}
	return best
}

// TrackingIDSource is where the store's Associate ID was read, for the
// finding's evidence.
func TrackingIDSource(s *store.Store) (Evidence, bool) {
	v, ok := associateID(s.Settings)
	if !ok {
		return Evidence{}, false
	}
	return FromSource(v.Source), true
}

func normTrackingID(id string) string { return strings.ToLower(strings.TrimSpace(id)) }

// SharedTrackingIDs judges the stores of one run together: names[i] is a
// store's name and ids[i] its TrackingIDOf. It returns, for each store, the
// message of its tracking-id-shared finding, or "" when its ID is its own.
func SharedTrackingIDs(names, ids []string) []string {
	byID := map[string][]int{}
	for i, id := range ids {
		if id = normTrackingID(id); id != "" {
			byID[id] = append(byID[id], i)
		}
	}
	out := make([]string, len(names))
	for id, idx := range byID {
		if len(idx) < 2 {
			continue
		}
		for _, i := range idx {
			var others []string
			for _, j := range idx {
				if j != i {
					others = append(others, names[j])
				}
			}
			sort.Strings(others)
			noun := "store"
			if len(others) > 1 {
				noun = "stores"
			}
			out[i] = fmt.Sprintf("associate ID %s is also used by %d other %s in this triage (%s), so their figures cannot be told apart",
				quote(id), len(others), noun, listMore(others))
		}
	}
	return out
}
