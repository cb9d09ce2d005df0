import type { Settings } from '../../../shared/settings';

export type ThemeChoice = Settings['theme'];

/**
 * Applies the theme to <html>: "system" removes the override so the OS preference rules
 * (styles/base.css reads prefers-color-scheme), "light"/"dark" force it. Applied live.
 */
export function applyTheme(theme: ThemeChoice, root: HTMLElement = document.documentElement): void {
  if (theme === 'system') delete root.dataset.theme;
  else root.dataset.theme = theme;
}

/** The theme actually shown, for things drawn outside CSS (PNG/SVG exports). */
export function resolvedTheme(root: HTMLElement = document.documentElement): 'light' | 'dark' {
  const forced = root.dataset.theme;
  if (forced === 'light' || forced === 'dark') return forced;
  return typeof matchMedia === 'function' && matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}
