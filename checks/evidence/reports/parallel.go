package reports

import (
	"bytes"
	"errors"
	"io"
	"runtime"
	"sync"
	"sync/atomic"
)

// A large Orders download is read by GOMAXPROCS workers: a producer reads
// the stream in chunks cut at line ends, each worker splits the chunks it
// is given and gathers them into a table of its own, and the tables are
// merged at the end, each item taking what its earliest row says, so that
// the result is the one reading line by line gives. Memory stays flat: a
// few chunks are in flight at a time, whatever the file's size.
//
// A chunk is cut only at a line end that is surely a record's end: one
// after cutLines lines that each close every quote they open. A record
// spans lines only when its first line leaves a quote open, and spans at
// most maxQuotedLines lines, so no record runs across such a cut. Where
// no such line end is found, or a line may be longer than maxRecord, the
// rest of the file is read line by line as before.

var (
	// chunkSize is how much one worker reads at a time (a variable so that
	// tests can cut small inputs into many chunks).
	chunkSize = 512 << 10
	// forceParallel reads even small files in chunks, for tests.
	forceParallel = false
	// chunksRead counts the chunks workers read, for tests.
	chunksRead atomic.Int64
)

// cutLines is how many lines before a cut must each close their quotes.
const cutLines = maxQuotedLines + 1

// chunkJob is one chunk: its data, the line it starts on, whether it is the
// last and what error ended the stream after it.
type chunkJob struct {
	data []byte
	line int
	last bool
	err  error
	rest bool // no sure cut: the rest of the stream, from data on, is read in turn
	bad  chan PartialError
}

// readChunk reads the rows of data, which starts at line (a record's start), into t.
func readChunk(t *table, comma byte, data []byte, line int, last bool, readErr error) PartialError {
	chunksRead.Add(1)
	s := &splitter{buf: data, end: len(data), comma: comma, line: line, want: len(t.h.cells), chunk: !last, eof: last, err: readErr}
	bad := PartialError{unit: "line"}
	readRows(s, t, &bad)
	if s.overrun {
		// Cannot happen: chunks end where records do.
		panic("reports: a record runs past its chunk")
	}
	return bad
}

// readParallel reads the rest of sp's stream into t, in chunks.
func readParallel(sp *splitter, t *table, bad *PartialError) {
	pool := make(chan []byte, 16)
	leftover := append([]byte(nil), sp.buf[sp.pos:sp.end]...)
	line, eof, readErr := sp.line, sp.eof, sp.err
	r := sp.r
	// next returns the next chunk.
	next := func() *chunkJob {
		var buf []byte
		select {
		case buf = <-pool:
		default:
		}
		if cap(buf) < max(chunkSize, 2*len(leftover)) {
			buf = make([]byte, 0, max(chunkSize, 2*len(leftover)))
		}
		buf = append(buf[:0], leftover...)
		zero := 0
		for len(buf) < chunkSize && !eof {
			n, err := r.Read(buf[len(buf):cap(buf)])
			buf = buf[:len(buf)+n]
			if err != nil {
				eof = true
				if !errors.Is(err, io.EOF) {
					readErr = err
				}
			}
			if zero++; n > 0 {
				zero = 0
			} else if zero == 100 {
				eof, readErr = true, io.ErrNoProgress
			}
		}
		j := &chunkJob{line: line, bad: make(chan PartialError, 1)}
		cut := len(buf)
		if !eof || len(buf) > chunkSize {
			cut = cutChunk(buf, sp.comma)
		} else if !shortLines(buf) {
			cut = -1
		}
		if cut < 0 {
			// No sure cut: the rest is read in turn.
			j.data, j.rest = buf, true
			return j
		}
		j.data = buf[:cut]
		leftover = append(leftover[:0], buf[cut:]...)
		j.last = eof && len(leftover) == 0
		if j.last {
			j.err = readErr
		}
		line += bytes.Count(j.data, []byte{'\n'})
		return j
	}

	workers := runtime.GOMAXPROCS(0)
	if forceParallel {
		workers = max(workers, 3)
	}
	tables := make([]*table, workers)
	for i := range tables {
		tables[i] = newTable(t.name, t.h, false, t.dates.dayFirst)
	}
	jobs := make(chan *chunkJob)
	order := make(chan *chunkJob, workers)
	done := make(chan struct{})
	go func() {
		defer close(jobs)
		defer close(order)
		for {
			j := next()
			select {
			case order <- j:
			case <-done:
				return
			}
			if j.rest {
				return
			}
			select {
			case jobs <- j:
			case <-done:
				return
			}
			if j.last {
				return
			}
		}
	}()
	var wg sync.WaitGroup
	for _, wt := range tables {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				j.bad <- readChunk(wt, sp.comma, j.data, j.line, j.last, j.err)
				select {
				case pool <- j.data[:0]:
				default:
				}
			}
		}()
	}
	var rest *chunkJob
	for j := range order {
		if j.rest {
			rest = j
			break
		}
		if !mergeBad(bad, <-j.bad) {
			break
		}
	}
	close(done)
	wg.Wait()
	if rest != nil {
		// The producer has stopped: its reader and leftover are ours now.
		seq := newSplitter(io.MultiReader(bytes.NewReader(rest.data), r), sp.comma, splitBuffer)
		seq.line, seq.want = rest.line, sp.want
		if eof {
			seq.r = bytes.NewReader(rest.data)
			seq.err = readErr
		}
		rt := newTable(t.name, t.h, false, t.dates.dayFirst)
		part := PartialError{unit: "line"}
		readRows(seq, rt, &part)
		if eof && readErr != nil && part.Stop == nil {
			part.stop(readErr)
		}
		mergeBad(bad, part)
		tables = append(tables, rt)
	}
	t.absorb(tables)
}

// mergeBad adds the bad rows of the chunk after those of bad; it reports
// false when reading stopped in the chunk.
func mergeBad(bad *PartialError, b PartialError) bool {
	if bad.First == nil {
		bad.First = b.First
	}
	for _, l := range b.Lines {
		if len(bad.Lines) < maxBadLines {
			bad.Lines = append(bad.Lines, l)
		}
	}
	bad.Bad += b.Bad
	if b.Stop != nil {
		bad.Stop = b.Stop
		return false
	}
	return true
}

// cutChunk is where to end a chunk of buf: after the last line end within
// chunkSize that follows cutLines lines each closing their quotes; -1 when
// there is none, or a line may be longer than maxRecord.
func cutChunk(buf []byte, comma byte) int {
	head := buf[:min(len(buf), chunkSize)]
	if !shortLines(head) {
		return -1
	}
	probe := &splitter{comma: comma}
	end := bytes.LastIndexByte(head, '\n')
	for tries := 0; end >= 0 && tries < 256; tries++ {
		// Check the lines before end, back from it.
		p, good := end, 0
		for good < cutLines {
			q := bytes.LastIndexByte(head[:p], '\n')
			line := bytes.TrimSuffix(head[q+1:p], []byte("\r"))
			if bytes.IndexByte(line, '"') >= 0 && !probe.splitQuotedLine(line) {
				break
			}
			good++
			if q < 0 {
				// The chunk's start is a record's start.
				good = cutLines
				break
			}
			p = q
		}
		if good == cutLines {
			return end + 1
		}
		// The line at p leaves a quote open: cut before it.
		end = bytes.LastIndexByte(head[:p], '\n')
	}
	return -1
}

// shortLines reports whether every line of b is surely no longer than
// maxRecord: every aligned half of maxRecord holds a line end.
func shortLines(b []byte) bool {
	const w = maxRecord / 2
	for i := 0; i+w <= len(b); i += w {
		if bytes.IndexByte(b[i:i+w], '\n') < 0 {
			return false
		}
	}
	return true
}

// absorb merges into t, which holds no rows yet, the tables of workers
// that read the file's chunks between them: each item takes its first
// line, its name and its place from its earliest rows, as reading the
// lines in turn gives.
func (t *table) absorb(parts []*table) {
	type entry struct {
		key []byte
		r   *itemRec
	}
	// Each part's items in the order it first saw them, which is line order.
	lists := make([][]entry, len(parts))
	most := 0
	for i, o := range parts {
		t.rows += o.rows
		byN := make([]entry, len(o.items.asins))
		for j := range o.items.recs {
			r := &o.items.recs[j]
			byN[r.n] = entry{r.key[:], r}
		}
		for k, r := range o.items.other {
			byN[r.n] = entry{[]byte(k), r}
		}
		lists[i] = byN
		most = max(most, len(byN))
		for k, n := range o.byLinkType {
			*t.linkTypeCount([]byte(k)) += *n
		}
		for k, s := range o.rep.IDs {
			if mine, ok := t.rep.IDs[k]; !ok {
				t.rep.IDs[k] = s
			} else {
				mine.Rows += s.Rows
				if s.Source.Line < mine.Source.Line {
					mine.Source = s.Source
				}
			}
		}
	}
	// Room for the items of the part with the most, so that the table
	// rarely grows while merging.
	size := 1024
	for 3*size < 4*(most+1) {
		size *= 2
	}
	if len(t.items.index) < size {
		t.items.reserve(size)
	}
	// Merge the lists by first line: items are numbered as reading the
	// lines in turn numbers them.
	for {
		best := -1
		for i, l := range lists {
			if len(l) > 0 && (best < 0 || l[0].r.line < lists[best][0].r.line) {
				best = i
			}
		}
		if best < 0 {
			return
		}
		e, o := lists[best][0], parts[best]
		lists[best] = lists[best][1:]
		m := t.items.get(e.key, int(e.r.line))
		m.direct += e.r.direct
		m.other += e.r.other
		if e.r.first != 0 && (m.first == 0 || e.r.first < m.first) {
			m.first = e.r.first
		}
		m.last = max(m.last, e.r.last)
		if e.r.named && (!m.named || e.r.nameLine < m.nameLine) {
			t.items.names[m.n] = o.items.names[e.r.n]
			m.named, m.nameLine = true, e.r.nameLine
		}
	}
}
