/**
 * The few DOM types the e2e tests' in-page functions use: they compile with the Node tsconfig,
 * which has no DOM library. Inside `page.evaluate(() => …)` write
 * `const w = globalThis as unknown as PageWindow;` (the function runs in the page, so it can use
 * only types from here, never values).
 */
export interface PageRect {
  x: number;
  y: number;
  width: number;
  height: number;
  top: number;
  bottom: number;
  left: number;
  right: number;
}

export interface PageElement {
  tagName: string;
  className: string;
  textContent: string | null;
  tabIndex: number;
  getAttribute(name: string): string | null;
  removeAttribute(name: string): void;
  getBoundingClientRect(): PageRect;
  checkVisibility(options?: { checkOpacity?: boolean; checkVisibilityCSS?: boolean }): boolean;
  closest(selector: string): PageElement | null;
  querySelector(selector: string): PageElement | null;
  querySelectorAll(selector: string): Iterable<PageElement>;
  focus(): void;
  blur(): void;
  /** SVG elements only. */
  getScreenCTM?(): { a: number } | null;
}

export interface PageWindow {
  document: { activeElement: PageElement | null; body: PageElement; documentElement: PageElement; querySelectorAll(selector: string): Iterable<PageElement> };
  innerWidth: number;
  innerHeight: number;
  localStorage: { setItem(key: string, value: string): void; getItem(key: string): string | null };
  getComputedStyle(el: PageElement): { fontSize: string };
  parley: {
    sessions: { get(input: { id: string }): Promise<unknown>; list(): Promise<{ items: Array<{ id: string }> }> };
    export: { preview(input: { sessionId: string; format: string }): Promise<{ content: string | null }> };
  };
}
