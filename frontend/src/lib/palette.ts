/** PREFIX_LEN is how many letters of each typed word the palette's search keeps: a typo after them still finds the name. */
export const PREFIX_LEN = 3;

/**
 * titleQuery turns what was typed into the palette into a search that finds
 * documents by the words they start with: each word's first PREFIX_LEN
 * letters a prefix (shorter words as typed), operators and punctuation
 * dropped, so "kayk tr" finds "Kayak trip" (the palette then ranks the
 * titles by how they match) and nothing typed is read as a filter. "" when
 * no word is left.
 */
export function titleQuery(typed: string): string {
  const words = typed
    .normalize("NFC")
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w !== "")
    .slice(0, 8);
  return words.map((w) => (w.length >= 2 ? `${[...w].slice(0, PREFIX_LEN).join("")}*` : w)).join(" ");
}
