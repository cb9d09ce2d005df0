import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';

afterEach(cleanup);
import type { TemplateSummary } from '../../../shared/template';
import { TemplateGallery, matchesTemplate } from './TemplateGallery';

const T = (over: Partial<TemplateSummary> & { name: string }): TemplateSummary => ({
  title: over.name,
  purpose: 'Does things.',
  tools: [],
  language: 'en',
  callDirection: 'inbound',
  builtIn: true,
  ...over,
});

const TEMPLATES = [
  T({ name: 'dental-appointments', title: 'Dental appointment booking', tools: ['book_appointment'] }),
  T({ name: 'restaurant-es', title: 'Reservas', language: 'es', builtIn: false }),
  T({ name: 'survey', title: 'Satisfaction survey (outbound)', callDirection: 'outbound' }),
];

describe('TemplateGallery', () => {
  it('matches every word against name, title, purpose, tools, language (tag and name) and kind', () => {
    const names = (q: string) => TEMPLATES.filter((t) => matchesTemplate(t, q)).map((t) => t.name);
    expect(names('book_appointment')).toEqual(['dental-appointments']);
    expect(names('spanish')).toEqual(['restaurant-es']);
    expect(names('saved')).toEqual(['restaurant-es']);
    expect(names('outbound survey')).toEqual(['survey']);
    expect(names('')).toHaveLength(3);
  });

  it('shows name, purpose, tools and language; says when nothing matches; imports and exports files', () => {
    const log: string[] = [];
    render(
      <TemplateGallery
        templates={TEMPLATES}
        error={null}
        onStart={(n) => log.push(`start:${n}`)}
        onImport={(f) => log.push(`import:${f.name}`)}
        onExport={(n) => log.push(`export:${n}`)}
        onClose={() => log.push('close')}
      />,
    );
    const dialog = screen.getByRole('dialog', { name: 'New from template' });
    const dental = within(dialog).getByRole('option', { name: /Dental appointment booking/ });
    expect(dental.textContent).toMatch(/Does things\.EnglishinboundTools: book_appointment/);
    expect(within(dialog).getByRole('option', { name: /Reservas/ }).textContent).toMatch(/savedDoes things\.Spanish/);
    const search = within(dialog).getByRole('combobox', { name: 'Search templates' });
    fireEvent.change(search, { target: { value: 'zzz' } });
    expect(within(dialog).getByRole('status').textContent).toBe('No template matches “zzz”.');
    expect((within(dialog).getByRole('button', { name: 'Start from template' }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(search, { target: { value: 'reservas' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Export template file' }));
    const input = dialog.querySelector<HTMLInputElement>('input[type="file"]')!;
    fireEvent.change(input, { target: { files: [new File(['{}'], 'shared.parley-template.json')] } });
    fireEvent.click(within(dialog).getByRole('option', { name: /Reservas/ }));
    fireEvent.keyDown(dialog, { key: 'Escape' });
    expect(log).toEqual(['export:restaurant-es', 'import:shared.parley-template.json', 'start:restaurant-es', 'close']);
  });
});
