import { diffWords } from 'diff';

/** A stretch of one side's text: shared with the other side, or only on this one (highlighted). */
export interface DiffPart {
  text: string;
  changed: boolean;
}

/** Past this much work the diff gives up (a long answer against a very different one): shown plain, not frozen. */
const DIFF_TIMEOUT_MS = 150;

/**
 * Word by word (jsdiff), what each side has that the other does not. Null when the texts are too different to diff
 * in time: the caller shows them plain. The parts of each side join back to its text exactly.
 */
export function wordDiff(left: string, right: string): { left: DiffPart[]; right: DiffPart[] } | null {
  const changes = diffWords(left, right, { timeout: DIFF_TIMEOUT_MS });
  if (!changes) return null;
  const out = { left: [] as DiffPart[], right: [] as DiffPart[] };
  for (const change of changes) {
    if (change.added) out.right.push({ text: change.value, changed: true });
    else if (change.removed) out.left.push({ text: change.value, changed: true });
    else {
      out.left.push({ text: change.value, changed: false });
      out.right.push({ text: change.value, changed: false });
    }
  }
  return out;
}
