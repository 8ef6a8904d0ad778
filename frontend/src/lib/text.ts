// Plain text as the reader shows it: emoji codes as emoji, web and mail
// addresses as links, and fixed-width where the text is laid out in columns.
// Everything stays text: nothing is parsed as HTML.

/** EMOJI maps the :codes: of Slack, GitHub and Markdown editors to emoji (the common ones). */
const EMOJI: Record<string, string> = {
  smile: "😄", smiley: "😃", grinning: "😀", grin: "😁", laughing: "😆", satisfied: "😆", joy: "😂", rofl: "🤣",
  sweat_smile: "😅", wink: "😉", blush: "😊", slightly_smiling_face: "🙂", upside_down_face: "🙃", innocent: "😇",
  heart_eyes: "😍", kissing_heart: "😘", yum: "😋", stuck_out_tongue: "😛", sunglasses: "😎", thinking_face: "🤔",
  thinking: "🤔", neutral_face: "😐", expressionless: "😑", unamused: "😒", roll_eyes: "🙄", grimacing: "😬",
  relieved: "😌", pensive: "😔", sleepy: "😪", sleeping: "😴", confused: "😕", worried: "😟", disappointed: "😞",
  frowning: "😦", cry: "😢", sob: "😭", scream: "😱", angry: "😠", rage: "😡", triumph: "😤", flushed: "😳",
  hugs: "🤗", hugging_face: "🤗", shushing_face: "🤫", face_palm: "🤦", facepalm: "🤦", shrug: "🤷",
  see_no_evil: "🙈", hear_no_evil: "🙉", speak_no_evil: "🙊", wave: "👋", raised_hand: "✋", ok_hand: "👌",
  "+1": "👍", thumbsup: "👍", "-1": "👎", thumbsdown: "👎", clap: "👏", raised_hands: "🙌", pray: "🙏",
  muscle: "💪", point_right: "👉", point_left: "👈", point_up: "☝️", point_down: "👇", eyes: "👀", brain: "🧠",
  heart: "❤️", broken_heart: "💔", sparkling_heart: "💖", blue_heart: "💙", green_heart: "💚", fire: "🔥",
  sparkles: "✨", star: "⭐", star2: "🌟", tada: "🎉", confetti_ball: "🎊", balloon: "🎈", gift: "🎁", trophy: "🏆",
  rocket: "🚀", zap: "⚡", boom: "💥", "100": "💯", white_check_mark: "✅", heavy_check_mark: "✔️",
  ballot_box_with_check: "☑️", x: "❌", heavy_multiplication_x: "✖️", warning: "⚠️", no_entry: "⛔",
  question: "❓", exclamation: "❗", bulb: "💡", memo: "📝", pencil: "📝", pencil2: "✏️", calendar: "📆",
  date: "📅", clock: "🕐", hourglass: "⌛", email: "📧", envelope: "✉️", phone: "☎️", telephone_receiver: "📞",
  computer: "💻", link: "🔗", lock: "🔒", key: "🔑", mag: "🔍", bell: "🔔", pushpin: "📌", paperclip: "📎",
  chart_with_upwards_trend: "📈", chart_with_downwards_trend: "📉", bar_chart: "📊", moneybag: "💰",
  coffee: "☕", tea: "🍵", beer: "🍺", beers: "🍻", wine_glass: "🍷", pizza: "🍕", cake: "🍰", birthday: "🎂",
  sunny: "☀️", cloud: "☁️", umbrella: "☔", snowflake: "❄️", rainbow: "🌈", earth_africa: "🌍", house: "🏠",
  car: "🚗", airplane: "✈️", ship: "🚢", dog: "🐶", cat: "🐱", bug: "🐛", seedling: "🌱", herb: "🌿",
  tulip: "🌷", rose: "🌹", tomato: "🍅", apple: "🍎", wave_hand: "👋", construction: "🚧", sos: "🆘",
  new: "🆕", ok: "🆗", cool: "🆒", arrow_right: "➡️", arrow_left: "⬅️", arrow_up: "⬆️", arrow_down: "⬇️",
  recycle: "♻️", white_circle: "⚪", red_circle: "🔴", large_blue_circle: "🔵", heavy_plus_sign: "➕",
  heavy_minus_sign: "➖", skull: "💀", ghost: "👻", robot: "🤖", alien: "👽", poop: "💩", hankey: "💩",
  slightly_frowning_face: "🙁", partying_face: "🥳", star_struck: "🤩", nerd_face: "🤓", money_mouth_face: "🤑",
  zipper_mouth_face: "🤐", sweat: "😓", weary: "😩", tired_face: "😫", yawning_face: "🥱", mask: "😷",
};

/** emojiOf returns the emoji of a :code: (without the colons), or undefined. */
export function emojiOf(code: string): string | undefined {
  return Object.prototype.hasOwnProperty.call(EMOJI, code) ? EMOJI[code] : undefined;
}

/** emojify replaces the :codes: it knows with their emoji; unknown codes (and times like 10:30:00) stay. */
export function emojify(s: string): string {
  if (!s.includes(":")) return s;
  return s.replace(/:([a-z0-9_+-]{1,40}):/g, (m, code: string) => emojiOf(code) ?? m);
}

/** A run of text: plain, or a link to a web or mail address. */
export type TextRun = { text: string } | { href: string; label: string };

// http(s) URLs, www. addresses and mail addresses; a trailing full stop,
// comma or closing bracket is the sentence's, not the address's.
const LINK = /\b(?:https?:\/\/|www\.)[^\s<>"'`]+|\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b/gi;

/** linkRuns splits text into plain runs and links (http, https, www. and mail addresses). */
export function linkRuns(s: string): TextRun[] {
  const out: TextRun[] = [];
  let last = 0;
  for (const m of s.matchAll(LINK)) {
    let url = m[0];
    const trail = /[.,;:!?)\]}'"]+$/.exec(url);
    if (trail && !(trail[0].startsWith(")") && url.includes("("))) url = url.slice(0, url.length - trail[0].length);
    if (url === "") continue;
    const at = m.index;
    if (at > last) out.push({ text: s.slice(last, at) });
    const href = url.includes("@") && !/^https?:|^www\./i.test(url) ? `mailto:${url}` : /^www\./i.test(url) ? `https://${url}` : url;
    out.push({ href, label: url });
    last = at + url.length;
  }
  if (last < s.length) out.push({ text: s.slice(last) });
  return out;
}

/**
 * preformatted reports whether a paragraph is laid out in columns or as a
 * picture and needs a fixed-width font: an ASCII or box-drawn table, a
 * signature after "-- ", code indented or fenced, or lines aligned with
 * runs of spaces.
 */
export function preformatted(p: string): boolean {
  const lines = p.split("\n");
  if (/^-- ?$/.test(lines[0]!) || /^```/.test(lines[0]!)) return true;
  if (/[─│┌┐└┘├┤┬┴┼═║╔╗╚╝]/.test(p)) return true;
  if (lines.length < 2) return false;
  let columnar = 0;
  for (const l of lines) {
    if (/^\s*[+|].*[+|]\s*$/.test(l) || /^\s*[-=+|: ]{4,}$/.test(l) || /\S {3,}\S/.test(l) || /^( {4}|\t)\S/.test(l)) columnar++;
  }
  return columnar * 2 >= lines.length;
}
