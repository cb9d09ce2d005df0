const PATHS = {
  plus: 'M8 3.5v9M3.5 8h9',
  search: 'M7 12A5 5 0 1 0 7 2a5 5 0 0 0 0 10zM10.6 10.6 14 14',
  edit: 'M10.5 2.5l3 3L6 13H3v-3l7.5-7.5z',
  copy: 'M5.5 5.5h7v8h-7zM3.5 10.5v-8h7',
  trash: 'M3 4h10M6.5 4V2.5h3V4M4.5 4l.6 9.5h5.8l.6-9.5',
  lock: 'M4.5 7.5h7v6h-7zM6 7.5V5.5a2 2 0 0 1 4 0v2',
  unlock: 'M4.5 7.5h7v6h-7zM6 7.5V5.5a2 2 0 0 1 3.9-.6',
  link: 'M6.5 9.5l3-3M7 4.5l1-1a2.5 2.5 0 0 1 3.5 3.5l-1 1M9 11.5l-1 1A2.5 2.5 0 0 1 4.5 9l1-1',
  // A cog (eight teeth), not rays: the old sun-like glyph read as a theme toggle.
  settings: 'M6.9 1.5h2.2l.3 1.7 1.2.5 1.4-1 1.6 1.6-1 1.4.5 1.2 1.7.3v2.2l-1.7.3-.5 1.2 1 1.4-1.6 1.6-1.4-1-1.2.5-.3 1.7H6.9l-.3-1.7-1.2-.5-1.4 1-1.6-1.6 1-1.4-.5-1.2-1.7-.3V6.9l1.7-.3.5-1.2-1-1.4 1.6-1.6 1.4 1 1.2-.5zM8 10a2 2 0 1 0 0-4 2 2 0 0 0 0 4z',
  export: 'M8 10V2.5M5 5.5l3-3 3 3M3 9.5v4h10v-4',
  warning: 'M8 2l6.5 11.5h-13zM8 6.5v3M8 11.5v.01',
  check: 'M3.5 8.5l3 3 6-7',
  download: 'M8 2.5V10M5 7l3 3 3-3M3 12.5h10',
  // A file with an arrow going into it (download is for saving out).
  import: 'M6 2.5h4.5L13 5v8.5H6V11M10.5 2.5V5H13M1.5 8h6M5.5 6l2 2-2 2',
  list: 'M2.5 4h11M2.5 8h11M2.5 12h11',
  panel: 'M2.5 2.5h11v11h-11zM9.5 2.5v11',
  'zoom-in': 'M7 12A5 5 0 1 0 7 2a5 5 0 0 0 0 10zM10.6 10.6 14 14M5 7h4M7 5v4',
  'zoom-out': 'M7 12A5 5 0 1 0 7 2a5 5 0 0 0 0 10zM10.6 10.6 14 14M5 7h4',
  fit: 'M2.5 6V2.5H6M10 2.5h3.5V6M13.5 10v3.5H10M6 13.5H2.5V10',
  expand: 'M9.5 2.5h4v4M13.5 2.5l-5 5M6.5 13.5h-4v-4M2.5 13.5l5-5',
  back: 'M10 3.5 5.5 8l4.5 4.5',
  info: 'M8 14.5a6.5 6.5 0 1 0 0-13 6.5 6.5 0 0 0 0 13zM8 7.5v4M8 5v.01',
} as const;

export type IconName = keyof typeof PATHS;

/** Line icons drawn inline (no icon font, nothing fetched); always decorative. */
export function Icon({ name, className }: { name: IconName; className?: string }) {
  return (
    <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true" focusable="false" className={className ? `icon ${className}` : 'icon'}>
      <path d={PATHS[name]} fill="none" stroke="currentColor" strokeWidth="1.4" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}
