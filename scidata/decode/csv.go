package decode

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// maxCSVRows bounds the rows CSV reads, so endless input fails instead of
// exhausting memory.
const maxCSVRows = 1 << 24

// CSVSpec describes a table of numeric features and one label column.
type CSVSpec struct {
	// Features is the number of feature columns; every row has Features+1
	// fields.
	Features int
	// LabelFirst puts the label in the first column; otherwise it is the last.
	LabelFirst bool
	// Label parses a label field. A returned error is reported with the
	// field's position.
	Label func(field string) (uint8, error)
}

// Table is a decoded CSV table.
type Table struct {
	// Features holds Rows×Features values, row-major.
	Features []float32
	// Labels holds one label per row.
	Labels []uint8
	// Rows is the number of rows.
	Rows int
}

// CSV reads a comma-separated table from r, named name in errors. Blank lines
// are skipped; spaces around fields are ignored; every other line must have
// spec.Features numbers and a label. Errors give the byte offset of the row
// (and the line) where reading failed.
func CSV(name string, r io.Reader, spec CSVSpec) (*Table, error) {
	const format = "csv"
	if spec.Features <= 0 || spec.Label == nil {
		return nil, fmt.Errorf("decode: csv: spec needs Features > 0 and a Label function")
	}
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	t := &Table{}
	for {
		off := cr.InputOffset()
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, corrupt(name, format, off, "line %d: %v", pe.Line, pe.Err)
			}
			return nil, readFailure(name, format, off, err, "a row")
		}
		line, _ := cr.FieldPos(0)
		if len(rec) != spec.Features+1 {
			return nil, corrupt(name, format, off, "line %d: %d fields, want %d", line, len(rec), spec.Features+1)
		}
		if t.Rows == maxCSVRows {
			return nil, corrupt(name, format, off, "more than %d rows", maxCSVRows)
		}
		labelAt, first := len(rec)-1, 0
		if spec.LabelFirst {
			labelAt, first = 0, 1
		}
		for j, field := range rec[first : first+spec.Features] {
			v, err := strconv.ParseFloat(strings.TrimSpace(field), 32)
			if err != nil {
				return nil, corrupt(name, format, off, "line %d, field %d: %q is not a number", line, first+j+1, field)
			}
			t.Features = append(t.Features, float32(v))
		}
		lab, err := spec.Label(strings.TrimSpace(rec[labelAt]))
		if err != nil {
			return nil, corrupt(name, format, off, "line %d, field %d: label %q: %v", line, labelAt+1, rec[labelAt], err)
		}
		t.Labels = append(t.Labels, lab)
		t.Rows++
	}
	return t, nil
}
