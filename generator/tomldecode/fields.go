package tomldecode

// String is a field that should hold a string. It takes any value, so
// that a wrong one is reported with its key path rather than stopping the
// decoding.
type String struct {
	Set bool   // the key is in the file
	V   string // the string
	Got any    // the value, when it is not a string
}

// UnmarshalTOML implements toml.Unmarshaler.
func (s *String) UnmarshalTOML(v any) error {
	*s = String{Set: true}
	if str, ok := v.(string); ok {
		s.V = str
	} else {
		s.Got = v
	}
	return nil
}

// Given reports whether the key is in the file with a value other than
// "", a value of the wrong type counting as given.
func (s String) Given() bool { return s.Set && (s.Got != nil || s.V != "") }

// Strings is a field that should hold an array of strings.
type Strings struct {
	Set   bool
	V     []string    // every item, "" for one that is not a string
	Got   any         // the value, when it is not an array
	Wrong map[int]any // the items that are not strings, by index
}

// UnmarshalTOML implements toml.Unmarshaler.
func (s *Strings) UnmarshalTOML(v any) error {
	*s = Strings{Set: true}
	arr, ok := v.([]any)
	if !ok {
		s.Got = v
		return nil
	}
	s.V = make([]string, len(arr))
	for i, e := range arr {
		if str, ok := e.(string); ok {
			s.V[i] = str
			continue
		}
		if s.Wrong == nil {
			s.Wrong = map[int]any{}
		}
		s.Wrong[i] = e
	}
	return nil
}

// Array is a field that should hold an array whose items take more than
// one form, checked by the caller.
type Array struct {
	Set bool
	V   []any // the items as TOML decodes them
	Got any   // the value, when it is not an array
}

// UnmarshalTOML implements toml.Unmarshaler.
func (a *Array) UnmarshalTOML(v any) error {
	*a = Array{Set: true}
	if arr, ok := v.([]any); ok {
		a.V = arr
	} else {
		a.Got = v
	}
	return nil
}

// Value is a field whose value takes more than one form (a date as a
// string or a TOML date), checked by the caller.
type Value struct {
	Set bool
	V   any // as TOML decodes it
}

// UnmarshalTOML implements toml.Unmarshaler.
func (v *Value) UnmarshalTOML(x any) error {
	*v = Value{Set: true, V: x}
	return nil
}
