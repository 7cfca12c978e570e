import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { Field, Switch } from './Field';

/** Every id in aria-describedby must name an element in the document (a dangling id describes nothing). */
function describedByTargets(el: HTMLElement): string[] {
  const ids = (el.getAttribute('aria-describedby') ?? '').split(/\s+/).filter(Boolean);
  return ids.map((id) => {
    const target = document.getElementById(id);
    expect(target, `aria-describedby points at #${id}, which is not rendered`).not.toBeNull();
    return target?.textContent ?? '';
  });
}

function renderField(props: { help?: string; error?: string | null }) {
  return render(<Field label="Name" {...props}>{(p) => <input {...p} />}</Field>);
}

describe('Field', () => {
  it('is described by its help text when there is no error', () => {
    renderField({ help: 'Shown in the sidebar.' });
    const input = screen.getByLabelText('Name');
    expect(describedByTargets(input)).toEqual(['Shown in the sidebar.']);
    expect(input.getAttribute('aria-invalid')).toBeNull();
  });

  it('is described by the error alone when the error replaces the help text', () => {
    renderField({ help: 'Shown in the sidebar.', error: 'A name is required.' });
    const input = screen.getByLabelText('Name');
    expect(screen.queryByText('Shown in the sidebar.')).toBeNull();
    expect(describedByTargets(input)).toEqual(['A name is required.']);
    expect(input.getAttribute('aria-invalid')).toBe('true');
  });

  it('has no aria-describedby without help or error', () => {
    renderField({});
    expect(screen.getByLabelText('Name').hasAttribute('aria-describedby')).toBe(false);
  });
});

describe('Switch', () => {
  it('points at its description only when there is one', () => {
    const { unmount } = render(<Switch checked={false} onChange={() => {}} label="Read-only" description="GET only." />);
    expect(describedByTargets(screen.getByRole('switch', { name: 'Read-only' }))).toEqual(['GET only.']);
    unmount();
    render(<Switch checked={false} onChange={() => {}} label="Read-only" />);
    expect(screen.getByRole('switch', { name: 'Read-only' }).hasAttribute('aria-describedby')).toBe(false);
  });
});
