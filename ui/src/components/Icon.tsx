/** A handful of inline SVG icons (no icon font: the CSP allows no remote content and we want crisp 16px). */
export type IconName =
  | 'plug'
  | 'users'
  | 'team'
  | 'eye'
  | 'log'
  | 'search'
  | 'more'
  | 'close'
  | 'warning'
  | 'check'
  | 'lock'
  | 'arrow-up'
  | 'arrow-down'
  | 'sort'
  | 'refresh'
  | 'download'
  | 'plus'
  | 'error'
  | 'info'
  | 'chevron-right'
  | 'key'
  | 'user'
  | 'stop'
  | 'copy'
  | 'folder'
  | 'matrix';

const PATHS: Record<IconName, string> = {
  plug: 'M6 2v3M10 2v3M4 5h8v3a4 4 0 0 1-8 0V5ZM8 12v2',
  users: 'M6 7a2.5 2.5 0 1 0 0-5 2.5 2.5 0 0 0 0 5ZM1.5 14c0-2.5 2-4.5 4.5-4.5s4.5 2 4.5 4.5M11 2.3a2.5 2.5 0 0 1 0 4.4M12.5 9.8c1.2.6 2 1.9 2 3.4',
  team: 'M3 4h10v9H3zM3 7h10M6 4V2.5h4V4',
  eye: 'M1.5 8S4 3.5 8 3.5 14.5 8 14.5 8 12 12.5 8 12.5 1.5 8 1.5 8ZM8 10a2 2 0 1 0 0-4 2 2 0 0 0 0 4Z',
  log: 'M4 2h6l3 3v9H4zM10 2v3h3M6 8h5M6 10.5h5',
  search: 'M7 12A5 5 0 1 0 7 2a5 5 0 0 0 0 10ZM14 14l-3.5-3.5',
  more: 'M3.5 8h.01M8 8h.01M12.5 8h.01',
  close: 'M4 4l8 8M12 4l-8 8',
  warning: 'M8 2 1.5 13.5h13L8 2ZM8 6.5v3M8 11.5h.01',
  check: 'M3 8.5 6.5 12 13 4.5',
  lock: 'M4 7h8v7H4zM5.5 7V5a2.5 2.5 0 0 1 5 0v2',
  'arrow-up': 'M8 13V3M4 7l4-4 4 4',
  'arrow-down': 'M8 3v10M4 9l4 4 4-4',
  sort: 'M5 6l3-3 3 3M5 10l3 3 3-3',
  refresh: 'M13 8a5 5 0 1 1-1.5-3.5M13 2.5v3h-3',
  download: 'M8 2v8M4.5 7 8 10.5 11.5 7M3 13.5h10',
  plus: 'M8 3v10M3 8h10',
  error: 'M8 14.5a6.5 6.5 0 1 0 0-13 6.5 6.5 0 0 0 0 13ZM8 5v3.5M8 11h.01',
  info: 'M8 14.5a6.5 6.5 0 1 0 0-13 6.5 6.5 0 0 0 0 13ZM8 7.5V11M8 5h.01',
  'chevron-right': 'M6 3.5 10.5 8 6 12.5',
  key: 'M10 6a3 3 0 1 0-2.8 3L3 13.2V14h2v-1.5h1.5V11H8l.9-.9A3 3 0 0 0 10 6ZM10.5 5h.01',
  user: 'M8 7.5a3 3 0 1 0 0-6 3 3 0 0 0 0 6ZM2.5 14.5c0-3 2.5-5 5.5-5s5.5 2 5.5 5',
  stop: 'M4 4h8v8H4z',
  copy: 'M5.5 5.5h8v8h-8zM10.5 5.5v-3h-8v8h3',
  folder: 'M1.5 4v9h13V5.5H7.5L6 4z',
  matrix: 'M2 2.5h12v11H2zM2 6.5h12M2 10h12M6 2.5v11M10 2.5v11',
};

export function Icon({ name, size = 16, className }: { name: IconName; size?: number; className?: string }) {
  return (
    <svg
      className={className ? `icon ${className}` : 'icon'}
      width={size}
      height={size}
      viewBox="0 0 16 16"
      fill="none"
      stroke="currentColor"
      strokeWidth={name === 'more' ? 2.6 : 1.5}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      <path d={PATHS[name]} />
    </svg>
  );
}
