const LABELS: Record<string, string> = {
  maildir: "Mail",
  mbox: "Mail",
  eml: "Mail",
  email: "Mail",
  gmail: "Gmail",
  markdown: "Note",
  text: "Text",
  slack: "Slack",
  pdf: "PDF",
  docx: "Word",
  html: "Web",
  box: "Box",
  person: "Person",
  topic: "Tag",
  place: "Place",
  organisation: "Org",
  emotion: "Feeling",
  event: "Event",
};

/** SourceBadge names the kind of source a document came from. */
export function SourceBadge({ source }: { source: string }) {
  const kind = source.toLowerCase();
  const label = LABELS[kind] ?? (source || "Unknown");
  return (
    <span class={`badge badge-${LABELS[kind] ? kind : "other"}`} title={source}>
      {label}
    </span>
  );
}
