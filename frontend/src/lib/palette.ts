/**
 * titleQuery turns what was typed into the palette into a search that finds
 * documents by the words they start with: each word a prefix (two letters
 * or more), operators and punctuation dropped, so "kay tr" finds "Kayak
 * trip" and nothing typed is read as a filter. "" when no word is left.
 */
export function titleQuery(typed: string): string {
  const words = typed
    .normalize("NFC")
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w !== "")
    .slice(0, 8);
  return words.map((w) => (w.length >= 2 ? `${w}*` : w)).join(" ");
}
