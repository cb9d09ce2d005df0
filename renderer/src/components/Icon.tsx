const PATHS = {
  plus: 'M8 3.5v9M3.5 8h9',
  search: 'M7 12A5 5 0 1 0 7 2a5 5 0 0 0 0 10zM10.6 10.6 14 14',
  edit: 'M10.5 2.5l3 3L6 13H3v-3l7.5-7.5z',
  copy: 'M5.5 5.5h7v8h-7zM3.5 10.5v-8h7',
  trash: 'M3 4h10M6.5 4V2.5h3V4M4.5 4l.6 9.5h5.8l.6-9.5',
  lock: 'M4.5 7.5h7v6h-7zM6 7.5V5.5a2 2 0 0 1 4 0v2',
  unlock: 'M4.5 7.5h7v6h-7zM6 7.5V5.5a2 2 0 0 1 3.9-.6',
  link: 'M6.5 9.5l3-3M7 4.5l1-1a2.5 2.5 0 0 1 3.5 3.5l-1 1M9 11.5l-1 1A2.5 2.5 0 0 1 4.5 9l1-1',
  settings: 'M8 10a2 2 0 1 0 0-4 2 2 0 0 0 0 4zM8 1.5v2M8 12.5v2M1.5 8h2M12.5 8h2M3.4 3.4l1.4 1.4M11.2 11.2l1.4 1.4M3.4 12.6l1.4-1.4M11.2 4.8l1.4-1.4',
  export: 'M8 10V2.5M5 5.5l3-3 3 3M3 9.5v4h10v-4',
  warning: 'M8 2l6.5 11.5h-13zM8 6.5v3M8 11.5v.01',
  check: 'M3.5 8.5l3 3 6-7',
  download: 'M8 2.5V10M5 7l3 3 3-3M3 12.5h10',
  import: 'M8 2.5V10M5 7l3 3 3-3M3 9.5v4h10v-4',
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
