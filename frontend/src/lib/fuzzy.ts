/**
 * fuzzyScore scores how well text matches what was typed, as a quick
 * switcher does: every typed character must appear in order (case and
 * accents ignored); matches at the start of words and runs of adjacent
 * characters score higher. null when it does not match; an empty query
 * matches everything with 0.
 */
export function fuzzyScore(query: string, text: string): number | null {
  const q = fold(query).replace(/\s+/g, "");
  if (q === "") return 0;
  const t = fold(text);
  let score = 0;
  let ti = 0;
  let run = 0;
  for (const c of q) {
    const at = t.indexOf(c, ti);
    if (at < 0) return null;
    const wordStart = at === 0 || /[\s\-_./@(]/.test(t[at - 1]!);
    run = at === ti ? run + 1 : 0;
    score += 1 + (wordStart ? 3 : 0) + run * 2 - Math.min(at - ti, 5) * 0.2;
    ti = at + 1;
  }
  // Shorter texts for the same match rank first; a prefix ranks first of all.
  if (t.startsWith(q)) score += 5;
  return score - t.length * 0.01;
}

function fold(s: string): string {
  return s.normalize("NFD").replace(/\p{Mn}/gu, "").toLowerCase();
}
