package livemd

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strconv"
	"strings"
)

// Metadata is the JSON object of a <!-- livebook:{...} --> annotation. Values are
// as encoding/json decodes them, except that numbers are json.Number, so that they
// come back exactly as written: string, bool, nil, json.Number, []any and
// map[string]any.
type Metadata map[string]any

// Bool reports whether m[key] is true.
func (m Metadata) Bool(key string) bool {
	b, _ := m[key].(bool)
	return b
}

// Int returns m[key] as an integer, if it is one.
func (m Metadata) Int(key string) (int64, bool) {
	switch v := m[key].(type) {
	case json.Number:
		i, err := strconv.ParseInt(string(v), 10, 64)
		return i, err == nil
	case int:
		return int64(v), true
	case int64:
		return v, true
	case float64:
		if v == float64(int64(v)) {
			return int64(v), true
		}
	}
	return 0, false
}

// StringValue returns m[key] if it is a string.
func (m Metadata) StringValue(key string) (string, bool) {
	s, ok := m[key].(string)
	return s, ok
}

// decodeMetadata decodes the JSON object s.
func decodeMetadata(s string) (Metadata, error) {
	s = strings.Trim(s, " \t")
	if !strings.HasPrefix(s, "{") {
		return nil, errors.New("not a JSON object")
	}
	d := json.NewDecoder(strings.NewReader(s))
	d.UseNumber()
	var m map[string]any
	if err := d.Decode(&m); err != nil {
		return nil, err
	}
	if _, err := d.Token(); err != io.EOF {
		return nil, errors.New("text after the JSON object")
	}
	if m == nil {
		m = map[string]any{}
	}
	return Metadata(m), nil
}

// encodeJSON encodes v with sorted keys and without HTML escaping, as Livebook does.
// "-->" is written as "--\u003e" so the text can sit inside an HTML comment; it only
// occurs inside strings, where the escape decodes to the same value. Values that
// encoding/json cannot encode are written as null.
func encodeJSON(v any) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return encodeLenient(v)
	}
	return strings.ReplaceAll(strings.TrimSuffix(buf.String(), "\n"), "-->", `--\u003e`)
}

// encodeLenient encodes v piece by piece, writing null for what cannot be encoded.
func encodeLenient(v any) string {
	switch v := v.(type) {
	case Metadata:
		return encodeLenient(map[string]any(v))
	case map[string]any:
		clean := make(map[string]json.RawMessage, len(v))
		for k, x := range v {
			clean[k] = json.RawMessage(encodeJSON(x))
		}
		return encodeJSON(clean)
	case []any:
		clean := make([]json.RawMessage, len(v))
		for i, x := range v {
			clean[i] = json.RawMessage(encodeJSON(x))
		}
		return encodeJSON(clean)
	}
	return "null"
}
