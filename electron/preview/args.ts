import { ProviderChoice } from '../../shared/providers';

export interface PreviewArgs {
  port: number;
  dataDir: string | undefined;
  provider: ProviderChoice | undefined;
  build: boolean;
}

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const USAGE = 'usage: npm run preview -- [--port N] [--data-dir DIR] [--provider auto|offline|openai|anthropic|local] [--no-build]';

/** Parses the preview host's flags; `--flag value` and `--flag=value` are both accepted. */
export function parsePreviewArgs(argv: readonly string[]): PreviewArgs {
  const out: PreviewArgs = { port: 0, dataDir: undefined, provider: undefined, build: true };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const inline = eq > 0 ? arg.slice(eq + 1) : undefined;
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === '') throw new UsageError(`${name} needs a value. ${USAGE}`);
      return v;
    };
    switch (name) {
      case '--port': {
        const raw = value();
        const port = Number(raw);
        if (!/^\d+$/.test(raw) || port > 65535) throw new UsageError(`--port must be 0–65535, got "${raw}".`);
        out.port = port;
        break;
      }
      case '--data-dir':
        out.dataDir = value();
        break;
      case '--provider': {
        const raw = value();
        const parsed = ProviderChoice.safeParse(raw);
        if (!parsed.success) throw new UsageError(`--provider must be one of ${ProviderChoice.options.join(', ')}, got "${raw}".`);
        out.provider = parsed.data;
        break;
      }
      case '--no-build':
        out.build = false;
        break;
      case '--help':
      case '-h':
        throw new UsageError(USAGE);
      default:
        throw new UsageError(`Unknown argument "${arg}". ${USAGE}`);
    }
  }
  return out;
}
