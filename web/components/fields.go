package components

import (
	"fmt"
	"net/url"
	"reflect"
	"strings"
)

// Fields declares a form's fields in page order: the one list that reading
// the post, refilling the form, ordering the error summary and the
// template use. A struct of raw input names its fields with `form:"name"`
// tags, so Decode and Encode move values between it and a Form without
// naming them again.
type Fields []Field

// Get returns the declared field called name. An undeclared name panics:
// a typo in a template then fails the first test that renders the page.
func (fs Fields) Get(name string) Field {
	for _, f := range fs {
		if f.Name == name {
			return f
		}
	}
	panic(fmt.Sprintf("components: no field %q declared", name))
}

// Names lists the field names in page order.
func (fs Fields) Names() []string {
	names := make([]string, len(fs))
	for i, f := range fs {
		names[i] = f.Name
	}
	return names
}

// Read takes the posted value of every declared field into a new form; a
// Multi field keeps all its values, joined by "\n".
func (fs Fields) Read(posted url.Values) Form {
	f := NewForm()
	for _, fd := range fs {
		if fd.Multi {
			f.Values[fd.Name] = strings.Join(posted[fd.Name], "\n")
		} else {
			f.Values[fd.Name] = posted.Get(fd.Name)
		}
	}
	return f
}

// Decode fills the tagged string and []string fields of the struct dst
// points to from the form's values (a []string from a value joined by
// "\n").
func Decode(f Form, dst any) {
	v := reflect.ValueOf(dst).Elem()
	eachTagged(v, func(fv reflect.Value, name string) {
		switch fv.Kind() {
		case reflect.String:
			fv.SetString(f.Values[name])
		case reflect.Slice:
			if s := f.Values[name]; s != "" {
				fv.Set(reflect.ValueOf(strings.Split(s, "\n")))
			}
		}
	})
}

// Encode is Decode backwards: a form holding the tagged fields of the
// struct src.
func Encode(src any) Form {
	f := NewForm()
	eachTagged(reflect.ValueOf(src), func(fv reflect.Value, name string) {
		switch fv.Kind() {
		case reflect.String:
			f.Values[name] = fv.String()
		case reflect.Slice:
			f.Values[name] = strings.Join(fv.Interface().([]string), "\n")
		}
	})
	return f
}

// eachTagged calls fn with every field of the struct v that has a form tag.
func eachTagged(v reflect.Value, fn func(field reflect.Value, name string)) {
	t := v.Type()
	for i := range t.NumField() {
		if name := t.Field(i).Tag.Get("form"); name != "" {
			fn(v.Field(i), name)
		}
	}
}
