import { linkVertical, select, zoom, zoomIdentity, zoomTransform, type ZoomBehavior } from 'd3';
import { memo, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { formatUsd, type TreeNode } from '../../../../shared/index.js';
import { useEscape } from '../../app/escape.js';
import { layoutTree, neighbour, ROW_HEIGHT, type PlacedLink, type PlacedNode } from './tree-layout.js';
import { useTree } from './tree-store.js';
import { useCompare } from '../compare/compare-store.js';
import { MergeButton } from '../merge/MergeButton.js';
import './tree.css';

const BOX_WIDTH = 130;
const BOX_HEIGHT = 40;
const LABEL_CHARS = 20;

const short = (text: string, chars: number) => (text.length > chars ? `${text.slice(0, chars - 1)}…` : text);
const who = (node: TreeNode) => (node.role === 'user' ? 'You' : node.role === 'assistant' ? (node.model ?? 'Answer') : node.role);
const linkPath = linkVertical<PlacedLink, PlacedNode>()
  .source((l) => l.from)
  .target((l) => l.to)
  .x((p) => p.x)
  .y((p) => p.y);

/**
 * The chat's whole conversation tree (the header's "Tree" button or its shortcut): every message as a box, the
 * conversation on screen highlighted; zoom and pan with the wheel, a drag or the buttons; a click or Enter shows that
 * branch in the chat; arrows move between messages, Space collapses or expands what is under one. Model text is
 * only ever drawn as SVG text nodes. Keyed by chat, so collapsed and focused messages start afresh in another chat.
 */
export function TreeView({ sessionId, leafId }: { sessionId: string; leafId: string | null }) {
  const { nodes, activeLeafId, error, load, switchTo, close } = useTree();
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());
  const [focusedId, setFocusedId] = useState<string | null>(null);
  const [hoveredId, setHoveredId] = useState<string | null>(null);
  // The message last pointed at or focused, kept when the pointer moves on to "Compare with current branch".
  const [pickedId, setPickedId] = useState<string | null>(null);
  const openCompare = useCompare((s) => s.open);
  const svgRef = useRef<SVGSVGElement>(null);
  const viewportRef = useRef<SVGGElement>(null);
  const zoomRef = useRef<ZoomBehavior<SVGSVGElement, unknown> | null>(null);
  const centredFor = useRef<string | null>(null);
  // A comparison opened from here sits over the tree: Escape closes it first.
  const comparing = useCompare((s) => s.target !== null);
  useEscape(!comparing, close);

  useEffect(() => {
    void load(sessionId);
  }, [sessionId, leafId, load]);

  const layout = useMemo(() => layoutTree(nodes, activeLeafId, collapsed), [nodes, activeLeafId, collapsed]);
  const byId = useMemo(() => new Map(layout.nodes.map((p) => [p.node.id, p])), [layout]);
  const tabStop = (focusedId && byId.has(focusedId) ? focusedId : null) ?? (activeLeafId && byId.has(activeLeafId) ? activeLeafId : layout.nodes[0]?.node.id);
  // Only what is near the visible part is drawn (a screen's margin on every side), and text only when readable:
  // a deep tree has thousands of SVG elements, and repainting them all on every wheel tick drops frames.
  const [view, setView] = useState<Area | null>(null);
  const viewRef = useRef<Area | null>(null);
  const shown = useMemo(() => {
    // Nothing until the view has been placed (at once, on the active leaf): never all of a large tree first.
    if (!view) return { nodes: [], links: [] };
    const near = (p: PlacedNode) => p.x >= view.minX && p.x <= view.maxX && p.y >= view.minY && p.y <= view.maxY;
    return {
      nodes: layout.nodes.filter((p) => near(p) || p.node.id === tabStop),
      links: layout.links.filter((l) => near(l.from) || near(l.to)),
    };
  }, [layout, view, tabStop]);

  useEffect(() => {
    const svg = svgRef.current;
    if (!svg) return;
    const behaviour = zoom<SVGSVGElement, unknown>()
      .scaleExtent([0.05, 3])
      .on('zoom', (event: { transform: Transform }) => {
        viewportRef.current?.setAttribute('transform', event.transform.toString());
        const next = visibleArea(svg, event.transform, viewRef.current);
        if (next) {
          viewRef.current = next;
          setView(next);
        }
      });
    zoomRef.current = behaviour;
    select(svg).call(behaviour).on('dblclick.zoom', null);
    return () => {
      select(svg).on('.zoom', null);
    };
  }, []);

  // Once per chat, when its tree arrives: the active leaf in view, a little above the middle.
  useEffect(() => {
    const svg = svgRef.current;
    const leaf = (activeLeafId && byId.get(activeLeafId)) ?? layout.nodes[0];
    if (!svg || !zoomRef.current || !leaf || centredFor.current === sessionId) return;
    centredFor.current = sessionId;
    const { width, height } = svg.getBoundingClientRect();
    select(svg).call(zoomRef.current.transform, zoomIdentity.translate(width / 2 - leaf.x, Math.max(ROW_HEIGHT, height * 0.6) - leaf.y));
  }, [byId, activeLeafId, layout, sessionId]);

  // When the window is resized (a phone turned, a sidebar closed), the middle of what was shown stays in the middle.
  useEffect(() => {
    const svg = svgRef.current;
    if (!svg) return;
    let { width, height } = svg.getBoundingClientRect();
    const observer = new ResizeObserver(() => {
      const next = svg.getBoundingClientRect();
      const k = zoomTransform(svg).k;
      if (zoomRef.current && (next.width !== width || next.height !== height))
        select(svg).call(zoomRef.current.translateBy, (next.width - width) / 2 / k, (next.height - height) / 2 / k);
      ({ width, height } = next);
    });
    observer.observe(svg);
    return () => observer.disconnect();
  }, []);

  const zoomBy = (factor: number) => {
    if (svgRef.current && zoomRef.current) select(svgRef.current).call(zoomRef.current.scaleBy, factor);
  };
  const fit = () => {
    const svg = svgRef.current;
    if (!svg || !zoomRef.current) return;
    const { width, height } = svg.getBoundingClientRect();
    const { minX, maxX, minY, maxY } = layout.bounds;
    const scale = Math.min(2, (width - 40) / (maxX - minX + BOX_WIDTH), (height - 40) / (maxY - minY + BOX_HEIGHT));
    const k = Math.max(0.05, scale);
    select(svg).call(zoomRef.current.transform, zoomIdentity.translate(width / 2 - (k * (minX + maxX)) / 2, height / 2 - (k * (minY + maxY)) / 2).scale(k));
  };
  const toggleCollapsed = (id: string) => {
    const next = new Set(collapsed);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setCollapsed(next);
  };
  // A message moved to by keyboard is always drawn (it is the tab stop): focus it once drawn, and pan (at the same
  // zoom) to bring it to the middle when it is off the visible part.
  const focusPending = useRef(false);
  const focusNode = (id: string) => {
    focusPending.current = true;
    setFocusedId(id);
  };
  useEffect(() => {
    const svg = svgRef.current;
    const placed = byId.get(focusedId ?? '');
    if (!focusPending.current || !svg || !placed || !zoomRef.current) return;
    focusPending.current = false;
    const element = svg.querySelector<SVGGElement>(`[data-node-id="${CSS.escape(placed.node.id)}"]`);
    element?.focus();
    const view = svg.getBoundingClientRect();
    const box = element?.getBoundingClientRect();
    if (!box || box.left < view.left || box.right > view.right || box.top < view.top || box.bottom > view.bottom) {
      select(svg).call(zoomRef.current.translateTo, placed.x, placed.y);
    }
  }, [focusedId, byId]);
  const onKey = (event: KeyboardEvent, placed: PlacedNode) => {
    const id = placed.node.id;
    if (event.key === 'Enter') {
      event.preventDefault();
      if (!placed.node.deleted) void switchTo(id);
    } else if (event.key === ' ' && placed.childCount > 0) {
      event.preventDefault();
      toggleCollapsed(id);
    } else if (event.key === 'ArrowUp' || event.key === 'ArrowDown' || event.key === 'ArrowLeft' || event.key === 'ArrowRight') {
      event.preventDefault();
      const next = neighbour(layout, id, event.key);
      if (next) focusNode(next);
    }
  };

  // Handlers that never change identity, so hovering or focusing a message re-draws the preview, not 1,000 boxes.
  const latest = useRef({ switchTo, toggleCollapsed, onKey });
  useEffect(() => {
    latest.current = { switchTo, toggleCollapsed, onKey };
  });
  const handlers = useMemo<NodeHandlers>(
    () => ({
      switchTo: (id) => void latest.current.switchTo(id),
      toggle: (id) => latest.current.toggleCollapsed(id),
      key: (event, placed) => latest.current.onKey(event, placed),
      focus: (id) => {
        setFocusedId(id);
        setPickedId(id);
        setHoveredId(null);
      },
      // Leaving a message keeps its preview, so the mouse can reach the preview's buttons.
      hover: (id) => {
        if (!id) return;
        setHoveredId(id);
        setPickedId(id);
      },
    }),
    [],
  );

  const previewed = byId.get(hoveredId ?? '') ?? byId.get(focusedId ?? '');
  return (
    <section className="tree-panel" aria-label="Conversation tree" data-testid="tree-panel">
      <div className="tree-toolbar">
        <h2>Conversation tree</h2>
        <span className="tree-count">{nodes.length === 1 ? '1 message' : `${nodes.length} messages`}</span>
        <div className="tree-buttons">
          <button type="button" className="icon-text" onClick={() => zoomBy(1.25)} aria-label="Zoom in">
            +
          </button>
          <button type="button" className="icon-text" onClick={() => zoomBy(0.8)} aria-label="Zoom out">
            −
          </button>
          <button type="button" className="icon-text" onClick={fit}>
            Fit
          </button>
          <button
            type="button"
            className="icon-text"
            disabled={!pickedId || !activeLeafId}
            title={pickedId ? 'The branch through the message last pointed at or focused, against the one on screen' : 'Point at or focus a message first'}
            onClick={() => (pickedId && activeLeafId ? void openCompare(sessionId, pickedId, activeLeafId) : undefined)}
            data-testid="tree-compare"
          >
            Compare with current branch
          </button>
          <button type="button" className="icon-text" onClick={close} data-testid="close-tree">
            Close
          </button>
        </div>
      </div>
      {error ? (
        <div className="banner banner-error" role="alert">
          {error}
        </div>
      ) : null}
      <svg ref={svgRef} className={view?.far ? 'tree-canvas tree-far' : 'tree-canvas'} role="tree" aria-label="Messages of this chat" data-testid="tree-canvas">
        <g ref={viewportRef}>
          {shown.links.map((link) => (
            <path key={link.to.node.id} className={link.active ? 'tree-link tree-link-active' : 'tree-link'} d={linkPath(link) ?? ''} />
          ))}
          {shown.nodes.map((placed) => (
            <NodeBox
              key={placed.node.id}
              placed={placed}
              tabbable={placed.node.id === tabStop}
              expanded={placed.childCount > 0 ? !collapsed.has(placed.node.id) : undefined}
              handlers={handlers}
            />
          ))}
        </g>
      </svg>
      <Preview placed={previewed} sessionId={sessionId} />
    </section>
  );
}

interface Transform {
  x: number;
  y: number;
  k: number;
  toString(): string;
}

/** The part of the tree to draw, in the layout's coordinates; `far`: zoomed out past readable text. */
interface Area {
  minX: number;
  maxX: number;
  minY: number;
  maxY: number;
  far: boolean;
}

const FAR_SCALE = 0.35;

/**
 * The area to draw for a zoom transform: what is visible plus a screen on each side, or null while the visible part
 * is still inside `current` at the same level of detail (nothing to re-draw).
 */
function visibleArea(svg: SVGSVGElement, t: Transform, current: Area | null): Area | null {
  const width = svg.clientWidth;
  const height = svg.clientHeight;
  const seen = { minX: -t.x / t.k, maxX: (width - t.x) / t.k, minY: -t.y / t.k, maxY: (height - t.y) / t.k };
  const far = t.k < FAR_SCALE;
  if (current && current.far === far && seen.minX >= current.minX && seen.maxX <= current.maxX && seen.minY >= current.minY && seen.maxY <= current.maxY) {
    return null;
  }
  const w = seen.maxX - seen.minX + BOX_WIDTH;
  const h = seen.maxY - seen.minY + BOX_HEIGHT;
  return { minX: seen.minX - w, maxX: seen.maxX + w, minY: seen.minY - h, maxY: seen.maxY + h, far };
}

interface NodeHandlers {
  switchTo(id: string): void;
  toggle(id: string): void;
  key(event: KeyboardEvent, placed: PlacedNode): void;
  focus(id: string): void;
  hover(id: string | null): void;
}

const NodeBox = memo(function NodeBox(props: { placed: PlacedNode; tabbable: boolean; expanded: boolean | undefined; handlers: NodeHandlers }) {
  const { placed, expanded, handlers } = props;
  const { node } = placed;
  const classes = ['tree-node', `tree-node-${node.role}`, placed.active ? 'tree-node-active' : '', node.deleted ? 'tree-node-deleted' : '']
    .filter(Boolean)
    .join(' ');
  return (
    <g
      className={classes}
      transform={`translate(${placed.x},${placed.y})`}
      role="treeitem"
      tabIndex={props.tabbable ? 0 : -1}
      aria-selected={placed.active}
      aria-expanded={expanded}
      aria-disabled={node.deleted || undefined}
      aria-label={`${who(node)}: ${node.excerpt}${node.deleted ? ' (deleted)' : ''}`}
      data-testid="tree-node"
      data-node-id={node.id}
      data-active={placed.active}
      onClick={() => (node.deleted ? undefined : handlers.switchTo(node.id))}
      onKeyDown={(event) => handlers.key(event, placed)}
      onFocus={() => handlers.focus(node.id)}
      onMouseEnter={() => handlers.hover(node.id)}
      onMouseLeave={() => handlers.hover(null)}
    >
      <rect x={-BOX_WIDTH / 2} y={-BOX_HEIGHT / 2} width={BOX_WIDTH} height={BOX_HEIGHT} rx={6} />
      <text className="tree-node-who" x={-BOX_WIDTH / 2 + 8} y={-4}>
        {short(who(node), LABEL_CHARS)}
      </text>
      <text className="tree-node-excerpt" x={-BOX_WIDTH / 2 + 8} y={12}>
        {short(node.excerpt || '…', LABEL_CHARS)}
      </text>
      {expanded !== undefined ? (
        <g
          className="tree-toggle"
          transform={`translate(0,${BOX_HEIGHT / 2 + 8})`}
          aria-hidden="true"
          data-testid="tree-toggle"
          onClick={(event) => {
            event.stopPropagation();
            handlers.toggle(node.id);
          }}
        >
          <circle r={8} />
          <text textAnchor="middle" y={4}>
            {expanded ? '−' : `+${placed.hiddenCount}`}
          </text>
        </g>
      ) : null}
    </g>
  );
});

function Preview({ placed, sessionId }: { placed: PlacedNode | undefined; sessionId: string }) {
  if (!placed) return <p className="tree-preview tree-hint">Point at or focus a message to see its details; click it (or press Enter) to show its branch.</p>;
  const { node } = placed;
  return (
    <dl className="tree-preview" data-testid="tree-preview">
      <dt>{node.role === 'user' ? 'You' : node.role === 'assistant' ? 'Answer' : node.role}</dt>
      <dd>{node.model ?? '—'}</dd>
      <dt>Tokens</dt>
      <dd>{node.tokens === null ? '—' : node.tokens.toLocaleString()}</dd>
      <dt>Cost</dt>
      <dd>{node.costUsd === null ? '—' : formatUsd(node.costUsd)}</dd>
      <dt>Sent</dt>
      <dd>{new Date(node.createdAt).toLocaleString()}</dd>
      <dd className="tree-preview-excerpt">
        {node.excerpt}
        {node.deleted ? ' (deleted)' : ''}
      </dd>
      {node.deleted ? null : (
        <dd>
          <MergeButton sessionId={sessionId} messageId={node.id} />
        </dd>
      )}
    </dl>
  );
}
