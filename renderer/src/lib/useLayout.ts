import { useEffect, useState } from 'react';
import type { Settings } from '../../../shared/settings';
import { applyTheme, resolvedTheme } from './theme';

/** Below this width the side panels become drawers (styles/base.css uses the same number). */
export const NARROW_QUERY = '(max-width: 1199px)';

export type Drawer = 'sessions' | 'inspector' | null;

function matches(query: string): boolean {
  return typeof matchMedia === 'function' && matchMedia(query).matches;
}

/** Whether a media query matches now, following changes. */
export function useMedia(query: string): boolean {
  const [on, setOn] = useState(() => matches(query));
  useEffect(() => {
    if (typeof matchMedia !== 'function') return;
    const mq = matchMedia(query);
    const onChange = () => setOn(mq.matches);
    onChange();
    mq.addEventListener?.('change', onChange);
    return () => mq.removeEventListener?.('change', onChange);
  }, [query]);
  return on;
}

/** Applies the saved theme to <html> and returns the one shown ("system" follows the OS live). */
export function useTheme(theme: Settings['theme'] | undefined): 'light' | 'dark' {
  const osDark = useMedia('(prefers-color-scheme: dark)');
  const [shown, setShown] = useState<'light' | 'dark'>(() => resolvedTheme());
  useEffect(() => {
    if (theme) applyTheme(theme);
    setShown(resolvedTheme());
  }, [theme, osDark]);
  return shown;
}
