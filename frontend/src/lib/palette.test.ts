import { describe, expect, it } from "vitest";
import { titleQuery } from "./palette";

describe("titleQuery", () => {
  it("makes prefixes of words and drops what the query language would read", () => {
    expect(titleQuery("kayk tr")).toBe("kay* tr*");
    expect(titleQuery('from:ann "x" -y')).toBe("fro* ann* x y");
    expect(titleQuery("Études 2024")).toBe("Étu* 202*");
    expect(titleQuery("  ::  ")).toBe("");
    expect(titleQuery("a b c d e f g h i j").split(" ")).toHaveLength(8);
  });
});
