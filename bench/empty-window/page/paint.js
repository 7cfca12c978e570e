// The moment the first frame was painted, the way the Stand-in UI marks its users table (ui/src/lib/paintMark.ts):
// the second animation frame after the page's DOM exists starts after the first one was painted.
requestAnimationFrame(() =>
  requestAnimationFrame(() => performance.mark('standin-bench:painted')),
);
