/**
 * Deep links: the URL's hash carries what is open and what is selected - sample or file, session, message (packet
 * index), layer and field - so a link reopens exactly that view. The hash keeps it working on any static host.
 */
import { LAYER_IDS, type LayerId } from './layers.ts';

export interface ViewLink {
  /** A bundled sample's name. */
  sample?: string;
  /** A simulation preset, its seed and the step shown. */
  sim?: string;
  seed?: number;
  step?: number;
  /** A capture in the dev/test fixtures folder (development only), or the name of a file the user opened. */
  file?: string;
  /** `#start`: the start page, without opening the default sample. */
  start?: boolean;
  session: number;
  message: number | null;
  layer: LayerId | null;
  field: string | null;
}

export const EMPTY_LINK: ViewLink = { session: 0, message: null, layer: null, field: null };

function natural(text: string | null): number | null {
  return text !== null && /^\d{1,9}$/.test(text) ? Number(text) : null;
}

export function parseLink(hash: string): ViewLink {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const layer = params.get('layer');
  return {
    sample: params.get('sample') ?? undefined,
    ...(params.has('start') ? { start: true } : {}),
    file: params.get('file') ?? undefined,
    sim: params.get('sim') ?? undefined,
    seed: natural(params.get('seed')) ?? undefined,
    step: natural(params.get('step')) ?? undefined,
    session: natural(params.get('session')) ?? 0,
    message: natural(params.get('message')),
    layer: layer && (LAYER_IDS as readonly string[]).includes(layer) ? (layer as LayerId) : null,
    field: params.get('field') || null,
  };
}

export function formatLink(link: ViewLink): string {
  const params = new URLSearchParams();
  if (link.sample) params.set('sample', link.sample);
  if (link.file) params.set('file', link.file);
  if (link.sim) params.set('sim', link.sim);
  if (link.seed !== undefined) params.set('seed', String(link.seed));
  if (link.step !== undefined) params.set('step', String(link.step));
  if (link.session) params.set('session', String(link.session));
  if (link.message !== null) params.set('message', String(link.message));
  if (link.layer) params.set('layer', link.layer);
  if (link.field) params.set('field', link.field);
  const text = params.toString();
  return text ? `#${text}` : '';
}
