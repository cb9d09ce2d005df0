import { Session } from '../../shared/session';
import type { BuiltExport, Loss } from './types';
import { findSecretKind, redactSecrets } from './secrets';

/**
 * Parley's own file: the session exactly as stored, which `import` reads back. The one change:
 * a credential pasted into the chat is replaced by a placeholder, because files get shared
 * (the spec itself may hold none: lint blocks the export first).
 */
export function buildParley(session: Session): BuiltExport & { document: Session } {
  const losses: Loss[] = [];
  const document = Session.parse(structuredClone(session));
  document.messages = document.messages.map((message, i) => {
    if (!findSecretKind(message.text)) return message;
    losses.push({ path: `messages[${i}]`, message: 'A message contained something shaped like a secret; it is replaced by [REDACTED SECRET] in the file.' });
    return { ...message, text: redactSecrets(message.text) };
  });
  if (findSecretKind(document.title)) {
    losses.push({ path: 'title', message: 'The title contained something shaped like a secret; it is redacted in the file.' });
    document.title = redactSecrets(document.title);
  }
  return { document, losses };
}
