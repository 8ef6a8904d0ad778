package eml

import (
	"context"
	"net/mail"
	"reflect"
	"strings"
	"testing"

	"github.com/engram-app/engram/document"
	"github.com/engram-app/engram/ingest"
)

func TestEnronNames(t *testing.T) {
	tests := []struct {
		field string
		want  []string
	}{
		{"Jeff Skilling", []string{"Jeff Skilling"}},
		{"Barrow, Cynthia </O=ENRON/OU=NA/CN=RECIPIENTS/CN=CBARROW>", []string{"Barrow, Cynthia"}},
		{"Horton, Stanley </O=ENRON/CN=Shorton>, Walls Jr., Rob </O=ENRON/CN=Rwalls>, Williams, Robert C. </O=ENRON/CN=Rwillia2>",
			[]string{"Horton, Stanley", "Walls Jr., Rob", "Williams, Robert C."}},
		{"babbio@verizon.com, Lay, Kenneth </O=ENRON/CN=KLAY>, 'mlk@pkns.com'", []string{"", "Lay, Kenneth", ""}},
		{"Jeff Dasovich, Richard Shapiro", []string{"Jeff Dasovich", "Richard Shapiro"}},
		{"Jeff Dasovich, Richard Shapiro <rs@enron.com>", []string{"Jeff Dasovich", "Richard Shapiro"}},
		{"Lay, Kenneth", []string{"Lay, Kenneth"}},
		{`"Greg Thorse" <gthorse@about-cis.com>@ENRON`, []string{"Greg Thorse"}},
		{"'Mike Day (E-mail)' <mday@gmssr.com>", []string{"Mike Day (E-mail)"}},
		{"enron_update@concureworkplace.com@ENRON", []string{""}},
		{"Studebaker, James  </O=ENRON/CN=JSTUDEB>", []string{"Studebaker, James"}},
	}
	for _, tt := range tests {
		if got := enronNames(tt.field); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("enronNames(%q) = %q, want %q", tt.field, got, tt.want)
		}
	}
}

func TestEnronAddresses(t *testing.T) {
	tests := []struct {
		name   string
		header string
		from   string
		to     []string
	}{
		{
			name:   "plain name",
			header: "From: jeff.skilling@enron.com\nX-From: Jeff Skilling\n",
			from:   "Jeff Skilling <jeff.skilling@enron.com>",
		},
		{
			name:   "last, first is turned round",
			header: "From: jeff.skilling@enron.com\nX-From: Skilling, Jeff </O=ENRON/OU=NA/CN=RECIPIENTS/CN=JSKILLIN>\n",
			from:   "Jeff Skilling <jeff.skilling@enron.com>",
		},
		{
			name:   "a name already given wins",
			header: "From: Jeffrey K Skilling <jeff.skilling@enron.com>\nX-From: Skilling, Jeff\n",
			from:   "Jeffrey K Skilling <jeff.skilling@enron.com>",
		},
		{
			name:   "Lotus Notes address is not a name",
			header: "From: no.address@enron.com\nX-From: Enron General Announcements@ENRON\n",
			from:   "no.address@enron.com",
		},
		{
			name:   "recipients paired in order",
			header: "From: a@enron.com\nTo: kenneth.lay@enron.com, \n\tgreg.whalley@enron.com\nX-To: Lay, Kenneth </O=ENRON/CN=KLAY>, Whalley, Greg </O=ENRON/CN=GWHALLE>\n",
			from:   "a@enron.com",
			to:     []string{"Kenneth Lay <kenneth.lay@enron.com>", "Greg Whalley <greg.whalley@enron.com>"},
		},
		{
			name:   "counts differ: addresses kept",
			header: "From: a@enron.com\nTo: kenneth.lay@enron.com, greg.whalley@enron.com, x@enron.com\nX-To: Lay, Kenneth </O=ENRON/CN=KLAY>, Whalley, Greg </O=ENRON/CN=GWHALLE>\n",
			from:   "a@enron.com",
			to:     []string{"kenneth.lay@enron.com", "greg.whalley@enron.com", "x@enron.com"},
		},
		{
			name:   "bare entries of X-To leave their address bare",
			header: "From: a@enron.com\nTo: babbio@verizon.com, kenneth.lay@enron.com\nX-To: babbio@verizon.com, Lay, Kenneth </O=ENRON/CN=KLAY>\n",
			from:   "a@enron.com",
			to:     []string{"babbio@verizon.com", "Kenneth Lay <kenneth.lay@enron.com>"},
		},
		{
			name:   "cc from X-cc",
			header: "From: a@enron.com\nCc: sherri.sera@enron.com\nX-cc: Sera, Sherri </O=ENRON/CN=SSERA>\n",
			from:   "a@enron.com",
			to:     []string{"Sherri Sera <sherri.sera@enron.com>"},
		},
		{
			name:   "unparsable address is not named",
			header: "From: houston <.ward@enron.com>\nX-From: Ward, Kim S (Houston) </O=ENRON/CN=KWARD>\n",
			from:   "houston <.ward@enron.com>",
		},
		{
			name:   "pipermail obfuscated address",
			header: "From: jjl at pobox.com (John J. Lee)\n",
			from:   "John J. Lee <jjl@pobox.com>",
		},
		{
			name:   "address masked by the archive",
			header: "from: John M Meredith <[log in to unmask]>\n",
			from:   "John M Meredith",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			docs, err := New().Parse(context.Background(), ingest.File{Path: "/m/1.", Data: []byte(tt.header + "Subject: s\n\nbody\n")}, ingest.DefaultLimits())
			if err != nil {
				t.Fatal(err)
			}
			d := docs[0]
			if d.From != tt.from {
				t.Errorf("From = %q, want %q", d.From, tt.from)
			}
			if !reflect.DeepEqual(d.To, tt.to) {
				t.Errorf("To = %q, want %q", d.To, tt.to)
			}
			// What Engram writes must read back as the same mailbox.
			for _, s := range append([]string{d.From}, d.To...) {
				if !strings.ContainsAny(s, "<@") {
					continue
				}
				if _, err := mail.ParseAddress(s); err != nil && tt.name != "unparsable address is not named" {
					t.Errorf("%q does not parse back: %v", s, err)
				}
			}
		})
	}
}

func TestHeaderPeople(t *testing.T) {
	tests := []struct {
		name     string
		header   string
		from     []document.Person
		to, cc   []document.Person
		fromText string
	}{
		{
			name:     "consecutive dots with an inverted X-From name",
			header:   "From: q..harmon@corp.example\nTo: r..ames@corp.example, plain@corp.example\nX-From: Harmon, Quentin R. </O=CORP/OU=NA/CN=RECIPIENTS/CN=QHARMON>\nX-To: Ames, Rita </O=CORP/CN=RAMES>, Plain Person\n",
			from:     []document.Person{{Name: "Quentin R. Harmon", Address: "q..harmon@corp.example"}},
			to:       []document.Person{{Name: "Rita Ames", Address: "r..ames@corp.example"}, {Name: "Plain Person", Address: "plain@corp.example"}},
			fromText: "Quentin R. Harmon <q..harmon@corp.example>",
		},
		{
			name:   "no angle brackets, upper-case address",
			header: "from: Ingrid Olsen Ingrid.Olsen@LISTS.EXAMPLE.ORG\ncc: Per Berg per.berg@Lists.Example.org\n",
			from:   []document.Person{{Name: "Ingrid Olsen", Address: "ingrid.olsen@lists.example.org"}},
			cc:     []document.Person{{Name: "Per Berg", Address: "per.berg@lists.example.org"}},
		},
		{
			name:   "encoded word name",
			header: "From: =?UTF-8?B?SsO2cmcgTcO8bGxlcg==?= <Joerg@Example.de>\n",
			from:   []document.Person{{Name: "Jörg Müller", Address: "joerg@example.de"}},
		},
		{
			name:   "encoded word name in a header net/mail refuses",
			header: "From: =?ISO-8859-1?Q?Ren=E9_Dupont?= <r..dupont@example.fr>\n",
			from:   []document.Person{{Name: "René Dupont", Address: "r..dupont@example.fr"}},
		},
		{
			name:   "quoted inverted name",
			header: "From: \"Nakamura, Aiko\" <AIKO@example.jp>\nTo: undisclosed-recipients:;\n",
			from:   []document.Person{{Name: "Aiko Nakamura", Address: "aiko@example.jp"}},
		},
		{
			name:   "unquoted inverted name with brackets",
			header: "From: Okafor, Chidi <c..okafor@example.ng>\n",
			from:   []document.Person{{Name: "Chidi Okafor", Address: "c..okafor@example.ng"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			docs, err := New().Parse(context.Background(), ingest.File{Path: "/m/1.", Data: []byte(tt.header + "Subject: s\n\nbody\n")}, ingest.DefaultLimits())
			if err != nil {
				t.Fatal(err)
			}
			d := docs[0]
			if !reflect.DeepEqual(d.FromPeople, tt.from) || !reflect.DeepEqual(d.ToPeople, tt.to) || !reflect.DeepEqual(d.CcPeople, tt.cc) {
				t.Errorf("people = %+v / %+v / %+v, want %+v / %+v / %+v", d.FromPeople, d.ToPeople, d.CcPeople, tt.from, tt.to, tt.cc)
			}
			if tt.fromText != "" && d.From != tt.fromText {
				t.Errorf("From = %q, want %q", d.From, tt.fromText)
			}
			if got := document.ParsePeople(d.From); !reflect.DeepEqual(got, tt.from) {
				t.Errorf("From %q reads back as %+v", d.From, got)
			}
		})
	}
}
