import { signal } from "@preact/signals";
import type { Api, Entity, Neighbors, SearchHit } from "../api";
import { toApiError } from "../api";

export interface GraphNode {
  id: string;
  name: string;
  kind: string;
  aliases?: string[];
  /** via is the node it was first reached from (new nodes are placed next to it). */
  via?: string;
}

/** DETAIL_DOCS bounds the documents listed behind a selected node. */
export const DETAIL_DOCS = 8;

/**
 * isAttachmentNode reports whether a node stands for an embedded file (an
 * image, a PDF) that a note links to but that is not a note: a placeholder
 * document whose name has a file extension other than .md. Such nodes are
 * not drawn.
 */
export function isAttachmentNode(n: { id: string; name: string }): boolean {
  if (!n.id.startsWith("document:note:")) return false;
  const m = /\.([A-Za-z][A-Za-z0-9]{0,4})$/.exec(n.name.trim());
  return m !== null && m[1]!.toLowerCase() !== "md";
}

/**
 * detailQuery is the search that lists the documents behind a node's
 * edges: the mail a person sent or received, the notes carrying a tag;
 * null for a document (it is its own) or a nameless node.
 */
export function detailQuery(n: GraphNode): string | null {
  const [kind, key = ""] = [n.id.slice(0, n.id.indexOf(":")), n.id.slice(n.id.indexOf(":") + 1)];
  const quote = (v: string) => (/[\s"]/.test(v) ? `"${v.replace(/"/g, "")}"` : v);
  if (kind === "document") return null;
  if (kind === "person" && key) return `person:${quote(key)}`;
  if (kind === "topic" && key) return `tag:${quote(key)}`;
  const name = n.name.replace(/["#]/g, "").trim();
  return name ? `"${name}"` : null;
}
export interface GraphEdge {
  id: string;
  source: string;
  target: string;
  label: string;
  /** count is how many documents or memories make the tie (messages sent, links). */
  count: number;
}

/** GraphStore is the graph view's entity neighbourhood, grown by expanding nodes. */
export class GraphStore {
  readonly query = signal("");
  readonly nodes = signal<GraphNode[]>([]);
  readonly edges = signal<GraphEdge[]>([]);
  readonly root = signal<Entity | null>(null);
  readonly error = signal<string | null>(null);
  readonly loading = signal(false);
  readonly expanded = new Set<string>();
  /** Names offered instead of one nothing is called. */
  readonly suggestions = signal<Entity[]>([]);
  /** The node clicked, whose details are shown; null for none. */
  readonly selected = signal<string | null>(null);
  /** The documents behind the selected node's edges; null while unknown. */
  readonly detailDocs = signal<SearchHit[] | null>(null);
  /** Nodes pinned where they are: a layout does not move them. */
  readonly pinned = signal<ReadonlySet<string>>(new Set());
  private detailSeq = 0;

  constructor(private readonly api: Api) {}

  /** open replaces the graph with name's neighbourhood. */
  async open(name: string): Promise<boolean> {
    this.query.value = name;
    this.nodes.value = [];
    this.edges.value = [];
    this.expanded.clear();
    this.selected.value = null;
    this.pinned.value = new Set();
    const n = await this.fetch(name);
    if (!n) return false;
    this.root.value = n.entity;
    this.merge(n);
    return true;
  }

  /** show replaces the graph with the given one (the bench's synthetic graphs). */
  show(nodes: GraphNode[], edges: GraphEdge[]): void {
    this.expanded.clear();
    this.root.value = null;
    this.error.value = null;
    this.nodes.value = [];
    this.edges.value = [];
    this.nodes.value = nodes;
    this.edges.value = edges;
  }

  /** select shows node id's details and lists the documents behind its edges. */
  async select(id: string | null): Promise<void> {
    this.selected.value = id;
    this.detailDocs.value = null;
    const my = ++this.detailSeq;
    const n = id ? this.nodes.value.find((x) => x.id === id) : undefined;
    if (!n) return;
    const q = detailQuery(n);
    if (!q) {
      this.detailDocs.value = [];
      return;
    }
    try {
      const r = await this.api.search(q, DETAIL_DOCS, 0);
      if (my === this.detailSeq) this.detailDocs.value = r.hits;
    } catch {
      if (my === this.detailSeq) this.detailDocs.value = [];
    }
  }

  /** togglePin pins node id where it is, or lets layouts move it again. */
  togglePin(id: string): void {
    const p = new Set(this.pinned.value);
    if (!p.delete(id)) p.add(id);
    this.pinned.value = p;
  }

  /** expand adds the neighbours of a node already drawn. */
  async expand(name: string, id: string): Promise<void> {
    if (this.expanded.has(id)) return;
    const n = await this.fetch(name);
    if (n) this.merge(n);
  }

  private async fetch(name: string): Promise<Neighbors | null> {
    this.loading.value = true;
    this.error.value = null;
    this.suggestions.value = [];
    try {
      return await this.api.neighbors(name, 1);
    } catch (e) {
      const err = toApiError("graph", e);
      this.error.value = err.message;
      this.suggestions.value = err.suggestions;
      return null;
    } finally {
      this.loading.value = false;
    }
  }

  /** merge adds n's entity, neighbours and edges, without duplicates. */
  merge(n: Neighbors): void {
    this.expanded.add(n.entity.id);
    const nodes = new Map(this.nodes.value.map((x) => [x.id, x]));
    const edges = new Map(this.edges.value.map((x) => [x.id, x]));
    const had = nodes.get(n.entity.id);
    nodes.set(n.entity.id, { ...had, id: n.entity.id, name: n.entity.name, kind: n.entity.kind, aliases: n.entity.aliases ?? had?.aliases });
    for (const nb of n.neighbors) {
      if (isAttachmentNode(nb)) continue;
      if (!nodes.has(nb.id)) nodes.set(nb.id, { id: nb.id, name: nb.name, kind: nb.kind, aliases: nb.aliases, via: n.entity.id });
      const [s, t] = nb.direction === "in" ? [nb.id, n.entity.id] : [n.entity.id, nb.id];
      const id = `${s}|${nb.predicate}|${t}`;
      if (!edges.has(id)) edges.set(id, { id, source: s, target: t, label: nb.predicate, count: nb.count });
    }
    this.nodes.value = [...nodes.values()];
    this.edges.value = [...edges.values()];
  }
}
