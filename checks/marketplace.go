package checks

import (
	"fmt"
	"strings"

	"github.com/aomdoctor/aomdoctor/checks/store"
)

// keyStoreType is the setting that names the Amazon locale a store sells on.
const keyStoreType = "AmazonStoreType"

// marketplace is one Amazon locale a store can sell on.
type marketplace struct {
	site   string // as AOM names it in AmazonStoreType, e.g. "Amazon.com"
	code   string // the country code some exports use instead of the site
	suffix string // the suffix of its tracking IDs, without the hyphen
}

// marketplaces lists the store types whose tracking-ID suffix we know. Other
// locales (Singapore, Turkey, the Gulf states, ...) are left out on purpose:
// a rule that needs the suffix then stays quiet instead of guessing.
var marketplaces = []marketplace{
	{"Amazon.com", "us", "20"},
	{"Amazon.ca", "ca", "20"},
	{"Amazon.com.mx", "mx", "20"},
	{"Amazon.com.br", "br", "20"},
	{"Amazon.co.uk", "uk", "21"},
	{"Amazon.de", "de", "21"},
	{"Amazon.fr", "fr", "21"},
	{"Amazon.it", "it", "21"},
	{"Amazon.es", "es", "21"},
	{"Amazon.in", "in", "21"},
	{"Amazon.nl", "nl", "21"},
	{"Amazon.se", "se", "21"},
	{"Amazon.pl", "pl", "21"},
	{"Amazon.co.jp", "jp", "22"},
	{"Amazon.com.au", "au", "22"},
}

// knownSuffixes are the tracking-ID suffixes of every marketplace, in order.
var knownSuffixes = []string{"20", "21", "22"}

// suffixRegions names, for a message, where the IDs of each suffix belong.
var suffixRegions = map[string]string{
	"20": "a US/Canadian ID",
	"21": "a UK/European ID",
	"22": "a Japanese/Australian ID",
}

func isKnownSuffix(s string) bool { return suffixRegions[s] != "" }

// findMarketplace reads an AmazonStoreType value tolerantly: exports and hand
// edits write it as "amazon.co.uk", "www.amazon.co.uk/" or "uk" as well.
func findMarketplace(storeType string) (marketplace, bool) {
	t := strings.ToLower(strings.TrimSpace(storeType))
	t = strings.TrimPrefix(strings.TrimPrefix(t, "https://"), "http://")
	t = strings.TrimSuffix(strings.TrimPrefix(t, "www."), "/")
	if t == "gb" {
		t = "uk"
	}
	for _, m := range marketplaces {
		if t == strings.ToLower(m.site) || t == m.code {
			return m, true
		}
	}
	return marketplace{}, false
}

// storeSite is the marketplace a store sells on, as its settings say.
type storeSite struct {
	market marketplace
	known  bool // false for a store type whose suffix we do not know
	// assumed is true when the settings have no AmazonStoreType (or an empty
	// one): AOM then sells on its default, Amazon.com.
	assumed bool
	value   store.Value // the AmazonStoreType value; zero when assumed
}

func siteOf(s *store.Settings) storeSite {
	v, ok := s.Get(keyStoreType)
	if !ok || strings.TrimSpace(v.Text) == "" {
		m, _ := findMarketplace("Amazon.com")
		return storeSite{market: m, known: true, assumed: true}
	}
	m, known := findMarketplace(v.Text)
	return storeSite{market: m, known: known, value: v}
}

// evidence cites the AmazonStoreType value, when the settings have one.
func (ss storeSite) evidence() []Evidence {
	if ss.assumed {
		return nil
	}
	return []Evidence{FromSource(ss.value.Source)}
}

// phrase names the marketplace for a message, and says when it was assumed.
func (ss storeSite) phrase() string {
	if ss.assumed {
		return fmt.Sprintf("%s (no %s was found in the settings, so AOM's default %s is assumed)",
			ss.market.site, keyStoreType, ss.market.site)
	}
	return fmt.Sprintf("%s (%s)", ss.market.site, ss.value.Key)
}
