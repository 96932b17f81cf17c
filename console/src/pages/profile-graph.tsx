/**
 * A profile as a picture: its records, the identifiers they hold, and the evidence edges that merged
 * them, laid out by Cytoscape (loaded only when a profile is opened). Past MAX_RECORDS records the
 * picture would be unreadable, so it shows the first ones and says so.
 */
import type { ElementDefinition } from 'cytoscape';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Edge, Profile } from './profile-types';

export const MAX_RECORDS = 50;
/** Past this many records, identifiers held by one record alone are left out of the picture. */
const SHARED_ONLY_ABOVE = 15;

export function ProfileGraph({ profile }: { profile: Profile }) {
  const box = useRef<HTMLDivElement>(null);
  const [selected, setSelected] = useState<string>('');
  const shown = new Set(profile.records.slice(0, MAX_RECORDS));
  const large = shown.size > SHARED_ONLY_ABOVE;
  useEffect(() => {
    let destroyed = false;
    let destroy = () => {};
    import('cytoscape').then(({ default: cytoscape }) => {
      if (destroyed || !box.current) return;
      const elements: ElementDefinition[] = [];
      for (const ref of shown) elements.push({ data: { id: `r:${ref}`, label: ref, kind: 'record' } });
      for (const identifier of profile.identifiers) {
        const holders = identifier.records.filter((ref) => shown.has(ref));
        if (holders.length === 0 || (large && holders.length < 2)) continue;
        const id = `i:${identifier.type}:${identifier.value}`;
        elements.push({ data: { id, label: `${identifier.type}: ${identifier.value}`, kind: 'identifier' } });
        for (const ref of holders) elements.push({ data: { id: `h:${id}:${ref}`, source: `r:${ref}`, target: id } });
      }
      (profile.evidence ?? []).forEach((edge: Edge, index) => {
        if (!shown.has(edge.a) || !shown.has(edge.b)) return;
        elements.push({
          data: { id: `e${index}`, source: `r:${edge.a}`, target: `r:${edge.b}`, label: edge.rule, kind: 'evidence' },
        });
      });
      const graph = cytoscape({
        container: box.current,
        elements,
        // Records on the inner ring, the identifiers they hold outside: the same picture at every
        // load (a force layout moves on each run) and still legible at 50 records.
        layout: {
          name: 'concentric',
          animate: false,
          padding: 30,
          minNodeSpacing: large ? 24 : 90,
          concentric: (node) => (node.data('kind') === 'record' ? 2 : 1),
          levelWidth: () => 1,
        },
        // Fitting a handful of nodes would blow them up to fill the box; keep them at their size.
        maxZoom: 1.5,
        minZoom: 0.2,
        style: [
          {
            selector: 'node',
            style: {
              label: 'data(label)',
              'font-size': 11,
              'text-valign': 'bottom',
              'text-margin-y': 3,
              color: '#222',
            },
          },
          {
            selector: 'node[kind = "record"]',
            style: { 'background-color': '#2457a6', shape: 'round-rectangle', width: 22, height: 22 },
          },
          {
            selector: 'node[kind = "identifier"]',
            style: { 'background-color': '#d9822b', shape: 'ellipse', width: 14, height: 14 },
          },
          { selector: 'edge', style: { width: 1, 'line-color': '#bbb', 'curve-style': 'bezier' } },
          {
            selector: 'edge[kind = "evidence"]',
            style: {
              width: 3,
              'line-color': '#3a8a4f',
              label: 'data(label)',
              'font-size': 10,
              color: '#1d5c2e',
              'text-background-color': '#fff',
              'text-background-opacity': 1,
              'text-rotation': 'autorotate',
            },
          },
          { selector: ':selected', style: { 'border-width': 3, 'border-color': '#b03a48' } },
        ],
      });
      graph.on('tap', 'node, edge', (event) => {
        const data = event.target.data() as { label?: string; kind?: string };
        setSelected(`${data.kind ?? 'link'}: ${data.label ?? ''}`);
      });
      destroy = () => graph.destroy();
    });
    return () => {
      destroyed = true;
      destroy();
    };
  }, [profile]);
  return (
    <figure class="graph-figure">
      {profile.records.length > MAX_RECORDS && (
        <p class="notice" role="note">
          This profile has {profile.records.length} records; the picture shows the first {MAX_RECORDS}. The tables list
          all of them.
        </p>
      )}
      <div
        ref={box}
        class={large ? 'graph large' : 'graph'}
        role="img"
        aria-label={`Graph of ${shown.size} records, their identifiers and the evidence merging them`}
      />
      <figcaption>
        <span class="key record">record</span>{' '}
        <span class="key identifier">{large ? 'identifier held by several records' : 'identifier'}</span>{' '}
        <span class="key evidence">merge evidence (rule)</span>
        <span aria-live="polite"> {selected && `Selected: ${selected}`}</span>
      </figcaption>
    </figure>
  );
}
