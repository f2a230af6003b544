package reports

import (
	"encoding/binary"
	"math"

	"github.com/aomdoctor/aomdoctor/checks/store"
)

// items gathers the Orders report's figures per ASIN while reading. A
// million-row report touches an item on every row, in no order, and the
// time goes in cache misses. So ten-byte ASINs (all real ones) have their
// figures, key included, packed densely in recs (48 bytes an item, in the
// order first seen), found through an open-addressing index of 8-byte
// entries, each a slice of the key's hash beside the item's place in recs.
// Twenty thousand items then take about 1.2 MB, most of it within a core's
// L2 cache, where slots holding the figures in a half-empty table took
// 3.6 MB; and a probe reads the record only when the hash slices match.
// The store's ASINOrders are built once, at the end.
type items struct {
	index []uint64 // a power of two long, empty until the first item: hash tag<<32 | place in recs+1, 0 when free
	recs  []itemRec
	other map[string]*itemRec // ASINs of another length (an ISBN-13, or junk)
	asins []string            // by item number, in the order first seen
	names []string
}

// itemRec is one item's figures.
type itemRec struct {
	direct, other int64
	first, last   int32 // packed dates (see packDate), 0 when none
	line          int32 // where the item was first seen
	nameLine      int32 // where it was named
	n             int32 // the item's number: its index in asins and names
	named         bool
	key           [10]byte // the ASIN, for the items in recs
}

// maxRecs bounds recs so that a place fits an index entry's low half; the
// items past it (never in practice: one a row) go to the map.
const maxRecs = math.MaxUint32 - 1

// hash10 mixes a ten-byte key: two loads and three multiplications. Real
// ASINs share their first bytes ("B0"), so the varying bytes are mixed
// down into the low bits the table indexes by.
func hash10(k *[10]byte) uint64 {
	a := binary.LittleEndian.Uint64(k[:8])
	b := uint64(binary.LittleEndian.Uint16(k[8:]))
	h := a*0x9e3779b97f4a7c15 ^ (b+0x632be59bd9b4e019)*0xc2b2ae3d27d4eb4f
	h ^= h >> 32
	h *= 0xd6e8feb86659fd93
	return h ^ h>>32
}

// get is the figures of asin, made on its first row (line). The pointer is
// good until the next call.
func (it *items) get(asin []byte, line int) *itemRec {
	if len(asin) == 10 {
		var k [10]byte
		copy(k[:], asin)
		if 4*(len(it.recs)+1) > 3*len(it.index) {
			it.grow()
		}
		h := hash10(&k)
		tag := h &^ (1<<32 - 1) // the high half: the low one picks the slot
		mask := uint64(len(it.index) - 1)
		for i := h & mask; ; i = (i + 1) & mask {
			e := it.index[i]
			if e == 0 {
				if len(it.recs) >= maxRecs {
					break
				}
				it.recs = append(it.recs, itemRec{key: k})
				it.index[i] = tag | uint64(len(it.recs))
				r := &it.recs[len(it.recs)-1]
				it.newItem(r, asin, line)
				return r
			}
			if e&^(1<<32-1) == tag {
				if r := &it.recs[uint32(e)-1]; r.key == k {
					return r
				}
			}
		}
	}
	r, ok := it.other[string(asin)]
	if !ok {
		if it.other == nil {
			it.other = map[string]*itemRec{}
		}
		r = &itemRec{}
		it.newItem(r, asin, line)
		it.other[string(asin)] = r
	}
	return r
}

func (it *items) newItem(r *itemRec, asin []byte, line int) {
	r.line = int32(min(line, math.MaxInt32))
	r.n = int32(len(it.asins))
	it.asins = append(it.asins, clean(asin))
	it.names = append(it.names, "")
}

// grow doubles the index, keeping it at most three quarters full: an entry
// is small and its tag spares reading the records a probe passes, so a
// fuller index (smaller, more of it in cache) costs less than its longer probes.
func (it *items) grow() {
	it.reserve(max(2*len(it.index), 1024))
}

// reserve makes the index size entries long (a power of two, more than
// 4/3 the items), placing the items anew.
func (it *items) reserve(size int) {
	it.index = make([]uint64, size)
	mask := uint64(size - 1)
	for j := range it.recs {
		h := hash10(&it.recs[j].key)
		i := h & mask
		for it.index[i] != 0 {
			i = (i + 1) & mask
		}
		it.index[i] = h&^(1<<32-1) | uint64(j+1)
	}
}

// packDate makes d an int32 that orders as the dates do.
func packDate(d store.Date) int32 { return int32(d.Y<<9 | d.M<<5 | d.D) }

func unpackDate(p int32) store.Date {
	if p == 0 {
		return store.Date{}
	}
	return store.Date{Y: int(p >> 9), M: int(p>>5) & 15, D: int(p) & 31}
}

// see widens the item's date range to d.
func (r *itemRec) see(d store.Date) {
	p := packDate(d)
	if r.first == 0 || p < r.first {
		r.first = p
	}
	if p > r.last {
		r.last = p
	}
}

// finish adds the items to the reports' Orders. Two spellings of one ASIN
// (one with a byte that is not UTF-8, cleaned) add up.
func (it *items) finish(t *table) {
	add := func(r *itemRec) {
		asin := it.asins[r.n]
		if old, ok := t.rep.Orders[asin]; ok {
			old.Direct += int(r.direct)
			old.Other += int(r.other)
			return
		}
		t.rep.Orders[asin] = &store.ASINOrders{
			ASIN: asin, Title: it.names[r.n],
			Direct: int(r.direct), Other: int(r.other),
			First: unpackDate(r.first), Last: unpackDate(r.last),
			Source: t.src(int(r.line), fASIN),
		}
	}
	// In the order first seen, so that the result never depends on the
	// table's layout.
	byN := make([]*itemRec, len(it.asins))
	for i := range it.recs {
		byN[it.recs[i].n] = &it.recs[i]
	}
	for _, r := range it.other {
		byN[r.n] = r
	}
	for _, r := range byN {
		add(r)
	}
}
