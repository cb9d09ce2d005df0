import './zodConfig';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { connectParley } from './bridge';
import './styles.css';

const root = createRoot(document.getElementById('root')!);
const bridge = connectParley();

root.render(
  <StrictMode>
    {bridge ? (
      <App api={bridge.api} connection={bridge.connection} />
    ) : (
      <main className="empty-main standalone">
        <h1>Parley cannot reach its backend</h1>
        <p>Open Parley from the desktop app, or use the full address printed by <code>npm run preview</code> (it includes a one-time token).</p>
      </main>
    )}
  </StrictMode>,
);
