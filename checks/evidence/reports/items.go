package reports

import (
	"encoding/binary"
	"math"

	"github.com/aomdoctor/aomdoctor/checks/store"
)

// items gathers the Orders report's figures per ASIN while reading. A
// million-row report touches an item on every row, in no order, and the
// time goes in cache misses: so ten-byte ASINs (all real ones) live in an
// open-addressing table whose slots hold the key and the figures side by
// side, one memory access a row where a map and a slice of records took
// two or three. The store's ASINOrders are built once, at the end.
type items struct {
	slots []itemSlot // a power of two long; empty until the first item
	used  int
	other map[string]*itemRec // ASINs of another length (an ISBN-13, or junk)
	asins []string            // by item number, in the order first seen
	names []string
}

// itemSlot is one slot of the table.
type itemSlot struct {
	key  [10]byte
	used bool
	rec  itemRec
}

// itemRec is one item's figures.
type itemRec struct {
	direct, other int64
	first, last   int32 // packed dates (see packDate), 0 when none
	line          int32 // where the item was first seen
	nameLine      int32 // where it was named
	n             int32 // the item's number: its index in asins and names
	named         bool
}

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
	if len(asin) != 10 {
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
	var k [10]byte
	copy(k[:], asin)
	if 2*(it.used+1) > len(it.slots) {
		it.grow()
	}
	mask := uint64(len(it.slots) - 1)
	for i := hash10(&k) & mask; ; i = (i + 1) & mask {
		s := &it.slots[i]
		if !s.used {
			s.used, s.key = true, k
			it.used++
			it.newItem(&s.rec, asin, line)
			return &s.rec
		}
		if s.key == k {
			return &s.rec
		}
	}
}

func (it *items) newItem(r *itemRec, asin []byte, line int) {
	r.line = int32(min(line, math.MaxInt32))
	r.n = int32(len(it.asins))
	it.asins = append(it.asins, clean(asin))
	it.names = append(it.names, "")
}

// grow doubles the table, keeping it at most half full so that probes stay short.
func (it *items) grow() {
	old := it.slots
	it.slots = make([]itemSlot, max(2*len(old), 1024))
	mask := uint64(len(it.slots) - 1)
	for j := range old {
		if !old[j].used {
			continue
		}
		i := hash10(&old[j].key) & mask
		for it.slots[i].used {
			i = (i + 1) & mask
		}
		it.slots[i] = old[j]
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
	for i := range it.slots {
		if it.slots[i].used {
			byN[it.slots[i].rec.n] = &it.slots[i].rec
		}
	}
	for _, r := range it.other {
		byN[r.n] = r
	}
	for _, r := range byN {
		add(r)
	}
}
