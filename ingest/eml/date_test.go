package eml

import (
	"testing"
	"time"
)

func TestParseDate(t *testing.T) {
	tests := []struct {
		in   string
		want string // RFC 3339, "" for no date
	}{
		{"Thu, 7 Mar 2024 09:15:00 +0100", "2024-03-07T09:15:00+01:00"},
		{"Thu 7 Mar 2024 09:15:00 +0100", "2024-03-07T09:15:00+01:00"},
		{"Thu 07 Mar 2024 09:15:00 PM CST", "2024-03-07T21:15:00-06:00"},
		{"Sun, 3 Nov 2002 12:05:01 AM PST", "2002-11-03T00:05:01-08:00"},
		{"Sun, 3 Nov 2002 12:05 PM", "2002-11-03T12:05:00Z"},
		{"3 Nov 02 07:30:00 GMT", "2002-11-03T07:30:00Z"},
		{"Tue, 14 Dec 99 23:59:59 EST", "1999-12-14T23:59:59-05:00"},
		{"Friday, 16-Aug-1996 08:00:01 MET", "1996-08-16T08:00:01+01:00"},
		{"Nov 3 2002 07:30", "2002-11-03T07:30:00Z"},
		{"Mon Nov  4 18:20:00 2002", "2002-11-04T18:20:00Z"},
		{"Mon, 4 Nov 2002 18:20:00 -0800 (PST)", "2002-11-04T18:20:00-08:00"},
		{"4 November 2002 18.20.00 +0000", "2002-11-04T18:20:00Z"},
		{"2019-05-29T18:09:22Z", "2019-05-29T18:09:22Z"},
		{"2019-05-29 18:09:22 -0400", "2019-05-29T18:09:22-04:00"},
		{"Thu, 7 Mar 2024 09:15:60 +0100", "2024-03-07T09:15:59+01:00"},
		{"", ""},
		{"yesterday afternoon", ""},
		{"Thu, 31 Feb 2024 09:15:00 +0100", ""},
		{"Thu, 7 Mar 2024 29:15:00 +0100", ""},
		{"Mar 2024", ""},
		{"12345", ""},
	}
	for _, tt := range tests {
		got, ok := parseDate(tt.in)
		switch {
		case tt.want == "" && ok:
			t.Errorf("parseDate(%q) = %v, want no date", tt.in, got)
		case tt.want != "":
			want, _ := time.Parse(time.RFC3339, tt.want)
			if !ok || !got.Equal(want) {
				t.Errorf("parseDate(%q) = %v, %v, want %v", tt.in, got, ok, want)
			}
		}
	}
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"Thu 07 Mar 2024 09:15:00 PM CST", "16-Aug-96 8.00", "2019-05-29T18:09:22Z", "- - -"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if d, ok := parseDate(s); ok && (d.Year() < 1900 || d.Year() > 2200) {
			t.Fatalf("%q: year %d out of range", s, d.Year())
		}
	})
}
