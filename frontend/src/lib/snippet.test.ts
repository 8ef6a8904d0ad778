import { describe, expect, it } from "vitest";
import { decodeEntities, parseSnippet } from "./snippet";

describe("parseSnippet", () => {
  const cases: { name: string; html: string; want: { text: string; mark: boolean }[] }[] = [
    { name: "plain text", html: "hello world", want: [{ text: "hello world", mark: false }] },
    { name: "empty", html: "", want: [] },
    {
      name: "marks split the text",
      html: "the <mark>quick</mark> fox <mark>jumps</mark>",
      want: [
        { text: "the ", mark: false },
        { text: "quick", mark: true },
        { text: " fox ", mark: false },
        { text: "jumps", mark: true },
      ],
    },
    {
      name: "escaped markup is decoded into visible text",
      html: "a &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; <mark>b</mark>",
      want: [
        { text: 'a <script>alert("x")</script> & ', mark: false },
        { text: "b", mark: true },
      ],
    },
    {
      name: "unescaped tags other than mark stay text",
      html: '<img src=x onerror="alert(1)"><mark>hit</mark><b>bold</b>',
      want: [
        { text: '<img src=x onerror="alert(1)">', mark: false },
        { text: "hit", mark: true },
        { text: "<b>bold</b>", mark: false },
      ],
    },
    {
      name: "escaped mark tags are not marks",
      html: "&lt;mark&gt;no&lt;/mark&gt;",
      want: [{ text: "<mark>no</mark>", mark: false }],
    },
    {
      name: "mark with attributes is not a mark",
      html: '<mark class="x">a</mark>',
      want: [{ text: '<mark class="x">a', mark: false }],
    },
    {
      name: "unclosed mark runs to the end, stray close is dropped",
      html: "a</mark>b<mark>c",
      want: [
        { text: "ab", mark: false },
        { text: "c", mark: true },
      ],
    },
    {
      name: "adjacent marks merge",
      html: "<mark>new</mark><mark>york</mark>",
      want: [{ text: "newyork", mark: true }],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      expect(parseSnippet(c.html)).toEqual(c.want);
    });
  }
});

describe("decodeEntities", () => {
  it("decodes numeric and named entities", () => {
    expect(decodeEntities("&#39;&#x41;&apos;&nbsp;&eacute;")).toBe("'A'\u00a0&eacute;");
  });
  it("replaces invalid code points", () => {
    expect(decodeEntities("&#0;&#xD800;&#1114112;")).toBe("\ufffd\ufffd\ufffd");
  });
});
