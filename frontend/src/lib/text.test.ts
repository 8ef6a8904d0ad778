import { describe, expect, it } from "vitest";
import { emojify, linkRuns, preformatted } from "./text";

describe("emojify", () => {
  it("turns known codes into emoji and leaves the rest", () => {
    expect(emojify("great :tada: :+1: :smile:")).toBe("great 🎉 👍 😄");
    expect(emojify("at 10:30:00 and :not_a_code:")).toBe("at 10:30:00 and :not_a_code:");
    expect(emojify("no colons")).toBe("no colons");
  });
});

describe("linkRuns", () => {
  it("finds web and mail addresses, without the sentence's punctuation", () => {
    expect(linkRuns("See https://example.org/a?b=1. Or www.example.com, or mail ann@example.org!")).toEqual([
      { text: "See " },
      { href: "https://example.org/a?b=1", label: "https://example.org/a?b=1" },
      { text: ". Or " },
      { href: "https://www.example.com", label: "www.example.com" },
      { text: ", or mail " },
      { href: "mailto:ann@example.org", label: "ann@example.org" },
      { text: "!" },
    ]);
    expect(linkRuns("(https://en.wikipedia.org/wiki/Foo_(bar))")).toEqual([
      { text: "(" },
      { href: "https://en.wikipedia.org/wiki/Foo_(bar))", label: "https://en.wikipedia.org/wiki/Foo_(bar))" },
    ]);
    expect(linkRuns("plain text")).toEqual([{ text: "plain text" }]);
  });
});

describe("preformatted", () => {
  it("spots tables, signatures and code", () => {
    expect(preformatted("+-----+-----+\n| a   | b   |\n+-----+-----+")).toBe(true);
    expect(preformatted("Name      Qty   Price\nApples    3     1.20\nPears     10    0.90")).toBe(true);
    expect(preformatted("-- \nAnn Lee\nHead of Herons")).toBe(true);
    expect(preformatted("┌──┐\n│ok│\n└──┘")).toBe(true);
    expect(preformatted("    func main() {\n    \tfmt.Println(1)\n    }")).toBe(true);
    expect(preformatted("An ordinary paragraph of prose,\nwrapped over two lines.")).toBe(false);
    expect(preformatted("One line")).toBe(false);
  });
});
