package checks

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"

	"github.com/aomdoctor/aomdoctor/checks/store"
)

const (
	keyAssociateID = "AmazonAssociateId"
	// aomDefaultID is AOM's own tracking ID, the default of AmazonAssociateId.
	aomDefaultID = "associatomati-20"
)

var associateIDMissing = &Rule{
	ID:       "AOM101",
	Name:     "associate-id-missing",
	Title:    "Associate ID is missing",
	Severity: Error,
	Needs:    NeedSettings,
	Explain: "Amazon pays the commission to whoever's Associate ID travels with a visitor's cart. " +
		"With no ID in the settings, carts reach Amazon without one, and the sales they bring earn you nothing. " +
		"Amazon does not warn you about this: the only sign is cart reports with no clicks or sales in your Associates reports.",
	Fix:   "Enter your tracking ID from " + whereTrackingIDs + " in " + whereAssociateID + ".",
	Check: checkIDMissing,
}

var associateIDDefault = &Rule{
	ID:       "AOM102",
	Name:     "associate-id-default",
	Title:    "Associate ID is AOM's own default ID",
	Severity: Error,
	Needs:    NeedSettings,
	Explain: "AOM comes with its own Associate ID, associatomati-20, filled in until you enter yours. " +
		"While it is there, every cart your visitors take to Amazon is credited to AOM instead of you. " +
		"Nothing looks broken in the store, so this is easy to miss until the commissions never arrive.",
	Fix:   "Enter your own tracking ID from " + whereTrackingIDs + " in " + whereAssociateID + ".",
	Check: checkIDDefault,
}

var associateIDMalformed = &Rule{
	ID:       "AOM103",
	Name:     "associate-id-malformed",
	Title:    "Associate ID is not shaped like a tracking ID",
	Severity: Error,
	Needs:    NeedSettings,
	Explain: "A tracking ID is made of lower-case letters, digits and hyphens, and ends in a hyphen and two digits " +
		"that tell the marketplace, such as gardenshop-20. " +
		"Amazon does not check the ID a store sends, so a typo, a stray space, an email address or a link in this field fails quietly: " +
		"carts still reach Amazon, but no sale is credited to you. " +
		"Copy the ID exactly as Associates Central shows it.",
	Fix:   "Copy your tracking ID from " + whereTrackingIDs + " into " + whereAssociateID + " exactly as it is shown there.",
	Check: checkIDMalformed,
}

var associateIDWrongMarketplace = &Rule{
	ID:       "AOM104",
	Name:     "associate-id-wrong-marketplace",
	Title:    "Associate ID belongs to another marketplace",
	Severity: Error,
	Needs:    NeedSettings,
	Explain: "Each Amazon marketplace has its own tracking IDs, and the ending tells which: " +
		"-20 for the US and Canada, -21 for the UK and Europe, -22 for Japan and Australia. " +
		"An ID from one marketplace earns nothing on another, so a UK ID in a store that sells on Amazon.com is never paid. " +
		"Use the tracking ID you got when you joined the Associates program of the store's own marketplace.",
	Fix:   "Enter the tracking ID of the store's own marketplace in " + whereAssociateID + "; an ID from another marketplace earns nothing here.",
	Check: checkIDWrongMarketplace,
}

// associateID returns the store's Associate ID when it has a non-blank one
// that is not AOM's default: the value the shape and marketplace rules judge.
func associateID(s *store.Settings) (store.Value, bool) {
	v, ok := s.Get(keyAssociateID)
	if !ok || strings.TrimSpace(v.Text) == "" || isDefaultID(v.Text) {
		return store.Value{}, false
	}
	return v, true
}

func isDefaultID(v string) bool { return strings.EqualFold(strings.TrimSpace(v), aomDefaultID) }

// enterIDFix is the fix for a store that has no ID of its own yet, naming
// the marketplace's suffix; empty (the rule's own fix) when it is unknown.
func enterIDFix(site storeSite) string {
	if !site.known {
		return ""
	}
	return fmt.Sprintf("Enter your own %s tracking ID (ending in -%s) in %s; find it in %s.",
		site.market.site, site.market.suffix, whereAssociateID, whereTrackingIDs)
}

func checkIDMissing(s *store.Store) []Finding {
	v, ok := s.Settings.Get(keyAssociateID)
	if !ok {
		return []Finding{{
			Message:  "no " + keyAssociateID + " was found in the settings",
			Fix:      enterIDFix(siteOf(s.Settings)),
			Evidence: settingsEvidence(s.Settings),
		}}
	}
	if strings.TrimSpace(v.Text) != "" {
		return nil // a default-only ID is not missing: associate-id-default judges it
	}
	msg := "associate ID is empty"
	switch {
	case v.Default:
		msg = "the store never set its own Associate ID, and AOM's default for it is empty"
	case v.Text != "":
		msg = fmt.Sprintf("associate ID %q holds only spaces", v.Text)
	}
	return []Finding{{
		Message:  msg,
		Fix:      enterIDFix(siteOf(s.Settings)),
		Evidence: []Evidence{FromSource(v.Source)},
	}}
}

func checkIDDefault(s *store.Store) []Finding {
	v, ok := s.Settings.Get(keyAssociateID)
	if !ok || !isDefaultID(v.Text) {
		return nil
	}
	msg := fmt.Sprintf("associate ID %s is AOM's own ID, so every sale through this store credits AOM, not you", quote(v.Text))
	if v.Default {
		msg = fmt.Sprintf("the store never set its own Associate ID, so AOM's default %q applies and every sale through this store credits AOM, not you", aomDefaultID)
	}
	return []Finding{{
		Message:  msg,
		Fix:      enterIDFix(siteOf(s.Settings)),
		Evidence: []Evidence{FromSource(v.Source)},
	}}
}

func checkIDMalformed(s *store.Store) []Finding {
	v, ok := associateID(s.Settings)
	if !ok {
		return nil // blank: associate-id-missing; AOM's default: associate-id-default
	}
	d := diagnoseID(v.Text, siteOf(s.Settings))
	if len(d.problems) == 0 {
		return nil
	}
	f := Finding{
		Message:  fmt.Sprintf("associate ID %s %s", quote(v.Text), joinAnd(d.problems)),
		Fix:      d.fix,
		Evidence: []Evidence{FromSource(v.Source)},
	}
	if d.suggest != "" {
		f.Message += fmt.Sprintf("; did you mean %q?", d.suggest)
		f.Fix = fmt.Sprintf("Change the Associate ID to %q in %s, then check it against Account Settings > Manage Your Tracking IDs in Associates Central.",
			d.suggest, whereAssociateID)
	}
	return []Finding{f}
}

func checkIDWrongMarketplace(s *store.Store) []Finding {
	v, ok := associateID(s.Settings)
	if !ok {
		return nil
	}
	site := siteOf(s.Settings)
	if !site.known {
		// A store type we do not know the suffix of: any suffix may be right,
		// so say nothing rather than guess.
		return nil
	}
	d := diagnoseID(v.Text, site)
	if d.suffix == "" || d.suffix == site.market.suffix {
		return nil
	}
	ends := "carries the suffix"
	if strings.HasSuffix(strings.ToLower(strings.TrimSpace(v.Text)), "-"+d.suffix) {
		ends = "ends in"
	}
	return []Finding{{
		Message: fmt.Sprintf("associate ID %s %s -%s, %s, but the store sells on %s, which uses IDs ending in -%s",
			quote(v.Text), ends, d.suffix, suffixRegions[d.suffix], site.phrase(), site.market.suffix),
		Fix: fmt.Sprintf("Enter your %s tracking ID (ending in -%s) in %s; an ID from another marketplace earns nothing here.",
			site.market.site, site.market.suffix, whereAssociateID),
		Evidence: append([]Evidence{FromSource(v.Source)}, site.evidence()...),
	}}
}

// idDiagnosis is what is wrong with an Associate ID as typed.
type idDiagnosis struct {
	problems []string // predicates for "associate ID "x" ...": "has a leading space"
	suggest  string   // the corrected ID; empty when it cannot be inferred
	suffix   string   // the marketplace suffix the ID clearly carries, if any
	fix      string   // a specific fix when there is no corrected ID to give
}

var (
	reDoubledSuffix   = regexp.MustCompile(`^(.*)-(\d\d)-(\d\d)$`)
	reSuffix          = regexp.MustCompile(`^(.*)-(\d\d)$`)
	reBareSuffix      = regexp.MustCompile(`^(.*[a-z])(2[0-2])$`)
	reLookalikeSuffix = regexp.MustCompile(`^(.*)-([0-9oil]{2})$`)
	// reTagParam finds the tag in a link or a piece of one: tag= in product
	// links, associate-id= in cart URLs, AssociateTag= in API requests, also
	// put in the path instead of the query.
	reTagParam = regexp.MustCompile(`(?i)(?:^|[?&;#/\s])(?:tag|associate-id|associatetag)=([^&#;?\s]*)`)
)

// diagnoseID names every way raw differs from a tracking ID's shape, and
// infers the ID that was meant where it can. Missing suffixes are inferred
// from the store's marketplace.
func diagnoseID(raw string, site storeSite) idDiagnosis {
	var d idDiagnosis
	spaces, _ := spaceProblems(raw)
	t := strings.TrimSpace(raw)

	// Kinds of value that are not a tracking ID at all come first, each named
	// alone: listing the stray spaces of a pasted secret key would only hide
	// what matters.
	switch {
	case looksSecretKey(strings.Join(strings.Fields(t), "")):
		d.problems = []string{"looks like an AWS secret key, not a tracking ID"}
		d.fix = secretInIDFix
		return d
	case looksAccessKey(t):
		d.problems = []string{"looks like an AWS access key, not a tracking ID"}
		d.fix = "Enter your tracking ID from " + whereTrackingIDs + " in " + whereAssociateID +
			", and keep the AWS access key in its own field."
		return d
	}
	d.problems = spaces
	if len(t) >= 2 && strings.ContainsRune(`"'`+"`", rune(t[0])) && t[0] == t[len(t)-1] {
		d.problems = append(d.problems, "is wrapped in quotes")
		t = strings.TrimSpace(t[1 : len(t)-1])
	}
	if tag, isURL, found := findTag(t); isURL || found {
		what := "is a piece of a link, not a tracking ID"
		if isURL {
			what = "is a URL, not a tracking ID"
		}
		if !found {
			d.problems = append(d.problems, "is a URL with no tag in it, not a tracking ID")
			return d
		}
		d.problems = append(d.problems, what)
		sub := diagnoseID(tag, site)
		d.suffix, d.fix = sub.suffix, sub.fix
		switch {
		case sub.fix == secretInIDFix:
			d.problems = append(d.problems, "has what looks like an AWS secret key as its tag")
		case isDefaultID(tag):
			d.problems = append(d.problems, fmt.Sprintf("carries AOM's own ID %q", aomDefaultID))
		case len(sub.problems) == 0:
			d.suggest = tag
		default:
			d.suggest = sub.suggest
		}
		return d
	}
	// After links, whose paths can be long: a secret key with a typo or a
	// suffix, or pasted among other text.
	if sensitive(t) {
		return idDiagnosis{problems: []string{"holds what looks like an AWS secret key, not a tracking ID"}, fix: secretInIDFix}
	}
	if reEmail.MatchString(t) {
		d.problems = append(d.problems, "is an email address, not a tracking ID")
		return d
	}

	t = strings.Join(strings.Fields(t), "")
	if p := caseProblem(t, isUpperASCII, "upper case", isLowerASCII); p != "" {
		d.problems = append(d.problems, p)
	}
	t = strings.ToLower(t)
	inferable := true
	if odd := distinctRunes(t, func(r rune) bool { return !(isLowerASCII(r) || r >= '0' && r <= '9' || r == '-') }); len(odd) > 0 {
		d.problems = append(d.problems, "contains "+quoteRunes(odd))
		inferable = false
	}

	// Look-alike letters in the suffix (gardenshop-2O) are a mistake seen in
	// the wild; fix them first so the suffix is judged as meant.
	if m := reLookalikeSuffix.FindStringSubmatch(t); m != nil && strings.ContainsAny(m[2], "oil") {
		fixed := strings.NewReplacer("o", "0", "i", "1", "l", "1").Replace(m[2])
		if isKnownSuffix(fixed) {
			d.problems = append(d.problems, fmt.Sprintf("has a letter for a digit in its suffix (-%s instead of -%s)", m[2], fixed))
			t = m[1] + "-" + fixed
		}
	}

	var body, suffix string
	if m := reDoubledSuffix.FindStringSubmatch(t); m != nil && isKnownSuffix(m[2]) && isKnownSuffix(m[3]) {
		body, suffix = m[1], m[3]
		d.suffix = suffix
		if m[2] == m[3] {
			d.problems = append(d.problems, fmt.Sprintf("has its suffix twice (-%s-%s)", m[2], m[3]))
		} else {
			d.problems = append(d.problems, fmt.Sprintf("ends in two suffixes (-%s-%s)", m[2], m[3]))
		}
	} else if m := reSuffix.FindStringSubmatch(t); m != nil {
		body = m[1]
		if isKnownSuffix(m[2]) {
			suffix, d.suffix = m[2], m[2]
		} else {
			d.problems = append(d.problems, fmt.Sprintf("ends in -%s, which no marketplace uses (known: -%s)",
				m[2], strings.Join(knownSuffixes, ", -")))
		}
	} else if m := reBareSuffix.FindStringSubmatch(t); m != nil {
		body, suffix = m[1], m[2]
		d.suffix = suffix
		d.problems = append(d.problems, fmt.Sprintf("has its suffix without the hyphen (%s instead of -%s)", m[2], m[2]))
	} else {
		body = strings.TrimRight(t, "-")
		if site.known {
			d.problems = append(d.problems, fmt.Sprintf("has no -NN suffix (%s IDs end in -%s)", site.market.site, site.market.suffix))
		} else {
			d.problems = append(d.problems, "has no -NN suffix such as -20")
		}
	}
	if body == "" {
		d.problems = append(d.problems, "has nothing before its suffix")
	}
	if suffix == "" && site.known {
		suffix = site.market.suffix
	}
	if inferable && body != "" && suffix != "" && len(d.problems) > 0 {
		d.suggest = body + "-" + suffix
	}
	return d
}

// secretInIDFix says to replace the key as well: the Associate ID goes into
// every link and cart URL the store makes, so a secret typed there is public.
const secretInIDFix = "Enter your tracking ID from " + whereTrackingIDs + " in " + whereAssociateID +
	". The store has been putting this secret key in its links, so create a new key in " +
	whereAPIKeys + " and delete this one."

// findTag looks for a tag parameter in v, decoding the %3F/%3D/%26 forms that
// product links carry inside their path. isURL says v is a link, not just a
// piece of one.
func findTag(v string) (tag string, isURL, found bool) {
	lower := strings.ToLower(v)
	isURL = strings.Contains(lower, "://") || strings.HasPrefix(lower, "www.") ||
		(strings.Contains(lower, "/") && strings.Contains(lower, "."))
	decoded := v
	for range 3 {
		u, err := url.PathUnescape(decoded)
		if err != nil || u == decoded {
			break
		}
		decoded = u
	}
	if m := reTagParam.FindStringSubmatch(decoded); m != nil && m[1] != "" {
		tag = m[1]
		// A tag put in the path ends at the next "/", but a secret key holds
		// "/" too: cut it only when what follows cannot be part of one.
		if !sensitive(tag) {
			tag, _, _ = strings.Cut(tag, "/")
		}
		return tag, isURL, tag != ""
	}
	return "", isURL, false
}
