package document

import (
	"reflect"
	"testing"
)

func TestParsePeople(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []Person
	}{
		{"bare address is lower-cased", "Ada.Byron@Example.ORG", []Person{{Address: "ada.byron@example.org"}}},
		{"name and angle address", "Ada Byron <ada@example.org>", []Person{{"Ada Byron", "ada@example.org"}}},
		{"quoted inverted name", `"Byron, Ada K." <ada@example.org>`, []Person{{"Ada K. Byron", "ada@example.org"}}},
		{"unquoted inverted name stays one mailbox", "Byron, Ada K. <a..byron@example.org>", []Person{{"Ada K. Byron", "a..byron@example.org"}}},
		{"consecutive dots kept", "q..smith@corp.example", []Person{{Address: "q..smith@corp.example"}}},
		{"no angle brackets", "Grace Hopper grace.hopper@NAVY.EXAMPLE", []Person{{"Grace Hopper", "grace.hopper@navy.example"}}},
		{"address then name comment", "alan@example.org (Alan Turing)", []Person{{"Alan Turing", "alan@example.org"}}},
		{"archive obfuscation", "alan at example.org (Alan Turing)", []Person{{"Alan Turing", "alan@example.org"}}},
		{"masked address keeps the name", "Alan Turing <[address hidden]>", []Person{{Name: "Alan Turing"}}},
		{"name repeating the address is dropped", `"alan@example.org" <Alan@Example.org>`, []Person{{Address: "alan@example.org"}}},
		{"two mailboxes", "Ada <ada@x.example>, Alan <alan@x.example>", []Person{{"Ada", "ada@x.example"}, {"Alan", "alan@x.example"}}},
		{"semicolons separate too", "ada@x.example; alan@x.example", []Person{{Address: "ada@x.example"}, {Address: "alan@x.example"}}},
		{"group name dropped", "team: ada@x.example, alan@x.example;", []Person{{Address: "ada@x.example"}, {Address: "alan@x.example"}}},
		{"empty group", "undisclosed-recipients:;", nil},
		{"comma inside quotes", `"Lovelace, Ada" <ada@x.example>, b@x.example`, []Person{{"Ada Lovelace", "ada@x.example"}, {Address: "b@x.example"}}},
		{"suffix is not a first name", `"Walls, Jr." <w@x.example>`, []Person{{"Walls, Jr.", "w@x.example"}}},
		{"name with junior suffix turned round", `"Walls Jr., Rob" <w@x.example>`, []Person{{"Rob Walls Jr.", "w@x.example"}}},
		{"mailto prefix", "<mailto:Ada@X.example>", []Person{{Address: "ada@x.example"}}},
		{"name only", "Ada Lovelace", []Person{{Name: "Ada Lovelace"}}},
		{"String form reads back", Person{"Ada K. Byron", "a..byron@example.org"}.String(), []Person{{"Ada K. Byron", "a..byron@example.org"}}},
		{"String form of a quoted name reads back", Person{"Ada (Work)", "ada@x.example"}.String(), []Person{{"Ada (Work)", "ada@x.example"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ParsePeople(tt.in); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("ParsePeople(%q) = %+v, want %+v", tt.in, got, tt.want)
			}
		})
	}
}

func TestReadableName(t *testing.T) {
	tests := map[string]string{
		"Steffes, James D.":     "James D. Steffes",
		`"Day, Lynn"`:           "Lynn Day",
		"'Mike Day'":            "Mike Day",
		"  Jeff   Skilling ":    "Jeff Skilling",
		"Smith, Jones, and Co.": "Smith, Jones, and Co.",
		"Smith, Jr.":            "Smith, Jr.",
		"Kim, (Houston)":        "Kim, (Houston)",
		"Ward,":                 "Ward",
	}
	for in, want := range tests {
		if got := ReadableName(in); got != want {
			t.Errorf("ReadableName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestDocumentPeopleReadsOldStrings(t *testing.T) {
	d := Document{From: `"Byron, Ada" <a..byron@x.example>`, To: []string{"alan@x.example", "Ada Byron <A..Byron@x.example>"}}
	want := []Person{{"Ada Byron", "a..byron@x.example"}, {Address: "alan@x.example"}}
	if got := d.People(); !reflect.DeepEqual(got, want) {
		t.Errorf("People() = %+v, want %+v", got, want)
	}
	var s Document
	s.SetPeople([]Person{{"Ada Byron", "ada@x.example"}}, []Person{{Address: "alan@x.example"}}, []Person{{Name: "Grace"}})
	if s.From != "Ada Byron <ada@x.example>" || !reflect.DeepEqual(s.To, []string{"alan@x.example", "Grace"}) {
		t.Errorf("SetPeople strings: %q %q", s.From, s.To)
	}
	if !reflect.DeepEqual(s.Recipients(), []Person{{Address: "alan@x.example"}, {Name: "Grace"}}) {
		t.Errorf("Recipients() = %+v", s.Recipients())
	}
}

func FuzzParsePeople(f *testing.F) {
	for _, s := range []string{"a@b.c", `"x, y" <a..b@c.d>`, "n a@b.c", "g: a@b;", "a at b.c (N)", "<", `"\`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, p := range ParsePeople(s) {
			if p.IsZero() {
				t.Fatalf("zero person from %q", s)
			}
			if p.Address != "" && NormalizeAddress(p.Address) != p.Address {
				t.Fatalf("address %q not normalised", p.Address)
			}
			// The string form of an address reads back as that address.
			if back := ParsePeople(p.String()); p.Address != "" && (len(back) != 1 || back[0].Address != p.Address) {
				t.Fatalf("%+v -> %q -> %+v", p, p.String(), back)
			}
		}
	})
}
