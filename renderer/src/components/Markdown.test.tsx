import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render } from '@testing-library/react';
import { Markdown } from './Markdown';

afterEach(cleanup);

describe('Markdown', () => {
  it('renders the small subset as elements', () => {
    const { container } = render(<Markdown text={'Hello **world** and `code`.\n\n- one\n- *two*\n\n1. first\n2. second\n\n```\nraw <b>\n```'} />);
    expect(container.querySelector('strong')?.textContent).toBe('world');
    expect(container.querySelector('p code')?.textContent).toBe('code');
    expect([...container.querySelectorAll('ul li')].map((li) => li.textContent)).toEqual(['one', 'two']);
    expect(container.querySelector('ul em')?.textContent).toBe('two');
    expect(container.querySelectorAll('ol li')).toHaveLength(2);
    expect(container.querySelector('pre code')?.textContent).toBe('raw <b>');
    expect(container.querySelector('b')).toBeNull();
  });

  it('never turns text into HTML', () => {
    const { container } = render(<Markdown text={'<script>alert(1)</script> <a href="javascript:x">x</a>'} />);
    expect(container.querySelector('script, a')).toBeNull();
    expect(container.textContent).toContain('<script>');
  });

  it('keeps snake_case names intact and still emphasises at word edges', () => {
    const { container } = render(<Markdown text={'Call get_order_status or _this_ and *that*.'} />);
    expect(container.textContent).toBe('Call get_order_status or this and that.');
    expect([...container.querySelectorAll('em')].map((e) => e.textContent)).toEqual(['this', 'that']);
  });
});
