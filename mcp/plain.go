package mcp

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"
)

// plain returns v as the generic JSON value an assistant receives, with
// every NUL byte removed from its strings: a NUL that came in with a mail
// or a file ends many clients' string handling. Keys are kept as they are.
func plain(v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("encoding the result: %w", err)
	}
	if !bytes.Contains(b, []byte(`\u0000`)) {
		return json.RawMessage(b), nil
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var g any
	if err := dec.Decode(&g); err != nil {
		return nil, fmt.Errorf("decoding the result: %w", err)
	}
	return stripNUL(g), nil
}

func stripNUL(v any) any {
	switch x := v.(type) {
	case string:
		return strings.ReplaceAll(x, "\x00", "")
	case []any:
		for i := range x {
			x[i] = stripNUL(x[i])
		}
	case map[string]any:
		for k, e := range x {
			x[k] = stripNUL(e)
		}
	}
	return v
}

// stripArgs removes NUL bytes from the string fields (and string slices) of
// the tool input *in points to, before any of them reaches the store.
func stripArgs(in any) {
	v := reflect.ValueOf(in).Elem()
	if v.Kind() != reflect.Struct {
		return
	}
	for i := range v.NumField() {
		f := v.Field(i)
		switch {
		case f.Kind() == reflect.String:
			f.SetString(strings.ReplaceAll(f.String(), "\x00", ""))
		case f.Kind() == reflect.Slice && f.Type().Elem().Kind() == reflect.String:
			for j := range f.Len() {
				f.Index(j).SetString(strings.ReplaceAll(f.Index(j).String(), "\x00", ""))
			}
		}
	}
}

// noNUL is middleware that removes NUL bytes from the text of every tool
// result, including the SDK's own argument-validation errors, which quote
// the argument they refused.
func noNUL(next sdk.MethodHandler) sdk.MethodHandler {
	return func(ctx context.Context, method string, req sdk.Request) (sdk.Result, error) {
		res, err := next(ctx, method, req)
		if r, ok := res.(*sdk.CallToolResult); ok && r != nil {
			for _, c := range r.Content {
				if tc, ok := c.(*sdk.TextContent); ok {
					tc.Text = strings.ReplaceAll(tc.Text, "\x00", "")
				}
			}
		}
		return res, err
	}
}
