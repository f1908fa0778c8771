package reports

import "github.com/fenliu/fenliu/metrics/period"

// Shown lays a report out and returns its 通报 and every text the rest of it
// shows: the subtitle, each section's notes, captions, headers and cells as the
// page writes them (lists whole). What the 通报 says must be found there.
func Shown(r Report) (*Bulletin, []string, error) {
	d := r.(interface{ layoutOf() documented }).layoutOf()
	p, err := d.layout("考评")
	if err != nil {
		return nil, nil, err
	}
	var b *Bulletin
	shown := []string{p.Subtitle}
	for _, s := range p.Sections {
		if s.Bulletin != nil {
			b = s.Bulletin
			continue
		}
		shown = append(shown, s.Notes...)
		shown = append(shown, s.SheetNotes...)
		for _, t := range s.Data {
			shown = append(shown, t.Caption, t.More, t.Empty)
			shown = append(shown, t.Head...)
			for _, r := range t.Rows {
				for _, c := range r {
					shown = append(shown, c.html().Text)
				}
			}
		}
	}
	return b, shown, nil
}

func (d documented) layoutOf() documented { return d }

// The words of the prose, for TestWords.
var (
	Thousands      = thousands
	PointsText     = pointsText
	ChineseNumeral = chineseNumeral
	JoinNames      = joinNames
	PercentText    = percentText
	DurationText   = durationText
)

// CellText is a cell as the page writes it.
func CellText(c Cell) string { return c.html().Text }

// HeaderNumber is the 文号 of a period (2024, 2024-05, 2024-W20).
func HeaderNumber(h Header, p string) string {
	per, err := period.Parse(p)
	if err != nil {
		panic(err)
	}
	return h.number(per)
}

// SetMaxListRows caps the streamed lists at n rows until the returned func
// restores the worksheet's own limit: a test cannot write a million rows.
func SetMaxListRows(n int) (restore func()) {
	old := maxListRows
	maxListRows = n
	return func() { maxListRows = old }
}

// MaxListRows is how many rows a streamed list holds.
func MaxListRows() int { return maxListRows }
