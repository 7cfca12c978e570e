/**
 * Marks (performance.mark) the moment something first appears on screen, for bench/app.sh: it reads the mark over
 * WebDriver and adds `performance.timeOrigin` to compare it with the moment the process was spawned.
 *
 * "Painted", not "rendered": the mark is taken in the second animation frame after the element is in the DOM —
 * the first frame's callbacks run before it is painted, the second's after — so the number never flatters us.
 * The observer is disconnected at the first match (or after `giveUpMs`): nothing watches the DOM for the rest of
 * the app's life.
 */
export const USERS_TABLE_PAINTED = 'standin-bench:painted';
/** The users table's first data row (the header row is aria-rowindex 1, inside thead). */
export const USERS_TABLE_ROW = 'table[aria-label="Users"] tbody tr[aria-rowindex]';

export function markWhenPainted(
  root: Element,
  selector: string,
  name: string,
  { giveUpMs = 60_000 }: { giveUpMs?: number } = {},
): () => void {
  let done = false;
  let observer: MutationObserver | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const stop = () => {
    done = true;
    observer?.disconnect();
    if (timer !== null) clearTimeout(timer);
  };
  const check = () => {
    if (done || root.querySelector(selector) === null) return;
    stop();
    requestAnimationFrame(() => requestAnimationFrame(() => performance.mark(name)));
  };
  observer = new MutationObserver(check);
  observer.observe(root, { childList: true, subtree: true });
  timer = setTimeout(stop, giveUpMs);
  check();
  return stop;
}
