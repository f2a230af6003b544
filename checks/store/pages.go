package store

// The kind of a store page saved from the browser (an AOM store's home,
// category, item or cart page).
const KindStorePage Kind = "store-page"

// PageFailure is a page that could not be fetched or read, and why.
type PageFailure struct {
	URL    string // or the file
	Reason string // "HTTP 404", "timed out after 10s", "larger than 5 MB", "not HTML (image/png)", ...
}

// Pages is what the store's own pages show, saved or fetched live: every
// Amazon link, cart form, frame, image, script and redirect on them, as
// classified links (Link.Element says which), and the pages that failed.
type Pages struct {
	// Start is the URL a crawl started from; empty for saved pages only.
	Start string
	// StartErr says why the start page could not be fetched; empty when it was.
	StartErr string
	Read     int      // pages read (fetched or saved)
	Names    []string // the pages read, in order, at most maxPageNames
	Failed   []PageFailure
	Links    *Links // the Amazon URLs on the pages only (also merged into Store.Links)
}

// maxPageNames bounds the page names kept for examples.
const maxPageNames = 200

// NewPages returns an empty set of pages.
func NewPages() *Pages { return &Pages{Links: NewLinks()} }

// AddPage records that a page was read.
func (p *Pages) AddPage(name string) {
	p.Read++
	if len(p.Names) < maxPageNames {
		p.Names = append(p.Names, name)
	}
}

// Merge adds everything of o to p.
func (p *Pages) Merge(o *Pages) {
	if o == nil {
		return
	}
	if p.Start == "" {
		p.Start, p.StartErr = o.Start, o.StartErr
	}
	p.Read += o.Read
	for _, n := range o.Names {
		if len(p.Names) < maxPageNames {
			p.Names = append(p.Names, n)
		}
	}
	p.Failed = append(p.Failed, o.Failed...)
	p.Links.Merge(o.Links)
}
