package app

import (
	"context"
	"strings"
	"testing"

	"github.com/engram-app/engram/bench/corpus"
)

// enronMail is an Enron-style message from one person to another.
func enronMail(id, from, fromName, to, subject, body string) string {
	return "Message-ID: <" + id + ">\n" +
		"Date: Mon, 3 Dec 2001 09:00:00 -0800 (PST)\n" +
		"From: " + from + "\nTo: " + to + "\nSubject: " + subject + "\n" +
		"Mime-Version: 1.0\nContent-Type: text/plain; charset=us-ascii\n" +
		"X-From: " + fromName + "\nX-To: " + to + "\n\n" + body + "\n"
}

// TestContextForANaturalQuestion asks about a person and a topic in words
// no passage holds all of: the person's mail about the topic comes first,
// other passages about the topic follow.
func TestContextForANaturalQuestion(t *testing.T) {
	a := newTestApp(t, t.TempDir())
	ctx := context.Background()
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"lay-k/sent/1.": enronMail("1.lay@thyme", "kenneth.lay@enron.com", "Kenneth Lay", "all.employees@enron.com", "To all employees",
			"Today we filed a voluntary petition for Chapter 11 bankruptcy protection. I know this is a very difficult time for all of you."),
		"lay-k/sent/2.": enronMail("2.lay@thyme", "kenneth.lay@enron.com", "Kenneth Lay", "rosalee.fleming@enron.com", "Golf",
			"Please book the golf course for Saturday morning."),
		"skilling-j/inbox/3.": enronMail("3.skilling@thyme", "jeff.skilling@enron.com", "Jeff Skilling", "sherri.sera@enron.com", "Court",
			"The bankruptcy court hearing is set for Monday in New York."),
		"skilling-j/inbox/4.": enronMail("4.skilling@thyme", "jeff.skilling@enron.com", "Jeff Skilling", "sherri.sera@enron.com", "Numbers",
			"The west desk power trading numbers look strong this quarter."),
	})
	if _, err := a.Import(ctx, "", []string{dir}, nil); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"what did Ken Lay say about the bankruptcy", "What did Kenneth Lay tell employees about bankruptcy?"} {
		p, err := a.Context(ctx, "", "maya", q, 1500)
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Passages) < 2 {
			t.Fatalf("%q: passages %+v, want Lay's and the court's", q, p.Passages)
		}
		if !strings.Contains(p.Passages[0].Text, "Chapter 11") {
			t.Errorf("%q: first passage %q, want Lay's mail about the bankruptcy", q, p.Passages[0].Text)
		}
		var all []string
		for _, ps := range p.Passages {
			all = append(all, ps.Text)
		}
		joined := strings.Join(all, " | ")
		if !strings.Contains(joined, "court hearing") {
			t.Errorf("%q: passages %q lack the other mail about the bankruptcy", q, joined)
		}
		if strings.Contains(joined, "west desk") {
			t.Errorf("%q: passages %q hold mail about neither", q, joined)
		}
	}
}

// BenchmarkContextPassages measures the document part of a context pack
// for natural questions over 2,000 generated emails, one client.
func BenchmarkContextPassages(b *testing.B) {
	a := newTestApp(b, b.TempDir())
	ctx := context.Background()
	dir := b.TempDir()
	g := corpus.New(corpus.Options{Messages: 2000, Seed: 7})
	if _, err := g.Generate(dir); err != nil {
		b.Fatal(err)
	}
	if _, err := a.Import(ctx, "", []string{dir}, nil); err != nil {
		b.Fatal(err)
	}
	vocab := g.Vocabulary()
	people := g.People()
	var qs []string
	for i := range 50 {
		qs = append(qs, "what did "+people[i%len(people)].First+" "+people[i%len(people)].Last+" say about the "+vocab.Words[100+i*7%400]+" and "+vocab.Words[100+i*13%900])
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := a.contextPassages(ctx, "", qs[i%len(qs)]); err != nil {
			b.Fatal(err)
		}
	}
}
