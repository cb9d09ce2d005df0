import type { Ref } from 'react';

/**
 * A file input out of sight and out of the Tab order, opened by a visible button (`click()`).
 * Its value is cleared after each pick, so choosing the same file again still reports it.
 */
export function HiddenFileInput({ ref, accept, onFile }: { ref: Ref<HTMLInputElement>; accept: string; onFile(file: File): void }) {
  return (
    <input
      ref={ref}
      type="file"
      accept={accept}
      hidden
      aria-hidden="true"
      tabIndex={-1}
      onChange={(e) => {
        const file = e.target.files?.[0];
        e.target.value = '';
        if (file) onFile(file);
      }}
    />
  );
}
