package evidence

import (
	"bytes"
	"errors"
	"io"

	"github.com/aomdoctor/aomdoctor/checks/evidence/pages"
	"github.com/aomdoctor/aomdoctor/checks/store"
)

var errNoPageLinks = errors.New("an HTML page with no AOM settings form, no report table and no links to Amazon " +
	"(save the control panel's settings page, or a page of the store that shows products)")

// readHTML reads an HTML page that is not a report: the control panel when
// it holds the settings form, else a page of the store. The kind sniffed
// from the head is a first guess: a store page's links may come after the
// head, and a page sniffed as the store's may still hold the settings form
// further down. It returns the kind the page turned out to be.
func readHTML(name string, kind store.Kind, r io.Reader) (store.Kind, *store.Settings, *store.Pages, error) {
	src, err := io.ReadAll(io.LimitReader(r, maxSettingsSize+1))
	if err != nil {
		return kind, nil, nil, err
	}
	if len(src) > maxSettingsSize {
		return kind, nil, nil, errTooLarge
	}
	if kind == store.KindSettingsHTML {
		s, err := safeRead(ReadSettingsHTML, name, bytes.NewReader(src))
		if !errors.Is(err, errNoForm) {
			return kind, s, nil, err
		}
	}
	res, err := pages.ReadPage(name, nil, bytes.NewReader(src))
	if err != nil {
		return kind, nil, nil, err
	}
	if len(res.Links) == 0 && res.StoreLinks == 0 {
		return kind, nil, nil, errNoPageLinks
	}
	p := store.NewPages()
	p.AddPage(name)
	for _, l := range res.Links {
		p.Links.Add(l)
	}
	return store.KindStorePage, nil, p, nil
}
