import type { VirtualItem, Virtualizer } from '@tanstack/react-virtual';

/**
 * The rows of a virtualized table that are in view, and the heights of the spacer rows that stand in for the
 * rest above and below them. The spacers add up to the full height even before the virtualizer has measured
 * its viewport (it renders no rows then), so the scrollbar is right, and a remembered position can be
 * restored, from the first paint.
 */
export function rowWindow<S extends Element, I extends Element>(
  virtualizer: Virtualizer<S, I>,
): { items: VirtualItem[]; padTop: number; padBottom: number } {
  const items = virtualizer.getVirtualItems();
  const padTop = items[0]?.start ?? 0;
  const padBottom = virtualizer.getTotalSize() - (items[items.length - 1]?.end ?? 0);
  return { items, padTop, padBottom };
}

/** A table row standing in for the rows scrolled out of view (nothing when there are none). */
export function SpacerRow({ height, colSpan }: { height: number; colSpan: number }) {
  if (height <= 0) return null;
  return (
    <tr className="spacer" aria-hidden="true" style={{ height }}>
      <td colSpan={colSpan} />
    </tr>
  );
}
