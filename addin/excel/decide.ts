// Pure: what to do with one cell, given what we recorded before, what the cell holds now and what the new
// scoring wants. The same rules as shared/output (annotate after stripping): the officer's fill and note are
// the originals; a fill that is no longer ours (the officer recoloured the cell) is the officer's now; our
// note lines always follow KAOPING_NOTE_SEPARATOR, below the officer's own text.
import { KAOPING_NOTE_SEPARATOR } from '../../shared/output/names.ts';
import { composeNote, cutOurPart } from '../../shared/output/notes.ts';
import { textHash, type CellState, type FillSpec } from './store.ts';
import type { CellAnnotation } from './types.ts';

export type NoteMode = 'notes' | 'comments' | 'none';

/** What a cell holds now. */
export interface CurrentCell {
  /** null: no fill. */
  fill: FillSpec | null;
  /** The note (or comment) text, when the cell has one and we know it; undefined when none is known. */
  note: string | undefined;
  /** The cell carries a note of ours alone (known from the record, not read back). */
  pureOurs: boolean;
}

export type FillAction = { kind: 'keep' } | { kind: 'set'; fill: FillSpec | null };
export type NoteAction = { kind: 'keep' } | { kind: 'add'; text: string } | { kind: 'set'; text: string } | { kind: 'delete' };

export interface CellDecision {
  fill: FillAction;
  note: NoteAction;
  /** The record to keep for the cell, or undefined when the cell is no longer ours. */
  state: CellState | undefined;
  /** Lines that could not go into a note (no note support, or an officer's comment we do not edit). */
  explainElsewhere?: string[];
}

export function argbToHex(argb: string): string {
  return `#${argb.slice(-6).toUpperCase()}`;
}

export function sameFill(a: FillSpec | null, b: FillSpec | null): boolean {
  if (a === null || b === null) return a === b;
  return a.color.toUpperCase() === b.color.toUpperCase() && (a.pattern ?? 'Solid') === (b.pattern ?? 'Solid');
}

/** Our solid fill for an ARGB. */
export function ourFillSpec(argb: string): FillSpec {
  return { color: argbToHex(argb), pattern: 'Solid' };
}

export function isOurs(fill: FillSpec | null, ourArgb: string | null): boolean {
  return ourArgb !== null && fill !== null && (fill.pattern ?? 'Solid') === 'Solid' && fill.color.toUpperCase() === argbToHex(ourArgb);
}

/** The officer's part of the current note: null when none. */
export function officerPart(current: CurrentCell): string | null {
  if (current.note === undefined) return null;
  if (!current.note.includes(KAOPING_NOTE_SEPARATOR)) return current.note;
  const cut = cutOurPart(current.note);
  return typeof cut === 'string' && cut !== '' ? cut : null;
}

function hasOurPart(current: CurrentCell): boolean {
  return current.pureOurs || (current.note !== undefined && current.note.includes(KAOPING_NOTE_SEPARATOR));
}

/**
 * Decide one cell. `prior`: our record from an earlier run (or undefined). `target`: what this run wants for the
 * cell (undefined: the cell is no longer scored — restore it).
 */
export function decideCell(sheet: string, address: string, prior: CellState | undefined, current: CurrentCell, target: CellAnnotation | undefined, mode: NoteMode): CellDecision {
  // The officer's fill: the recorded original while the cell still shows our colour, else what it shows now.
  const stillOurs = prior ? isOurs(current.fill, prior.ourFill) : false;
  const officerFill = prior && stillOurs ? prior.originalFill : current.fill;
  const officerNote = officerPart(current);
  const ours = hasOurPart(current);
  const exists = current.note !== undefined || current.pureOurs;

  if (!target) {
    const fill: FillAction = stillOurs ? { kind: 'set', fill: prior!.originalFill } : { kind: 'keep' };
    let note: NoteAction = { kind: 'keep' };
    if (ours) note = officerNote !== null ? { kind: 'set', text: officerNote } : { kind: 'delete' };
    return { fill, note, state: undefined };
  }

  const fill: FillAction = target.fill ? { kind: 'set', fill: ourFillSpec(target.fill) } : stillOurs ? { kind: 'set', fill: officerFill } : { kind: 'keep' };
  let note: NoteAction = { kind: 'keep' };
  let ourNote = false;
  let noteHash: string | undefined;
  let explainElsewhere: string[] | undefined;
  if (target.lines && target.lines.length) {
    if (mode === 'none') {
      explainElsewhere = target.lines;
      if (ours) note = officerNote !== null ? { kind: 'set', text: officerNote } : { kind: 'delete' };
    } else if (mode === 'comments' && officerNote !== null) {
      // An officer's comment is a conversation: we do not write into it. The explanation goes to 考评结果.
      explainElsewhere = target.lines;
      if (ours) note = { kind: 'set', text: officerNote };
    } else {
      const text = composeNote(officerNote ?? undefined, target.lines) as string;
      noteHash = textHash(text);
      // The same note as the one there (read back, or recorded by hash for ours alone): nothing to write.
      const unchanged = current.note !== undefined ? current.note === text : current.pureOurs && prior?.noteHash === noteHash;
      note = unchanged ? { kind: 'keep' } : exists ? { kind: 'set', text } : { kind: 'add', text };
      ourNote = true;
    }
  } else if (ours) {
    note = officerNote !== null ? { kind: 'set', text: officerNote } : { kind: 'delete' };
  }
  const state: CellState = {
    sheet,
    address,
    ourFill: target.fill,
    ourNote,
    originalFill: officerFill,
    originalNote: officerNote,
    ...(noteHash ? { noteHash } : {}),
  };
  return { fill, note, state, ...(explainElsewhere ? { explainElsewhere } : {}) };
}
