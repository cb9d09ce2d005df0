export type SkipTarget = 'chat' | 'spec' | 'sessions';

/** The first tab stops of the window: jump past the panels to the chat, the spec or the sessions. */
export function SkipLinks({ onSkip, hasSession }: { onSkip(target: SkipTarget): void; hasSession: boolean }) {
  const links: Array<[SkipTarget, string]> = hasSession
    ? [
        ['chat', 'Skip to chat'],
        ['spec', 'Skip to spec'],
        ['sessions', 'Skip to sessions'],
      ]
    : [['sessions', 'Skip to sessions']];
  return (
    <nav className="skip-links" aria-label="Skip links">
      {links.map(([target, label]) => (
        <a
          key={target}
          href={`#${target}`}
          className="skip-link"
          onClick={(e) => {
            e.preventDefault();
            onSkip(target);
          }}
        >
          {label}
        </a>
      ))}
    </nav>
  );
}
