import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';

// The cold_start_preview baseline: the least a Vite React page can do (React, one element).
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <h1>Blank</h1>
  </StrictMode>,
);
