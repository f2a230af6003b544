package checks

import (
	"slices"
	"strings"
)

// registry is every rule, in ID order. IDs are never reused or renumbered:
// a retired rule's ID stays out of use.
var registry = []*Rule{
	associateIDMissing,
	associateIDDefault,
	associateIDMalformed,
	associateIDWrongMarketplace,
	connectionNotDefault,
	connectionUnknown,
	cartReportsNotEnabled,
	awsKeysMalformed,
	cartReportsWithoutClicks,
	abandonedCarts,
	clicksWithoutCartReports,
	reportsNotYetProcessed,
	clicksUnderRESTOrSOAP,
	associateIDUnknown,
	conversionOver100,
	shortReportPeriod,
	otherItemsReported,
	ordersMatchCarts,
	linkCheckerFalseFailure,
	linkWrongID,
	linkMissingID,
	linkWrongMarketplace,
	storeUnreachable,
	noAmazonLinksFound,
	cartFormMissingID,
	pageIDDiffersFromSettings,
	mixedIDsOnStore,
	insecureAmazonLinks,
	trackingIDShared,
}

// Rules returns every rule, in ID order. The slice is the caller's to change;
// the rules themselves are shared.
func Rules() []*Rule { return slices.Clone(registry) }

// Lookup finds a rule by name or ID, ignoring case; nil when there is none.
func Lookup(nameOrID string) *Rule {
	q := strings.TrimSpace(nameOrID)
	for _, r := range registry {
		if strings.EqualFold(r.Name, q) || strings.EqualFold(r.ID, q) {
			return r
		}
	}
	return nil
}
