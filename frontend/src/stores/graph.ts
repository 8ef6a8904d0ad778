import { signal } from "@preact/signals";
import type { Api, Entity, Neighbors } from "../api";
import { toApiError } from "../api";

export interface GraphNode {
  id: string;
  name: string;
  kind: string;
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

  constructor(private readonly api: Api) {}

  /** open replaces the graph with name's neighbourhood. */
  async open(name: string): Promise<boolean> {
    this.query.value = name;
    this.nodes.value = [];
    this.edges.value = [];
    this.expanded.clear();
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

  /** expand adds the neighbours of a node already drawn. */
  async expand(name: string, id: string): Promise<void> {
    if (this.expanded.has(id)) return;
    const n = await this.fetch(name);
    if (n) this.merge(n);
  }

  private async fetch(name: string): Promise<Neighbors | null> {
    this.loading.value = true;
    this.error.value = null;
    try {
      return await this.api.neighbors(name, 1);
    } catch (e) {
      this.error.value = toApiError("graph", e).message;
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
    nodes.set(n.entity.id, { id: n.entity.id, name: n.entity.name, kind: n.entity.kind });
    for (const nb of n.neighbors) {
      if (!nodes.has(nb.id)) nodes.set(nb.id, { id: nb.id, name: nb.name, kind: nb.kind });
      const [s, t] = nb.direction === "in" ? [nb.id, n.entity.id] : [n.entity.id, nb.id];
      const id = `${s}|${nb.predicate}|${t}`;
      if (!edges.has(id)) edges.set(id, { id, source: s, target: t, label: nb.predicate, count: nb.count });
    }
    this.nodes.value = [...nodes.values()];
    this.edges.value = [...edges.values()];
  }
}
