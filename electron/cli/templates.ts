import { readImportFile, writeExportFile } from '../fs/user-files';
import { UsageError, type CommandContext, type Outcome } from './spec';
import { call, openBackend } from './backend-access';

function stringOption(ctx: CommandContext, name: string): string | undefined {
  const value = ctx.options[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !value.trim()) throw new UsageError(`--${name} needs a value.`);
  return value.trim();
}

/** `templates list|show|save|import|export`: the template library through the contract, template files through electron/fs. */
export async function templatesCommand(ctx: CommandContext): Promise<Outcome> {
  const [sub, arg] = ctx.args;
  const force = ctx.options.force === true;
  switch (sub) {
    case 'list': {
      const { items } = await call(await openBackend(ctx), 'templates:list');
      const width = Math.max(0, ...items.map((t) => t.name.length));
      const human = items
        .map((t) => `${t.name.padEnd(width)}  ${t.builtIn ? 'built-in' : 'saved   '}  ${t.language.padEnd(5)} ${t.callDirection.padEnd(8)}  ${t.title}: ${t.purpose}${t.tools.length ? ` [${t.tools.join(', ')}]` : ''}`)
        .join('\n');
      return { value: { items }, human };
    }
    case 'show': {
      if (!arg) throw new UsageError('"templates show" needs a template name (templates list).');
      const shown = await call(await openBackend(ctx), 'templates:get', { name: arg });
      return { value: shown, human: JSON.stringify(shown.template, null, 2) };
    }
    case 'save': {
      if (!arg) throw new UsageError('"templates save" needs a session id: parley templates save <id> [--name NAME] [--title TITLE].');
      const b = await openBackend(ctx);
      const saved = await call(b, 'templates:save', { sessionId: arg, name: stringOption(ctx, 'name'), title: stringOption(ctx, 'title'), replace: force });
      const notes = saved.removedSecrets.map((p) => `left out: ${p} looks like it holds a credential`);
      return { value: saved, human: `saved template ${saved.template.name}`, notes };
    }
    case 'import': {
      if (!arg) throw new UsageError('"templates import" needs a file: parley templates import <file> [--name NAME].');
      const text = await readImportFile(arg);
      const imported = await call(await openBackend(ctx), 'templates:import', { text, name: stringOption(ctx, 'name'), replace: force });
      return { value: imported, human: `imported template ${imported.name}` };
    }
    case 'export': {
      if (!arg) throw new UsageError('"templates export" needs a template name: parley templates export NAME --out FILE.');
      const out = stringOption(ctx, 'out');
      if (!out) throw new UsageError('"templates export" needs --out FILE.');
      const exported = await call(await openBackend(ctx), 'templates:export', { name: arg });
      const file = await writeExportFile(out, exported.content, { force });
      return { value: { file, name: arg }, human: `wrote ${file}` };
    }
    default:
      throw new UsageError('templates: use "templates list", "templates show NAME", "templates save <id>", "templates import FILE" or "templates export NAME --out FILE".');
  }
}
