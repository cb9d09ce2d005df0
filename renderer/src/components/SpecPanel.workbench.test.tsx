import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { SpecPanel } from './SpecPanel';
import { AgentSpec } from '../../../shared/spec';

afterEach(cleanup);

const f = <T,>(value: T) => ({ value, confidence: 1, source: 'import:openapi', locked: false });

describe('SpecPanel: the tool workbench', () => {
  it('offers the import in the Tools section and a test-fire on each tool that has an endpoint', () => {
    const spec = AgentSpec.parse({
      use_tools: f(true),
      tools: [{ name: f('get_order'), endpoint: f('https://api.shop.test/orders/{order_id}'), method: f('GET') }, { name: f('draft_tool') }],
    });
    const opened: string[] = [];
    render(<SpecPanel spec={spec} awaiting={null} onImportTools={() => opened.push('import')} onTryTool={(i) => opened.push(`try ${i}`)} />);
    const panel = screen.getByRole('region', { name: 'Agent spec' });
    fireEvent.click(within(panel).getByRole('button', { name: 'Import tools from an API…' }));
    fireEvent.click(within(panel).getByRole('button', { name: 'Test-fire get_order' }));
    expect(within(panel).queryByRole('button', { name: 'Test-fire draft_tool' })).toBeNull();
    expect(opened).toEqual(['import', 'try 0']);
  });

  it('shows neither where the host offers no workbench', () => {
    const spec = AgentSpec.parse({ tools: [{ name: f('get_order'), endpoint: f('https://api.shop.test/orders') }] });
    render(<SpecPanel spec={spec} awaiting={null} />);
    expect(screen.queryByRole('button', { name: /Import tools|Test-fire/ })).toBeNull();
  });
});
