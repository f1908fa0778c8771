package metrics

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/fenliu/fenliu/domain"
)

// A spool holds a full detail's members on disk: one file per indicator and
// state, in which each group's members are one run (the scan yields them by
// group, then id), so a list is read back as one section of a file per state.
// The files are unlinked as soon as they are created: a killed command leaves
// nothing behind.
type spool struct {
	dir   string // "": the system's temporary folder
	files map[spoolKey]*spoolFile
	buf   []byte
}

type spoolKey struct {
	id domain.IndicatorID
	st State
}

type spoolFile struct {
	f    *os.File
	path string // still to remove at close, where it could not be unlinked open
	w    *bufio.Writer
	size int64
	last string          // the group of the run being written
	done map[string]bool // the groups whose run is over
	run  span            // the run being written
}

// span is one group's run of members in a state: n members in size bytes from off.
type span struct {
	file         *spoolFile
	key          string
	off, size, n int64
}

func newSpool(dir string) *spool {
	return &spool{dir: dir, files: map[spoolKey]*spoolFile{}}
}

// newSpoolFile creates a temporary file in dir (the system's when "") and
// unlinks it at once where the system allows: it lives as long as it is open.
func newSpoolFile(dir string) (*spoolFile, error) {
	if dir == "" {
		dir = os.TempDir()
	}
	tmp, err := os.CreateTemp(dir, "fenliu-spool-*")
	if err != nil {
		return nil, fmt.Errorf("metrics: spool: %w", err)
	}
	f := &spoolFile{f: tmp, w: bufio.NewWriterSize(tmp, 64<<10), done: map[string]bool{}}
	if os.Remove(tmp.Name()) != nil {
		f.path = tmp.Name()
	}
	return f, nil
}

// write appends b.
func (f *spoolFile) write(b []byte) error {
	if _, err := f.w.Write(b); err != nil {
		return fmt.Errorf("metrics: spool: %w", err)
	}
	f.size += int64(len(b))
	return nil
}

// reader reads size bytes from off (written and flushed).
func (f *spoolFile) reader(off, size int64) *bufio.Reader {
	return bufio.NewReaderSize(io.NewSectionReader(f.f, off, size), 64<<10)
}

func (f *spoolFile) close() error {
	err := f.f.Close()
	if f.path != "" {
		err = errors.Join(err, os.Remove(f.path))
	}
	return err
}

// add writes a member of group key in state st of indicator id, and returns the
// group's run so far.
func (s *spool) add(id domain.IndicatorID, st State, key string, m Member) (span, error) {
	k := spoolKey{id, st}
	f := s.files[k]
	if f == nil {
		var err error
		if f, err = newSpoolFile(s.dir); err != nil {
			return span{}, err
		}
		f.last, f.run = key, span{file: f, key: key}
		s.files[k] = f
	}
	if key != f.last {
		if f.done[key] {
			return span{}, errOrder(id, st, key, f.last)
		}
		f.done[f.last], f.last = true, key
		f.run = span{file: f, key: key, off: f.size}
	}
	s.buf = appendMember(s.buf[:0], m)
	if err := f.write(s.buf); err != nil {
		return span{}, err
	}
	f.run.size, f.run.n = f.size-f.run.off, f.run.n+1
	return f.run, nil
}

// errOrder is a scan that broke the order a spool relies on.
func errOrder(id domain.IndicatorID, st State, key, last string) error {
	return fmt.Errorf("metrics: detail of %s (%s): group %q came after %q, out of order", id, st, key, last)
}

// flush writes what the files' buffers hold, before the lists are read.
func (s *spool) flush() error {
	for _, f := range s.files {
		if err := f.w.Flush(); err != nil {
			return fmt.Errorf("metrics: spool: %w", err)
		}
	}
	return nil
}

func (s *spool) close() error {
	var errs []error
	for _, f := range s.files {
		errs = append(errs, f.close())
	}
	s.files = nil
	return errors.Join(errs...)
}

// each reads the run back, in the order written.
func (sp span) each(st State, yield func(Member) error) error {
	if sp.n == 0 {
		return nil
	}
	r := newMemberReader(sp.file.reader(sp.off, sp.size))
	for range sp.n {
		m, err := r.member()
		if err != nil {
			return fmt.Errorf("metrics: spool: %w", err)
		}
		m.Key, m.State = sp.key, st
		if err := yield(m); err != nil {
			return err
		}
	}
	return nil
}

// A MemberSpool keeps members on disk as they come, group and state with each,
// and gives them back in the same order as often as asked: a list too long to
// hold (explain's workbook over a province's year) waits there until it is
// written. Like a detail's spool, its file is unlinked as soon as created.
type MemberSpool struct {
	f   *spoolFile
	buf []byte
	n   int64
}

// NewMemberSpool is an empty spool in dir (the system's temporary folder when "").
func NewMemberSpool(dir string) (*MemberSpool, error) {
	f, err := newSpoolFile(dir)
	if err != nil {
		return nil, err
	}
	return &MemberSpool{f: f}, nil
}

// Add writes m.
func (s *MemberSpool) Add(m Member) error {
	s.buf = appendString(appendString(s.buf[:0], m.Key), string(m.State))
	s.buf = appendMember(s.buf, m)
	s.n++
	return s.f.write(s.buf)
}

// Len is how many members were added.
func (s *MemberSpool) Len() int64 { return s.n }

// Each yields the members in the order they were added, from the first each time.
func (s *MemberSpool) Each(yield func(Member) error) error {
	if err := s.f.w.Flush(); err != nil {
		return fmt.Errorf("metrics: spool: %w", err)
	}
	r := newMemberReader(s.f.reader(0, s.f.size))
	for range s.n {
		key, err := r.common()
		if err != nil {
			return fmt.Errorf("metrics: spool: %w", err)
		}
		st, err := r.common()
		if err != nil {
			return fmt.Errorf("metrics: spool: %w", err)
		}
		m, err := r.member()
		if err != nil {
			return fmt.Errorf("metrics: spool: %w", err)
		}
		m.Key, m.State = key, State(st)
		if err := yield(m); err != nil {
			return err
		}
	}
	return nil
}

// Close removes the spool.
func (s *MemberSpool) Close() error { return s.f.close() }

// A member on the spool: its id, reason and times, each string and the number of
// times as a uvarint length first, each time as time.AppendBinary after its
// name. The group and state are the run's.
func appendMember(b []byte, m Member) []byte {
	b = appendString(b, m.ID)
	b = appendString(b, m.Reason)
	b = binary.AppendUvarint(b, uint64(len(m.Times)))
	for n, t := range m.Times {
		b = appendString(b, n)
		at := len(b)
		b, _ = t.AppendBinary(append(b, 0)) // fails only for a zone offset that is not whole minutes
		b[at] = byte(len(b) - at - 1)       // 15 or 16 bytes: a one-byte uvarint
	}
	return b
}

func appendString(b []byte, s string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}

// A memberReader reads members back: each field into one scratch buffer, and the
// few strings that repeat on every member (the times' names, a spool's groups and
// states) made once.
type memberReader struct {
	r      *bufio.Reader
	buf    []byte
	intern map[string]string
}

func newMemberReader(r *bufio.Reader) *memberReader {
	return &memberReader{r: r, intern: map[string]string{}}
}

// member reads one member.
func (mr *memberReader) member() (Member, error) {
	var m Member
	var err error
	if m.ID, err = mr.string(); err != nil {
		return m, err
	}
	if m.Reason, err = mr.string(); err != nil {
		return m, err
	}
	n, err := binary.ReadUvarint(mr.r)
	if err != nil {
		return m, err
	}
	if n > 64 {
		return m, fmt.Errorf("a member with %d times", n)
	}
	m.Times = make(map[string]time.Time, n)
	for range n {
		name, err := mr.common()
		if err != nil {
			return m, err
		}
		b, err := mr.bytes()
		if err != nil {
			return m, err
		}
		var t time.Time
		if err := t.UnmarshalBinary(b); err != nil {
			return m, err
		}
		m.Times[name] = t
	}
	return m, nil
}

// bytes reads one field into the scratch buffer, valid until the next read.
func (mr *memberReader) bytes() ([]byte, error) {
	n, err := binary.ReadUvarint(mr.r)
	if err != nil {
		return nil, err
	}
	if n > 1<<20 {
		return nil, fmt.Errorf("a field of %d bytes", n)
	}
	if uint64(cap(mr.buf)) < n {
		mr.buf = make([]byte, n)
	}
	b := mr.buf[:n]
	if _, err := io.ReadFull(mr.r, b); err != nil {
		return nil, err
	}
	return b, nil
}

// string reads one field as a string of its own.
func (mr *memberReader) string() (string, error) {
	b, err := mr.bytes()
	return string(b), err
}

// common reads one field that many members share, made once.
func (mr *memberReader) common() (string, error) {
	b, err := mr.bytes()
	if err != nil {
		return "", err
	}
	s, ok := mr.intern[string(b)]
	if !ok {
		s = string(b)
		mr.intern[s] = s
	}
	return s, nil
}
