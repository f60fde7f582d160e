// Cell notes: our lines go below an officer's own note, after a separator line, so that they can be
// told apart and removed again without touching what the officer wrote.
import type { Comment, RichText } from 'exceljs';
import { KAOPING_NOTE_SEPARATOR } from './names.ts';
import type { NoteValue } from './xlsx.ts';

/** The plain text of a note (rich-text runs joined). */
export function noteText(note: NoteValue | undefined | null): string {
  if (note === undefined || note === null) return '';
  if (typeof note === 'string') return note;
  return (note.texts ?? []).map((t) => t.text ?? '').join('');
}

export function hasOurPart(note: NoteValue | undefined | null): boolean {
  return noteText(note).includes(KAOPING_NOTE_SEPARATOR);
}

/** The officer's note with our lines appended below the separator. A note of ours alone also starts
 * with the separator line, so that every note we wrote can be recognised. */
export function composeNote(original: NoteValue | undefined, lines: readonly string[]): NoteValue {
  const ours = [KAOPING_NOTE_SEPARATOR, ...lines].join('\n');
  if (original === undefined || noteText(original) === '') return ours;
  if (typeof original === 'string') return `${original}\n${ours}`;
  const texts: RichText[] = original.texts ?? [];
  const lastFont = [...texts].reverse().find((t) => t.font)?.font;
  const run: RichText = lastFont ? { text: `\n${ours}`, font: { ...lastFont, bold: false } } : { text: `\n${ours}` };
  return { ...original, texts: [...texts, run] } as Comment;
}

/**
 * The note without our part: `undefined` when nothing of the officer's is left, or `null` when the note
 * has no part of ours (leave it alone).
 */
export function cutOurPart(note: NoteValue | undefined): NoteValue | undefined | null {
  if (note === undefined || !hasOurPart(note)) return null;
  if (typeof note === 'string') return nonEmpty(trimBreak(note.slice(0, note.indexOf(KAOPING_NOTE_SEPARATOR))));
  const texts = note.texts ?? [];
  const kept: RichText[] = [];
  for (const run of texts) {
    const i = (run.text ?? '').indexOf(KAOPING_NOTE_SEPARATOR);
    if (i < 0) {
      kept.push(run);
      continue;
    }
    const head = (run.text ?? '').slice(0, i);
    if (head) kept.push({ ...run, text: head });
    break;
  }
  if (kept.length === texts.length) {
    // The separator straddles runs (rewritten by another program): fall back to plain text.
    const t = noteText(note);
    return nonEmpty(trimBreak(t.slice(0, t.indexOf(KAOPING_NOTE_SEPARATOR))));
  }
  // Drop the one line break that joined the officer's note to ours.
  const last = kept[kept.length - 1];
  if (last) {
    const t = trimBreak(last.text ?? '');
    if (t) kept[kept.length - 1] = { ...last, text: t };
    else kept.pop();
  }
  if (kept.length === 0) return undefined;
  return { ...note, texts: kept } as Comment;
}

function trimBreak(s: string): string {
  return s.replace(/\r?\n$/, '');
}

function nonEmpty(s: string): string | undefined {
  return s === '' ? undefined : s;
}

/** Two notes say the same thing (ignoring trailing line breaks a program may add or drop). */
export function sameNoteText(a: NoteValue | undefined, b: NoteValue | undefined): boolean {
  return noteText(a).replace(/[\r\n]+$/, '') === noteText(b).replace(/[\r\n]+$/, '');
}
